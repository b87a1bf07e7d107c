/** The training configuration: section + flags + defaults, and every kind of bad setting. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULTS, OPTIMIZERS, resolveConfig, resumeConfig } from '../../runtime/train/config.js';
import { throwsGnet } from '../data/helpers.js';

const NET = 'Net';

test('a section as the compiler hands it over, completed with defaults', () => {
  const config = resolveConfig({ data: 'fashion-mnist', loss: 'crossentropy', optimizer: { name: 'adam', lr: 0.01 }, epochs: 2, batch: 45, metrics: ['accuracy'] }, {}, NET);
  assert.equal(config.optimizer, { name: 'adam', ...OPTIMIZERS.adam, lr: 0.01 });
  assert.is(config.epochs, 2);
  assert.is(config.batch, 45);
  assert.equal(config.loss, [{ kind: 'crossentropy', output: null, weight: 1, smooth: 1 }]);
  assert.is(config.validationSplit, DEFAULTS.validationSplit);
  assert.equal(config.schedule, { kind: 'constant' });
});

test('flags override the section; --lr keeps the optimiser, --optimizer switches to its defaults', () => {
  const section = { data: 'fashion-mnist', optimizer: { name: 'adam', lr: 0.01, beta1: 0.8 }, epochs: 2 };
  const same = resolveConfig(section, { lr: 0.5, epochs: 4, data: 'synthetic-cells:10' }, NET);
  assert.equal([same.optimizer.lr, same.epochs, same.data], [0.5, 4, 'synthetic-cells:10']);
  assert.is((same.optimizer as { beta1: number }).beta1, 0.8);
  const switched = resolveConfig(section, { optimizer: 'sgd' }, NET);
  assert.equal(switched.optimizer, { name: 'sgd', ...OPTIMIZERS.sgd });
  assert.is(resolveConfig(section, { optimizer: 'sgd', lr: 0.2 }, NET).optimizer.lr, 0.2);
});

test('losses: a word, a call, a weighted list with deep supervision on another output', () => {
  const config = resolveConfig({ data: 'x', loss: ['crossentropy', { name: 'dice', weight: 0.5, smooth: 2 }, { name: 'bce', on: 'aux', weight: 0.3 }] }, {}, NET);
  assert.equal(config.loss, [
    { kind: 'crossentropy', output: null, weight: 1, smooth: 1 },
    { kind: 'dice', output: null, weight: 0.5, smooth: 2 },
    { kind: 'binary_crossentropy', output: 'aux', weight: 0.3, smooth: 1 },
  ]);
});

test('schedules, regularisation and the other settings', () => {
  const config = resolveConfig(
    { data: 'x', schedule: { name: 'cosine', alpha: 0.1, steps: 500 }, weight_decay: 1e-4, clip_norm: 5, clip_value: 1, validation_split: 0, train_size: 1000, augment: true, checkpoint_every: 50, seed: 3, metrics: ['accuracy', 'miou', 'iou', 'dice'] },
    {},
    NET,
  );
  assert.equal(config.schedule, { kind: 'cosine', alpha: 0.1, steps: 500 });
  assert.equal([config.weightDecay, config.clipNorm, config.clipValue, config.validationSplit, config.trainSize, config.augment, config.checkpointEvery, config.seed], [1e-4, 5, 1, 0, 1000, true, 50, 3]);
  assert.equal(resolveConfig({ data: 'x', schedule: { name: 'step', every: 3 } }, {}, NET).schedule, { kind: 'step', every: 3, factor: 0.1 });
});

test('every train-section key has a flag, read with the same rules and clear errors', () => {
  const section = { data: 'x', metrics: ['accuracy'], augment: true };
  const config = resolveConfig(section, {
    schedule: 'cosine(alpha = 0.1, steps = 500)', metrics: 'accuracy, miou', loss: 'crossentropy, dice(weight = 0.5)', validationSplit: 0.1,
    augment: false, weightDecay: 1e-4, clipNorm: 5, clipValue: 1,
  }, NET);
  assert.equal(config.schedule, { kind: 'cosine', alpha: 0.1, steps: 500 });
  assert.equal(config.metrics, ['accuracy', 'miou']);
  assert.equal(config.loss.map((t) => [t.kind, t.weight]), [['crossentropy', 1], ['dice', 0.5]]);
  assert.equal([config.validationSplit, config.augment, config.weightDecay, config.clipNorm, config.clipValue], [0.1, false, 1e-4, 5, 1]);
  assert.equal(resolveConfig(section, { schedule: 'cosine_paper' }, NET).schedule, { kind: 'cosine_paper', alpha: 0, steps: null });
  assert.is(resolveConfig(section, {}, NET).augment, true, 'no flag: the section holds');
  throwsGnet(() => resolveConfig(section, { schedule: 'cosin' }, NET), 'GN0704', '--schedule', 'did you mean `cosine`');
  throwsGnet(() => resolveConfig(section, { schedule: 'cosine(alpha = 2)' }, NET), 'GN0703', '--schedule cosine.alpha must be a number ≥ 0 and ≤ 1, got 2');
  throwsGnet(() => resolveConfig(section, { schedule: 'cosine(alpha 2' }, NET), 'GN0703', '--schedule must be');
  throwsGnet(() => resolveConfig(section, { schedule: 'step(size = 3)' }, NET), 'GN0702', 'unknown setting `size`', 'every, factor');
  throwsGnet(() => resolveConfig(section, { metrics: 'accuracy,mIoU' }, NET), 'GN0704', '--metrics', 'unknown metric `mIoU`', 'did you mean `miou`');
  throwsGnet(() => resolveConfig(section, { metrics: 'accuracy,' }, NET), 'GN0703', '--metrics must be');
  throwsGnet(() => resolveConfig(section, { validationSplit: 1 }, NET), 'GN0703', '--validation-split must be a number ≥ 0 and < 1, got 1');
  throwsGnet(() => resolveConfig(section, { clipNorm: 0 }, NET), 'GN0703', '--clip-norm must be a number > 0');
});

test('--resume refuses the new flags when they would change the run (GN0705)', () => {
  const saved = resolveConfig({ data: 'x', schedule: { name: 'cosine', alpha: 0.1 } }, {}, NET);
  assert.equal(resumeConfig(saved, { schedule: 'cosine(alpha = 0.1)', epochs: 20 }, 'runs/a').epochs, 20, 'the same value is accepted');
  throwsGnet(() => resumeConfig(saved, { schedule: 'constant' }, 'runs/a'), 'GN0705', '--schedule differs', 'runs/a');
  throwsGnet(() => resumeConfig(saved, { augment: true }, 'runs/a'), 'GN0705', '--augment differs');
});

test('an unknown setting names the valid ones and suggests the nearest (GN0702)', () => {
  throwsGnet(() => resolveConfig({ data: 'x', epoch: 3 }, {}, NET), 'GN0702', 'unknown setting `epoch`', 'did you mean `epochs`', 'valid settings: data, loss');
  throwsGnet(() => resolveConfig({ data: 'x', optimizer: { name: 'adam', learning_rate: 0.1 } }, {}, NET), 'GN0702', '`learning_rate`', 'lr, beta1, beta2, epsilon');
  throwsGnet(() => resolveConfig({ data: 'x', loss: { name: 'crossentropy', smooth: 1 } }, {}, NET), 'GN0702', '`smooth`', 'on, weight');
});

test('unknown optimiser, loss, metric and schedule names list the valid ones (GN0704)', () => {
  throwsGnet(() => resolveConfig({ data: 'x', optimizer: 'adamw' }, {}, NET), 'GN0704', 'unknown optimizer `adamw`', 'did you mean `adam`', 'sgd, rmsprop, adam, adagrad, adadelta');
  throwsGnet(() => resolveConfig({ data: 'x', loss: 'mse' }, {}, NET), 'GN0704', 'unknown loss `mse`', 'crossentropy, binary_crossentropy, dice');
  throwsGnet(() => resolveConfig({ data: 'x', metrics: ['accuracy', 'iuo'] }, {}, NET), 'GN0704', '`iuo`', 'did you mean `iou`');
  throwsGnet(() => resolveConfig({ data: 'x', schedule: 'linear' }, {}, NET), 'GN0704', 'unknown schedule `linear`', 'constant, step, cosine, cosine_paper');
  throwsGnet(() => resolveConfig({ data: 'x' }, { optimizer: 'nadam' }, NET), 'GN0704', '--optimizer', '`nadam`');
  throwsGnet(() => resolveConfig({ data: 'x', optimizer: 'constructor' }, {}, NET), 'GN0704', '`constructor`');
  throwsGnet(() => resolveConfig({ data: 'x', toString: 1 }, {}, NET), 'GN0702', '`toString`');
});

test('values of the wrong type or out of range say what was expected (GN0703)', () => {
  throwsGnet(() => resolveConfig({ data: 'x', epochs: 0 }, {}, NET), 'GN0703', 'train.epochs of network Net', 'an integer ≥ 1', 'got 0');
  throwsGnet(() => resolveConfig({ data: 'x', batch: 2.5 }, {}, NET), 'GN0703', 'train.batch');
  throwsGnet(() => resolveConfig({ data: 'x', validation_split: 1 }, {}, NET), 'GN0703', '< 1');
  throwsGnet(() => resolveConfig({ data: 'x', augment: 'yes' }, {}, NET), 'GN0703', '`true` or `false`');
  throwsGnet(() => resolveConfig({ data: 'x', optimizer: { name: 'sgd', lr: -1 } }, {}, NET), 'GN0703', 'lr', '> 0');
  throwsGnet(() => resolveConfig({ data: 'x' }, { batch: 0 }, NET), 'GN0703', '--batch');
  throwsGnet(() => resolveConfig({ data: 'x', optimizer: { name: 'adam', beta1: 1.5 } }, {}, NET), 'GN0703', 'beta1', '< 1');
  throwsGnet(() => resolveConfig({ epochs: 1 }, {}, NET), 'GN0703', 'no training data', '--data');
});

test('--resume keeps the saved configuration; only --epochs and --checkpoint-every may change (GN0705)', () => {
  const saved = resolveConfig({ data: 'x', epochs: 2, optimizer: { name: 'adam', lr: 0.01 } }, {}, NET);
  assert.equal(resumeConfig(saved, { epochs: 5, checkpointEvery: 3, lr: 0.01, data: 'x' }, 'runs/a'), { ...saved, epochs: 5, checkpointEvery: 3 });
  throwsGnet(() => resumeConfig(saved, { lr: 0.1 }, 'runs/a'), 'GN0705', '--lr 0.1', '0.01', 'runs/a');
  throwsGnet(() => resumeConfig(saved, { batch: 8 }, 'runs/a'), 'GN0705', '--batch');
});

test('the watched metric (--keep-best): the first one-number metric by default, one the run computes, never the per-class iou', () => {
  assert.is(resolveConfig({ data: 'x' }, {}, NET).keepBest, 'accuracy');
  assert.is(resolveConfig({ data: 'x', metrics: ['iou', 'dice'] }, {}, NET).keepBest, 'dice');
  assert.is(resolveConfig({ data: 'x', metrics: ['iou'] }, {}, NET).keepBest, 'loss');
  const set = resolveConfig({ data: 'x', metrics: ['accuracy', 'miou'], keep_best: 'miou', keep_checkpoints: 3, early_stop: 4, min_delta: 0.01 }, {}, NET);
  assert.equal([set.keepBest, set.keepCheckpoints, set.earlyStop, set.minDelta], ['miou', 3, 4, 0.01]);
  const flags = resolveConfig({ data: 'x' }, { keepBest: 'loss', keepCheckpoints: 1, earlyStop: 2, minDelta: 0.5 }, NET);
  assert.equal([flags.keepBest, flags.keepCheckpoints, flags.earlyStop, flags.minDelta], ['loss', 1, 2, 0.5]);
  assert.equal([DEFAULTS.keepCheckpoints, DEFAULTS.earlyStop, DEFAULTS.minDelta], [2, null, 0]);
  throwsGnet(() => resolveConfig({ data: 'x', metrics: ['iou'] }, { keepBest: 'iou' }, NET), 'GN0703', '--keep-best', 'per class', 'miou');
  throwsGnet(() => resolveConfig({ data: 'x' }, { keepBest: 'dice' }, NET), 'GN0703', '--keep-best', 'dice is not among the metrics of this run (loss, accuracy)');
  throwsGnet(() => resolveConfig({ data: 'x', keep_best: 'f1' }, {}, NET), 'GN0704', 'train.keep_best', '`f1`', 'loss, accuracy, miou, dice');
  throwsGnet(() => resolveConfig({ data: 'x' }, { keepCheckpoints: 0 }, NET), 'GN0703', '--keep-checkpoints');
});

test('--resume may change what is kept and the early stopping; a run saved before these settings gets their defaults', () => {
  const saved = resolveConfig({ data: 'x', metrics: ['accuracy', 'miou'] }, {}, NET);
  assert.equal(resumeConfig(saved, { keepCheckpoints: 5, keepBest: 'miou', earlyStop: 3, minDelta: 0.1 }, 'runs/a'), { ...saved, keepCheckpoints: 5, keepBest: 'miou', earlyStop: 3, minDelta: 0.1 });
  const { keepCheckpoints, keepBest, earlyStop, minDelta, ...older } = saved;
  assert.equal(resumeConfig(older as typeof saved, {}, 'runs/a'), saved);
  throwsGnet(() => resumeConfig(saved, { keepBest: 'dice' }, 'runs/a'), 'GN0703', 'dice is not among');
});

test.run();
