import type { Span } from '../diagnostics/diagnostic.js';
import type { BlockDecl, Stage } from '../syntax/ast.js';
import type { Value } from './values.js';

export type Binding =
  /** `implicit`: a block's `in`, bound at the call (`span` is the call's). */
  | { readonly kind: 'value'; readonly value: Value; readonly span: Span; readonly implicit?: true }
  /** A user block, closed over the scope it was declared in. */
  | { readonly kind: 'block'; readonly decl: BlockDecl; readonly scope: Scope }
  /** `shared name = call`: every use applies the same weights, keyed by `key`. */
  | { readonly kind: 'shared'; readonly stage: Stage; readonly scope: Scope; readonly key: string; readonly span: Span };

export class Scope {
  private readonly bindings = new Map<string, Binding>();

  /** Set on a file scope when one of its imports failed: its missing names were already explained. */
  private failedImport = false;

  constructor(readonly parent?: Scope) {}

  get incomplete(): boolean {
    return this.failedImport || (this.parent?.incomplete ?? false);
  }

  markIncomplete(): void {
    this.failedImport = true;
  }

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  hasOwn(name: string): boolean {
    return this.bindings.has(name);
  }

  /** The scope (this or an ancestor) that binds `name`. */
  owner(name: string): Scope | undefined {
    return this.bindings.has(name) ? this : this.parent?.owner(name);
  }

  define(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }

  /** Every visible name, nearest first (for "did you mean" hints). */
  names(): string[] {
    return [...this.bindings.keys(), ...(this.parent?.names() ?? [])];
  }
}
