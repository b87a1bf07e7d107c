/** Small networks for the report tests, with block-call frames in node paths as the elaborator writes them. */
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import type { AttrValue } from '../../compiler/ir/ir.js';
import { TestGraph } from '../analysis/graph-builder.js';

/** A two-level U-Net: frames e1, e2, d1 each hold a `stage` frame of two conv|gauss → batchnorm → relu. */
export function unet(options: { base?: number; gauss?: boolean; name?: string } = {}): TestGraph {
  const { base = 4, gauss = false, name = 'UNet' } = options;
  const t = new TestGraph(name, `${name}.gnet`, `${name} for the report tests`);
  const kind = gauss ? 'gauss' : 'conv';
  const stage = (from: number, frame: string, filters: number) => {
    let y = from;
    for (let i = 0; i < 2; i++) {
      const args: Record<string, AttrValue> = gauss ? { filters, size: 5, bases: 2 } : { filters, size: 5 };
      y = t.add(kind, y, args, { path: [frame, 'stage', `${kind}_${i}`] });
      y = t.add('batchnorm', y, {}, { path: [frame, 'stage', `batchnorm_${i}`] });
      y = t.add('relu', y, {}, { path: [frame, 'stage', `relu_${i}`] });
    }
    return y;
  };
  const e1 = stage(t.input('image', [32, 32, 3]), 'e1', base);
  const e2 = stage(t.add('maxpool', e1, {}, { path: ['e2', 'maxpool'] }), 'e2', base * 2);
  const joined = t.add('concat', [t.add('upsample', e2, {}, { path: ['d1', 'upsample'] }), e1], {}, { path: ['d1', 'concat'] });
  const head = t.add('conv', stage(joined, 'd1', base), { filters: 2, size: 1 }, { path: ['mask'] });
  t.output('mask', head);
  return t;
}

export function analyze(t: TestGraph, batch = 1): Analysis {
  return analyzeGraph(t.graph(), { batch }, (d) => {
    if (d.severity === 'error' && d.code !== 'GN0501') throw new Error(`${d.code} ${d.message}`);
  });
}
