/**
 * The playground's model download, built in Node from the same code the page's worker runs
 * (web/playground/model-store.ts): the unpacked folder is a run directory that `gnet predict` and
 * `gnet export` take as they are, its scores equal the page's own prediction, its tfjs/ folder is
 * what `gnet export --format graph` writes for it, its log.jsonl is what `gnet train` logs (and what
 * the run history holds), and its weights load back into a fresh model, also through the copy the
 * page keeps to put a model back after a failed run.
 * The browser round trip is test/browser/playground-model.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileHost } from '../../cli/host.js';
import { compileForTraining } from '../../cli/commands/model.js';
import { exportRun } from '../../cli/commands/export.js';
import { predict, readImage } from '../../cli/commands/predict.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { readLog, type EpochRecord } from '../../runtime/train/log.js';
import type { ModelJson } from '../../runtime/train/model-files.js';
import { describeTask } from '../../runtime/train/targets.js';
import { assignSaved, copyModel, downloadZip, folderName, parseLog, predictImages, type CurrentModel } from '../../web/playground/model-store.js';
import { useCpu } from '../train/cpu.js';
import { captureOutput } from '../train/output.js';
import { tempDir } from './helpers.js';

await useCpu();

const SPEC = new URL('../../specs/reference.gnet', import.meta.url).pathname;

async function currentModel(seed: number): Promise<CurrentModel> {
  const outcome = await compileForTraining({ entry: SPEC }, fileHost);
  if (!outcome.ok) throw new Error('specs/reference.gnet does not compile');
  const { graph, source, sources, model } = outcome.spec;
  const config = resolveConfig(model.module.meta.training, { data: 'synthetic-cells:8' }, graph.name);
  const weights = model.module.createWeights(seed);
  // Batch-norm statistics away from the identity, so a lost weight would show.
  for (const [name, w] of Object.entries(weights)) if (/moving_mean|beta|bias/.test(name)) w.assign(tf.randomUniform(w.shape, -0.3, 0.3, 'float32', seed));
  const task = describeTask(model.module.meta, model.info.outputs, config.loss);
  return { path: SPEC, graph, source, sources, module: model.module, info: model.info, task, config, weights, backend: 'cpu', device: 'test', history: HISTORY.slice() };
}

/** Two epochs as the page's worker records them. */
const HISTORY: EpochRecord[] = [1, 2].map((epoch) => ({
  epoch,
  step: epoch * 4,
  loss: 1 / epoch,
  metrics: { accuracy: 0.5 + epoch / 10, iou: [0.25, 0.5] },
  validation: { loss: 1.1 / epoch, metrics: { accuracy: 0.4 + epoch / 10 } },
  lr: 0.01,
  seconds: 2.5,
  imagesPerSecond: 12.8,
}));

function unzipTo(zip: Uint8Array, into: string): string[] {
  const files = unzipSync(zip);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), bytes);
  }
  return Object.keys(files).sort();
}

test('the download is a run folder: gnet predict gives the scores the model predicts, gnet export --format graph writes its tfjs/', async () => {
  const model = await currentModel(5);
  const into = tempDir('playground-download');
  const names = unzipTo(await downloadZip(model, importGenerated), into);
  const folder = join(into, folderName('Reference'));
  assert.equal(names, ['README.md', 'config.json', 'log.jsonl', 'model/model.json', 'model/model.ts', 'model/weights.bin', 'reference.gnet', 'sources.json', 'tfjs/README.md', 'tfjs/model.json', 'tfjs/weights.bin'].map((n) => `${folderName('Reference')}/${n}`));
  assert.is(readFileSync(join(folder, 'reference.gnet'), 'utf8'), readFileSync(SPEC, 'utf8'));
  assert.equal(readLog(join(folder, 'log.jsonl')), HISTORY, "log.jsonl reads back with the CLI's own reader");

  const images = [0, 1, 2].map((k) => {
    const png = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 28 * 28; i++) png.data.set([(i * (5 + k)) % 256, 0, 0, 255], 4 * i);
    const path = join(into, `digit-${k}.png`);
    writeFileSync(path, PNG.sync.write(png));
    return path;
  });
  const out = join(into, 'predicted');
  const printed = await captureOutput(() => predict(folder, images, { out, backend: 'cpu' }));
  assert.is(printed.code, 0, printed.stderr);
  const predicted = JSON.parse(readFileSync(join(out, 'predictions.json'), 'utf8')) as { scores: number[] }[];
  const own = await predictImages(model, images.map((path) => readImage(path, [28, 28, 1]).x));
  own.forEach((o, k) => {
    const difference = Math.max(...predicted[k]!.scores.map((s, i) => Math.abs(s - o.values[i]!)));
    assert.ok(difference < 1e-5, `image ${k}: gnet predict differs by ${difference}`);
  });

  const exported = join(into, 'exported');
  assert.is((await captureOutput(() => exportRun(folder, { format: 'graph', out: exported, backend: 'cpu' }))).code, 0);
  assert.ok(Buffer.from(readFileSync(join(exported, 'weights.bin'))).equals(readFileSync(join(folder, 'tfjs/weights.bin'))), 'the same graph weights');
  const topology = (dir: string) => (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology: unknown }).modelTopology;
  assert.equal(topology(join(folder, 'tfjs')), topology(exported), 'the same graph');
  tf.dispose(Object.values(model.weights));
});

test('the downloaded weights load back into a fresh model and predict the same; a wrong weights file is refused in words', async () => {
  const trained = await currentModel(5);
  const into = tempDir('playground-load');
  unzipTo(await downloadZip(trained, importGenerated), into);
  const folder = join(into, folderName('Reference'));
  const fresh = await currentModel(9);
  const json = JSON.parse(readFileSync(join(folder, 'model/model.json'), 'utf8')) as ModelJson;
  const bytes = new Uint8Array(readFileSync(join(folder, 'model/weights.bin')));
  const image = new Float32Array(28 * 28).map((_, i) => (i % 17) / 17);
  const before = (await predictImages(fresh, [image]))[0]!.values;
  assert.is(assignSaved(fresh.module, fresh.weights, json, bytes), undefined);
  const [expected, loaded] = [(await predictImages(trained, [image]))[0]!.values, (await predictImages(fresh, [image]))[0]!.values];
  assert.equal(Array.from(loaded), Array.from(expected));
  assert.not.equal(Array.from(before), Array.from(expected), 'the fresh model predicted otherwise before');
  assert.match(assignSaved(fresh.module, fresh.weights, json, bytes.slice(4)) ?? '', /^model\/weights\.bin holds \d+ bytes but model\/model\.json describes \d+; download the model again$/);
  tf.dispose([...Object.values(trained.weights), ...Object.values(fresh.weights)]);
});

test('the copy the page keeps of a model (to put back after a failed run) holds its weights, spec and log', async () => {
  const trained = await currentModel(5);
  const copy = await copyModel(trained);
  assert.is(copy.network, 'Reference');
  assert.is(copy.text, readFileSync(SPEC, 'utf8'));
  assert.equal(parseLog(copy.log), HISTORY);
  assert.equal(parseLog(`${copy.log}not json\n{"no": "epoch"}\n`), HISTORY, 'lines that are not epochs are skipped');
  const fresh = await currentModel(9);
  assert.is(assignSaved(fresh.module, fresh.weights, JSON.parse(copy.modelJson) as ModelJson, copy.weights), undefined);
  const image = new Float32Array(28 * 28).map((_, i) => (i % 13) / 13);
  assert.equal(Array.from((await predictImages(fresh, [image]))[0]!.values), Array.from((await predictImages(trained, [image]))[0]!.values));
  tf.dispose([...Object.values(trained.weights), ...Object.values(fresh.weights)]);
});

test.run();
