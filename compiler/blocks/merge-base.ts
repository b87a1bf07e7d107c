/** Shared base of add and multiply: two or more tensors of identical shape combined value by value. */
import type { Shape } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { shapeText } from './text.js';

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

function mismatchHelp(a: Shape, b: Shape): string {
  if (a.length !== b.length) return 'both inputs must be maps or both vectors (flatten or global_avgpool the map)';
  if (a.length === 3 && a[0] === b[0] && a[1] === b[1]) return 'project the channels of one side with conv(C, size = 1)';
  return 'make the spatial sizes match (maxpool, upsample or crop(like = …))';
}

/** Reports GN0301 for every input whose shape differs from the first; true when all match. */
export function checkIdenticalShapes(kind: string, inputs: readonly Shape[], ctx: ShapeContext): boolean {
  let ok = true;
  inputs.forEach((shape, i) => {
    if (i === 0 || sameShape(inputs[0]!, shape)) return;
    ok = false;
    const [first, other] = [ctx.inputNames[0], ctx.inputNames[i]];
    ctx.error('GN0301', `${kind} needs identical shapes: ${first} gives ${shapeText(inputs[0]!)} but ${other} gives ${shapeText(shape)}`, {
      help: mismatchHelp(inputs[0]!, shape),
      inputs: [0, i],
    });
  });
  return ok;
}

export interface MergeSpec {
  readonly kind: string;
  readonly summary: string;
  /** Expression combining the input expressions. */
  readonly combine: (inputs: readonly string[]) => string;
  /** The torch runtime's layer. */
  readonly torchLayer: 'Add' | 'Multiply';
}

export function elementwiseMergeBlock(spec: MergeSpec): BlockDef {
  return {
    kind: spec.kind,
    summary: spec.summary,
    category: new Set(['merge']),
    args: {},
    positional: [],
    inputs: { min: 2, max: Infinity },
    shape: (inputs, _attrs, ctx) => (checkIdenticalShapes(spec.kind, inputs, ctx) ? inputs[0]! : null),
    params: () => [],
    macs: () => 0,
    receptiveField: () => ({ kind: 'merge' }),
    emit: (ctx) => spec.combine(ctx.inputs),
    emitTorch: () => ({ layer: `gt.${spec.torchLayer}()`, listInput: true }),
  };
}
