import type { Span } from '../diagnostics/diagnostic.js';

/** What an expression or pipeline evaluates to during elaboration. */
export type Value =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** A bare name bound to nothing: meaningful only as an enumeration value (`padding = valid`). */
  | { readonly kind: 'word'; readonly value: string; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  /** A tensor produced by IR node `node`; null when an earlier error poisoned it. */
  | { readonly kind: 'tensor'; readonly node: number | null }
  /** `adam(lr = 0.01)` in a training section. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly { readonly name?: string; readonly value: Value }[] }
  /** Poisoned by an error already reported: consumers stay silent. */
  | { readonly kind: 'error' };

export const ERROR: Value = { kind: 'error' };
export const POISONED_TENSOR: Value = { kind: 'tensor', node: null };

export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'number': return `the number ${v.value}`;
    case 'string': return `the string "${v.value}"`;
    case 'bool': return `\`${v.value}\``;
    case 'word': return `the name \`${v.value}\``;
    case 'list': return `a list of ${v.items.length}`;
    case 'tensor': return 'a tensor';
    case 'call': return `\`${v.name}(…)\``;
    case 'error': return 'an invalid value';
  }
}

/** Values that carry an error already reported, directly or inside a list. */
export function isPoisoned(v: Value): boolean {
  if (v.kind === 'error') return true;
  if (v.kind === 'tensor') return v.node === null;
  if (v.kind === 'list') return v.items.some(isPoisoned);
  return false;
}
