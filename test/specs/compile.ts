/** Compiles zoo specs from disk and analyses every network, collecting all diagnostics. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Shape } from '../../compiler/ir/ir.js';
import { compileProgram } from '../../compiler/program.js';

export const SPECS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../specs');

export interface CompiledSpec {
  readonly diagnostics: readonly Diagnostic[];
  readonly networks: ReadonlyMap<string, Analysis>;
}

const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const cache = new Map<string, CompiledSpec>();

/** `file` is relative to specs/, e.g. "resnet50.gnet" or "examples/shared.gnet". */
export function compileSpec(file: string): CompiledSpec {
  const cached = cache.get(file);
  if (cached) return cached;
  const program = compileProgram(join(SPECS_DIR, file), { readFile });
  const diagnostics = [...program.diagnostics];
  const networks = new Map<string, Analysis>();
  for (const graph of program.graphs) networks.set(graph.name, analyzeGraph(graph, {}, (d) => diagnostics.push(d)));
  const compiled = { diagnostics, networks };
  cache.set(file, compiled);
  return compiled;
}

export function network(file: string, name: string): Analysis {
  const analysis = compileSpec(file).networks.get(name);
  if (!analysis) throw new Error(`${file} has no network ${name}`);
  return analysis;
}

/** The shape of a named value: the last node built under that name (or an output's node). */
export function valueShape(analysis: Analysis, value: string): Shape | null {
  const output = analysis.graph.outputs.find((o) => o.name === value);
  const named = analysis.graph.nodes.filter((n) => n.path[0] === value);
  const node = output ? analysis.graph.nodes[output.node] : named[named.length - 1];
  if (!node) throw new Error(`${analysis.graph.name} has no value ${value}`);
  return analysis.rows[node.id]!.shape;
}

/** Every .gnet file of the zoo, relative to specs/. */
export function zooFiles(): string[] {
  return readdirSync(SPECS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.gnet'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

/** One line per diagnostic, for readable assertion failures. */
export const describe = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.primary.span.file}:${d.primary.span.start} ${d.message}`);
