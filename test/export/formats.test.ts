/**
 * `gnet export --format graph` and `--format onnx` on networks of the zoo: the graph model loads in
 * stock TensorFlow.js (tf.loadGraphModel, in a process that imports no gnet code), the ONNX model in
 * onnxruntime-node, and both predict what gnet's forward pass predicts (relative error ≤ 1e-4) at a
 * batch size other than the one traced.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PNG } from 'pngjs';
import { exportRun } from '../../cli/commands/export.js';
import { predict, readImage } from '../../cli/commands/predict.js';
import { useCpu } from '../train/cpu.js';
import { captureOutput } from '../train/output.js';
import { specResized } from '../specs/files.js';
import { gnetOutputs, loadElsewhere, makeRun, randomInputs, relativeError, tempDir } from './helpers.js';

await useCpu();

/** `file` with its input shape `from` written as `to`, in a folder of its own (the exporters do not depend on image size). */
function resized(file: string, from: string, to: string): string {
  const path = join(tempDir('export-spec'), basename(file));
  writeFileSync(path, specResized(file, from, to));
  return path;
}

const GAUSS_UNET_32 = resized('specs/gauss-unet.gnet', '128 x 128 x 3', '32 x 32 x 3');

const NETWORKS: readonly { file: string; label?: string; network?: string; params?: Record<string, number> }[] = [
  { file: 'specs/reference.gnet' },
  { file: GAUSS_UNET_32, label: 'specs/gauss-unet.gnet (32×32)', network: 'GaussUNet' },
  { file: 'specs/lenet5.gnet' },
  { file: 'specs/table1.gnet', network: 'OursSeparated' },
  { file: 'specs/deepmedic.gnet' },
  { file: resized('specs/unet-se-fre.gnet', '256 x 256 x 1', '64 x 64 x 1'), label: 'specs/unet-se-fre.gnet (64×64)', params: { base: 4 } },
  { file: 'specs/unet.gnet', network: 'UNetSame', params: { base: 4, size: 64 } },
  { file: 'specs/examples/shared.gnet' },
  // Every block with an inference op, small (explicit-padding pools, transposed and depthwise convolution, bilinear upsampling, SE, two outputs).
  { file: 'test/export/blocks.gnet' },
];

for (const { file, label, network, params } of NETWORKS) {
  test(`${label ?? file}${network ? ` ${network}` : ''}: graph and onnx exports predict what gnet predicts`, async () => {
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

test('`gnet predict` and the exports agree: class scores (reference) and masks (GaussUNet)', async () => {
  for (const [file, network, size, channels] of [['specs/reference.gnet', undefined, 28, 1], [GAUSS_UNET_32, 'GaussUNet', 32, 3]] as const) {
    const dir = await makeRun(file, network);
    const images = tempDir('export-images');
    const paths = [0, 1].map((k) => {
      const png = new PNG({ width: size, height: size });
      for (let i = 0; i < size * size; i++) png.data.set([(i * (7 + k)) % 256, (i * 13) % 256, (i * (3 + k)) % 256, 255], 4 * i);
      const path = join(images, `image-${k}.png`);
      writeFileSync(path, PNG.sync.write(png));
      return path;
    });
    const predicted = join(tempDir('export-predict'), 'out');
    assert.is((await captureOutput(() => predict(dir, paths, { out: predicted, backend: 'cpu' }))).code, 0);
    const results = JSON.parse(readFileSync(join(predicted, 'predictions.json'), 'utf8')) as { scores?: number[]; mask?: string }[];
    const x = paths.map((path) => readImage(path, [size, size, channels]).x);
    const inputs = { image: { shape: [2, size, size, channels], values: Float32Array.from(x.flatMap((v) => Array.from(v))) } };
    for (const [format, script] of [['graph', 'load-graph-model.mjs'], ['onnx', 'run-onnx-model.mjs']] as const) {
      const out = join(tempDir('export'), format);
      await captureOutput(() => exportRun(dir, { format, out, backend: 'cpu' }));
      const output = Object.values(loadElsewhere(script, out, inputs).outputs)[0]!;
      const perImage = output.values.length / 2;
      results.forEach((result, k) => {
        const values = output.values.slice(k * perImage, (k + 1) * perImage);
        if (result.scores) {
          const error = relativeError({ shape: [values.length], values }, { shape: [result.scores.length], values: result.scores });
          assert.ok(error <= 1e-4, `${format} scores of image ${k}: relative error ${error}`);
          return;
        }
        const mask = PNG.sync.read(readFileSync(result.mask!));
        const classes = output.shape.at(-1)!;
        let differing = 0;
        for (let p = 0; p < size * size; p++) {
          const scores = values.slice(p * classes, (p + 1) * classes);
          const best = scores.indexOf(Math.max(...scores));
          const margin = Math.abs(scores[0]! - scores[1]!);
          if (best !== mask.data[4 * p] && margin > 1e-4) differing++;
        }
        assert.is(differing, 0, `${format} mask of image ${k}`);
      });
    }
  }
});

test('an average pool with explicit padding: GN0861 for the graph format, which names the block; ONNX holds it', async () => {
  const spec = join(tempDir('export-spec'), 'padded.gnet');
  writeFileSync(spec, 'network Padded {\n  input image: 8 x 8 x 1\n  output y = image -> conv(2, 3) -> avgpool(3, stride = 1, padding = 1) -> global_avgpool -> sigmoid\n}\n');
  const dir = await makeRun(spec);
  const refused = await captureOutput(() => exportRun(dir, { format: 'graph', out: join(tempDir('export'), 'graph'), backend: 'cpu' }));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^gnet: error\[GN0861\]: block y\.avgpool is an average pool with explicit padding, which TensorFlow\.js graph models cannot express; export this network with --format onnx or deployed/);
  const out = join(tempDir('export'), 'onnx');
  assert.is((await captureOutput(() => exportRun(dir, { format: 'onnx', out, backend: 'cpu' }))).code, 0);
  const inputs = await randomInputs(dir, 2);
  const error = relativeError(loadElsewhere('run-onnx-model.mjs', out, inputs).outputs.y!, (await gnetOutputs(dir, inputs)).y!);
  assert.ok(error <= 1e-4, `relative error ${error}`);
});

test('graph nodes are named after the blocks that compute them', async () => {
  const dir = await makeRun('specs/reference.gnet');
  const out = join(tempDir('export'), 'graph');
  await captureOutput(() => exportRun(dir, { format: 'graph', out, backend: 'cpu' }));
  const nodes = (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).modelTopology.node as { name: string; op: string }[]).map((n) => `${n.name} ${n.op}`);
  for (const node of ['image Placeholder', 'g1.gauss/Conv2D Conv2D', 'g1.batchnorm/FusedBatchNorm FusedBatchNormV3', 'probs.softmax/Softmax Softmax', 'probs Identity']) assert.ok(nodes.includes(node), node);
});

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
