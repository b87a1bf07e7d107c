/** Shared base of the global pools: one value per channel over the whole map. */
import type { BlockDef } from './block.js';
import { bool } from './attr.js';
import { lit } from './emit-util.js';
import { requireFeatureMap, spatialOf } from './feature-map.js';
import { py } from './torch-util.js';

export interface GlobalPoolFlavour {
  readonly kind: string;
  readonly summary: string;
  /** The tfjs-core reduction over the spatial axes. */
  readonly tfOp: 'mean' | 'max';
}

export function globalPoolBlock(flavour: GlobalPoolFlavour): BlockDef {
  return {
    kind: flavour.kind,
    summary: flavour.summary,
    category: new Set(),
    args: { keepdims: { type: 'bool', default: false, doc: 'keep the spatial axes: [1, 1, C] (or [1, 1, 1, C] on a volume) instead of [C]' } },
    positional: [],
    inputs: { min: 1, max: 1 },
    shape(inputs, attrs, ctx) {
      const map = requireFeatureMap(flavour.kind, inputs[0]!, ctx, 'the input is already a vector: remove this block');
      if (map === null) return null;
      return bool(attrs, 'keepdims') ? [...map.spatial.map(() => 1), map.channels] : [map.channels];
    },
    params: () => [],
    macs: () => 0,
    receptiveField: () => ({ kind: 'global' }),
    emit(ctx) {
      const spatialAxes = spatialOf(ctx.inputShapes[0]!).map((_, i) => i + 1);
      return `tf.${flavour.tfOp}(${ctx.inputs[0]}, ${lit(spatialAxes)}, ${lit(bool(ctx.attrs, 'keepdims'))})`;
    },
    emitTorch: (ctx) => ({ layer: `gt.GlobalPool(${py(flavour.tfOp)}, keepdims=${py(bool(ctx.attrs, 'keepdims'))})` }),
  };
}
