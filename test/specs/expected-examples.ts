/** The small examples of specs/examples/ (imports, weight sharing, a failing budget), counted per layer. */
import type { Expectations } from './expected.js';
import { bnMoving, bnTrainable, conv, dense, sum } from './params.js';

const cbr = (cin: number, c: number) => conv(3, cin, c, false) + bnTrainable(c);
const basic = (cin: number, c: number, project: boolean) => cbr(cin, c) + cbr(c, c) + (project ? conv(1, cin, c, false) + bnTrainable(c) : 0);

/** The siamese encoder, counted once although it is applied to both inputs. */
export const SIAMESE_ENCODER = conv(3, 1, 16) + conv(3, 16, 32) + conv(3, 32, 64);

export const OVER_BUDGET = conv(3, 3, 32) + conv(3, 32, 64) + conv(3, 64, 32) + dense(32, 10);

export const EXAMPLES: Expectations = {
  'examples/common.gnet': {},
  'examples/imports.gnet': {
    TinyResNet: {
      trainable: sum([cbr(3, 16), cbr(16, 16), basic(16, 16, false), basic(16, 32, true), dense(32, 10)]),
      nonTrainable: bnMoving(sum([16, 16, 16, 16, 32, 32, 32])),
      shapes: { stem: [32, 32, 16], r1: [32, 32, 16], r2: [16, 16, 32], probs: [10] },
    },
  },
  'examples/shared.gnet': {
    Siamese: { trainable: SIAMESE_ENCODER + dense(2 * 64, 32) + dense(32, 1), nonTrainable: 0, shapes: { a: [64], b: [64], same: [1] } },
  },
  'examples/over-budget.gnet': {
    OverBudget: { trainable: OVER_BUDGET, nonTrainable: 0 },
  },
};
