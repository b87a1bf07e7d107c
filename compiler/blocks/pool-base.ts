/** Shared base of maxpool and avgpool: a window over each channel, no weights, no multiply-adds. */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef } from './block.js';
import { axes, optionalAxes } from './attr.js';
import { kernelSizeArg, paddingArg, roundArg, strideDefaultsToSizeArg } from './common-args.js';
import { lit } from './emit-util.js';
import { requireFeatureMap, spatialOf } from './feature-map.js';
import { py, torchPadding } from './torch-util.js';
import { appliedPadding, readWindow, tfPaddingLiteral, windowOutput, windowRF, type Window } from './window.js';

function poolWindow(attrs: Attrs, rank: number): Window {
  return readWindow(attrs, rank, { stride: optionalAxes(attrs, 'stride', rank) ?? axes(attrs, 'size', rank) });
}

export interface PoolFlavour {
  readonly kind: string;
  readonly summary: string;
  /** The call: tfjs-core's 'tf.maxPool', or the runtime's 'rt.avgPool' (tfjs' own average-pool gradient is wrong where windows hold padding). */
  readonly tfOp: 'tf.maxPool' | 'rt.avgPool';
  /** The 3-D call: the runtime's, which pads first (tfjs' 3-D pools take no explicit padding). */
  readonly tfOp3d: 'rt.maxPool3d' | 'rt.avgPool3d';
  /** The torch runtime's layer: 'MaxPool' or 'AvgPool' (+ '3d' on a volume). */
  readonly torchLayer: 'MaxPool' | 'AvgPool';
}

export function poolBlock(flavour: PoolFlavour): BlockDef {
  return {
    kind: flavour.kind,
    summary: flavour.summary,
    category: new Set(['spatial']),
    args: {
      size: kernelSizeArg(2, 'window size: an int (every axis) or a list per axis'),
      stride: strideDefaultsToSizeArg,
      padding: paddingArg('valid'),
      round: roundArg,
    },
    positional: ['size'],
    inputs: { min: 1, max: 1 },
    shape(inputs, attrs, ctx) {
      const map = requireFeatureMap(flavour.kind, inputs[0]!, ctx);
      const spatial = map === null ? null : windowOutput(map.spatial, poolWindow(attrs, map.spatial.length), ctx);
      return map !== null && spatial !== null ? [...spatial, map.channels] : null;
    },
    params: () => [],
    // Comparisons and sums have no weight operand: pooling counts no multiply-adds.
    macs: () => 0,
    receptiveField(inputs, attrs) {
      const spatial = spatialOf(inputs[0]!);
      return windowRF(spatial, poolWindow(attrs, spatial.length));
    },
    emit(ctx) {
      const spatial = spatialOf(ctx.inputShapes[0]!);
      const w = poolWindow(ctx.attrs, spatial.length);
      if (spatial.length === 3) return `${flavour.tfOp3d}(${ctx.inputs[0]}, ${lit(w.kernel)}, ${lit(w.stride)}, ${lit(appliedPadding(spatial, w))})`;
      return `${flavour.tfOp}(${ctx.inputs[0]}, ${JSON.stringify(w.kernel)}, ${JSON.stringify(w.stride)}, ${tfPaddingLiteral(spatial, w)})`;
    },
    emitTorch(ctx) {
      const spatial = spatialOf(ctx.inputShapes[0]!);
      const w = poolWindow(ctx.attrs, spatial.length);
      const layer = spatial.length === 3 ? `${flavour.torchLayer}3d` : flavour.torchLayer;
      return { layer: `gt.${layer}(${py(w.kernel)}, ${py(w.stride)}, ${torchPadding(spatial, w)})` };
    },
  };
}
