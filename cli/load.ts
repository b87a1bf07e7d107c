import { resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { renderDiagnostic } from '../compiler/diagnostics/render.js';
import { compileProgram, type CompileOptions, type Program } from '../compiler/program.js';
import { fileHost } from './host.js';

export interface Loaded {
  readonly programs: readonly Program[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  readonly failed: boolean;
}

/** Compiles every file; diagnostics of all files together, with every source for rendering. */
export function loadSpecs(files: readonly string[], options: CompileOptions = {}): Loaded {
  const programs = files.map((f) => compileProgram(resolve(f), fileHost, options));
  const sources = new Map(programs.flatMap((p) => [...p.sources]));
  const diagnostics = programs.flatMap((p) => p.diagnostics);
  return { programs, diagnostics, sources, failed: hasErrors(diagnostics) };
}

/** Paths shown relative to the working directory, as the user typed them. */
export function displaySources(sources: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...sources].map(([k, v]) => [relativePath(k), v]));
}

export function relativePath(path: string): string {
  const cwd = process.cwd() + '/';
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/**
 * One line per file that declares no network (only blocks, or nothing): the command had nothing to
 * report, compile or check beyond syntax there, and says so instead of printing nothing.
 */
export function noNetworkLines(files: readonly string[], programs: readonly Program[], what: string): string[] {
  return programs.flatMap((p, i) => {
    if (p.networks.length > 0 || p.diagnostics.some((d) => d.severity === 'error')) return [];
    const blocks = p.blockNames.length ? `it defines only blocks (${p.blockNames.join(', ')}), checked when a network uses them` : 'it declares no network';
    return [`${files[i]}: no network, nothing to ${what}: ${blocks}`];
  });
}

export function printDiagnostics(loaded: Pick<Loaded, 'diagnostics' | 'sources'>, stream: NodeJS.WriteStream = process.stderr): void {
  for (const d of loaded.diagnostics) {
    const shown = { ...d, primary: { ...d.primary, span: { ...d.primary.span, file: relativePath(d.primary.span.file) } }, secondary: d.secondary?.map((l) => ({ ...l, span: { ...l.span, file: relativePath(l.span.file) } })) };
    stream.write(renderDiagnostic(shown, displaySources(loaded.sources), { color: stream.isTTY }) + '\n\n');
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = loaded.diagnostics.length - errors;
  if (errors || warnings) stream.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
}
