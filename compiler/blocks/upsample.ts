/** Nearest or bilinear upsampling by an integer factor per axis. */
import type { BlockDef } from './block.js';
import { pair, str } from './attr.js';
import { lit } from './emit-util.js';
import { requireFeatureMap } from './feature-map.js';
import { py } from './torch-util.js';

export const upsample: BlockDef = {
  kind: 'upsample',
  summary: 'repeat (nearest) or interpolate (bilinear) each pixel factor×factor times: H×W×C → (H·fh)×(W·fw)×C',
  category: new Set(['spatial']),
  args: {
    factor: { type: 'int2', default: [2, 2], min: 1, doc: 'scale: an int or [height, width]' },
    mode: { type: 'enum', default: 'nearest', values: ['nearest', 'bilinear'], doc: 'nearest copies pixels, bilinear interpolates' },
  },
  positional: ['factor'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('upsample', inputs[0]!, ctx);
    if (map === null) return null;
    const [fh, fw] = pair(attrs, 'factor');
    return [map[0] * fh, map[1] * fw, map[2]];
  },
  params: () => [],
  // Bilinear weights are fixed interpolation coefficients, not learned: no multiply-adds counted.
  macs: () => 0,
  receptiveField: (_inputs, attrs) => ({ kind: 'upsample', factor: pair(attrs, 'factor') }),
  emit(ctx) {
    return `rt.upsample(${ctx.inputs[0]}, ${lit(pair(ctx.attrs, 'factor'))}, ${lit(str(ctx.attrs, 'mode'))})`;
  },
  emitTorch: (ctx) => ({ layer: `gt.Upsample(${py(pair(ctx.attrs, 'factor'))}, ${py(str(ctx.attrs, 'mode'))})` }),
};
