import type { Span } from '../diagnostics/diagnostic.js';
import type { Attrs, BlockCall, IRNode } from '../ir/ir.js';

/** Most nodes one network may expand to: guards `for` loops and repetition against runaway sizes. */
export const MAX_NODES = 200_000;

/** A naming frame: a network, a block call or an assignment; names inside are unique per frame. */
export class Frame {
  private readonly counters = new Map<string, number>();

  constructor(
    readonly path: readonly string[],
    /** Inside a shared instance: the weight key prefix, and the frame depth where sharing began. */
    readonly shared?: { readonly key: string; readonly depth: number },
    /** The user-block calls that opened this frame and its parents, outermost first (editor hovers). */
    readonly calls: readonly BlockCall[] = [],
  ) {}

  /** `conv`, then `conv_1`, `conv_2`, … */
  unique(base: string): string {
    const n = this.counters.get(base) ?? 0;
    this.counters.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  child(name: string, shared = this.shared, callSpan?: Span): Frame {
    const path = [...this.path, this.unique(name)];
    return new Frame(path, shared, callSpan ? [...this.calls, { span: callSpan, frame: path }] : this.calls);
  }
}

/** Appends IR nodes in topological order (every input exists before its consumer). */
export class GraphBuilder {
  readonly nodes: IRNode[] = [];

  get full(): boolean {
    return this.nodes.length >= MAX_NODES;
  }

  add(op: string, attrs: Attrs, inputs: readonly number[], span: Span, frame: Frame, localName: string, sharedKey?: string): number {
    const local = frame.unique(localName);
    const path = [...frame.path, local];
    const name = path.join('.');
    const weights = sharedKey ?? (frame.shared ? [frame.shared.key, ...path.slice(frame.shared.depth)].join('/') : name);
    const id = this.nodes.length;
    this.nodes.push({ id, op, name, path, attrs, inputs, weights, span, ...(frame.calls.length ? { calls: frame.calls } : {}) });
    return id;
  }
}
