import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type SampleTransform, resolveAugment, sourcePixel, windowStart } from '../../runtime/data/augment.js';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { makeDataset } from '../../runtime/data/dataset.js';
import { seededRandom } from '../../runtime/data/random.js';
import type { SampleStore } from '../../runtime/data/types.js';
import { throwsGnet } from './helpers.js';

const turn = (quarterTurns: number, flips: Partial<SampleTransform> = {}): SampleTransform => ({
  top: 0, left: 0, flipHorizontal: false, flipVertical: false, quarterTurns, ...flips,
});
const S = 5;

test('a quarter turn is counter-clockwise: the top-right corner comes to the top-left', () => {
  assert.equal(sourcePixel(0, 0, turn(1), S, S), [0, S - 1]);
  assert.equal(sourcePixel(S - 1, 0, turn(1), S, S), [0, 0]);
});

test('four quarter turns are the identity; two equal both flips', () => {
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let p: [number, number] = [y, x];
      for (let k = 0; k < 4; k++) p = sourcePixel(p[0], p[1], turn(1), S, S);
      assert.equal(p, [y, x]);
      assert.equal(sourcePixel(y, x, turn(2), S, S), sourcePixel(y, x, turn(0, { flipHorizontal: true, flipVertical: true }), S, S));
    }
  }
});

test('the window is centred by default and random within its slack otherwise', () => {
  assert.is(windowStart(28, 32), -2);
  assert.is(windowStart(40, 32), 4);
  assert.is(windowStart(29, 32), -1);
  const random = seededRandom(1);
  const starts = new Set(Array.from({ length: 200 }, () => windowStart(40, 32, random)));
  assert.equal([...starts].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const shifts = new Set(Array.from({ length: 200 }, () => windowStart(28, 32, random)));
  assert.equal([...shifts].sort((a, b) => a - b), [-4, -3, -2, -1, 0]);
});

/** Channel whose threshold gives the mask: the green one of RGB images. */
const maskChannel = (channels: number) => (channels > 1 ? 1 : 0);

/** Random-looking images whose mask is the image thresholded at 128. */
function thresholdStore(height: number, width: number, channels: number): SampleStore {
  const count = 4;
  const random = seededRandom(77);
  const pixels = Uint8Array.from({ length: count * height * width * channels }, () => Math.floor(random() * 256));
  const labels = Uint8Array.from({ length: count * height * width }, (_, i) => (pixels[i * channels + maskChannel(channels)] > 128 ? 1 : 0));
  return { count, imageShape: [height, width, channels], pixels, labels, task: 'segmentation' };
}

test('image and mask stay aligned through crops, padding, flips and turns', () => {
  for (const [source, channels] of [[[40, 48], 1], [[24, 20], 3], [[32, 32], 3]] as const) {
    const store = thresholdStore(source[0], source[1], channels);
    const dataset = makeDataset(store, Int32Array.from([0, 1, 2, 3]), [32, 32, channels]);
    const channel = maskChannel(channels);
    let kept = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const batch of dataset.batches(2, { shuffle: true, seed: 3, epoch, augment: true })) {
        batch.y.forEach((label, p) => {
          const value = Math.round(batch.x[p * channels + channel] * 255);
          assert.is(label, value > 128 ? 1 : 0, `pixel ${p}`);
          if (value > 0) kept++;
        });
      }
    }
    assert.ok(kept > 0);
  }
});

test('augmentation changes the batches but is fixed by (seed, epoch)', () => {
  const store = thresholdStore(40, 48, 1);
  const dataset = makeDataset(store, Int32Array.from([0, 1, 2, 3]), [32, 32, 1]);
  const pixels = (seed: number, epoch: number, augment: boolean) => [...dataset.batches(4, { seed, epoch, augment })][0].x.join();
  assert.is(pixels(1, 0, true), pixels(1, 0, true));
  assert.is.not(pixels(1, 0, true), pixels(1, 1, true));
  assert.is.not(pixels(1, 0, true), pixels(1, 0, false));
});

test('rotate90 on a non-square input: GN7008', () => {
  throwsGnet(() => resolveAugment({ rotate90: true }, 'segmentation', [32, 48, 1]), DATA_ERRORS.badOption, 'square', '32×48');
  assert.is(resolveAugment(true, 'segmentation', [32, 48, 1])?.rotate90, false);
  assert.is(resolveAugment(true, 'segmentation', [32, 32, 1])?.rotate90, true);
  assert.is(resolveAugment(false, 'segmentation', [32, 32, 1]), null);
});

test.run();
