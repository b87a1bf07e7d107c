/** The report as GitHub Markdown: a heading, the doc comment, one table, totals and budget verdicts. */
import type { Analysis } from '../analysis/index.js';
import { HEADERS, headerLines, rowCells, summaryLines, totalCells } from './cells.js';
import { reportRows } from './rows.js';
import type { TableOptions } from './table.js';

/** Cells may not hold a pipe or a line break. */
export const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderMarkdown(analysis: Analysis, options: TableOptions = {}): string {
  // Leading spaces vanish in GitHub cells; em spaces keep the hierarchy visible.
  const rows = reportRows(analysis, options.depth).map((row) => rowCells(row, analysis, '\u2003'));
  const total = totalCells(analysis).map((cell) => (cell === '' ? '' : `**${cell}**`));
  const [title, ...rest] = [`## ${analysis.graph.name}`, ...headerLines(analysis)];
  return [title, '', ...rest, '', markdownTable(HEADERS, [...rows, total]), '', ...summaryLines(analysis).map((l) => `- ${l}`), ''].join('\n');
}
