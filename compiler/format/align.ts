import type { Line } from './layout.js';

/** Gap between the longest line of code and the trailing comments aligned beside it. */
const GAP = 2;

/**
 * Lines as text. Trailing comments on consecutive lines line up in one column (as gofmt does),
 * so a column of `// 56×56×64` notes stays a column after an edit.
 */
export function renderLines(lines: readonly Line[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && lines[j]!.comment !== undefined) j++;
    if (j === i) {
      out.push(plain(lines[i]!));
      i++;
      continue;
    }
    const run = lines.slice(i, j);
    const column = Math.max(...run.map((l) => (l.code ? l.indent + l.code.length + GAP : l.indent)));
    for (const l of run) {
      const code = plain(l);
      out.push(code ? code.padEnd(column) + l.comment : ' '.repeat(l.indent) + l.comment);
    }
    i = j;
  }
  return out.join('\n');
}

function plain(l: Line): string {
  return l.code ? ' '.repeat(l.indent) + l.code.replace(/[ \t]+$/, '') : '';
}
