/**
 * One analysis thread's view of the workspace: the open documents (as the editor has them), files
 * on disk, and one cached analysis per file. An edit drops the analyses of the edited file and of
 * the files that import it (they read it); nothing else is recomputed. A request analyses only the
 * file it asks about, when its analysis is missing. Documents are keyed by path, or by URI when
 * they have no file (uri.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../compiler/index.js';
import type { NameTable } from '../compiler/elaborate/names.js';
import { resolveNames } from '../compiler/elaborate/resolve.js';
import type { SourceFile } from '../compiler/syntax/ast.js';
import { parseSource, type ParseResult } from '../compiler/syntax/parse.js';
import { analyzeFile, type FileAnalysis } from './analysis.js';
import { isFilePath } from './uri.js';

interface Parsed {
  readonly text: string;
  readonly ast: SourceFile;
  readonly result: ParseResult;
  names?: NameTable;
}

/** Imports larger than this are not read (a spec is kilobytes; this is a stray file). */
const MAX_SPEC_BYTES = 8 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'runs']);

export class Workspace {
  private readonly open = new Map<string, { text: string; version: number }>();
  private readonly analyses = new Map<string, FileAnalysis>();
  /** Parsed files (imports, workspace-wide references), keyed by path, checked by text. */
  private readonly parsed = new Map<string, Parsed>();
  private folders: string[] = [];
  private fileList: string[] | undefined;

  /** Imported files are parsed once per text: an edit of one file never re-parses the files it imports. */
  readonly host: Host = { readFile: (path) => this.read(path), parse: (text, path) => this.parse(path, text).result };

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.fileList = undefined;
  }

  /** Opens or changes a document; returns the open files whose analysis is now stale (itself first). */
  update(path: string, text: string, version: number): string[] {
    this.open.set(path, { text, version });
    if (this.fileList && !this.fileList.includes(path) && path.endsWith('.gnet')) this.fileList.push(path);
    return this.invalidate(path);
  }

  close(path: string): string[] {
    this.open.delete(path);
    return this.invalidate(path);
  }

  /** A file changed on disk (watched-files notification). */
  changedOnDisk(path: string): string[] {
    this.parsed.delete(path);
    this.fileList = undefined;
    return this.invalidate(path);
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  version(path: string): number | undefined {
    return this.open.get(path)?.version;
  }

  openPaths(): string[] {
    return [...this.open.keys()];
  }

  /** The file's analysis, computed now only if an edit made it stale. */
  analysis(path: string): FileAnalysis {
    let a = this.analyses.get(path);
    if (!a) {
      a = analyzeFile(path, this.host, (p) => this.blocksOf(p));
      this.analyses.set(path, a);
    }
    return a;
  }

  /** The cached analysis, if still fresh (never computes). */
  cached(path: string): FileAnalysis | undefined {
    return this.analyses.get(path);
  }

  /** The resolved names of any file: from its analysis when open, else parsed from disk (cached by text). */
  namesOf(path: string): NameTable | undefined {
    if (this.open.has(path)) return this.analysis(path).names;
    const text = this.read(path);
    if (text === undefined) return undefined;
    const entry = this.parse(path, text);
    entry.names ??= resolveNames(entry.ast, text.length, (p) => this.blocksOf(p));
    return entry.names;
  }

  text(path: string): string | undefined {
    return this.read(path);
  }

  /** Every .gnet file under the workspace folders, plus the open ones. */
  files(): string[] {
    if (!this.fileList) {
      const found = new Set<string>(this.open.keys());
      for (const folder of this.folders) walk(folder, found, 0);
      this.fileList = [...found];
    }
    return this.fileList;
  }

  private invalidate(path: string): string[] {
    const stale = [path];
    this.analyses.delete(path);
    for (const [other, a] of this.analyses) {
      if (a.deps.has(path)) {
        this.analyses.delete(other);
        stale.push(other);
      }
    }
    return stale.filter((p) => this.open.has(p));
  }

  private blocksOf(path: string): ReadonlySet<string> | undefined {
    const text = this.read(path);
    if (text === undefined) return undefined;
    return new Set(this.parse(path, text).ast.decls.flatMap((d) => (d.kind === 'block' ? [d.name] : [])));
  }

  private parse(path: string, text: string): Parsed {
    const cached = this.parsed.get(path);
    if (cached && cached.text === text) return cached;
    const result = parseSource(text, path);
    const entry: Parsed = { text, ast: result.ast, result };
    this.parsed.set(path, entry);
    return entry;
  }

  private read(path: string): string | undefined {
    const doc = this.open.get(path);
    if (doc) return doc.text;
    if (!isFilePath(path)) return undefined;
    try {
      const stat = statSync(path);
      if (!stat.isFile() || stat.size > MAX_SPEC_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}

function walk(dir: string, found: Set<string>, depth: number): void {
  if (depth > 8) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name), found, depth + 1);
    else if (e.isFile() && e.name.endsWith('.gnet')) found.add(join(dir, e.name));
  }
}
