/**
 * Receptive fields on volumes, checked against an independent measurement: the generated module runs
 * on tfjs' cpu backend, and the gradient of one output voxel with respect to the input is non-zero
 * exactly on the voxels that output sees. Its extent per axis is the field's size, and its centre the
 * field's start + index · jump (anisotropic kernels, dilation, a strided pool and a skip that adds two
 * branches with different fields).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { primaryField } from '../../compiler/analysis/index.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import { compileSource } from '../../compiler/program.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { analysed, generate } from '../codegen/helpers.js';

await tf.setBackend('cpu');

const SPEC = `network Skips {
  input v: 16 x 16 x 16 x 1
  a = v -> conv(2, size = [3, 1, 5]) -> avgpool(2)
  q = a -> conv(2, size = [3, 3, 1])
  r = a -> conv(2, size = [1, 3, 3], dilation = 2)
  output y = q -> add(r) -> conv(1, size = 1)
}
`;

test('a volume network: the field of an output voxel is where its gradient is non-zero', async () => {
  const program = compileSource(SPEC, 'skips.gnet');
  assert.equal(program.diagnostics, []);
  const network = analysed(program.graphs[0]!, program.sources);
  const module = await importGenerated(transpileModule(generate(network)));
  // Positive weights: no cancellation can hide a voxel the output depends on.
  const weights = Object.fromEntries(module.meta.weights.map((w, i) => [w.name, tf.variable(tf.randomUniform([...w.shape], 0.5, 1.5, 'float32', i + 1))]));
  const output = network.graph.outputs[0]!;
  const field = primaryField(network.analysis.rows[output.node]!.receptiveField)!;
  const index = [4, 3, 4];
  const gradient = tf.grad((x) => {
    const y = module.forward(weights, { v: x }, { training: false })['y']!;
    return tf.sum(tf.slice(y, [0, ...index, 0], [1, 1, 1, 1, 1]));
  })(tf.ones([1, 16, 16, 16, 1]));
  const values = gradient.dataSync();
  const seen: number[][] = [[], [], []];
  values.forEach((g, i) => {
    if (g === 0) return;
    const [d, h, w] = [Math.floor(i / 256), Math.floor(i / 16) % 16, i % 16];
    [d, h, w].forEach((p, axis) => seen[axis]!.push(p));
  });
  field.axes.forEach((axis, a) => {
    const [low, high] = [Math.min(...seen[a]!), Math.max(...seen[a]!)];
    assert.is(high - low + 1, axis.size, `axis ${a}: size`);
    assert.is((low + high) / 2, axis.start + index[a]! * axis.jump, `axis ${a}: centre`);
  });
  assert.equal(
    field.axes.map((a) => a.size),
    // depth: 3 + (2 − 1) + 2·(3 − 1) = 8; height: 1 + 1 + 2·(2·2) = 10; width: 5 + 1 + 2·(2·2) = 14.
    [8, 10, 14],
  );
});

test.run();
