/**
 * The editor inside an `experiment { … }` section: completion of its keys (its own and the train
 * keys that override every run), of the file's networks in `networks = [...]` and of the words a
 * key takes (`metric`, `backend`, `train_sizes`); hover on a key. Read from the text, so it works
 * while the section is half written and does not parse yet.
 */
import { dirname, relative } from 'node:path';
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover } from 'vscode-languageserver';
import type { IToken } from 'chevrotain';
import { EXPERIMENT_BACKENDS, EXPERIMENT_KEYS, EXPERIMENT_METRICS, SET_PER_RUN, TRAIN_KEYS } from '../../compiler/experiment/index.js';
import { GnetLexer } from '../../compiler/syntax/tokens.js';
import type { FileAnalysis } from '../analysis.js';
import { contains } from '../positions.js';

/** Where the cursor is in a section: at a key, or in the value of `key`. */
type Place = { readonly kind: 'key'; readonly set: ReadonlySet<string> } | { readonly kind: 'value'; readonly key: string; readonly listed: readonly string[] };

const OPENERS = new Set(['LBracket', 'LParen']);
const CLOSERS = new Set(['RBracket', 'RParen']);

/** Completion items inside an experiment section; undefined when the cursor is not in one. */
export function experimentCompletion(file: FileAnalysis, offset: number): CompletionItem[] | undefined {
  const place = placeAt(file.text, offset);
  if (!place) return undefined;
  if (place.kind === 'key') return keyItems(place.set);
  switch (place.key) {
    case 'networks': return networkItems(file, place.listed);
    case 'metric': return words(EXPERIMENT_METRICS, 'metric');
    case 'backend': return words(EXPERIMENT_BACKENDS, 'backend');
    case 'train_sizes': return place.listed.includes('all') ? [] : words(['all'], 'every image of the training pool');
    default: return [];
  }
}

/** Hover on a key of an experiment section: what it sets. */
export function experimentHover(file: FileAnalysis, offset: number): Hover | null {
  for (const x of file.names.ast.experiments) {
    if (!contains(x.span, offset)) continue;
    const entry = x.entries.find((e) => contains(e.keySpan, offset));
    if (!entry) return null;
    const lines = keyDoc(entry.key);
    return lines ? { contents: { kind: MarkupKind.Markdown, value: lines }, range: file.lines.range(entry.keySpan) } : null;
  }
  return null;
}

function keyDoc(key: string): string | undefined {
  const own = Object.hasOwn(EXPERIMENT_KEYS, key) ? EXPERIMENT_KEYS[key] : undefined;
  if (own) return `\`${key} = ${own.value}\`\n\n${own.doc[0]!.toUpperCase()}${own.doc.slice(1)}.`;
  if (Object.hasOwn(SET_PER_RUN, key)) return `\`${key}\` is set per run in an experiment: ${SET_PER_RUN[key]}.`;
  if (Object.hasOwn(TRAIN_KEYS, key)) return `Train key \`${key}\`: overrides the \`train\` section of every network, for every run of this experiment.`;
  return undefined;
}

function keyItems(set: ReadonlySet<string>): CompletionItem[] {
  const own = Object.entries(EXPERIMENT_KEYS).map(([key, k], i): CompletionItem => ({
    label: key,
    kind: CompletionItemKind.Property,
    detail: k.value,
    documentation: k.doc,
    insertText: `${key} = `,
    sortText: `0${String(i).padStart(2, '0')}`,
  }));
  const train = Object.keys(TRAIN_KEYS)
    .filter((key) => !Object.hasOwn(EXPERIMENT_KEYS, key) && !Object.hasOwn(SET_PER_RUN, key))
    .map((key): CompletionItem => ({
      label: key,
      kind: CompletionItemKind.Field,
      detail: 'train key',
      documentation: `overrides every network's train section for every run`,
      insertText: `${key} = `,
      sortText: `1${key}`,
    }));
  return [...own, ...train].filter((item) => !set.has(item.label));
}

function networkItems(file: FileAnalysis, listed: readonly string[]): CompletionItem[] {
  return [...file.program.experimentNetworks]
    .filter(([name]) => !listed.includes(name))
    .map(([name, from], i): CompletionItem => {
      const doc = file.names.root.defs.get(name)?.decl?.doc;
      const detail = from === file.path ? 'network' : `network — ${relative(dirname(file.path), from)}`;
      return { label: name, kind: CompletionItemKind.Class, detail, ...(doc ? { documentation: doc } : {}), sortText: `0${String(i).padStart(3, '0')}` };
    });
}

function words(values: readonly string[], detail: string): CompletionItem[] {
  return values.map((label, i): CompletionItem => ({ label, kind: CompletionItemKind.EnumMember, detail, sortText: `0${i}` }));
}

/** The section around `offset` (its `{`), found in the text: the last `experiment … {` before it whose `}` is not yet passed. */
function placeAt(text: string, offset: number): Place | undefined {
  let open = -1;
  for (const m of text.slice(0, offset).matchAll(/\bexperiment\b(?:\s+[A-Za-z_]\w*)?\s*\{/g)) open = m.index! + m[0].length - 1;
  if (open < 0) return undefined;
  const before = tokensOf(text.slice(open + 1, offset));
  // The word being typed is not yet part of what the cursor follows.
  const last = before.at(-1);
  if (last && last.tokenType.name === 'Identifier' && last.endOffset! + 1 === offset - open - 1) before.pop();
  let depth = 0;
  let key: string | undefined;
  let listed: string[] = [];
  const set = new Set<string>();
  for (const [i, t] of before.entries()) {
    const name = t.tokenType.name;
    if (name === 'RCurly' && depth === 0) return undefined; // the section closed before the cursor
    if (OPENERS.has(name)) depth++;
    else if (CLOSERS.has(name)) depth = Math.max(0, depth - 1);
    else if (name === 'Identifier' && depth === 0 && before[i + 1]?.tokenType.name === 'Equals') {
      key = t.image;
      set.add(key);
      listed = [];
    } else if (name === 'Identifier' && depth <= 1) listed.push(t.image);
  }
  for (const key of keysAfter(text, offset)) set.add(key);
  const prev = before.at(-1)?.tokenType.name;
  const inValue = depth > 0 || prev === 'Equals' || prev === 'Comma';
  return key !== undefined && inValue ? { kind: 'value', key, listed } : { kind: 'key', set };
}

/** Keys set after the cursor, up to the section's `}`: completion does not offer them again. */
function keysAfter(text: string, offset: number): string[] {
  const tokens = tokensOf(text.slice(offset));
  const keys: string[] = [];
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    const name = t.tokenType.name;
    if (name === 'RCurly' && depth === 0) break;
    if (OPENERS.has(name) || name === 'LCurly') depth++;
    else if (CLOSERS.has(name) || name === 'RCurly') depth--;
    else if (name === 'Identifier' && depth === 0 && tokens[i + 1]?.tokenType.name === 'Equals' && t.startOffset > 0) keys.push(t.image);
  }
  return keys;
}

function tokensOf(text: string): IToken[] {
  return GnetLexer.tokenize(text).tokens;
}
