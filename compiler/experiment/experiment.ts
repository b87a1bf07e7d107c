import type { Span } from '../diagnostics/diagnostic.js';
import type { TrainValue } from '../ir/ir.js';

/**
 * One checked `experiment { … }` section as plain data. A key the section does not set is absent,
 * so whoever runs the experiment layers command-line flags over it and defaults under it.
 */
export interface Experiment {
  /** '' for an experiment written without a name. */
  readonly name: string;
  readonly file: string;
  readonly span: Span;
  /** Network names, of the file or imported (absent: every network of the file). */
  readonly networks?: readonly string[];
  /** The file declaring each of `networks`: this one, or a file it imports the network from. */
  readonly networkFiles?: Readonly<Record<string, string>>;
  readonly data?: string;
  /** Training-set sizes: a number of images, or `all` of them. */
  readonly trainSizes?: readonly (number | 'all')[];
  /** How many seeds each network and size is trained with. */
  readonly seeds?: number;
  readonly metric?: string;
  readonly jobs?: number;
  readonly backend?: string;
  readonly workers?: number;
  readonly out?: string;
  /** Train-section keys that override every network's `train { … }`, values as that section gives them. */
  readonly trainOverrides: Readonly<Record<string, TrainValue>>;
  /** Train keys given per training-set size: key → size (`1000`, `all`) → value. */
  readonly trainBySize?: Readonly<Record<string, Readonly<Record<string, TrainValue>>>>;
}
