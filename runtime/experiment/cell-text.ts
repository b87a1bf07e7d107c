import { formatSI, groupDigits } from '../../compiler/analysis/format.js';
import type { CellSummary, RunResult } from './collect.js';
import type { TrainSize } from './request.js';

/** The words and numbers every results file shows for a cell, so the four files agree. */

export const value4 = (x: number): string => x.toFixed(4);

export const sizeHeading = (size: TrainSize): string => (size === 'all' ? 'n = all' : `n = ${groupDigits(size)}`);

/** The folder of a network's runs of one size (its seeds' run directories), relative to DIR. */
export const columnLink = (network: string, size: TrainSize): string => `runs/${network}/n${size}/`;

export const paramsText = (trainable: number): string => groupDigits(trainable);
export const macsText = (macs: number): string => formatSI(macs);

/** "0.8123 ± 0.0041", "0.8123" (one seed), plus "(2/3 seeds; 1 failed: GN0803)" when some are missing. */
export function summaryText(cell: CellSummary): string {
  const seeds = cell.runs.length;
  if (cell.mean === null) return emptyText(cell);
  const value = cell.std === null ? value4(cell.mean) : `${value4(cell.mean)} ± ${value4(cell.std)}`;
  if (cell.n === seeds) return value;
  const failed = cell.failed > 0 ? `; ${cell.failed} failed: ${failedCodes(cell)}` : '';
  return `${value} (${cell.n}/${seeds} seeds${failed})`;
}

/** A cell without a value: every seed failed, or none has finished yet. */
function emptyText(cell: CellSummary): string {
  if (cell.failed > 0) return `failed (${failedCodes(cell)})`;
  if (cell.runs.some((r) => r.status === 'running')) return 'running';
  if (cell.runs.some((r) => r.status === 'queued')) return 'queued';
  if (cell.runs.some((r) => r.status === 'stopped')) return `stopped (${[...new Set(cell.runs.filter((r) => r.status === 'stopped').map((r) => r.error!.code))].join(', ')})`;
  if (cell.runs.some((r) => r.status === 'stale')) return 'stale (settings changed)';
  return 'not run yet';
}

const failedCodes = (cell: CellSummary) => [...new Set(cell.runs.filter((r) => r.error).map((r) => r.error!.code))].join(', ');

/** One run: its value, or what became of it. */
export function runText(run: RunResult): string {
  switch (run.status) {
    case 'complete':
      return run.value === null ? 'no value' : value4(run.value);
    case 'failed':
      return `failed (${run.error!.code} ${shorten(run.error!.message)})`;
    case 'running':
      return run.slurm ? `running (Slurm task ${run.slurm.task})` : 'running';
    case 'queued':
      return `queued (Slurm task ${run.slurm!.task}${run.slurm!.reason ? `, ${run.slurm!.reason}` : ''})`;
    case 'stopped':
      return `stopped by Slurm (${run.error!.code} ${shorten(run.error!.message)})`;
    case 'partial':
      return 'interrupted (resumes on the next run)';
    case 'stale':
      return 'stale (trained with other settings; reruns with --resume)';
    case 'pending':
      return 'not run yet';
  }
}

export const secondsText = (s: number | null): string => (s === null ? '' : s < 100 ? `${s.toFixed(1)} s` : `${groupDigits(Math.round(s))} s`);

/** The message's first 90 characters: the tables stay readable; results.json and failed.json keep it whole. */
const shorten = (message: string) => (message.length <= 90 ? message : `${message.slice(0, 89).trimEnd()}…`);
