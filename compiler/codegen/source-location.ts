/** Where a node came from in the .gnet sources, as 1-based line and column. */
import type { Span } from '../diagnostics/diagnostic.js';
import { lineColumn, lineStarts } from '../diagnostics/position.js';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Locate = (span: Span) => SourceLocation;

/**
 * Spans are offsets; this turns them into line:column with each file's text. `displayPath` chooses how
 * a file is named in the generated module (the CLI shows paths relative to the working directory).
 */
export function sourceLocator(sources: ReadonlyMap<string, string>, displayPath: (file: string) => string = (f) => f): Locate {
  const starts = new Map<string, number[]>();
  return (span) => {
    const text = sources.get(span.file);
    if (text === undefined) throw new Error(`codegen: no source text for ${span.file}; pass the program's sources`);
    let fileStarts = starts.get(span.file);
    if (!fileStarts) starts.set(span.file, (fileStarts = lineStarts(text)));
    return { file: displayPath(span.file), ...lineColumn(text, span.start, fileStarts) };
  };
}
