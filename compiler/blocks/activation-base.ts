/** Shared base of the activations: shape and receptive field pass through, no weights, no multiply-adds. */
import type { Attrs } from '../ir/ir.js';
import type { ArgSpec, BlockDef } from './block.js';
import { pyString } from './torch-util.js';

export interface ActivationSpec {
  readonly kind: string;
  readonly summary: string;
  readonly args?: Readonly<Record<string, ArgSpec>>;
  readonly positional?: readonly string[];
  /** The tfjs expression applied to the input expression `x`. */
  readonly apply: (x: string, attrs: Attrs) => string;
  /** Keyword arguments of the torch runtime's Activation beyond the kind (leaky_relu's alpha). */
  readonly torchArgs?: (attrs: Attrs) => string;
}

export function activationBlock(spec: ActivationSpec): BlockDef {
  return {
    kind: spec.kind,
    summary: spec.summary,
    category: new Set(['elementwise', 'activation']),
    args: spec.args ?? {},
    positional: spec.positional ?? [],
    inputs: { min: 1, max: 1 },
    shape: (inputs) => inputs[0]!,
    params: () => [],
    // Nonlinearities have no weight operand: no multiply-adds counted.
    macs: () => 0,
    receptiveField: () => ({ kind: 'identity' }),
    emit: (ctx) => spec.apply(ctx.inputs[0]!, ctx.attrs),
    emitTorch: (ctx) => ({ layer: `gt.Activation(${pyString(spec.kind)}${spec.torchArgs ? `, ${spec.torchArgs(ctx.attrs)}` : ''})` }),
  };
}
