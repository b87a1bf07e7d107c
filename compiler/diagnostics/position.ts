/** Offsets become 1-based line:column only when printed. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Start offsets of every line; build once per file, then look positions up by binary search. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function lineColumn(text: string, offset: number, starts: readonly number[] = lineStarts(text)): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= clamped) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: clamped - starts[lo]! + 1 };
}
