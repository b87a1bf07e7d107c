/** Offsets become 1-based line:column only when printed. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Start offsets of every line (after \n, \r\n or a lone \r); build once per file, then look positions up by binary search. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** Offset one past the last character of 1-based `line`, its line break left out. */
export function lineEnd(text: string, line: number, starts: readonly number[] = lineStarts(text)): number {
  let end = line < starts.length ? starts[line]! : text.length;
  if (end > starts[line - 1]! && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[line - 1]! && text.charCodeAt(end - 1) === 13) end--;
  return end;
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
