import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';

/**
 * `output o = x -> conv(16, 3) relu`: in a network a pipeline never continues by itself, so a bare
 * stage written on the same line right after a pipeline is a forgotten `->`. Reported as that (one
 * error), and the stage is joined to the pipeline so that later stages check what was meant. A lone
 * name followed by a pipeline on its line is a forgotten `=` (`pool4  pool3 -> …`), read as one.
 */
export function joinMissingArrows(ast: A.SourceFile, text: string): { ast: A.SourceFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fixBody = (body: readonly A.Stmt[]): A.Stmt[] => {
    const out: A.Stmt[] = [];
    for (const raw of body) {
      const s = nested(raw, fixBody);
      const prev = out.at(-1);
      const pipeline = prev && !prev.broken ? pipelineOf(prev) : undefined;
      const sameLine = prev !== undefined && /^[ \t]+$/.test(text.slice(prev.span.end, s.span.start));
      const lone = prev?.kind === 'pipe' && prev.pipeline.stages.length === 1 ? prev.pipeline.stages[0]! : undefined;
      if (s.kind === 'pipe' && !s.broken && sameLine && lone && lone.args === null && !lone.repeat) {
        // `pool4  pool3 -> vgg(512)`: a name, then a pipeline: the `=` between them is missing.
        diagnostics.push(error('GN0003', `expected \`=\` after \`${lone.name}\``, lone.nameSpan, {
          label: 'expected `=` after this name',
          help: `bind the value: \`${lone.name} = ${text.slice(s.span.start, s.pipeline.stages[0]!.span.end)} …\``,
        }));
        out[out.length - 1] = { kind: 'assign', name: lone.name, nameSpan: lone.nameSpan, pipeline: s.pipeline, span: { ...prev!.span, end: s.span.end } };
        continue;
      }
      if (s.kind === 'pipe' && !s.broken && pipeline && sameLine) {
        const first = s.pipeline.stages[0]!;
        diagnostics.push(error('GN0003', `expected \`->\` before \`${first.name}\``, first.nameSpan, {
          label: 'expected `->` before this stage',
          help: `add the arrow: \`${text.slice(pipeline.stages.at(-1)!.span.start, pipeline.stages.at(-1)!.span.end)} -> ${first.name}\``,
        }));
        const joined: A.Pipeline = { stages: [...pipeline.stages, ...s.pipeline.stages], span: { ...pipeline.span, end: s.span.end } };
        out[out.length - 1] = { ...prev!, pipeline: joined, span: { ...prev!.span, end: s.span.end } } as A.Stmt;
        continue;
      }
      out.push(s);
    }
    return out;
  };
  const decls = ast.decls.map((d) => (d.kind === 'network' ? { ...d, body: fixBody(d.body) } : d));
  return { ast: diagnostics.length ? { ...ast, decls } : ast, diagnostics };
}

function pipelineOf(s: A.Stmt): A.Pipeline | undefined {
  return s.kind === 'assign' || s.kind === 'pipe' || (s.kind === 'output' && s.pipeline) ? s.pipeline : undefined;
}

function nested(s: A.Stmt, fix: (body: readonly A.Stmt[]) => A.Stmt[]): A.Stmt {
  if (s.kind === 'for') return { ...s, body: fix(s.body) };
  if (s.kind === 'if') return { ...s, then: fix(s.then), otherwise: fix(s.otherwise) };
  return s;
}
