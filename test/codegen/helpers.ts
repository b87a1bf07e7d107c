/**
 * Shared by the codegen tests: every network of the model zoo (specs/, globbed at test time) and of
 * the fixtures here, compiled and analysed, plus a graph whose names and texts are hostile.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { generateModule, type GenerateOptions } from '../../compiler/codegen/index.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { compileProgram, compileSource } from '../../compiler/program.js';
import { compile } from '../../cli/commands/compile.js';
import { fileHost } from '../../cli/host.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(REPO, 'test/codegen/fixtures');

export interface Network {
  readonly graph: IRGraph;
  readonly analysis: Analysis;
  readonly sources: ReadonlyMap<string, string>;
}

const gnetFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.gnet'))
    .sort()
    .map((f) => join(dir, f));

/** The zoo in specs/ (whatever it holds when the tests run) and the fixtures that cover every block. */
export const specFiles = (): string[] => [...gnetFiles(join(REPO, 'specs')), ...gnetFiles(FIXTURES)];

const errorsOf = (ds: readonly Diagnostic[]) =>
  ds.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message} (${relative(REPO, d.primary.span.file)}@${d.primary.span.start})`);

/** A failed budget (GN0501) still describes a valid network: codegen does not depend on budgets. */
const analysisErrors = (ds: readonly Diagnostic[]) => errorsOf(ds.filter((d) => d.code !== 'GN0501'));

/** Every network of a file compiled and analysed, or the errors that stopped it. */
export function compileFile(file: string): { readonly networks: Network[]; readonly errors: string[] } {
  const program = compileProgram(resolve(file), fileHost);
  const errors = errorsOf(program.diagnostics);
  if (errors.length > 0) return { networks: [], errors };
  const networks: Network[] = [];
  for (const graph of program.graphs) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyzeGraph(graph, {}, (d) => diagnostics.push(d));
    const graphErrors = analysisErrors(diagnostics);
    if (graphErrors.length > 0) errors.push(...graphErrors);
    else networks.push({ graph, analysis, sources: program.sources });
  }
  return { networks, errors };
}

let zoo: { readonly networks: readonly Network[]; readonly failures: readonly string[] } | undefined;

/** Every network of every spec file, compiled once per test process; failures name their file. */
export function loadZoo(): { readonly networks: readonly Network[]; readonly failures: readonly string[] } {
  zoo ??= specFiles().reduce(
    (all, file) => {
      const { networks, errors } = compileFile(file);
      return { networks: [...all.networks, ...networks], failures: [...all.failures, ...errors.map((e) => `${relative(REPO, file)}: ${e}`)] };
    },
    { networks: [] as Network[], failures: [] as string[] },
  );
  return zoo;
}

export const networkNamed = (name: string): Network => {
  const found = loadZoo().networks.find((n) => n.graph.name === name);
  assert.ok(found, `network ${name} compiled`);
  return found!;
};

/** A graph built by a test, which must analyse without errors. */
export function analysed(graph: IRGraph, sources: ReadonlyMap<string, string>): Network {
  const diagnostics: Diagnostic[] = [];
  const analysis = analyzeGraph(graph, {}, (d) => diagnostics.push(d));
  assert.equal(analysisErrors(diagnostics), [], `${graph.name} analyses`);
  return { graph, analysis, sources };
}

export const displayPath = (file: string): string => relative(REPO, file);

export function generate(network: Network, options: Partial<GenerateOptions> = {}): string {
  return generateModule(network.graph, network.analysis, { sources: network.sources, displayPath, ...options });
}

/** Free text that would break out of a string, a comment or an identifier if it were pasted into code. */
export const HOSTILE = {
  doc: '*/ process.exit(1) /*\nline two */ and `template ${process.exit(2)}` \u2028 // end',
  file: '/tmp/a*/b\n process.exit(3);\u2028//.gnet',
  names: ['constructor', '__proto__', 'é.ü', '*/ process.exit(4) /*', 'a\nprocess.exit(5)', '"]; process.exit(6); ["', 'x$', '0', 'tf', 'forward', 'class'],
  network: 'Net */ process.exit(7) /*',
  output: '__proto__',
  weightKey: '"]; process.exit(8); //',
  training: { ['__proto__']: 1, 'a"b': 'x*/y', nested: { 'c\nd': [1, 'e'] } },
} as const;

/** A real graph (input, conv, relu, …) whose every name, text and path is then made hostile. */
export function hostileNetwork(): Network {
  const source = 'network N { input x: 6 x 6 x 2\n a = x -> conv(3) -> relu -> conv(3) -> batchnorm -> dropout(0.1) -> fre(1) -> relu\n output o = a }';
  const program = compileSource(source, 'hostile.gnet');
  const graph = program.graphs[0]!;
  const names = graph.nodes.map((_, i) => HOSTILE.names[i % HOSTILE.names.length]! + (i >= HOSTILE.names.length ? String(i) : ''));
  const file = HOSTILE.file;
  const hostile: IRGraph = {
    ...graph,
    name: HOSTILE.network,
    doc: HOSTILE.doc,
    file,
    span: { ...graph.span, file },
    training: HOSTILE.training,
    inputs: graph.inputs.map((i) => ({ ...i, name: names[i.node]! })),
    outputs: graph.outputs.map((o) => ({ ...o, name: HOSTILE.output, span: { ...o.span, file } })),
    nodes: graph.nodes.map((n, i) => ({ ...n, name: names[i]!, path: [names[i]!], weights: `${HOSTILE.weightKey}${i}`, span: { ...n.span, file } })),
  };
  return analysed(hostile, new Map([[file, source]]));
}

/** `gnet compile` with stdout and stderr captured. */
export async function runCompile(file: string, opts: Parameters<typeof compile>[1]) {
  const streams = { out: '', err: '' };
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((streams.out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((streams.err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await compile(file, opts), ...streams };
  } finally {
    [process.stdout.write, process.stderr.write] = [stdout, stderr];
  }
}
