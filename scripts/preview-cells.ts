/**
 * Writes a PNG grid of synthetic-cells samples: images in the top row, their masks below
 * (black background, gray nucleus, white boundary).
 * Usage: tsx scripts/preview-cells.ts OUT.png [--size 128] [--channels 3] [--classes 3] [--count 4] [--seed N]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { SYNTHETIC_CELLS_SEED, checkCellsOptions, generateCell } from '../runtime/data/synthetic-cells.js';

const GAP = 4;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '128' },
    channels: { type: 'string', default: '3' },
    classes: { type: 'string', default: '3' },
    count: { type: 'string', default: '4' },
    seed: { type: 'string', default: String(SYNTHETIC_CELLS_SEED) },
  },
});
const out = positionals[0];
if (!out) {
  console.error('usage: tsx scripts/preview-cells.ts OUT.png [--size 128] [--channels 3] [--classes 3] [--count 4] [--seed N]');
  process.exit(2);
}
const size = Number(values.size);
const count = Number(values.count);
const options = { height: size, width: size, channels: Number(values.channels), classes: Number(values.classes), seed: Number(values.seed) };
checkCellsOptions(options);

const png = new PNG({ width: count * size + (count + 1) * GAP, height: 2 * size + 3 * GAP });
png.data.fill(96);
const put = (row: number, col: number, y: number, x: number, rgb: readonly number[]) => {
  const at = 4 * ((GAP + row * (size + GAP) + y) * png.width + GAP + col * (size + GAP) + x);
  png.data.set([...rgb, 255], at);
};
const maskColour = (value: number) => [0, 150, 255][value];
for (let col = 0; col < count; col++) {
  const { image, mask } = generateCell(options, col);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const rgb = options.channels === 3 ? [...image.subarray(3 * i, 3 * i + 3)] : [image[i], image[i], image[i]];
      put(0, col, y, x, rgb);
      put(1, col, y, x, [maskColour(mask[i]), maskColour(mask[i]), maskColour(mask[i])]);
    }
  }
}
writeFileSync(out, PNG.sync.write(png));
console.log(`wrote ${out}: ${count} samples of ${size}×${size}×${options.channels}, ${options.classes} classes`);
