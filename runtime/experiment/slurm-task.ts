import { appendFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SLURM_ERRORS, slurmError } from '../slurm/codes.js';
import { CELL_LOG, cellName, cellState } from './cells.js';
import { readPlan } from './plan.js';
import { type GnetCommand, runCell } from './run-cell.js';
import { describe } from './runner.js';
import { readArray } from './slurm-array.js';
import { writeResultsSettled } from './write-results.js';

/**
 * One task of a Slurm job array (`gnet experiment --slurm-task DIR/slurm/array-<k>.json`): trains
 * the cell SLURM_ARRAY_TASK_ID names with runCell, as the local executor does, then rewrites the
 * results. A SIGTERM from Slurm (time limit, scancel, pre-emption) reaches every process of the task:
 * gnet train saves a checkpoint and stops, and the cell resumes when it is submitted again.
 * Exit codes: 0 the cell is complete, 1 it failed, 143 Slurm stopped it.
 */
export async function runArrayTask(manifestPath: string, command: GnetCommand, log: (line: string) => void): Promise<number> {
  const manifest = readArray(manifestPath);
  const text = process.env.SLURM_ARRAY_TASK_ID;
  const index = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  const task = Number.isInteger(index) ? manifest.tasks[index] : undefined;
  if (!task) {
    throw slurmError(SLURM_ERRORS.badOptions, `--slurm-task runs one task of the job array ${manifestPath}, the one SLURM_ARRAY_TASK_ID names, but it is ${text ?? 'unset'} (the array has tasks 0-${manifest.tasks.length - 1}); it is for the script gnet submits, not to be run by hand`);
  }
  const plan = readPlan(manifest.out);
  if (!plan) throw slurmError(SLURM_ERRORS.taskEnded, `${manifest.out} holds no experiment.json any more; rerun the gnet experiment command that submitted ${manifestPath}`);
  const name = cellName(task.cell);
  const state = cellState(task.dir);
  if (state.status === 'complete' && state.test.cellKey === task.cellKey) {
    log(`${name} is already complete`);
    return 0;
  }
  const stop = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
    stop.abort();
  };
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    log(`task ${text} on ${hostname()}: ${name} → ${task.dir}`);
    const outcome = await runCell({ ...task, command, scheduled: true, signal: stop.signal });
    if (outcome.status === 'interrupted') {
      if (existsSync(task.dir)) appendFileSync(join(task.dir, CELL_LOG), `\n== ${new Date().toISOString()} Slurm stopped the task (${received}); the run keeps its last checkpoint and resumes when submitted again\n`);
      log(`${name}: stopped by ${received} from Slurm; it resumes from its last checkpoint when its task runs again (requeued by Slurm, or submitted again)`);
    } else log(`${name}: ${describe(outcome, plan.metric)}`);
    writeResultsSettled(manifest.out, plan);
    return outcome.status === 'complete' ? 0 : outcome.status === 'failed' ? 1 : 143;
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
