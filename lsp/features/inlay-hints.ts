/** Inlay hints: the output shape after each pipeline stage that calls a block (`-> conv(16, 3)`: 32×32×16). */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis.js';

const MAX_SHAPES = 3;

export function inlayHints(file: FileAnalysis, start: number, end: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const { stage, target } of file.names.calls) {
    if (stage.span.end < start || stage.span.start > end) continue;
    const instances = target.kind === 'builtin' ? file.nodesOfStage(stage.span) : file.nodesOfCall(stage.span);
    const shapes = [...new Set(instances.map((i) => i.blocks[i.blocks.length - 1]!.outputShape).filter((s) => s !== null).map((s) => s!.join('×')))];
    if (!shapes.length) continue;
    const label = shapes.length > MAX_SHAPES ? `${shapes.slice(0, MAX_SHAPES).join(' | ')} | …` : shapes.join(' | ');
    hints.push({ position: file.lines.position(stage.span.end), label: `: ${label}`, kind: InlayHintKind.Type, paddingLeft: false, paddingRight: true });
  }
  return hints;
}
