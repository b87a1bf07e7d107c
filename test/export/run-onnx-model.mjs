// Runs a `gnet export --format onnx` model in onnxruntime-node — no gnet code — and prints its
// predictions for the images in a file.
// Usage: node run-onnx-model.mjs MODEL_DIR INPUTS.json  (INPUTS.json: { NAME: { "shape": [...], "values": [...] }, ... })
// Prints { "outputs": [{ "shape": [...], "values": [...] }, ...], "names": [...] } on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const [dir, inputFile] = process.argv.slice(2);
const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
const inputs = JSON.parse(readFileSync(inputFile, 'utf8'));
const feeds = Object.fromEntries(Object.entries(inputs).map(([name, x]) => [name, new ort.Tensor('float32', Float32Array.from(x.values), x.shape)]));
const results = await session.run(feeds);
const outputs = session.outputNames.map((name) => ({ shape: results[name].dims, values: Array.from(results[name].data) }));
process.stdout.write(JSON.stringify({ outputs, names: session.outputNames, inputs: session.inputNames }));
