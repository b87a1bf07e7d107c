#!/usr/bin/env node
// Prints a Markdown table of an experiment's test metric beside the paper's figures
// (Penaud-Polge et al., ICIP 2022: Table 1 and the U-Net comparison), from the results.json
// files that `gnet experiment` writes. Usage:
//   node scripts/compare-with-paper.mjs table1|unet EXPERIMENT_DIR…
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PAPER = {
  table1: {
    metric: 'test accuracy (%)',
    rows: {
      // `all` is the whole 60 000-image training set (experiment Table1Full, validation_split = 0).
      FreeForm: { label: 'Free-Form', 1000: 78.8, 5000: 84.3, 10000: 86.4, 30000: 87.7, all: 89.3 },
      RFNN: { label: 'RFNN', 1000: 79.4, 5000: 86.2, 10000: 88.4, 30000: 90.4, all: 91.2 },
      DAU: { label: 'DAU', 1000: 79.9, 5000: 86.4, 10000: 89.1, 30000: 90.9, all: 92.1 },
      Ours: { label: 'Ours', 1000: 80.5, 5000: 88.3, 10000: 90.5, 30000: 92.2, all: 93.1 },
      OursFew: { label: 'Ours-few', 1000: 79.7, 5000: 88.4, 10000: 90.1, 30000: 92.4, all: 92.8 },
      OursSeparated: { label: 'Ours-separated', 1000: 78.9, 5000: 88.7, 10000: 89.3, 30000: 91.4, all: 91.4 },
    },
  },
  unet: {
    metric: 'test score (%)',
    rows: {
      GaussUNet: { label: 'Gaussian U-Net', all: 94.4, params: 25298 },
      UNet5x5: { label: 'U-Net 5×5', all: 94.7, params: 97202 },
    },
  },
};

const [which, ...dirs] = process.argv.slice(2);
const paper = PAPER[which];
if (!paper || dirs.length === 0) {
  console.error('usage: node scripts/compare-with-paper.mjs table1|unet EXPERIMENT_DIR…');
  process.exit(2);
}

const measured = new Map(); // network → size → cell
let metric = '';
for (const dir of dirs) {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  metric = results.metric;
  for (const net of results.networks) {
    const sizes = measured.get(net.name) ?? new Map();
    for (const cell of net.cells) sizes.set(String(cell.size), { ...cell, trainable: net.trainable });
    measured.set(net.name, sizes);
  }
}

const sizes = [...new Set([...measured.values()].flatMap((m) => [...m.keys()]))];
const pct = (x) => (x * 100).toFixed(1);
const ours = (cell) => {
  if (!cell || cell.mean === null) return 'missing';
  const spread = cell.std === null ? '' : ` ± ${pct(cell.std)}`;
  const seeds = cell.n === 1 ? ' (1 seed)' : '';
  return `${pct(cell.mean)}${spread}${seeds}`;
};
const head = ['network', 'trainable (gnet)', ...(which === 'unet' ? ['trainable (paper)'] : [])];
// The paper reports accuracy only.
const paperHeading = metric === 'accuracy' ? 'paper' : 'paper (accuracy)';
for (const size of sizes) head.push(`${size === 'all' ? 'all' : `n = ${size}`}: gnet ${metric}`, paperHeading);
const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
for (const [name, row] of Object.entries(paper.rows)) {
  const cells = measured.get(name);
  const trainable = cells ? [...cells.values()][0].trainable : undefined;
  const line = [row.label, trainable === undefined ? '' : trainable.toLocaleString('en').replace(/,/g, ' ')];
  if (which === 'unet') line.push(row.params.toLocaleString('en').replace(/,/g, ' '));
  for (const size of sizes) line.push(ours(cells?.get(size)), row[size] === undefined ? '' : row[size].toFixed(1));
  lines.push(`| ${line.join(' | ')} |`);
}
console.log(lines.join('\n'));
