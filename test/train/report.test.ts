/** The report's pieces: SVG line plots, gauss kernel PNGs (against the Gaussian computed by hand), progress lines. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { divergingColour, drawGaussKernels } from '../../runtime/train/kernels-png.js';
import type { EpochRecord } from '../../runtime/train/log.js';
import type { GaussLayerInfo } from '../../runtime/train/model.js';
import { createProgress, epochLine, formatRate, formatSeconds } from '../../runtime/train/progress.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import { evaluate } from '../../runtime/train/evaluate.js';
import { buildLoss } from '../../runtime/train/losses.js';
import { classificationPredictions } from '../../runtime/train/predictions.js';
import { describeTask } from '../../runtime/train/targets.js';
import { curves, renderReport } from '../../runtime/train/report-html.js';
import { extent, linePlot, niceTicks, tickLabels } from '../../runtime/train/svg-plot.js';
import { useCpu } from './cpu.js';
import { CLASSIFIER_SPEC, SEGMENTER_SPEC, prepare, writeBarsDataset } from './fixtures.js';

await useCpu();

test('nice ticks step by 1, 2 or 5 × 10^k and cover the range', () => {
  assert.equal(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.equal(niceTicks(0.37, 2.9), [0.5, 1, 1.5, 2, 2.5]);
  assert.equal(niceTicks(1, 10), [2, 4, 6, 8, 10]);
  assert.equal(extent([3, 3]), [2.7, 3.3]);
  assert.equal(extent([]), [0, 1]);
  assert.equal(niceTicks(1, 3, 5, true), [1, 2, 3], 'epochs: whole numbers only');
  assert.equal(niceTicks(0.9, 1.1, 5, true), [1]);
  assert.equal(niceTicks(1, 40, 5, true), [10, 20, 30, 40]);
});

test('tick labels carry the digits that tell neighbours apart', () => {
  assert.equal(tickLabels(niceTicks(0.812, 0.826)), ['0.812', '0.814', '0.816', '0.818', '0.820', '0.822', '0.824', '0.826']);
  assert.equal(tickLabels([0.81, 0.82, 0.83]), ['0.81', '0.82', '0.83']);
  assert.equal(tickLabels([0, 0.5, 1, 1.5]), ['0.0', '0.5', '1.0', '1.5']);
  assert.equal(tickLabels([1, 2, 3]), ['1', '2', '3']);
  assert.equal(tickLabels([123450, 123460, 123470]), ['1.2345e+5', '1.2346e+5', '1.2347e+5']);
  assert.equal(tickLabels([0.0001, 0.0002]), ['1e-4', '2e-4']);
  for (const [low, high] of [[0.80001, 0.80004], [2.3, 2.30002], [1e-6, 3e-6], [-5, 5], [12345.6, 12346.1]] as const) {
    const labels = tickLabels(niceTicks(low, high));
    assert.is(new Set(labels).size, labels.length, labels.join(' '));
  }
});

test('a line plot maps data linearly into the frame, skips missing points and escapes text', () => {
  const svg = linePlot({ title: 'loss <train & val>', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'a"b', points: [[1, 0], [2, null], [3, 1]] }], width: 200, height: 100 });
  assert.ok(svg.includes('<title>loss &lt;train &amp; val&gt;</title>') && svg.includes('a&quot;b'));
  const [, points] = /<polyline[^>]*points="([^"]+)"/.exec(svg) ?? [];
  const coords = points!.split(' ').map((p) => p.split(',').map(Number));
  assert.is(coords.length, 2, 'the null point is skipped');
  // Margins: left 64, right 16, top 28 + one legend row of 16, bottom 40 → the frame is 120 × 16 from (64, 44);
  // x ticks 1…3 and y ticks 0…1 span it, 6 px inside its edges.
  assert.equal(coords, [[70, 54], [178, 50]]);
  assert.ok(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [] }] }).includes('no data yet'));
});

test('the legend sits above the frame, wrapping onto more rows when the names do not fit', () => {
  const frameTop = (svg: string) => Number(/<rect x="\d+" y="([\d.]+)"/.exec(svg)![1]);
  const legendYs = (svg: string) => [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)">(?:training|validation|a long series name \d)<\/text>/g)].map((m) => Number(m[1]));
  const two = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'training', points: [[1, 1]] }, { name: 'validation', points: [[1, 2]] }] });
  assert.equal(legendYs(two).length, 2);
  assert.ok(legendYs(two).every((y) => y < frameTop(two)), `legend ${legendYs(two)} above the frame at ${frameTop(two)}`);
  const many = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', width: 240, series: [1, 2, 3, 4].map((i) => ({ name: `a long series name ${i}`, points: [[1, i]] })) });
  assert.is(new Set(legendYs(many)).size, 4, 'one entry per row in a narrow plot');
  assert.ok(legendYs(many).every((y) => y < frameTop(many)));
});

test('curves: one plot for the loss, one per scalar metric (training and validation) and the learning rate', () => {
  const record = (epoch: number, loss: number): EpochRecord => ({ epoch, step: epoch * 10, loss, metrics: { accuracy: 1 - loss, iou: [0.5, 0.4] }, validation: { loss: loss + 0.1, metrics: { accuracy: 0.9 - loss } }, lr: 0.01, seconds: 1, imagesPerSecond: 100 });
  const plots = curves([record(1, 0.5), record(2, 0.3)]);
  assert.equal(plots.map((p) => /<title>([^<]+)<\/title>/.exec(p)![1]), ['Loss', 'accuracy', 'Learning rate']);
  assert.is(plots[1]!.match(/<polyline/g)!.length, 2);
});

const CONFIG = { epochs: 2, batch: 8, seed: 1, loss: [{ kind: 'crossentropy', weight: 1, output: null }], optimizer: { name: 'adam', lr: 0.01 }, schedule: { kind: 'constant' }, weightDecay: 0, clipNorm: null, clipValue: null } as unknown as TrainConfig;

test('renderReport names the backend and its device, and shows a classification run’s confusion matrix and samples', () => {
  const base = { network: 'Net', specFile: 'net.gnet', status: 'completed', config: CONFIG, dataSource: 'bars', history: [], params: null, kernels: [], panels: [] };
  const plain = renderReport({ ...base, backend: 'wasm' });
  assert.ok(plain.includes('backend <b>wasm</b></p>'), 'the backend without a device');
  assert.not.ok(plain.includes('id="predictions"'));
  const sample = (predicted: number, truth: number) => ({ image: 'data:image/png;base64,AAAA', predicted, truth, probability: 0.75 });
  const html = renderReport({
    ...base,
    backend: 'webgpu',
    device: 'llvmpipe <LLVM 15> (software)',
    predictions: { classNames: ['T-shirt/top', 'Trouser'], confusion: { classes: 2, counts: [3, 1, 0, 4] }, images: 8, split: 'validation', samples: [sample(0, 0), sample(1, 0)] },
  });
  assert.ok(html.includes('backend <b>webgpu</b> on llvmpipe &lt;LLVM 15&gt; (software)'));
  assert.ok(html.includes('<h2 id="predictions">Predictions</h2>') && html.includes('over 8 validation images') && html.includes('7 correct (87.5 %)'));
  assert.ok(html.includes('<th>T-shirt/top</th><th>Trouser</th>'));
  const cells = [...html.matchAll(/title="true ([^,]+), predicted ([^:]+): (\d+)">/g)].map((m) => `${m[1]}→${m[2]}=${m[3]}`);
  assert.equal(cells, ['T-shirt/top→T-shirt/top=3', 'T-shirt/top→Trouser=1', 'Trouser→T-shirt/top=0', 'Trouser→Trouser=4']);
  assert.ok(html.includes('<span class="right">predicted T-shirt/top (75 %)</span><br>true T-shirt/top'));
  assert.ok(html.includes('<span class="wrong">predicted Trouser (75 %)</span><br>true T-shirt/top'));
});

test('classification predictions: the confusion matrix evaluate() counts, labelled samples, names from the data or by number', async () => {
  const { spec, config, data } = await prepare(CLASSIFIER_SPEC(`mnist:${writeBarsDataset(30)}`));
  const { module, info } = spec.model;
  const task = describeTask(module.meta, info.outputs, config.loss);
  const weights = module.createWeights(3);
  try {
    const shown = await classificationPredictions(module, weights, task, data.train, ['top', 'bottom', 'left'], { samples: 5, batch: 7 });
    const reference = await evaluate({ module, weights, task, loss: buildLoss(config.loss, task), metrics: ['accuracy'], batch: 8 }, data.train);
    assert.equal(shown!.confusion, reference.confusion);
    assert.equal([shown!.images, shown!.split], [data.train.size, 'validation']);
    assert.equal(shown!.classNames, ['top', 'bottom', 'left']);
    assert.is(shown!.samples.length, 5);
    const [first] = data.train.batches(5);
    assert.equal(shown!.samples.map((s) => s.truth), Array.from(first!.y));
    for (const sample of shown!.samples) {
      assert.ok(sample.probability! > 0 && sample.probability! <= 1 && sample.predicted >= 0 && sample.predicted < 3);
      const png = PNG.sync.read(Buffer.from(sample.image.replace('data:image/png;base64,', ''), 'base64'));
      assert.equal([png.width, png.height], [84, 84], '12 px images scaled ×7');
    }
    const capped = await classificationPredictions(module, weights, task, data.train, undefined, { limit: 10, samples: 20 });
    assert.equal([capped!.images, capped!.samples.length, capped!.confusion.counts.reduce((a, b) => a + b, 0)], [10, 10, 10]);
    assert.equal(capped!.classNames, ['class 0', 'class 1', 'class 2']);
  } finally {
    tf.dispose(Object.values(weights));
  }
  const segmenter = await prepare(SEGMENTER_SPEC());
  const segTask = describeTask(segmenter.spec.model.module.meta, segmenter.spec.model.info.outputs, segmenter.config.loss);
  assert.is(await classificationPredictions(segmenter.spec.model.module, {}, segTask, segmenter.data.train, undefined), null, 'segmentation has mask panels instead');
});

test('a gauss kernel drawn as a PNG matches the Gaussian computed by hand', async () => {
  // One basis of order 0, σ = (1, 2), μ = 0, θ = 0: G(x) = exp(−x²/2) · exp(−y²/8) / (2π · 1 · 2), peak at the centre.
  const weights = {
    'g/sigma': tf.variable(tf.tensor3d([1, 2], [1, 1, 2])),
    'g/mu': tf.variable(tf.zeros([1, 1, 2])),
    'g/theta': tf.variable(tf.zeros([1, 1, 1])),
  };
  const layer: GaussLayerInfo = { node: 'g', weightPrefix: 'g', bias: false, config: { order: 0, bases: 1, size: [5, 3], stride: [1, 1], padding: 'same', mix: 'full', isotropic: false, lowering: 'combined' } };
  const image = await drawGaussKernels(layer, weights, 2);
  const png = PNG.sync.read(Buffer.from(image.png));
  assert.equal([png.width, png.height, image.bases, image.perBasis], [(3 + 2) * 2, (5 + 2) * 2, 1, 1]);
  const pixel = (row: number, column: number) => Array.from(png.data.subarray(4 * ((2 * (1 + row)) * png.width + 2 * (1 + column)), 4 * ((2 * (1 + row)) * png.width + 2 * (1 + column)) + 3));
  const gaussian = (x: number, y: number) => Math.exp(-(x * x) / 2 - (y * y) / 8);
  for (const [row, column] of [[2, 1], [0, 0], [4, 2], [1, 2]] as const) {
    const relative = gaussian(column - 1, row - 2) / gaussian(0, 0);
    assert.equal(pixel(row, column), divergingColour(relative), `cell (${row}, ${column})`);
  }
  assert.equal(divergingColour(1), [255, 0, 0]);
  assert.equal(divergingColour(-0.5), [128, 128, 255]);
  assert.ok(image.dataUrl.startsWith('data:image/png;base64,'));
  tf.dispose(Object.values(weights));
});

test('progress: plain lines off a terminal, a cli-progress bar on one', () => {
  const sink = (isTTY: boolean) => {
    const stream = { isTTY, columns: 120, text: '', write(s: string) { this.text += s; return true; }, cursorTo() { return true; }, clearLine() { return true; }, moveCursor() { return true; }, on() { return this; }, removeListener() { return this; } };
    return { stream, progress: createProgress(stream as unknown as NodeJS.WriteStream) };
  };
  const record: EpochRecord = { epoch: 1, step: 10, loss: 0.25, metrics: { accuracy: 0.9 }, validation: { loss: 0.3, metrics: { accuracy: 0.85 } }, lr: 0.01, seconds: 2, imagesPerSecond: 450 };
  for (const isTTY of [false, true]) {
    const { stream, progress } = sink(isTTY);
    progress.start({ epoch: 0, stepInEpoch: 0, epochs: 2, stepsPerEpoch: 10 });
    for (let step = 1; step <= 10; step++) progress.step({ epoch: 0, stepInEpoch: step, step, loss: 0.25, batchLoss: 0.25, images: 45, metric: { name: 'accuracy', value: 0.9 }, imagesPerSecond: 450, lr: 0.01 });
    progress.epoch(record);
    progress.stop();
    assert.ok(stream.text.includes('epoch 1/2') && stream.text.includes('loss 0.2500') && stream.text.includes('accuracy 0.9000') && stream.text.includes('450 img/s') && stream.text.includes('ETA'), stream.text);
    assert.ok(stream.text.includes(epochLine(record)));
  }
  assert.is(epochLine(record), 'epoch 1: loss 0.2500 accuracy 0.9000 | val loss 0.3000 accuracy 0.8500 | lr 0.0100 | 2.0 s, 450 img/s');
  assert.equal([formatSeconds(42), formatSeconds(125), formatSeconds(7322)], ['42s', '2m05s', '2h02m']);
  assert.equal([formatRate(0.44), formatRate(9.96), formatRate(123.4)], ['0.4', '10.0', '123']);
});

test.run();
