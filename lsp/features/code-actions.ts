/**
 * Quick fixes from a diagnostic's help where the fix is mechanical: "did you mean `stride`?" replaces
 * the misspelt name; "write `let w = …`" puts the `let` in (GN0015); "use size = 5 or size = 7" /
 * "use filters = 8 or 12, or bases = 2" set that argument of the call under the diagnostic (nearest
 * valid size, nearest divisor).
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis.js';
import type { Stage } from '../../compiler/syntax/ast.js';
import { BLOCKS } from '../../compiler/index.js';
import type { BlockDef } from '../../compiler/blocks/block.js';

interface HelpData {
  readonly help?: string;
  readonly start: number;
  readonly end: number;
}

export function codeActions(file: FileAnalysis, uri: string, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const data = diagnostic.data as HelpData | undefined;
    if (!data?.help) continue;
    const fix = (title: string, edit: TextEdit, preferred: boolean): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: preferred,
      edit: { changes: { [uri]: [edit] } },
    });
    const meant = /did you mean `([^`]+)`\?/.exec(data.help);
    if (meant) {
      actions.push(fix(`Change to \`${meant[1]}\``, { range: file.lines.range(data), newText: meant[1]! }, true));
      continue;
    }
    const named = /write `(let (\w+) = [^`]*)`/.exec(data.help);
    const at = named ? letPosition(file.text, data.start, named[2]!) : undefined;
    if (named && at !== undefined) {
      actions.push(fix(`Write \`${named[1]}\``, { range: file.lines.range({ start: at, end: at }), newText: 'let ' }, true));
      continue;
    }
    const stage = stageAt(file, data.start, data.end);
    if (!stage) continue;
    argumentChoices(data.help).forEach(({ name, value }, i) => {
      const edit = setArgument(file, stage, name, value);
      if (edit) actions.push(fix(`Set \`${name} = ${value}\``, edit, i === 0));
    });
  }
  return actions;
}

/** "use size = 5 or size = 7" / "use filters = 8 or 16, or bases = 1 or 3" → (name, value) pairs in order. */
export function argumentChoices(help: string): { name: string; value: string }[] {
  if (!help.startsWith('use ')) return [];
  const choices: { name: string; value: string }[] = [];
  let name: string | undefined;
  for (const part of help.slice(4).split(/,? or /)) {
    const m = /^\s*(?:(\w+) = )?(\[[^\]]*\]|-?[\w.]+)\s*$/.exec(part);
    if (!m) return [];
    name = m[1] ?? name;
    if (!name) return [];
    choices.push({ name, value: m[2]! });
  }
  return choices;
}

/** Where `name = …` starts on the line holding `offset` (GN0015: `let` goes there). */
function letPosition(text: string, offset: number, name: string): number | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = new RegExp(`^(\\s*(?:[{;]\\s*)?)${name}\\s*=`).exec(text.slice(lineStart, offset));
  return m ? lineStart + m[1]!.length : undefined;
}

function stageAt(file: FileAnalysis, start: number, end: number): Stage | undefined {
  return file.names.calls.find(({ stage }) => stage.span.start === start && stage.span.end === end)?.stage;
}

/** Replaces the argument (named or positional) or appends it to the call. */
function setArgument(file: FileAnalysis, stage: Stage, name: string, value: string): TextEdit | undefined {
  const args = stage.args ?? [];
  const def = (BLOCKS as Record<string, BlockDef>)[stage.name];
  const position = def ? def.positional.indexOf(name) : -1;
  const existing = args.find((a) => a.name === name) ?? (position >= 0 ? args.filter((a) => !a.name)[position] : undefined);
  if (existing && (existing.name || args.indexOf(existing) === position)) return { range: file.lines.range(existing.value.span), newText: value };
  if (stage.args === null) return { range: file.lines.range({ start: stage.nameSpan.end, end: stage.nameSpan.end }), newText: `(${name} = ${value})` };
  const close = file.text.lastIndexOf(')', stage.span.end);
  if (close < stage.span.start) return undefined;
  return { range: file.lines.range({ start: close, end: close }), newText: `${args.length ? ', ' : ''}${name} = ${value}` };
}
