/**
 * Editor hovers in the compiler worker: the language server's own hover (lsp/features/hover.ts: a
 * block call's output shape, trainable and non-trainable parameters, multiply-adds, receptive field)
 * over the last compile's program and analyses, so a hover costs no second compile. The LSP modules
 * it uses import only the compiler (and node:path, which the bundle maps to path-browserify).
 */
import type { Analysis } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Program } from '../../compiler/program.js';
import { parseSource } from '../../compiler/syntax/parse.js';
import { FileAnalysis } from '../../lsp/analysis.js';
import { hover } from '../../lsp/features/hover.js';
import { EXAMPLES } from 'gnet:examples';
import type { HoverRequest, HoverResult } from './protocol.js';

interface Compiled {
  readonly path: string;
  readonly text: string;
  readonly program: Program;
  readonly analyses: readonly Analysis[];
  readonly diagnostics: readonly Diagnostic[];
}

let last: Compiled | undefined;
let file: FileAnalysis | undefined;

/** Called by every compile: the next hover reads this one. */
export function rememberCompile(compiled: Compiled): void {
  last = compiled;
  file = undefined;
}

/** The block names an imported bundled file declares (for names the file imports). */
function blocksOf(path: string): ReadonlySet<string> | undefined {
  const text = path === last?.path ? last.text : EXAMPLES[path];
  if (text === undefined) return undefined;
  return new Set(parseSource(text, path).ast.decls.flatMap((d) => (d.kind === 'block' ? [d.name] : [])));
}

/** The hover at the request's offset; compiles first when the text is not the last compiled one. */
export function blockHover(request: HoverRequest, compile: (path: string, text: string) => unknown): HoverResult {
  if (!last || last.path !== request.path || last.text !== request.text) compile(request.path, request.text);
  if (!last) return { kind: 'hover', id: request.id };
  file ??= new FileAnalysis(last.path, last.text, last.program, last.analyses, last.diagnostics, blocksOf);
  const analysis = file;
  const result = hover(analysis, request.offset, () => undefined);
  if (!result) return { kind: 'hover', id: request.id };
  const contents = result.contents as { value: string };
  const range = result.range;
  return {
    kind: 'hover',
    id: request.id,
    markdown: contents.value,
    from: range ? analysis.lines.offset(range.start) : request.offset,
    to: range ? analysis.lines.offset(range.end) : request.offset,
  };
}
