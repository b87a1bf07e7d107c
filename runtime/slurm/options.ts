import { SLURM_ERRORS, slurmError } from './codes.js';

/**
 * Where gnet's work runs (`--executor local|slurm`) and what a Slurm job asks for: the flags shared
 * by `gnet experiment` and `gnet train`, checked before anything is written or submitted.
 */
export const EXECUTORS = ['local', 'slurm'] as const;
export type Executor = (typeof EXECUTORS)[number];

export interface SlurmFlags {
  readonly executor?: string;
  readonly partition?: string;
  readonly time?: string;
  readonly gpusPerTask?: number;
  readonly cpusPerTask?: number;
  readonly sbatchArg?: readonly string[];
}

/** What every task of a job asks Slurm for. */
export interface SlurmRequest {
  readonly partition?: string;
  readonly time?: string;
  readonly gpusPerTask?: number;
  readonly cpusPerTask?: number;
  /** Further sbatch options, each one word as `--name=value` or `--flag`. */
  readonly sbatchArgs: readonly string[];
}

const FLAG_NAMES: Record<Exclude<keyof SlurmFlags, 'executor'>, string> = {
  partition: '--partition',
  time: '--time',
  gpusPerTask: '--gpus-per-task',
  cpusPerTask: '--cpus-per-task',
  sbatchArg: '--sbatch-arg',
};

/** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or UNLIMITED. */
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|unlimited|infinite)$/i;

/** The Slurm request of the flags, or undefined for the local executor (which refuses Slurm's flags). */
export function slurmRequest(flags: SlurmFlags): SlurmRequest | undefined {
  const executor = flags.executor ?? 'local';
  if (!(EXECUTORS as readonly string[]).includes(executor)) {
    throw slurmError(SLURM_ERRORS.badOptions, `--executor ${executor} is not one of ${EXECUTORS.join(', ')}; use --executor slurm to submit to Slurm, or leave it out to run here`);
  }
  const given = (Object.keys(FLAG_NAMES) as (keyof typeof FLAG_NAMES)[]).filter((k) => flags[k] !== undefined && !(Array.isArray(flags[k]) && flags[k].length === 0));
  if (executor === 'local') {
    if (given.length > 0) {
      const names = given.map((k) => FLAG_NAMES[k]).join(', ');
      throw slurmError(SLURM_ERRORS.badOptions, `${names} ${given.length > 1 ? 'are' : 'is'} for Slurm jobs, but this command runs here; add --executor slurm, or drop ${names}`);
    }
    return undefined;
  }
  if (flags.time !== undefined && !TIME.test(flags.time)) {
    throw slurmError(SLURM_ERRORS.badOptions, `--time ${flags.time} is not a Slurm time limit; write minutes, HH:MM:SS or D-HH:MM:SS, e.g. --time 2:00:00`);
  }
  for (const arg of flags.sbatchArg ?? []) {
    if (!/^--?[A-Za-z]/.test(arg) || /[\n\r]/.test(arg)) {
      throw slurmError(SLURM_ERRORS.badOptions, `--sbatch-arg "${arg}" is not one sbatch option; pass each as one word, e.g. --sbatch-arg=--account=proj42 --sbatch-arg=--qos=short`);
    }
  }
  return { partition: flags.partition, time: flags.time, gpusPerTask: flags.gpusPerTask, cpusPerTask: flags.cpusPerTask, sbatchArgs: flags.sbatchArg ?? [] };
}

/** The request as sbatch options, one word each (`--partition=gpu`), in a stable order. */
export function requestOptions(request: SlurmRequest): string[] {
  return [
    ...(request.partition === undefined ? [] : [`--partition=${request.partition}`]),
    ...(request.time === undefined ? [] : [`--time=${request.time}`]),
    ...(request.cpusPerTask === undefined ? [] : [`--cpus-per-task=${request.cpusPerTask}`]),
    ...(request.gpusPerTask === undefined ? [] : [`--gpus-per-task=${request.gpusPerTask}`]),
    ...request.sbatchArgs,
  ];
}
