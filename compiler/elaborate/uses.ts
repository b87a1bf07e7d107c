import type { Span } from '../diagnostics/diagnostic.js';
import type { Binding } from './scope.js';

/** Where a looked-up name was bound: the name span of its definition, or a block's implicit `in`. */
export type UseSite = Span | 'in';

/**
 * What the elaborator bound each name it looked up to, by file and start offset of the use (a use
 * inside a loop or a block called twice may be bound to several sites). The editor holds name
 * resolution (resolve.ts) to it before a rename.
 */
export class UseLog {
  private readonly byFile = new Map<string, Map<number, UseSite[]>>();

  record(use: Span, binding: Binding | undefined): void {
    if (!binding) return;
    const site: UseSite = binding.kind === 'block' ? binding.decl.nameSpan : binding.kind === 'value' && binding.implicit ? 'in' : binding.span;
    let uses = this.byFile.get(use.file);
    if (!uses) this.byFile.set(use.file, (uses = new Map()));
    const sites = uses.get(use.start);
    if (!sites) uses.set(use.start, [site]);
    else if (!sites.some((s) => sameSite(s, site))) sites.push(site);
  }

  /** The sites the use starting at `start` was bound to (undefined: never looked up, or bound to nothing). */
  sitesAt(file: string, start: number): readonly UseSite[] | undefined {
    return this.byFile.get(file)?.get(start);
  }

  /** Every recorded use of a file: start offset → sites. */
  usesIn(file: string): ReadonlyMap<number, readonly UseSite[]> {
    return this.byFile.get(file) ?? new Map();
  }
}

export const sameSite = (a: UseSite, b: UseSite): boolean =>
  a === b || (a !== 'in' && b !== 'in' && a.file === b.file && a.start === b.start && a.end === b.end);
