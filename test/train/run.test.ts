/**
 * A whole run of the tiny segmenter (gauss layer, deep supervision, synthetic cells): the run
 * directory's files, report.html, the final model, `gnet export` in both formats (the deployed
 * network computes what the trained one does) and `gnet predict` masks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { exportRun } from '../../cli/commands/export.js';
import { evalRun } from '../../cli/commands/eval.js';
import { loadTrainedRun, paramTable, snapshotOf } from '../../cli/commands/model.js';
import { predict } from '../../cli/commands/predict.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { manifestName } from '../../runtime/train/checkpoint.js';
import { MODEL_JSON, MODULE_FILE, readModel } from '../../runtime/train/export.js';
import { readLog } from '../../runtime/train/log.js';
import { runTraining } from '../../runtime/train/run-training.js';
import { SEGMENTER_SPEC, prepare, tempDir, useCpu } from './fixtures.js';
import { captureOutput } from './output.js';

await useCpu();

const prepared = await prepare(SEGMENTER_SPEC());
const { spec, config } = prepared;
const dir = join(tempDir('seg'), 'run');
const record = { format: 'gnet-run', version: 1, createdAt: 'now', spec: { file: '/specs/tiny.gnet', network: 'TinyCells', params: {} }, backend: 'cpu', train: config } as const;
const outcome = await runTraining({
  model: spec.model,
  config,
  out: dir,
  resume: false,
  record,
  sources: snapshotOf('/specs/tiny.gnet', spec.sources),
  moduleSource: spec.source,
  params: paramTable(spec.analysis),
});

test('the run directory holds config, sources, data info, the log, a checkpoint, the model and the report', () => {
  assert.is(outcome.status, 'completed');
  for (const file of ['config.json', 'sources.json', 'data.json', 'log.jsonl', `checkpoint/${manifestName(outcome.step)}`, 'model/model.json', 'model/weights.bin', 'model/model.ts', 'report.html']) {
    assert.ok(existsSync(join(dir, file)), file);
  }
  const [epoch] = readLog(join(dir, 'log.jsonl'));
  assert.equal(Object.keys(epoch!.metrics), ['accuracy', 'miou', 'dice', 'iou']);
  assert.is((epoch!.metrics.iou as number[]).length, 2);
  assert.ok(epoch!.validation !== null && Number.isFinite(epoch!.validation.loss));
  assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).train, JSON.parse(JSON.stringify(config)));
});

test('report.html: curves, the parameter table, the gauss kernels and input / truth / prediction panels', () => {
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.ok(html.includes('<h2>Curves</h2>') && html.includes('<title>Loss</title>') && html.includes('<title>miou</title>'));
  assert.ok(html.includes('Parameters and budgets') && html.includes('a.gauss'));
  assert.ok(html.includes('Learned gauss kernels') && html.includes('2 bases × 6 kernels, 5×5'));
  assert.is(html.match(/class="panel"/g)?.length, 4);
  assert.not.ok(/src="(?!data:image\/png;base64,)/.test(html), 'every image is embedded');
});

test('the final model holds the trained weights; eval reads them back', async () => {
  const run = await loadTrainedRun(dir, 'cpu');
  assert.ok(!('failed' in run) && run.from === 'model');
  const { tensors } = readModel(join(dir, 'model'));
  assert.equal(Object.keys(tensors), spec.model.module.meta.weights.map((w) => w.name));
  tf.dispose([...Object.values(tensors), ...('failed' in run ? [] : Object.values(run.weights))]);
  const printed = await captureOutput(() => evalRun(dir, { backend: 'cpu', json: true }));
  assert.is(printed.code, 0);
  const result = JSON.parse(printed.stdout);
  assert.equal([result.split, result.weights], ['test', 'model']);
  assert.ok(result.metrics.accuracy > 0 && result.images === 5);
});

test('export deployed: gauss layers become convolutions that compute what the trained network does', async () => {
  const out = join(tempDir('export'), 'deployed');
  assert.is((await captureOutput(() => exportRun(dir, { format: 'deployed', out, backend: 'cpu' }))).code, 0);
  const source = readFileSync(join(out, MODULE_FILE), 'utf8');
  assert.not.ok(source.includes('gaussConv2d'));
  const deployed = await importGenerated(transpileModule(source));
  const { json, tensors } = readModel(out);
  assert.ok(json.modelTopology.deployed);
  assert.ok('a.gauss/kernel' in tensors && !('a.gauss/sigma' in tensors));
  const run = await loadTrainedRun(dir, 'cpu');
  if ('failed' in run) throw new Error('run does not load');
  const deployedWeights = deployed.createWeights(0);
  for (const [name, t] of Object.entries(tensors)) deployedWeights[name]!.assign(t);
  const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 5);
  const [trained, frozen] = [spec.model.module.forward(run.weights, { image: x }, { training: false }), deployed.forward(deployedWeights, { image: x }, { training: false })];
  const difference = tf.max(tf.abs(tf.sub(trained.mask!, frozen.mask!))).dataSync()[0]!;
  assert.ok(difference < 1e-4, `largest difference ${difference}`);
  tf.dispose([x, ...Object.values(trained), ...Object.values(frozen), ...Object.values(tensors), ...Object.values(deployedWeights), ...Object.values(run.weights)]);

  const plain = join(tempDir('export'), 'gnet');
  await captureOutput(() => exportRun(dir, { format: 'gnet', out: plain, backend: 'cpu' }));
  assert.equal(readModel(plain).json.weightsManifest, JSON.parse(readFileSync(join(dir, 'model', MODEL_JSON), 'utf8')).weightsManifest);
});

test('predict writes one class-index PNG mask per image, cut back to the image size', async () => {
  const images = tempDir('images');
  const png = new PNG({ width: 12, height: 10 });
  for (let i = 0; i < 120; i++) png.data.set(i % 7 === 0 ? [230, 230, 230, 255] : [20, 20, 20, 255], 4 * i);
  writeFileSync(join(images, 'cells.png'), PNG.sync.write(png));
  const out = join(tempDir('pred'), 'masks');
  const printed = await captureOutput(() => predict(dir, [join(images, 'cells.png')], { out, backend: 'cpu' }));
  assert.is(printed.code, 0);
  const mask = PNG.sync.read(readFileSync(join(out, 'cells.png')));
  assert.equal([mask.width, mask.height], [12, 10]);
  for (let i = 0; i < 120; i++) assert.ok(mask.data[4 * i]! <= 1, 'gray values are class indices');

  const tooBig = new PNG({ width: 20, height: 20 });
  writeFileSync(join(images, 'big.png'), PNG.sync.write(tooBig));
  const nowhere = join(tempDir('pred'), 'none');
  const refused = await captureOutput(() => predict(dir, [join(images, 'big.png')], { out: nowhere, backend: 'cpu' }));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^gnet: error\[GN0808\]: .*big\.png is 20×20, larger than the network input 16×16/);
  assert.not.ok(existsSync(nowhere), 'nothing is written when an image is refused');
});

test.run();
