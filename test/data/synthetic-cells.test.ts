import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { type CellsOptions, generateCell, generateCellsStore } from '../../runtime/data/synthetic-cells.js';
import { throwsGnet } from './helpers.js';

const options: CellsOptions = { height: 64, width: 64, channels: 1, classes: 3, seed: 11 };

/** 8-neighbours of (y, x) that lie inside the image. */
function* neighbours(y: number, x: number, height: number, width: number): Generator<number> {
  for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
    for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) if (ny !== y || nx !== x) yield ny * width + nx;
  }
}

test('deterministic for a seed; another seed gives other images', () => {
  const a = generateCell(options, 3);
  const b = generateCell(options, 3);
  assert.equal([a.image.join(), a.mask.join()], [b.image.join(), b.mask.join()]);
  assert.is.not(generateCell({ ...options, seed: 12 }, 3).image.join(), a.image.join());
  assert.is.not(generateCell(options, 4).image.join(), a.image.join());
});

test('image i does not depend on how many are generated or where the range starts', () => {
  const big = generateCellsStore(options, 5);
  const tail = generateCellsStore(options, 2, 3);
  const size = 64 * 64;
  assert.equal([...big.pixels.subarray(3 * size)], [...tail.pixels]);
  assert.equal([...big.labels.subarray(3 * size)], [...tail.labels]);
});

test('3-class masks: the boundary is exactly the nucleus pixels that touch another instance', () => {
  for (const [height, width] of [[64, 64], [48, 80]]) {
    for (let index = 0; index < 6; index++) {
      const { mask, instances } = generateCell({ ...options, height, width }, index);
      let boundary = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = y * width + x;
          const touches = [...neighbours(y, x, height, width)].some((q) => instances[q] !== instances[p]);
          const expected = instances[p] === 0 ? 0 : touches ? 2 : 1;
          assert.is(mask[p], expected, `pixel (${y}, ${x}) of image ${index}`);
          if (expected === 2) boundary++;
        }
      }
      assert.ok(boundary > 0, `image ${index} has boundary pixels`);
    }
  }
});

test('2-class masks are the 3-class masks with boundary folded into nucleus', () => {
  for (let index = 0; index < 4; index++) {
    const three = generateCell(options, index);
    const two = generateCell({ ...options, classes: 2 }, index);
    assert.equal([...two.mask], Array.from(three.mask, (v) => (v > 0 ? 1 : 0)));
    assert.is(two.image.join(), three.image.join());
  }
});

test('nuclei touch in some images and cover a plausible share of the field', () => {
  let touching = 0;
  for (let index = 0; index < 10; index++) {
    const { instances } = generateCell({ ...options, height: 96, width: 96 }, index);
    let meets = false;
    let covered = 0;
    for (let p = 0; p < instances.length; p++) {
      if (instances[p] > 0) covered++;
      const right = (p + 1) % 96 !== 0 ? instances[p + 1] : 0;
      if (instances[p] > 0 && right > 0 && right !== instances[p]) meets = true;
    }
    if (meets) touching++;
    const share = covered / instances.length;
    assert.ok(share > 0.05 && share < 0.6, `coverage ${share}`);
  }
  assert.ok(touching >= 3, `${touching} of 10 images have touching nuclei`);
});

/** Otsu's threshold from the histogram, written out independently of the generator. */
function otsuThreshold(image: Uint8Array): number {
  const histogram = new Array(256).fill(0);
  for (const v of image) histogram[v]++;
  const total = image.length;
  const sumAll = histogram.reduce((s, h, v) => s + h * v, 0);
  let [weightBelow, sumBelow, best, threshold] = [0, 0, -1, 0];
  for (let v = 0; v < 255; v++) {
    weightBelow += histogram[v];
    sumBelow += v * histogram[v];
    const weightAbove = total - weightBelow;
    if (weightBelow === 0 || weightAbove === 0) continue;
    const between = weightBelow * weightAbove * (sumBelow / weightBelow - (sumAll - sumBelow) / weightAbove) ** 2;
    if (between > best) [best, threshold] = [between, v];
  }
  return threshold;
}

test('learnable but not trivial: a global threshold finds nuclei only roughly', () => {
  const ious = Array.from({ length: 12 }, (_, index) => {
    const { image, mask } = generateCell({ ...options, height: 96, width: 96 }, index);
    const t = otsuThreshold(image);
    let [both, either] = [0, 0];
    mask.forEach((m, p) => {
      const predicted = image[p] > t;
      if (predicted && m > 0) both++;
      if (predicted || m > 0) either++;
    });
    return both / either;
  });
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  assert.ok(mean > 0.6 && mean < 0.95, `mean Otsu IoU ${mean}`);
});

test('3 channels: same nuclei as 1 channel, stained blue like DAPI', () => {
  const gray = generateCell(options, 2);
  const rgb = generateCell({ ...options, channels: 3 }, 2);
  assert.equal([...rgb.mask], [...gray.mask]);
  assert.is(rgb.image.length, 3 * gray.mask.length);
  const meanInNuclei = (channel: number) => {
    let [sum, n] = [0, 0];
    rgb.mask.forEach((m, p) => {
      if (m > 0) [sum, n] = [sum + rgb.image[3 * p + channel], n + 1];
    });
    return sum / n;
  };
  assert.ok(meanInNuclei(2) > meanInNuclei(0), `blue ${meanInNuclei(2)} vs red ${meanInNuclei(0)}`);
});

test('bad options: GN7008 for classes, GN7006 for channels or tiny sizes', () => {
  throwsGnet(() => generateCellsStore({ ...options, classes: 4 }, 1), DATA_ERRORS.badOption, '2 or 3');
  throwsGnet(() => generateCellsStore({ ...options, channels: 2 }, 1), DATA_ERRORS.shapeMismatch, '1- or 3-channel');
  throwsGnet(() => generateCellsStore({ ...options, height: 4 }, 1), DATA_ERRORS.shapeMismatch, '8×8');
});

test.run();
