// Loads a `gnet export --format graph` folder the way any TensorFlow.js user would — stock
// tf.loadGraphModel over HTTP, no gnet code — and prints its predictions for the images in a file.
// Usage: node load-graph-model.mjs MODEL_DIR INPUTS.json  (INPUTS.json: { NAME: { "shape": [...], "values": [...] }, ... })
// Prints { "outputs": [{ "shape": [...], "values": [...] }, ...], "names": [...] } on stdout.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

const [dir, inputFile] = process.argv.slice(2);
const server = createServer((request, response) => {
  try {
    const file = join(dir, normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)));
    response.end(readFileSync(file));
  } catch {
    response.statusCode = 404;
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  await tf.setBackend('cpu');
  const model = await loadGraphModel(`http://127.0.0.1:${server.address().port}/model.json`);
  const inputs = JSON.parse(readFileSync(inputFile, 'utf8'));
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, x]) => [name, tf.tensor(x.values, x.shape, 'float32')]));
  const result = model.execute(feeds, model.outputNodes);
  const outputs = await Promise.all([result].flat().map(async (t) => ({ shape: t.shape, values: Array.from(await t.data()) })));
  process.stdout.write(JSON.stringify({ outputs, names: model.outputNodes }));
} finally {
  server.close();
}
