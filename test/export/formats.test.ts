/**
 * `gnet export --format graph` and `--format onnx` on networks of the zoo: the graph model loads in
 * stock TensorFlow.js (tf.loadGraphModel, in a process that imports no gnet code), the ONNX model in
 * onnxruntime-node, and both predict what gnet's forward pass predicts (relative error ≤ 1e-4) at a
 * batch size other than the one traced.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRun } from '../../cli/commands/export.js';
import { useCpu } from '../train/cpu.js';
import { captureOutput } from '../train/output.js';
import { gnetOutputs, loadElsewhere, makeRun, randomInputs, relativeError, tempDir } from './helpers.js';

await useCpu();

const NETWORKS: readonly { file: string; network?: string; params?: Record<string, number> }[] = [
  { file: 'specs/reference.gnet' },
  { file: 'specs/gauss-unet.gnet', network: 'GaussUNet' },
  { file: 'specs/gauss-unet.gnet', network: 'UNet5x5', params: { base: 4 } },
  { file: 'specs/lenet5.gnet' },
  { file: 'specs/table1.gnet', network: 'OursSeparated' },
  { file: 'specs/table1.gnet', network: 'RFNN' },
  { file: 'specs/deepmedic.gnet' },
  { file: 'specs/unet-se-fre.gnet', params: { base: 4 } },
  { file: 'specs/unet.gnet', network: 'UNetSame', params: { base: 4, size: 64 } },
  { file: 'specs/examples/shared.gnet' },
];

for (const { file, network, params } of NETWORKS) {
  test(`${file}${network ? ` ${network}` : ''}: graph and onnx exports predict what gnet predicts`, async () => {
    const dir = await makeRun(file, network, params);
    const inputs = await randomInputs(dir, 3);
    const expected = await gnetOutputs(dir, inputs);
    for (const [format, script] of [['graph', 'load-graph-model.mjs'], ['onnx', 'run-onnx-model.mjs']] as const) {
      const out = join(tempDir('export'), format);
      const printed = await captureOutput(() => exportRun(dir, { format, out, backend: 'cpu' }));
      assert.is(printed.code, 0, printed.stderr);
      assert.ok(existsSync(join(out, 'README.md')));
      const { outputs, stderr } = loadElsewhere(script, out, inputs);
      assert.equal(Object.keys(outputs), Object.keys(expected), `${format} outputs`);
      for (const [name, values] of Object.entries(expected)) {
        const error = relativeError(outputs[name]!, values);
        assert.ok(error <= 1e-4, `${format} ${name}: relative error ${error}`);
      }
      assert.not.match(stderr, /\[W:onnxruntime|\[E:onnxruntime/, 'onnxruntime loads the model without warnings');
    }
  });
}

test('the export README says the layout and names the inputs and outputs', async () => {
  const dir = await makeRun('specs/reference.gnet');
  const out = join(tempDir('export'), 'onnx');
  await captureOutput(() => exportRun(dir, { format: 'onnx', out, backend: 'cpu' }));
  const readme = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(readme, /NHWC/);
  assert.match(readme, /\| input \| `image` \| \[batch, 28, 28, 1\]/);
  assert.match(readme, /\| output \| `probs` \| \[batch, 10\] \| after softmax/);
});

test.run();
