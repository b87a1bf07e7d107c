/**
 * Loads a generated model module from JavaScript text without writing a file: its two imports are
 * pointed at absolute file URLs — tfjs-core as this process resolves it (so the module shares the
 * engine the backends registered into) and this runtime's entry — and the text is imported from a
 * data: URL, which may import absolute URLs only.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GnetError } from './errors.js';
import type { GeneratedModule } from './generated-module.js';

const TFJS_CORE = '@tensorflow/tfjs-core';
/** What generated modules import the runtime as unless compiled with another specifier. */
export const DEFAULT_RUNTIME_SPECIFIER = 'gnet/runtime';

/**
 * runtime/index.ts beside this file when running the TypeScript sources (tsx); in the esbuild bundle
 * this code sits either in dist/runtime/index.js itself or in a shared chunk in dist/.
 */
export function runtimeEntryUrl(): string {
  const candidates = ['./index.ts', './index.js', './runtime/index.js'].map((path) => new URL(path, import.meta.url));
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!found) throw new GnetError('GN9032', `cannot find the gnet runtime entry near ${import.meta.url}; rebuild gnet (npm run build)`);
  return found.href;
}

/** Comments, whitespace and `import * as x from "…"` statements at the top of a module, one at a time. */
const PRELUDE_ITEM = /\s+|\/\/[^\n\r\u2028\u2029]*|\/\*[\s\S]*?\*\/|import\s+\*\s+as\s+[A-Za-z_$][\w$]*\s+from\s+(["'])([^"'\\\r\n]*)\1\s*;?/y;

/** The module text with its leading imports' specifiers replaced by `urls`; any other import is refused. */
export function rewriteImports(js: string, urls: ReadonlyMap<string, string>): string {
  const pieces: string[] = [];
  let at = 0;
  for (PRELUDE_ITEM.lastIndex = 0; ; PRELUDE_ITEM.lastIndex = at) {
    const match = PRELUDE_ITEM.exec(js);
    if (!match) break;
    const specifier = match[2];
    const url = specifier === undefined ? undefined : urls.get(specifier);
    if (specifier !== undefined && url === undefined) {
      throw new GnetError('GN9031', `a generated module may import only ${[...urls.keys()].join(' and ')}, not '${specifier}'; compile the spec again with gnet compile`);
    }
    // A replacer function, so `$` in a path is not read as a replacement pattern.
    pieces.push(url === undefined ? match[0] : match[0].replace(`${match[1]}${specifier}${match[1]}`, () => JSON.stringify(url)));
    at = PRELUDE_ITEM.lastIndex;
  }
  return pieces.join('') + js.slice(at);
}

function checkExports(module: Record<string, unknown>): GeneratedModule {
  const missing = ['createWeights', 'forward', 'constrain'].filter((name) => typeof module[name] !== 'function');
  if (typeof module.meta !== 'object' || module.meta === null) missing.unshift('meta');
  if (missing.length > 0) throw new GnetError('GN9030', `the module does not export ${missing.join(', ')}; load a module made by gnet compile`);
  return module as unknown as GeneratedModule;
}

export interface ImportOptions {
  /** The runtime specifier the module was compiled with (default 'gnet/runtime'). */
  readonly runtimeSpecifier?: string;
  /** Names the module in stack traces (`gnet-generated:///<name>.js`) instead of its whole data: URL. */
  readonly name?: string;
}

/** Imports generated JavaScript in memory. */
export async function importGenerated(js: string, options: ImportOptions = {}): Promise<GeneratedModule> {
  const urls = new Map([
    [TFJS_CORE, import.meta.resolve(TFJS_CORE)],
    [options.runtimeSpecifier ?? DEFAULT_RUNTIME_SPECIFIER, runtimeEntryUrl()],
  ]);
  const sourceUrl = `gnet-generated:///${encodeURIComponent(options.name ?? 'module')}.js`;
  const source = `${rewriteImports(js, urls)}\n//# sourceURL=${sourceUrl}\n`;
  const module = (await import(`data:text/javascript;base64,${Buffer.from(source, 'utf8').toString('base64')}`)) as Record<string, unknown>;
  return checkExports(module);
}
