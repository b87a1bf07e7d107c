import { error, type Span } from '../diagnostics/diagnostic.js';
import type { TrainValue } from '../ir/ir.js';
import type { EvalContext } from './evaluate.js';
import { describeValue, type Value } from './values.js';

/** A training-section value as plain data: `adam(lr = 0.01)` → `{ name: 'adam', lr: 0.01 }`. */
export function trainValue(v: Value, span: Span, ctx: EvalContext): TrainValue {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
    case 'word':
      return v.value;
    case 'list':
      return v.items.map((i) => trainValue(i, span, ctx));
    case 'call': {
      const out: Record<string, TrainValue> = { name: v.name };
      for (const a of v.args) {
        if (a.name) out[a.name] = trainValue(a.value, span, ctx);
        else ctx.accept(error('GN0701', `arguments of \`${v.name}\` in a training section must be named`, span, { help: `e.g. \`${v.name}(lr = 0.01)\`` }));
      }
      return out;
    }
    case 'tensor':
    case 'error':
      if (v.kind === 'tensor') ctx.accept(error('GN0701', `a training setting cannot be ${describeValue(v)}`, span));
      return '';
  }
}
