/**
 * The model zoo (every network of every spec in specs/, examples included) made small enough for
 * tfjs' cpu backend to differentiate in a unit test: parameters that only set widths or class counts
 * overridden as `gnet compile --param` would, and the first input shrunk to a valid size near 16×16.
 */
import { relative, resolve } from 'node:path';
import { fileHost } from '../../cli/host.js';
import { compileProgram } from '../../compiler/program.js';
import { analysed, REPO, specFiles, type Network } from '../codegen/helpers.js';
import { shrunk, type Case } from './equivalence.js';

/** Narrower or fewer-class variants (the defaults reach tens of millions of weights). */
const SMALLER: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AlexNet: { classes: 10, width: 8, hidden: 64 },
  DenseNet121: { growth: 8, stem: 16, classes: 10 },
  FCN8s: { classes: 4, width: 8, hidden: 64 },
  GaussUNet3D: { base: 4 },
  GoogLeNet: { classes: 10 },
  ResNet18: { classes: 10, base: 8 },
  ResNet50: { classes: 10, base: 8 },
  UNet: { base: 8 },
  UNet3D: { base: 4 },
  UNetSame: { base: 8, size: 32 },
  UNetSEFRE: { base: 8 },
  VGG16: { classes: 10, width: 8, hidden: 64 },
  VGG16Gauss: { classes: 10, width: 8, hidden: 64 },
};

/** Networks covered elsewhere or out of reach, and why. */
export const NOT_HERE: Readonly<Record<string, string>> = {
  Reference: 'in equivalence-blocks.test.ts, in both modes',
  GaussUNet: 'in equivalence-blocks.test.ts, in both modes',
  FCN8s: 'its first convolution pads by 100 pixels: even narrowed to width 8 and at its smallest input, 0.23 G multiply-adds per example, more than twice the U-Net; every block it uses is in equivalence-blocks.test.ts',
  DeepMedic3D: 'its one valid input is 57³ (1.3 G multiply-adds per example, 3-D gradients on tfjs cpu); its blocks are in equivalence-volumes.test.ts',
};

/** The networks whose export checks run in exports-large.test.ts, beside exports.test.ts. */
export const LARGE_EXPORTS = new Set(['DeepMedic3D', 'FCN8s', 'VGG16', 'VGG16Gauss', 'AlexNet', 'ResNet50', 'DenseNet121', 'GoogLeNet']);

/** The largest ones, which get a test file of their own so the two run side by side. */
export const LARGE = new Set(['VGG16', 'VGG16Gauss', 'ResNet50', 'ResNet18', 'UNet', 'AlexNet']);

export interface ZooEntry {
  readonly file: string;
  readonly name: string;
  readonly network?: Network;
  readonly skip?: string;
}

/** Every network of every spec in specs/ (examples included), by file (relative to the repository) and name. */
export function zooNames(): { readonly file: string; readonly name: string }[] {
  const files = specFiles().filter((f) => !relative(REPO, f).startsWith('test'));
  return files.flatMap((file) => compileProgram(resolve(file), fileHost).graphs.map((g) => ({ file: relative(REPO, file), name: g.name })));
}

/** One network of the zoo with its SMALLER parameters and its first input shrunk to a valid size near `side`. */
export function smallNetwork(file: string, name: string, side = 16): Network {
  const params = new Map(Object.entries(SMALLER[name] ?? {}));
  const program = compileProgram(resolve(REPO, file), fileHost, { network: name, params });
  return shrunk(analysed(program.graphs[0]!, program.sources), side);
}

/** Every network of the zoo, compiled small (or the reason it is not). */
export function zoo(): ZooEntry[] {
  return zooNames().map((entry) => {
    const { name } = entry;
    if (NOT_HERE[name]) return { ...entry, skip: NOT_HERE[name] };
    return { ...entry, network: smallNetwork(entry.file, name) };
  });
}

/** One inference case per network at batch 1 (both modes of every block run in equivalence-blocks). */
export function zooCases(entries: readonly ZooEntry[]): Case[] {
  return entries.flatMap((e) => (e.network ? [{ label: `${e.name} (${e.file})`, network: e.network, training: false, batch: 1 }] : []));
}
