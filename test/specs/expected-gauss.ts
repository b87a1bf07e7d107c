/** Networks built around the gauss layer (paper Tables 1–2 and the reference example), counted per layer. */
import type { Expectations } from './expected.js';
import { basisSize, bnMoving, bnShiftOnly, bnTrainable, conv, dauUnits, dense, gaussFull, gaussSeparated, sum } from './params.js';

/** VGG16 minus its first 3×3 convolution plus a biased 7×7 gauss layer (order 2, 4 bases). */
const VGG16_GAUSS = 138_357_544 - conv(3, 3, 64) + gaussFull(3, 64, 4, 2, true);

/**
 * Table 1 nets: (cin, cout) of the four layers, then batch norm each with fixed statistics (only β
 * trained, nothing else held), then GAP and dense 32 → 10.
 */
const LAYERS: readonly (readonly [number, number])[] = [[1, 16], [16, 16], [16, 32], [32, 32]];
const NORMS = sum(LAYERS.map(([, c]) => c));
const table1 = (layer: (cin: number, cout: number, i: number) => number) => sum([...LAYERS.map(([cin, c], i) => layer(cin, c, i)), bnShiftOnly(NORMS), dense(32, 10)]);
const BASES = [8, 16, 16, 16];
const FEW_BASES = [4, 8, 8, 8];

/** RFNN: one fixed isotropic basis of order 3, only ω learned; σ (1), μ (2), θ (1) per kernel are fixed. */
const rfnnFixed = 4 * (1 + 2 + 1) * basisSize(3);

export const TABLE1_FREE_FORM = table1((cin, c) => conv(3, cin, c, false));
export const TABLE1_RFNN = table1((cin, c) => cin * c * basisSize(3));
export const TABLE1_DAU = table1((cin, c) => dauUnits(cin, c, 10));
export const TABLE1_OURS = table1((cin, c, i) => gaussFull(cin, c, BASES[i]!, 3));
export const TABLE1_FEW = table1((cin, c, i) => gaussFull(cin, c, FEW_BASES[i]!, 3));
export const TABLE1_SEPARATED = table1((cin, c, i) => gaussSeparated(cin, c, BASES[i]!, 3));

/** The Free-Form probes: 7×7 windows, dilated 3×3 kernels (FreeForm's own count), or batch norm with batch statistics (γ, β trained; moving mean and variance held). */
const TABLE1_FREE_FORM_7 = table1((cin, c) => conv(7, cin, c, false));
const TABLE1_FREE_FORM_BATCH_STATS = sum([...LAYERS.map(([cin, c]) => conv(3, cin, c, false)), bnTrainable(NORMS), dense(32, 10)]);

export const GAUSS: Expectations = {
  'vgg16-gauss.gnet': {
    VGG16Gauss: { trainable: VGG16_GAUSS, nonTrainable: 0, shapes: { g1: [224, 224, 64], features: [7, 7, 512], logits: [1000] } },
  },
  'table1.gnet': {
    FreeForm: { trainable: TABLE1_FREE_FORM, nonTrainable: 0, shapes: { features: [28, 28, 32], probs: [10] } },
    RFNN: { trainable: TABLE1_RFNN, nonTrainable: rfnnFixed },
    DAU: { trainable: TABLE1_DAU, nonTrainable: 0 },
    Ours: { trainable: TABLE1_OURS, nonTrainable: 0 },
    OursFew: { trainable: TABLE1_FEW, nonTrainable: 0 },
    OursSeparated: { trainable: TABLE1_SEPARATED, nonTrainable: 0 },
  },
  'table1-probes.gnet': {
    FreeForm7: { trainable: TABLE1_FREE_FORM_7, nonTrainable: 0, shapes: { features: [28, 28, 32], probs: [10] } },
    FreeFormDilated: { trainable: TABLE1_FREE_FORM, nonTrainable: 0, shapes: { features: [28, 28, 32], probs: [10] } },
    FreeFormBatchStats: { trainable: TABLE1_FREE_FORM_BATCH_STATS, nonTrainable: bnMoving(NORMS), shapes: { features: [28, 28, 32], probs: [10] } },
  },
  'reference.gnet': {
    // docs/gauss-layer.md §8: 400 + 32 + 5 520 + 64 + 330 = 6 346 trainable; + 32 + 64 moving statistics = 6 442.
    Reference: {
      trainable: gaussSeparated(1, 16, 4, 3) + bnTrainable(16) + gaussFull(16, 32, 8, 3) + bnTrainable(32) + dense(32, 10),
      nonTrainable: bnMoving(16) + bnMoving(32),
      shapes: { g1: [28, 28, 16], g2: [28, 28, 32], probs: [10] },
    },
  },
};
