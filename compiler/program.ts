import { dirname, resolve } from 'node:path';
import { error, sortDiagnostics, type Diagnostic, type Span } from './diagnostics/diagnostic.js';
import { Elaborator } from './elaborate/elaborate.js';
import { checkExperiments } from './experiment/check.js';
import type { Experiment } from './experiment/experiment.js';
import { ERROR } from './elaborate/values.js';
import { Scope } from './elaborate/scope.js';
import { UseLog } from './elaborate/uses.js';
import type { IRGraph } from './ir/ir.js';
import type { BlockDecl, NetworkDecl, SourceFile } from './syntax/ast.js';
import { parseSource, type ParseResult } from './syntax/parse.js';
import { closestName } from './util/closest.js';

/** Where source files come from: the file system for the CLI, a map in tests and in the browser. */
export interface Host {
  readFile(path: string): string | undefined;
  /** Parses a file's text; a host may return a cached result for unchanged text (the language server does). */
  parse?(text: string, path: string): ParseResult;
}

export interface CompileOptions {
  /** Network parameter overrides (`--param base=16`). */
  readonly params?: ReadonlyMap<string, number | string>;
  /** Only elaborate this network (all networks of the entry file when absent). */
  readonly network?: string;
  /** Record what every name the elaborator looks up is bound to (`Program.uses`; the editor's rename). */
  readonly recordUses?: boolean;
  /**
   * Elaborate declarations whose name or parameters did not parse, with what recovery kept of
   * them: the editor's shapes and hovers for the rest of a file being typed. Their diagnostics
   * would be guesses; a caller reads the graphs, not the diagnostics.
   */
  readonly lenient?: boolean;
}

export interface Program {
  readonly graphs: readonly IRGraph[];
  readonly diagnostics: readonly Diagnostic[];
  /** Text of every file read, by path, for rendering diagnostics and reports. */
  readonly sources: ReadonlyMap<string, string>;
  /** Every network declared in the entry file, elaborated or not. */
  readonly networks: readonly string[];
  /** The top-level blocks of the entry file. */
  readonly blockNames: readonly string[];
  /** Syntax tree of every file read, by path (editor tooling reuses them instead of parsing again). */
  readonly syntax: ReadonlyMap<string, SourceFile>;
  /** The entry file's `experiment { … }` sections, checked (read them with `experimentsOf`). */
  readonly experiments: readonly Experiment[];
  /** Every network the entry file's experiments may name (its own, then imported), with the file declaring it. */
  readonly experimentNetworks: ReadonlyMap<string, string>;
  /** With `recordUses`: what each name looked up while elaborating is bound to. */
  readonly uses?: UseLog;
}

interface LoadedFile {
  readonly ast: SourceFile;
  readonly scope: Scope;
  /** Networks of other files that its imports name (for its experiments), by name: the file declaring each. */
  readonly importedNetworks: ReadonlyMap<string, string>;
}

/** Source files → IR graphs: parse every file reachable through imports, then elaborate the entry file's networks. */
export function compileProgram(entry: string, host: Host, options: CompileOptions = {}): Program {
  const diagnostics: Diagnostic[] = [];
  const accept = (d: Diagnostic) => diagnostics.push(d);
  const sources = new Map<string, string>();
  const syntax = new Map<string, SourceFile>();
  const loaded = new Map<string, LoadedFile>();
  const loading: string[] = [];

  const load = (path: string, from?: Span): LoadedFile | undefined => {
    const done = loaded.get(path);
    if (done) return done;
    if (loading.includes(path)) {
      accept(error('GN0603', `import cycle: ${[...loading.slice(loading.indexOf(path)), path].join(' → ')}`, from!, { help: 'move the shared blocks into a third file that both import' }));
      return undefined;
    }
    const text = host.readFile(path);
    if (text === undefined) {
      if (from) accept(error('GN0601', `cannot read \`${path}\``, from, { help: 'import paths are relative to the importing file' }));
      else accept(error('GN0601', `cannot read \`${path}\``, { file: path, start: 0, end: 0 }));
      return undefined;
    }
    sources.set(path, text);
    const { ast, diagnostics: parseDiagnostics } = host.parse?.(text, path) ?? parseSource(text, path);
    parseDiagnostics.forEach(accept);
    syntax.set(path, ast);
    loading.push(path);
    const scope = new Scope();
    const importedNetworks = new Map<string, string>();
    for (const decl of ast.decls) {
      if (decl.kind !== 'import') continue;
      // An empty path comes from a string the parser already reported as broken.
      const spec = decl.path ? isSpecPath(decl.path, decl.pathSpan, accept) : false;
      const imported = spec ? load(resolve(dirname(path), decl.path), decl.pathSpan) : undefined;
      if (!imported) {
        if (decl.names) for (const { name, span } of decl.names) scope.define(name, { kind: 'value', value: ERROR, span });
        else scope.markIncomplete();
        continue;
      }
      const blocks = topLevelBlocks(imported.ast);
      const importedPath = resolve(dirname(path), decl.path);
      // A network is imported only for the file's experiments to name; it is no block to call.
      const networkNames = new Set(imported.ast.decls.flatMap((d) => (d.kind === 'network' ? [d.name] : [])));
      if (!decl.names) for (const name of networkNames) importedNetworks.set(name, importedPath);
      const wanted = decl.names ?? [...blocks.keys()].map((name) => ({ name, span: decl.pathSpan }));
      for (const { name, span } of wanted) {
        const block = blocks.get(name);
        if (!block && networkNames.has(name)) importedNetworks.set(name, importedPath);
        else if (!block) {
        scope.define(name, { kind: 'value', value: ERROR, span });
          const suggestion = closestName(name, blocks.keys());
          accept(error('GN0602', `\`${decl.path}\` has no block \`${name}\``, span, { help: suggestion ? `did you mean \`${suggestion}\`?` : `it defines: ${[...blocks.keys()].join(', ') || 'no blocks'}` }));
        } else scope.define(name, { kind: 'block', decl: block, scope: imported.scope });
      }
    }
    const seen = new Map<string, Span>();
    for (const decl of ast.decls) {
      if (decl.kind === 'import') continue;
      const previous = seen.get(decl.name);
      if (previous) {
        accept(error('GN0211', `\`${decl.name}\` is declared twice in this file`, decl.nameSpan, { secondary: [{ span: previous, label: 'first declared here' }] }));
        continue;
      }
      seen.set(decl.name, decl.nameSpan);
      if (decl.kind === 'block') scope.define(decl.name, { kind: 'block', decl, scope });
    }
    loading.pop();
    const file = { ast, scope, importedNetworks };
    loaded.set(path, file);
    return file;
  };

  const root = load(entry);
  const networks = root ? root.ast.decls.filter((d): d is NetworkDecl => d.kind === 'network') : [];
  const graphs: IRGraph[] = [];
  const uses = options.recordUses ? new UseLog() : undefined;
  const selected = options.network ? networks.filter((n) => n.name === options.network) : networks;
  if (root && options.network && selected.length === 0) {
    const suggestion = closestName(options.network, networks.map((n) => n.name));
    accept(error('GN0210', `no network \`${options.network}\` in ${entry}`, { file: entry, start: 0, end: 0 }, {
      help: suggestion ? `did you mean \`${suggestion}\`?` : `networks here: ${networks.map((n) => n.name).join(', ') || 'none'}`,
    }));
  }
  for (const decl of selected) {
    // A network whose name or parameters did not parse is not guessed at; its syntax error is reported.
    if (decl.broken === 'header' && !options.lenient) continue;
    const overrides = new Map(options.params ?? []);
    for (const name of overrides.keys()) {
      if (!decl.params.some((p) => p.name === name)) {
        accept(error('GN0210', `network \`${decl.name}\` has no parameter \`${name}\``, decl.nameSpan, { help: `its parameters: ${decl.params.map((p) => p.name).join(', ') || 'none'}` }));
        overrides.delete(name);
      }
    }
    graphs.push(new Elaborator(accept, undefined, uses, options.lenient).network(decl, root!.scope, overrides));
  }
  const blockNames = root ? [...topLevelBlocks(root.ast).keys()] : [];
  const experimentNetworks = new Map(networks.map((n) => [n.name, entry]));
  for (const [name, file] of root?.importedNetworks ?? []) if (!experimentNetworks.has(name)) experimentNetworks.set(name, file);
  // Text cut out as junk (GN0003) may have held a network: an experiment naming it is not called wrong.
  const textDropped = diagnostics.some((d) => d.code === 'GN0003' && d.primary.span.file === entry);
  const experiments = root ? checkExperiments(root.ast.experiments, experimentNetworks, accept, textDropped) : [];
  return { graphs, diagnostics: sortDiagnostics(diagnostics), sources, networks: networks.map((n) => n.name), blockNames, syntax, experiments, experimentNetworks, ...(uses ? { uses } : {}) };
}

/**
 * Only `.gnet` specs are imported: any other file (a system file, a Python module, a spec's JSON
 * report) would be parsed as a spec and its lines echoed into diagnostics. Refused unread.
 */
function isSpecPath(path: string, span: Span, accept: (d: Diagnostic) => void): boolean {
  if (path.endsWith('.gnet')) return true;
  accept(error('GN0604', `\`${path}\` is not a .gnet spec; only .gnet files can be imported`, span, {
    help: /\.[^./]*$/.test(path) || path.startsWith('/') ? 'import the .gnet file that defines the blocks' : `did you mean \`${path}.gnet\`?`,
  }));
  return false;
}

function topLevelBlocks(ast: SourceFile): Map<string, BlockDecl> {
  return new Map(ast.decls.filter((d): d is BlockDecl => d.kind === 'block').map((d) => [d.name, d]));
}

/** Compiles source text held in memory (tests, the browser): imports resolve within `files`. */
export function compileSource(text: string, file = 'main.gnet', files: Record<string, string> = {}, options: CompileOptions = {}): Program {
  const all = new Map(Object.entries({ ...files, [file]: text }).map(([k, v]) => [resolve(k), v]));
  return compileProgram(resolve(file), { readFile: (p) => all.get(p) }, options);
}
