/**
 * The playground's speed and time-left estimate (web/playground/train-clock.ts) on made-up arrival
 * times: the first step's compilation, pauses and validation passes must not skew it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, formatRate, TrainClock } from '../../web/playground/train-clock.js';

/** A clock started at 0 ms, fed steps of `images` at the given arrival times. */
function clockAfter(times: readonly number[], run = { epochs: 2, stepsPerEpoch: 10 }, images = 4): TrainClock {
  const clock = new TrainClock(run, 0);
  for (const at of times) clock.step(images, at);
  return clock;
}

test('no speed before the first step; the first step alone gives one', () => {
  assert.is(new TrainClock({ epochs: 1, stepsPerEpoch: 5 }, 0).imagesPerSecond(), undefined);
  assert.is(new TrainClock({ epochs: 1, stepsPerEpoch: 5 }, 0).secondsLeft(), undefined);
  const clock = clockAfter([2000], { epochs: 1, stepsPerEpoch: 5 });
  assert.is(clock.imagesPerSecond(), 2, '4 images in 2 s');
  assert.is(clock.secondsLeft(), 8, '4 steps left at 2 s');
});

test('a slow first step (shader compilation) is left out once later steps are timed', () => {
  // First step 60 s, then one step every 500 ms.
  const clock = clockAfter([60_000, 60_500, 61_000, 61_500, 62_000]);
  assert.is(clock.imagesPerSecond(), 8, '4 images per 0.5 s');
  assert.is(clock.secondsLeft(), 15 * 0.5, '15 of 20 steps left');
});

test('a pause does not count as training time', () => {
  const clock = new TrainClock({ epochs: 1, stepsPerEpoch: 10 }, 0);
  for (const at of [1000, 2000, 3000]) clock.step(4, at);
  clock.pause();
  clock.resume(100_000);
  clock.step(4, 101_000);
  assert.is(clock.imagesPerSecond(), 4);
  assert.is(clock.secondsLeft(), 6);
});

test("an epoch's end (validation) is timed apart from the steps and counted once per epoch left", () => {
  const clock = new TrainClock({ epochs: 3, stepsPerEpoch: 2 }, 0);
  clock.step(4, 1000);
  clock.step(4, 2000);
  clock.epoch(2000);
  // Validation took 5 s before the next step's 1 s.
  clock.step(4, 8000);
  assert.is(clock.imagesPerSecond(), 4, 'the step that waited for validation is not a training step');
  // 3 steps of 1 s and two epoch ends of 5 s each.
  assert.is(clock.secondsLeft(), 3 + 2 * 5);
});

test('durations and rates read as a person would say them', () => {
  assert.equal([0.2, 40.4, 59, 61, 150, 3599, 3600, 4800].map(formatDuration), ['1 s', '40 s', '59 s', '1 min', '3 min', '1 h', '1 h', '1 h 20 min']);
  assert.equal([0.5678, 8.44, 12.34, 150.2].map(formatRate), ['0.57', '8.4', '12.3', '150']);
});

test.run();
