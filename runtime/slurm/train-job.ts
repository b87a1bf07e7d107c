import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GnetError } from '../errors.js';
import { writeFileAtomic } from '../train/files.js';
import { batchScript, commandLine } from './batch-script.js';
import { SLURM_ERRORS, slurmError } from './codes.js';
import { type SlurmRequest, requestOptions } from './options.js';
import { isLive, taskStates } from './queue.js';
import { submitBatch } from './submit.js';

/**
 * `gnet train --executor slurm --nodes N --workers W …`: a batch script that runs the same `gnet train`
 * under srun, W tasks per node, one per worker (each is the worker of global rank SLURM_PROCID, on the
 * GPU of its SLURM_LOCALID or the one Slurm bound to it: backends/torch/slurm-placement.ts; task 0
 * drives the run and writes RUNDIR), written to RUNDIR/slurm/train.sh and submitted. A requeued job
 * (pre-emption, a failed node) finds the run's config.json and resumes it instead.
 */
export interface TrainJob {
  /** The run directory (--out or --resume), absolute. */
  readonly out: string;
  readonly nodes: number;
  /** Workers on each node: srun tasks per node. */
  readonly workersPerNode: number;
  /** How to start gnet, then the `train …` arguments of a new run, and those of a resumed one. */
  readonly gnet: readonly string[];
  readonly trainArgs: readonly string[];
  readonly resumeArgs: readonly string[];
  /** The run exists already (--resume): always resume. */
  readonly resume: boolean;
  readonly slurm: SlurmRequest;
  /** Working directory of the job (relative paths in the arguments are read from there). */
  readonly cwd: string;
}

export const trainJobPaths = (out: string) => ({ script: join(out, 'slurm', 'train.sh'), output: join(out, 'slurm', 'job-%j.out'), jobs: join(out, 'slurm', 'jobs.json') });

export function trainScript(job: TrainJob): string {
  const paths = trainJobPaths(job.out);
  // One task failing (a node lost, a coded error) ends the step, instead of leaving the others waiting for it.
  const srun = (args: readonly string[]) => `srun --kill-on-bad-exit=1 ${commandLine([...job.gnet, ...args])}`;
  const run = job.resume
    ? [srun(job.resumeArgs)]
    : [`if [ -e ${commandLine([join(job.out, 'config.json')])} ]; then`, `  ${srun(job.resumeArgs)}`, 'else', `  ${srun(job.trainArgs)}`, 'fi'];
  return batchScript({
    options: [`--job-name=gnet-train`, `--nodes=${job.nodes}`, `--ntasks-per-node=${job.workersPerNode}`, `--output=${paths.output}`, ...requestOptions(job.slurm)],
    about: ['Written by gnet train --executor slurm: one gnet train per worker, under srun; each reads its rank from SLURM_* and task 0 writes the run.', 'Submit it again (sbatch) to continue the run from its last checkpoint.'],
    body: [`cd ${commandLine([job.cwd])}`, 'export OMP_NUM_THREADS="${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"', ...run],
  });
}

/** Writes RUNDIR/slurm/train.sh, submits it, and adds the job's id to RUNDIR/slurm/jobs.json; the id. */
export function submitTrainJob(job: TrainJob): string {
  const paths = trainJobPaths(job.out);
  mkdirSync(join(job.out, 'slurm'), { recursive: true });
  writeFileAtomic(paths.script, trainScript(job));
  const id = submitBatch(paths.script);
  writeFileAtomic(paths.jobs, `${JSON.stringify({ jobs: [...submittedJobs(job.out), id] })}\n`);
  return id;
}

/** Ids of the jobs `gnet train --executor slurm` submitted for this run directory. */
function submittedJobs(out: string): string[] {
  const file = trainJobPaths(out).jobs;
  if (!existsSync(file)) return [];
  try {
    const jobs = (JSON.parse(readFileSync(file, 'utf8')) as { jobs?: unknown }).jobs;
    return Array.isArray(jobs) ? jobs.filter((j): j is string => typeof j === 'string' && /^\d+$/.test(j)) : [];
  } catch {
    return []; // a damaged list holds no job to wait for
  }
}

/**
 * GN1040 when a job submitted for this run directory is still queued or running (squeue, sacct), so
 * that a second job or a run here does not write the same run beside it. The job itself (its gnet
 * train, requeued or not, has SLURM_JOB_ID) passes; so does a run directory brought to a machine
 * without Slurm, where no job of it can run.
 */
export function refuseIfHeldBySlurm(out: string, shown: string, env: NodeJS.ProcessEnv = process.env): void {
  const others = submittedJobs(out).filter((id) => id !== env.SLURM_JOB_ID);
  if (others.length === 0) return;
  let states;
  try {
    states = taskStates(others, env);
  } catch (error) {
    if (error instanceof GnetError && error.code === SLURM_ERRORS.noSlurm) return;
    throw error;
  }
  const live = [...states.values()].filter((s) => isLive(s.state));
  if (live.length === 0) return;
  const ids = live.map((s) => s.id).join(',');
  const what = live.map((s) => `${s.id} ${s.state}${s.reason ? ` (${s.reason})` : ''}`).join(', ');
  throw slurmError(
    SLURM_ERRORS.runHeld,
    `${shown} is still held by Slurm job ${what}, which trains it; wait for it to end (squeue -j ${ids}), or cancel it (scancel ${ids}), then run this again: the run continues from its last checkpoint`,
  );
}
