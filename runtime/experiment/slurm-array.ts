import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import { batchScript, commandLine } from '../slurm/batch-script.js';
import { type SlurmRequest, requestOptions } from '../slurm/options.js';
import { submitBatch } from '../slurm/submit.js';
import type { CellJob, GnetCommand } from './run-cell.js';

/**
 * A grid submitted to Slurm as one job array, kept in DIR/slurm/: array-<k>.json (the cells of
 * submission k in task order, each the job the local executor would run, and the array's job id),
 * array-<k>.sh (the script sbatch got) and array-<k>/task-<i>.out (each task's output, where
 * slurmstepd says why it stopped a task). Task i runs `gnet experiment --slurm-task array-<k>.json`,
 * which trains cell i with the same `gnet train` and `gnet eval` command lines as a local run.
 */
export const SLURM_DIR = 'slurm';

/** One cell of an array: a CellJob without what belongs to the process that runs it. */
export type ArrayTask = Omit<CellJob, 'command' | 'env' | 'signal' | 'scheduled'>;

export interface ArrayManifest {
  readonly format: 'gnet-slurm-array';
  readonly version: 1;
  /** The experiment directory. */
  readonly out: string;
  /** k: the submission's number in DIR/slurm. */
  readonly index: number;
  /** sbatch's job id; null when sbatch refused the script or gnet stopped before it answered. */
  readonly jobId: string | null;
  readonly submittedAt: string;
  readonly tasks: readonly ArrayTask[];
}

export interface ArrayPaths {
  readonly manifest: string;
  readonly script: string;
  /** sbatch's output pattern: %a is the task's index. */
  readonly output: string;
}

export function arrayPaths(out: string, index: number): ArrayPaths {
  const dir = join(out, SLURM_DIR);
  return { manifest: join(dir, `array-${index}.json`), script: join(dir, `array-${index}.sh`), output: join(dir, `array-${index}`, 'task-%a.out') };
}

/** The output file of task `task` of submission `index`. */
export const taskOutput = (out: string, index: number, task: number): string => arrayPaths(out, index).output.replace('%a', String(task));

export interface ArraySubmission {
  readonly out: string;
  readonly jobs: readonly CellJob[];
  readonly slurm: SlurmRequest;
  /** At most this many tasks at a time (the array's %), or as many as Slurm allows. */
  readonly throttle?: number;
  /** How a task starts gnet (the same node and entry as this process). */
  readonly command: GnetCommand;
}

/** Writes the manifest and script of the next submission, submits it, and records the job id. */
export function submitArray(s: ArraySubmission): ArrayManifest {
  const index = readArrays(s.out).reduce((k, a) => Math.max(k, a.index), 0) + 1;
  const paths = arrayPaths(s.out, index);
  mkdirSync(join(s.out, SLURM_DIR, `array-${index}`), { recursive: true });
  const tasks: ArrayTask[] = s.jobs.map(({ command: _c, env: _e, signal: _s, scheduled: _d, ...task }) => task);
  const manifest: ArrayManifest = { format: 'gnet-slurm-array', version: 1, out: s.out, index, jobId: null, submittedAt: new Date().toISOString(), tasks };
  writeFileAtomic(paths.manifest, `${JSON.stringify(manifest, null, 1)}\n`);
  writeFileAtomic(paths.script, arrayScript(s, paths, tasks.length));
  const submitted = { ...manifest, jobId: submitBatch(paths.script) };
  writeFileAtomic(paths.manifest, `${JSON.stringify(submitted, null, 1)}\n`);
  return submitted;
}

export function arrayScript(s: Omit<ArraySubmission, 'jobs'>, paths: ArrayPaths, tasks: number): string {
  const throttle = s.throttle === undefined ? '' : `%${s.throttle}`;
  return batchScript({
    options: [`--job-name=gnet-${basename(s.out)}`, `--array=0-${tasks - 1}${throttle}`, `--output=${paths.output}`, ...requestOptions(s.slurm)],
    about: [`Written by gnet experiment: task i trains cell i of ${basename(paths.manifest)} (its gnet train and gnet eval, as a local run does).`, 'Rerun the gnet experiment command to resubmit what is not complete; `gnet experiment --report DIR` shows where each run stands.'],
    body: [
      `cd ${commandLine([process.cwd()])}`,
      // Slurm gives each task --cpus-per-task CPUs (1 by default); torch's threads follow.
      'export OMP_NUM_THREADS="${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"',
      `exec ${commandLine([s.command.executable, ...s.command.args, 'experiment', '--slurm-task', paths.manifest])}`,
    ],
  });
}

/** Every submission of DIR, oldest first (a manifest that does not parse is skipped). */
export function readArrays(out: string): ArrayManifest[] {
  const dir = join(out, SLURM_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^array-\d+\.json$/.test(name))
    .flatMap((name) => {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ArrayManifest;
        return manifest.format === 'gnet-slurm-array' ? [manifest] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.index - b.index);
}

export function readArray(path: string): ArrayManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as ArrayManifest;
}
