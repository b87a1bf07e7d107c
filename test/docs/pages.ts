/**
 * Reads the diagnostic pages docs/diagnostics/GNxxxx.md: the title, and the failing and fixed
 * examples. A section starts at a line beginning with `Failing` or `Fixed`; in it, one ```gnet block
 * is main.gnet (its info string may carry `--param NAME=VALUE` and `--network NAME`, as on the
 * command line) and ```gnet file=PATH blocks are the other files it imports. File blocks above the
 * first section belong to both examples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CODES, type GnCode } from '../../compiler/diagnostics/codes.js';
import type { CompileOptions } from '../../compiler/program.js';

export interface Example {
  readonly main: string;
  readonly files: Readonly<Record<string, string>>;
  readonly options: CompileOptions;
}

export interface Page {
  readonly code: string;
  /** The short meaning after the code in the title line. */
  readonly meaning: string;
  readonly failing: Example;
  readonly fixed: Example;
}

export const PAGES_DIR = new URL('../../docs/diagnostics/', import.meta.url);

/** The pages of the compiler's codes: only those have a failing and a fixed spec (the others show runs). */
export function pageFiles(): string[] {
  return readdirSync(PAGES_DIR)
    .filter((name) => /^GN\d{4}\.md$/.test(name) && CODES[name.slice(0, 6) as GnCode]?.area === 'compile')
    .sort();
}

export function readPage(name: string): Page {
  const text = readFileSync(new URL(name, PAGES_DIR), 'utf8');
  const title = /^# (GN\d{4}): (.+)\n/.exec(text);
  if (!title) throw new Error(`${name}: the first line must be "# GNxxxx: meaning"`);
  const [shared, failing, fixed, ...extra] = text.split(/^(?=Failing|Fixed)/m);
  if (!failing?.startsWith('Failing') || !fixed?.startsWith('Fixed') || extra.length > 0) {
    throw new Error(`${name}: expected one "Failing" section, then one "Fixed" section`);
  }
  const common = fences(shared!);
  if (common.some((f) => f.file === undefined)) throw new Error(`${name}: a main gnet block above "Failing"`);
  return { code: title[1]!, meaning: title[2]!, failing: example(name, [...common, ...fences(failing)]), fixed: example(name, [...common, ...fences(fixed)]) };
}

interface Fence {
  readonly file?: string;
  readonly flags: string;
  readonly body: string;
}

function fences(section: string): Fence[] {
  return [...section.matchAll(/^```gnet([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => {
    const info = m[1]!.trim();
    const file = /^file=(\S+)$/.exec(info)?.[1];
    return file === undefined ? { flags: info, body: m[2]! } : { file, flags: '', body: m[2]! };
  });
}

function example(name: string, found: readonly Fence[]): Example {
  const mains = found.filter((f) => f.file === undefined);
  if (mains.length !== 1) throw new Error(`${name}: each example needs exactly one main gnet block, found ${mains.length}`);
  const files = Object.fromEntries(found.filter((f) => f.file !== undefined).map((f) => [f.file!, f.body]));
  return { main: mains[0]!.body, files, options: parseFlags(name, mains[0]!.flags) };
}

/** `--param NAME=VALUE` (repeatable; numbers as numbers) and `--network NAME`, as `gnet check` takes them. */
function parseFlags(name: string, flags: string): CompileOptions {
  const words = flags.split(/\s+/).filter(Boolean);
  const params = new Map<string, number | string>();
  let network: string | undefined;
  for (let i = 0; i < words.length; i += 2) {
    const [flag, value] = [words[i], words[i + 1]];
    const param = value === undefined ? null : /^(\w+)=(.+)$/.exec(value);
    if (flag === '--network' && value !== undefined) network = value;
    else if (flag === '--param' && param) params.set(param[1]!, Number.isFinite(Number(param[2])) ? Number(param[2]) : param[2]!);
    else throw new Error(`${name}: unknown flags "${flags}" on a gnet block`);
  }
  return { ...(params.size > 0 ? { params } : {}), ...(network === undefined ? {} : { network }) };
}
