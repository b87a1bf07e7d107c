/** Nearest or (bi/tri)linear upsampling by an integer factor per spatial axis. */
import type { Attrs, Shape } from '../ir/ir.js';
import type { BlockDef } from './block.js';
import { axes, str } from './attr.js';
import { lit } from './emit-util.js';
import { requireFeatureMap, spatialOf } from './feature-map.js';
import { py } from './torch-util.js';

const factorOf = (input: Shape, attrs: Attrs) => axes(attrs, 'factor', spatialOf(input).length);

export const upsample: BlockDef = {
  kind: 'upsample',
  summary: 'repeat (nearest) or interpolate (bilinear; trilinear on a volume) each pixel factor times per axis: H×W×C → (H·fh)×(W·fw)×C',
  category: new Set(['spatial']),
  args: {
    factor: { type: 'axes', default: 2, min: 1, doc: 'scale: an int (every axis) or a list per axis' },
    mode: { type: 'enum', default: 'nearest', values: ['nearest', 'bilinear'], doc: 'nearest copies pixels, bilinear interpolates linearly along every axis (trilinear on a volume)' },
  },
  positional: ['factor'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('upsample', inputs[0]!, ctx);
    if (map === null) return null;
    const factor = axes(attrs, 'factor', map.spatial.length);
    return [...map.spatial.map((n, i) => n * factor[i]!), map.channels];
  },
  params: () => [],
  // Bilinear weights are fixed interpolation coefficients, not learned: no multiply-adds counted.
  macs: () => 0,
  receptiveField: (inputs, attrs) => ({ kind: 'upsample', factor: factorOf(inputs[0]!, attrs) }),
  emit(ctx) {
    return `rt.upsample(${ctx.inputs[0]}, ${lit(factorOf(ctx.inputShapes[0]!, ctx.attrs))}, ${lit(str(ctx.attrs, 'mode'))})`;
  },
  emitTorch: (ctx) => ({ layer: `gt.Upsample(${py(factorOf(ctx.inputShapes[0]!, ctx.attrs))}, ${py(str(ctx.attrs, 'mode'))})` }),
};
