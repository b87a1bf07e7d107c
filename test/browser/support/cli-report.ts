/** `gnet report --format json` on a text, run as a user would: what the page's figures are checked against. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './playground-site.js';
import { GNET_NODE_ARGS } from '../../support/gnet-command.js';

export interface Totals {
  trainable: number;
  nonTrainable: number;
  macs: number;
  activationBytes: number;
}

export interface CliReport {
  network: string;
  totals: Totals;
  blocks: { name: string; path: string[]; outputShape: number[] | null; source: { line: number | null } }[];
  budgets: { status: string }[];
}

/** `gnet report --format json` on `text`, one entry per network. */
export function cliReports(text: string): CliReport[] {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-playground-spec-'));
  try {
    const file = join(dir, 'typed.gnet');
    writeFileSync(file, text);
    // A failing budget is an error (exit 1), and the report is printed all the same.
    const run = spawnSync(process.execPath, [...GNET_NODE_ARGS, 'report', file, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 1) throw new Error(`gnet report failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout) as CliReport | CliReport[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
