/**
 * Completion: inside a call its argument names (with defaults) and the values in scope; elsewhere
 * block kinds (with argument lists and docs), the file's and imported blocks, values in scope and
 * keywords; inside an import's string the .gnet files next to this one; inside an experiment section
 * its keys and values (features/experiment-section.ts).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { BLOCKS } from '../../compiler/index.js';
import type { BlockDef } from '../../compiler/blocks/block.js';
import type { FileAnalysis } from '../analysis.js';
import { callContext } from '../call-context.js';
import { scopeAt, type NameDef } from '../../compiler/elaborate/names.js';
import { experimentCompletion } from './experiment-section.js';
import { builtin, builtinDoc, builtinSignature, defaultText, typeText, userSignature } from './describe.js';

/** What may start a top-level item, and a statement in a body. */
const DECLARATION_KEYWORDS = ['network', 'block', 'import', 'experiment'];
const STATEMENT_KEYWORDS = ['input', 'output', 'let', 'shared', 'for', 'if', 'budget', 'train', 'block'];

export interface CompletionOptions {
  /** The client announced snippet support: calls come with placeholders for their required arguments. */
  readonly snippets: boolean;
}

/** Blocks of another file (whole-file and named imports), with that file's text for their signatures. */
export type ImportedBlocks = () => { def: NameDef; text: string; from: string }[];

export function completion(file: FileAnalysis, offset: number, importedBlocks: ImportedBlocks, files: () => string[], options: CompletionOptions): CompletionItem[] {
  const text = file.text;
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const importString = /\bimport\b.*"([^"]*)$/.exec(line) ?? /^\s*from\s*"([^"]*)$/.exec(line);
  if (importString) return importPaths(file.path, files());
  const inExperiment = experimentCompletion(file, offset);
  if (inExperiment) return inExperiment;

  const scope = scopeAt(file.names, offset);
  const values = scope.visible().filter((d) => !d.implicit || d.name === 'in').filter((d) => d.kind !== 'block' && d.kind !== 'network' && d.kind !== 'import');
  const valueItems = values.map((d): CompletionItem => ({ label: d.name, kind: d.kind === 'param' || d.kind === 'loop' ? CompletionItemKind.Variable : CompletionItemKind.Value, detail: d.kind, sortText: `1${d.name}` }));

  const call = callContext(text, offset);
  if (call) {
    const args = argumentItems(file, call.name, call.named, importedBlocks);
    return call.atArgStart && !call.currentName ? [...args, ...valueItems] : valueItems;
  }
  const keyword = (k: string): CompletionItem => ({ label: k, kind: CompletionItemKind.Keyword, sortText: `3${k}` });
  // Only a name typed so far on the line: a declaration or a statement may start here. After `->` or `=`: a stage.
  const lineStart = /^\s*[A-Za-z_]*$/.test(line);
  if (lineStart && scope === file.names.root) return DECLARATION_KEYWORDS.map(keyword);
  const stages = [...blockItems(file, scope.visible(), importedBlocks, options), ...valueItems];
  return lineStart ? [...stages, ...STATEMENT_KEYWORDS.map(keyword)] : stages;
}

function argumentItems(file: FileAnalysis, callee: string, given: readonly string[], importedBlocks: ImportedBlocks): CompletionItem[] {
  const def = builtin(callee);
  if (def) {
    return Object.entries(def.args)
      .filter(([name]) => !given.includes(name))
      .map(([name, spec], i): CompletionItem => ({
        label: name,
        kind: CompletionItemKind.Field,
        detail: `${typeText(spec)}${defaultText(spec) === undefined ? ' (required)' : ` = ${defaultText(spec)}`}`,
        documentation: spec.doc,
        insertText: `${name} = `,
        sortText: `0${String(i).padStart(2, '0')}`,
      }));
  }
  const user = file.names.root.lookup(callee) ?? importedBlocks().find((b) => b.def.name === callee)?.def;
  const decl = user?.decl ?? importedBlocks().find((b) => b.def.name === callee)?.def.decl;
  return (decl?.params ?? [])
    .filter((p) => !given.includes(p.name))
    .map((p, i): CompletionItem => ({ label: p.name, kind: CompletionItemKind.Field, detail: p.default ? 'optional' : 'required', insertText: `${p.name} = `, sortText: `0${String(i).padStart(2, '0')}` }));
}

function blockItems(file: FileAnalysis, visible: readonly NameDef[], importedBlocks: ImportedBlocks, options: CompletionOptions): CompletionItem[] {
  const builtins = Object.values(BLOCKS as Record<string, BlockDef>).map((def): CompletionItem => ({
    label: def.kind,
    kind: CompletionItemKind.Function,
    detail: builtinSignature(def).label,
    documentation: { kind: MarkupKind.Markdown, value: builtinDoc(def) },
    ...callText(def.kind, def.positional.filter((n) => def.args[n]!.default === undefined), options),
    sortText: `2${def.kind}`,
  }));
  const own = visible.filter((d) => d.kind === 'block').map((d): CompletionItem => userItem(d, file.text, 'this file', options));
  const imported = importedBlocks().map(({ def, text, from }) => userItem(def, text, from, options));
  return [...own, ...imported, ...builtins];
}

function userItem(def: NameDef, text: string, from: string, options: CompletionOptions): CompletionItem {
  const sig = def.decl ? userSignature(def.decl, text).label : def.name;
  return {
    label: def.name,
    kind: CompletionItemKind.Function,
    detail: `${sig} — ${from}`,
    documentation: def.decl?.doc || undefined,
    ...callText(def.name, def.decl?.params.filter((p) => !p.default).map((p) => p.name) ?? [], options),
    sortText: `0${def.name}`,
  };
}

/** With snippets, a call with a placeholder per required argument; without, the name alone (plain text). */
function callText(name: string, required: readonly string[], options: CompletionOptions): Pick<CompletionItem, 'insertText' | 'insertTextFormat'> {
  if (!options.snippets || !required.length) return { insertText: name, insertTextFormat: InsertTextFormat.PlainText };
  return { insertText: `${name}(${required.map((n, i) => `\${${i + 1}:${n}}`).join(', ')})`, insertTextFormat: InsertTextFormat.Snippet };
}

function importPaths(path: string, workspaceFiles: string[]): CompletionItem[] {
  const dir = dirname(path);
  const near = new Set<string>(workspaceFiles.filter((f) => f !== path));
  try {
    for (const name of readdirSync(dir)) if (name.endsWith('.gnet')) near.add(join(dir, name));
  } catch {
    // An unreadable folder offers the workspace's files only.
  }
  near.delete(path);
  return [...near].map((f): CompletionItem => {
    const rel = relative(dir, f);
    const label = rel.startsWith('.') ? rel : `./${rel}`;
    return { label, kind: CompletionItemKind.File, sortText: `${label.split('/').length}${label}` };
  });
}
