/**
 * How many output voxels of a patch network see only the patch, checked against an independent
 * measurement: the same network runs on the patch alone (zero padding around it) and on the patch
 * embedded in a larger volume of random voxels; an output voxel sees only the patch exactly when its
 * value is the same in both. And the GN0320 warning when the receptive field outgrows the patch.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileSource } from '../../compiler/program.js';
import { renderTable } from '../../compiler/report/index.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { analysed, generate } from '../codegen/helpers.js';

await tf.setBackend('cpu');

const spec = (side: number) => `network Patchy {
  input ct: ${side} x ${side} x ${side} x 1
  a = ct -> conv(2, size = [3, 5, 3]) -> avgpool(2)
  output y = a -> conv(2, size = 3) -> upsample(2) -> conv(1, size = [1, 1, 3])
}
`;

const compiled = (side: number) => {
  const program = compileSource(spec(side), 'patchy.gnet');
  const diagnostics: Diagnostic[] = [];
  analyzeGraph(program.graphs[0]!, {}, (d) => diagnostics.push(d));
  return { program, diagnostics, network: analysed(program.graphs[0]!, program.sources) };
};

test('voxels that see only the patch are those whose value does not change when the patch is embedded in a volume', async () => {
  const [patch, margin] = [12, 6];
  const small = compiled(patch).network;
  const large = compiled(patch + 2 * margin).network;
  const [coverage] = small.analysis.patches;
  const [modSmall, modLarge] = await Promise.all([small, large].map((n) => importGenerated(transpileModule(generate(n)))));
  // Positive weights: no cancellation hides a voxel an output depends on; the same weights in both.
  const weights = Object.fromEntries(modSmall.meta.weights.map((w, i) => [w.name, tf.variable(tf.randomUniform([...w.shape], 0.5, 1.5, 'float32', i + 1))]));
  const volume = tf.randomUniform([1, patch + 2 * margin, patch + 2 * margin, patch + 2 * margin, 1], 0.5, 1.5, 'float32', 99);
  const x = tf.slice(volume, [0, margin, margin, margin, 0], [1, patch, patch, patch, 1]);
  const alone = modSmall.forward(weights, { ct: x }, { training: false })['y']!.dataSync();
  const whole = modLarge.forward(weights, { ct: volume }, { training: false })['y']!;
  const embedded = tf.slice(whole, [0, margin, margin, margin, 0], [1, patch, patch, patch, 1]).dataSync();
  let same = 0;
  alone.forEach((v, i) => (same += Math.abs(v - embedded[i]!) <= 1e-5 * Math.abs(v) ? 1 : 0));
  assert.ok(coverage, 'a coverage line for output y');
  assert.is(coverage!.total, patch ** 3);
  assert.is(coverage!.inside, same);
  assert.ok(same > 0 && same < patch ** 3, `some voxels see padding, some do not: ${same}`);
});

test('the report prints the coverage; a field larger than the patch warns (GN0320) and no voxel sees only the patch', () => {
  const fine = compiled(12);
  assert.equal([...fine.program.diagnostics, ...fine.diagnostics], []);
  assert.match(renderTable(fine.network.analysis), /Patch 12×12×12, receptive field \d+×\d+×\d+: [\d ]+ of 1 728 voxels of y \([\d.]+ %\) see only the patch/);
  const tight = compiled(8);
  const warnings = tight.diagnostics.filter((d) => d.code === 'GN0320');
  assert.is(warnings.length, 1);
  assert.is(warnings[0]!.severity, 'warning');
  assert.match(warnings[0]!.message, /receptive field of output `y` \(\d+×\d+×\d+\) is larger than the patch `ct` \(8×8×8\)/);
  assert.is(tight.network.analysis.patches[0]!.inside, 0);
});

test('networks on images print no patch line', () => {
  const program = compileSource('network Flat {\n  input image: 8 x 8 x 1\n  output y = image -> conv(2, 9)\n}\n', 'flat.gnet');
  assert.equal(analysed(program.graphs[0]!, program.sources).analysis.patches, []);
});

test.run();
