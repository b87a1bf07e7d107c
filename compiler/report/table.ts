/** The terminal report (Keras summary() / torchinfo style), drawn with cli-table3. */
import Table from 'cli-table3';
import type { Analysis } from '../analysis/index.js';
import { HEADERS, headerLines, rowCells, summaryLines, totalCells } from './cells.js';
import { reportRows } from './rows.js';

export interface TableOptions {
  /** Levels of the block hierarchy to show (1 = top level); deeper rows fold into their frame. */
  readonly depth?: number;
}

const RIGHT_ALIGNED = new Set(['Params (train / fixed)', 'Share', 'MACs', 'Activations']);
/** cli-table3's layout pass is quadratic in rows; tables are drawn in slices of this many rows. */
const SLICE = 200;
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderTable(analysis: Analysis, options: TableOptions = {}): string {
  const body = reportRows(analysis, options.depth).map((row) => rowCells(row, analysis, '  '));
  const total = totalCells(analysis);
  const all = [HEADERS as readonly string[], ...body, total];
  const colWidths = HEADERS.map((_, c) => Math.max(...all.map((r) => [...r[c]!].length)) + 2);
  const colAligns = HEADERS.map((h) => (RIGHT_ALIGNED.has(h) ? 'right' : 'left') as 'right' | 'left');
  const slices: string[] = [];
  for (let start = 0; start < body.length || start === 0; start += SLICE) {
    const last = start + SLICE >= body.length;
    const table = new Table({
      head: start === 0 ? [...HEADERS] : [],
      colWidths,
      colAligns,
      chars: COMPACT,
      // No colours: the same text on a terminal, in a pipe and in tests.
      style: { head: [], border: [] },
    });
    for (const cells of body.slice(start, start + SLICE)) table.push(cells);
    if (last) table.push(total);
    const lines = table.toString().split('\n');
    // Compact rows have no rules between them; keep one under the header.
    if (start === 0) lines.splice(2, 0, lines[0]!.replace('┌', '├').replace(/┬/g, '┼').replace('┐', '┤'));
    // Slices join into one table: only the first keeps its top border, only the last its bottom one.
    slices.push(...lines.slice(start === 0 ? 0 : 1, last ? lines.length : -1));
    if (last) break;
  }
  return [...headerLines(analysis), slices.join('\n'), ...summaryLines(analysis)].join('\n');
}
