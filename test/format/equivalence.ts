/** What "the formatter never changes the meaning" is checked against: the syntax tree and the IR, spans left out. */
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { formatSource } from '../../compiler/format/index.js';
import { compileProgram, type CompileOptions } from '../../compiler/program.js';
import { parseSource } from '../../compiler/syntax/parse.js';

/** JSON without positions (spans move when whitespace does; nothing else may). */
export function withoutSpans(value: unknown): string {
  return JSON.stringify(value, (key, v) => (/span$/i.test(key) ? undefined : v));
}

/** Elaborated graphs and diagnostic codes of `text` as file `path`; imports read from `files`, then the disk. */
export function meaning(text: string, path: string, files: Readonly<Record<string, string>> = {}, options: CompileOptions = {}): string {
  const entry = resolve(path);
  const others = new Map(Object.entries(files).map(([k, v]) => [resolve(dirname(entry), k), v]));
  const program = compileProgram(entry, {
    readFile: (p) => {
      if (p === entry) return text;
      if (others.has(p)) return others.get(p);
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  }, options);
  return withoutSpans({ graphs: program.graphs, codes: program.diagnostics.map((d) => `${d.code} ${d.message}`) });
}

/** Formats `text`, formats the result again, and checks both steps: idempotent, same syntax tree, same IR. */
export function assertFormatsSafely(text: string, path: string, files: Readonly<Record<string, string>> = {}, options: CompileOptions = {}): string {
  const once = formatSource(text, { file: path });
  assert.ok(once.ok, `${path} does not format: ${once.ok ? '' : once.diagnostics.map((d) => d.message).join('; ')}`);
  const twice = formatSource(once.text, { file: path });
  assert.ok(twice.ok, `${path}: the formatted text does not parse:\n${once.text}`);
  assert.fixture(twice.text, once.text, `${path}: formatting is not idempotent`);
  assert.is(twice.changed, false);
  assert.is(withoutSpans(parseSource(once.text, path).ast), withoutSpans(parseSource(text, path).ast), `${path}: the syntax tree changed:\n${once.text}`);
  assert.is(meaning(once.text, path, files, options), meaning(text, path, files, options), `${path}: the IR changed`);
  return once.text;
}
