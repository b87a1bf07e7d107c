import type { ExperimentResults } from './collect.js';
import { sizeLabel } from './request.js';

/**
 * results.csv: one row per network, for spreadsheets and plotting scripts: its parameters and
 * multiply-adds, then per training-set size the mean, the sample std, the complete and the failed
 * runs (empty where there is no value).
 */
export function resultsCsv(results: ExperimentResults): string {
  const header = ['network', 'trainable_params', 'non_trainable_params', 'multiply_adds'];
  for (const size of results.trainSizes) {
    const n = sizeLabel(size);
    header.push(`${results.metric}_mean_${n}`, `${results.metric}_std_${n}`, `runs_${n}`, `failed_${n}`);
  }
  const rows = results.networks.map((net) => [
    net.name,
    String(net.trainable),
    String(net.nonTrainable),
    String(net.macs),
    ...net.cells.flatMap((c) => [c.mean === null ? '' : String(c.mean), c.std === null ? '' : String(c.std), String(c.n), String(c.failed)]),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
