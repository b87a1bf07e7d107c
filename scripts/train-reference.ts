/**
 * Trains the reference network (specs/reference.gnet: Fashion-MNIST, 45 000 training images after the
 * 25 % validation split, batch 45, Adam 0.01, 2 epochs) and prints its validation accuracy, the time
 * per epoch and the images per second: the figures docs/gauss-layer.md §8 compares with (≈ 78 %).
 * Usage: tsx scripts/train-reference.ts [--backend wasm] [--epochs 2] [--train-size N] [--out DIR]
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { train } from '../cli/commands/train.js';
import { readLog } from '../runtime/train/log.js';

const { values } = parseArgs({
  options: {
    spec: { type: 'string', default: new URL('../specs/reference.gnet', import.meta.url).pathname },
    backend: { type: 'string', default: 'wasm' },
    epochs: { type: 'string', default: '2' },
    'train-size': { type: 'string' },
    out: { type: 'string', default: join('runs', `reference-${Date.now().toString(36)}`) },
  },
});

const code = await train(values.spec!, {
  backend: values.backend!,
  data: 'fashion-mnist',
  epochs: Number(values.epochs),
  trainSize: values['train-size'] === undefined ? undefined : Number(values['train-size']),
  out: values.out,
});
if (code !== 0) process.exit(code);

const log = readLog(join(values.out!, 'log.jsonl'));
for (const r of log) {
  const accuracy = r.validation?.metrics.accuracy;
  console.log(`epoch ${r.epoch}: validation accuracy ${typeof accuracy === 'number' ? (100 * accuracy).toFixed(2) : '–'} %, loss ${r.loss.toFixed(4)}, ${r.seconds.toFixed(0)} s, ${r.imagesPerSecond.toFixed(0)} images/s`);
}
const last = log.at(-1)!;
console.log(JSON.stringify({ validationAccuracy: last.validation?.metrics.accuracy, secondsPerEpoch: log.map((r) => r.seconds), imagesPerSecond: log.map((r) => r.imagesPerSecond), run: values.out }));
