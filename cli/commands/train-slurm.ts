import { resolve } from 'node:path';
import { TORCH_ERRORS, torchError } from '../../backends/torch/codes.js';
import { SLURM_ERRORS, slurmError } from '../../runtime/slurm/codes.js';
import type { SlurmRequest } from '../../runtime/slurm/options.js';
import { submitTrainJob, trainJobPaths } from '../../runtime/slurm/train-job.js';
import { relativePath } from '../load.js';
import { thisGnet } from './experiment-jobs.js';
import type { TrainOptions } from './train.js';

/**
 * `gnet train FILE … --executor slurm [--nodes N]`: this same command line, less the flags that
 * only say where to run, submitted as a batch job that runs it under srun on N nodes. gnet returns
 * with the job's id; the run directory fills as it would here.
 */

/** Flags that place the run (Slurm answers them in the job) and take a value. */
const DROPPED = new Set(['--executor', '--partition', '--time', '--gpus-per-task', '--cpus-per-task', '--sbatch-arg', '--nodes', '--node-rank', '--master-addr', '--master-port']);

/** `args` (the words after `train`) without the dropped flags and their values. */
export function withoutPlacement(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const name = word.split('=')[0]!;
    if (!DROPPED.has(name)) kept.push(word);
    else if (!word.includes('=')) i++;
  }
  return kept;
}

export function submitTraining(file: string, options: TrainOptions, slurm: SlurmRequest, trainWords: readonly string[]): number {
  const out = options.resume ?? options.out;
  if (out === undefined) throw slurmError(SLURM_ERRORS.badOptions, '--executor slurm needs the run directory named: pass --out RUNDIR (every node of the job writes to it, on a file system they share)');
  const given = (['nodeRank', 'masterAddr', 'masterPort'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 0) throw slurmError(SLURM_ERRORS.badOptions, `${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: under --executor slurm each node learns its rank and the first node's address from Slurm; drop them`);
  const nodes = options.nodes ?? 1;
  if (nodes > 1 && options.backend !== 'torch') throw torchError(TORCH_ERRORS.badLaunch, `--nodes ${nodes} trains one run over several machines, which only the torch backend does; add --backend torch`);
  const placement = [...(options.device === undefined ? [] : ['--device', options.device]), ...(options.workers === undefined ? [] : ['--workers', String(options.workers)])];
  const workers = options.workers ?? 1;
  const cuda = options.device?.startsWith('cuda') && slurm.gpusPerTask === undefined;
  const gnet = thisGnet();
  const absolute = resolve(out);
  const id = submitTrainJob({
    out: absolute,
    nodes,
    workersPerNode: workers,
    gnet: [gnet.executable, ...gnet.args],
    trainArgs: ['train', ...withoutPlacement(trainWords)],
    resumeArgs: ['train', file, '--resume', out, '--backend', options.backend, ...placement],
    resume: options.resume !== undefined,
    // One task per worker: on CUDA, Slurm binds one GPU to each.
    slurm: cuda ? { ...slurm, gpusPerTask: 1 } : slurm,
    cwd: process.cwd(),
  });
  const where = relativePath(absolute);
  const output = relativePath(trainJobPaths(absolute).output.replace('%j', id));
  process.stderr.write(`gnet: submitted Slurm job ${id}: gnet train on ${nodes} node(s) × ${workers} worker(s), one srun task per worker → ${where} (script: ${relativePath(trainJobPaths(absolute).script)})\n`);
  const again = ['gnet', 'train', file, '--resume', where, '--backend', options.backend, ...placement, '--executor', 'slurm', ...(nodes > 1 ? ['--nodes', String(nodes)] : [])];
  process.stderr.write(`gnet: follow it with: squeue -j ${id}; tail -f ${output}. If Slurm stops it, continue with: ${again.join(' ')}\n`);
  return 0;
}
