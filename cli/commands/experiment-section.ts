/**
 * `gnet experiment FILE…` reads the files' `experiment { … }` sections: the chosen section becomes
 * flags in the command line's shape, which `requestFromFlags` puts under the flags given.
 */
import { resolve } from 'node:path';
import { compileProgram, experimentsOf, hasErrors, type Experiment, type Program } from '../../compiler/index.js';
import type { TrainValue } from '../../compiler/ir/ir.js';
import { closestName } from '../../compiler/util/closest.js';
import { EXPERIMENT_ERRORS, experimentError } from '../../runtime/experiment/codes.js';
import type { ExperimentFlags } from '../../runtime/experiment/request.js';
import type { TrainFlags } from '../../runtime/train/config.js';
import { fileHost } from '../host.js';
import { printDiagnostics, relativePath } from '../load.js';

export interface WithSection {
  /** The files as given, then the files the section imports its networks from. */
  readonly files: readonly string[];
  /** The flags given, but `--experiment`. */
  readonly flags: ExperimentFlags;
  /** The chosen section as flags (empty when the files hold none). */
  readonly fromSpec: ExperimentFlags;
}

/**
 * The files, flags and section of an experiment: the section `--experiment NAME` picks, or the only
 * section of the files. Undefined when a file with a section has errors: they are printed, as
 * `gnet check` prints them.
 */
export function withSection(files: readonly string[], given: ExperimentFlags & { readonly experiment?: string }): WithSection | undefined {
  const { experiment: name, ...flags } = given;
  const programs = files.map((file) => compileProgram(resolve(file), fileHost));
  const found = programs.flatMap((p) => experimentsOf(p));
  if (found.length === 0 && name === undefined) return { files, flags, fromSpec: {} };
  const broken = programs.filter((p) => p.experiments.length > 0 && hasErrors(p.diagnostics));
  if (broken.length > 0) {
    for (const p of broken) printDiagnostics(p);
    return undefined;
  }
  const chosen = pick(found, name, files, programs);
  const extra = [...new Set(Object.values(chosen.networkFiles ?? {}))].filter((f) => !files.some((given) => resolve(given) === f));
  return { files: [...files, ...extra.map(relativePath)], flags, fromSpec: sectionFlags(chosen) };
}

function pick(found: readonly Experiment[], name: string | undefined, files: readonly string[], programs: readonly Program[]): Experiment {
  const where = files.join(', ');
  const names = found.map((x) => x.name || '(unnamed)');
  if (name === undefined) {
    if (found.length === 1) return found[0]!;
    throw experimentError(EXPERIMENT_ERRORS.badSetup, `${where} hold ${found.length} experiments (${names.join(', ')}); pick one with --experiment NAME`);
  }
  const matches = found.filter((x) => x.name === name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw experimentError(EXPERIMENT_ERRORS.badSetup, `experiment ${name} is declared in ${matches.map((x) => relativePath(x.file)).join(' and ')}; rename one, or pass only the file whose experiment to run`);
  }
  const near = closestName(name, found.map((x) => x.name).filter(Boolean));
  const hint = near ? `did you mean ${near}? ` : '';
  const listed = found.length ? `experiments there: ${names.join(', ')}` : `${programs.length > 1 ? 'they hold' : 'it holds'} no experiment section; write one (\`experiment ${name} { … }\`) or drop --experiment`;
  throw experimentError(EXPERIMENT_ERRORS.badSetup, `no experiment ${name} in ${where}; ${hint}${listed}`);
}

/** A section as the flags that say the same; keys it leaves out stay undefined. */
export function sectionFlags(x: Experiment): ExperimentFlags {
  const flags: Record<string, unknown> = { ...trainFlags(x.trainOverrides, x.name) };
  if (x.trainBySize) flags.trainBySize = bySizeFlags(x.trainBySize, x.name);
  if (x.networks) flags.networks = x.networks.join(',');
  if (x.trainSizes) flags.trainSize = x.trainSizes.join(',');
  const own = { data: x.data, seeds: x.seeds, metric: x.metric, jobs: x.jobs, backend: x.backend, workers: x.workers, out: x.out };
  return { ...flags, ...definedOnly(own) } as ExperimentFlags;
}

/**
 * Train-section values as `gnet train` flags, written as the flags take them: `epochs = 20` →
 * `{ epochs: 20 }`, `schedule = cosine(alpha = 0.1)` → `{ schedule: 'cosine(alpha = 0.1)' }`,
 * `optimizer = sgd(lr = 0.1)` → `{ optimizer: 'sgd', lr: 0.1 }`.
 */
export function trainFlags(overrides: Readonly<Record<string, TrainValue>>, experiment = ''): TrainFlags {
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'optimizer' && typeof value === 'object' && !Array.isArray(value)) {
      const { name, lr, ...rest } = value as Readonly<Record<string, TrainValue>>;
      const unsupported = Object.keys(rest);
      if (unsupported.length > 0) {
        throw experimentError(EXPERIMENT_ERRORS.badSetup, `experiment ${experiment || '(unnamed)'}: optimizer argument ${unsupported.join(', ')} cannot be given to every run (of the optimizer's arguments only lr has a flag); set it in the networks' train sections, or leave it at its default`);
      }
      flags.optimizer = name;
      if (lr !== undefined) flags.lr = lr;
      continue;
    }
    flags[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = flagValue(value);
  }
  return flags as TrainFlags;
}

/** `{ epochs: { 1000: 60, all: 10 } }` → `{ 1000: { epochs: 60 }, all: { epochs: 10 } }`, each row as flags. */
function bySizeFlags(tables: Readonly<Record<string, Readonly<Record<string, TrainValue>>>>, experiment: string): Record<string, TrainFlags> {
  const sizes = [...new Set(Object.values(tables).flatMap((table) => Object.keys(table)))];
  return Object.fromEntries(sizes.map((size) => [size, trainFlags(Object.fromEntries(Object.entries(tables).flatMap(([key, table]) => (table[size] === undefined ? [] : [[key, table[size]!]]))), experiment)]));
}

/** Numbers and booleans as they are; names, calls and lists as the flag's text. */
function flagValue(value: TrainValue): number | boolean | string {
  if (typeof value !== 'object') return value;
  return Array.isArray(value) ? value.map(itemText).join(', ') : itemText(value);
}

function itemText(value: TrainValue): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(itemText).join(', ');
  const { name, ...args } = value as Readonly<Record<string, TrainValue>>;
  const written = Object.entries(args).map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : itemText(v)}`);
  return written.length ? `${String(name)}(${written.join(', ')})` : String(name);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
