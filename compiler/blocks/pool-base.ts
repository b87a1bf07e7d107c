/** Shared base of maxpool and avgpool: a window over each channel, no weights, no multiply-adds. */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef } from './block.js';
import { optionalPair, pair, padding, rounding } from './attr.js';
import { kernelSizeArg, paddingArg, roundArg, strideDefaultsToSizeArg } from './common-args.js';
import { requireFeatureMap } from './feature-map.js';
import { py, torchPadding } from './torch-util.js';
import { tfPaddingLiteral, windowOutput, windowRF, type Window } from './window.js';

function poolWindow(attrs: Attrs): Window {
  const kernel = pair(attrs, 'size');
  return { kernel, stride: optionalPair(attrs, 'stride') ?? kernel, dilation: [1, 1], padding: padding(attrs), round: rounding(attrs) };
}

export interface PoolFlavour {
  readonly kind: string;
  readonly summary: string;
  /** The call: tfjs-core's 'tf.maxPool', or the runtime's 'rt.avgPool' (tfjs' own average-pool gradient is wrong where windows hold padding). */
  readonly tfOp: 'tf.maxPool' | 'rt.avgPool';
  /** The torch runtime's layer: 'MaxPool' or 'AvgPool'. */
  readonly torchLayer: 'MaxPool' | 'AvgPool';
}

export function poolBlock(flavour: PoolFlavour): BlockDef {
  return {
    kind: flavour.kind,
    summary: flavour.summary,
    category: new Set(['spatial']),
    args: {
      size: kernelSizeArg(2, 'window size: an int (square) or [height, width]'),
      stride: strideDefaultsToSizeArg,
      padding: paddingArg('valid'),
      round: roundArg,
    },
    positional: ['size'],
    inputs: { min: 1, max: 1 },
    shape(inputs, attrs, ctx) {
      const map = requireFeatureMap(flavour.kind, inputs[0]!, ctx);
      const hw = map === null ? null : windowOutput([map[0], map[1]], poolWindow(attrs), ctx);
      return map !== null && hw !== null ? [...hw, map[2]] : null;
    },
    params: () => [],
    // Comparisons and sums have no weight operand: pooling counts no multiply-adds.
    macs: () => 0,
    receptiveField(inputs, attrs) {
      return windowRF([inputs[0]![0]!, inputs[0]![1]!], poolWindow(attrs));
    },
    emit(ctx) {
      const w = poolWindow(ctx.attrs);
      const pad = tfPaddingLiteral([ctx.inputShapes[0]![0]!, ctx.inputShapes[0]![1]!], w);
      return `${flavour.tfOp}(${ctx.inputs[0]}, ${JSON.stringify(w.kernel)}, ${JSON.stringify(w.stride)}, ${pad})`;
    },
    emitTorch(ctx) {
      const w = poolWindow(ctx.attrs);
      return { layer: `gt.${flavour.torchLayer}(${py(w.kernel)}, ${py(w.stride)}, ${torchPadding([ctx.inputShapes[0]![0]!, ctx.inputShapes[0]![1]!], w)})` };
    },
  };
}
