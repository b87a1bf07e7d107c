/**
 * Networks on volumes whose counts this project computes itself: every layer's parameters written
 * out here from the spec's architecture (3-D kernels, 3-D gauss bases), independently of the compiler.
 */
import type { Expectations } from './expected.js';
import { bnMoving, bnTrainable, conv3d, gaussFull3d, groupNorm, sum } from './params.js';

/** The 3-D U-Net and its Gaussian twin: (cin, cout) of the seven 3×3×3 units, in order. */
const UNET3D_UNITS: readonly (readonly [number, number])[] = [
  [1, 8], [8, 8], // e1
  [8, 16], [16, 16], // e2
  [16, 32], // mid
  [32 + 16, 16], // d2: upsampled mid ⧺ e2
  [16 + 8, 8], // d1: upsampled d2 ⧺ e1
];
const unitNorms = sum(UNET3D_UNITS.map(([, c]) => groupNorm(c)));
const GAUSS_UNET3D = sum([...UNET3D_UNITS.map(([cin, c]) => gaussFull3d(cin, c, 1, 2)), unitNorms, conv3d(1, 8, 2)]);
const UNET3D = sum([...UNET3D_UNITS.map(([cin, c]) => conv3d(3, cin, c, false)), unitNorms, conv3d(1, 8, 2)]);

/** DeepMedic's pathway, twice: eight bias-free 3×3×3 convolutions (30, 30, 40×4, 50, 50 maps) with batch norm. */
const PATHWAY = [30, 30, 40, 40, 40, 40, 50, 50];
const pathway = sum(PATHWAY.map((c, i) => conv3d(3, i === 0 ? 1 : PATHWAY[i - 1]!, c, false) + bnTrainable(c)));
const DEEPMEDIC3D = sum([2 * pathway, conv3d(1, 100, 150, false) + bnTrainable(150), conv3d(1, 150, 150, false) + bnTrainable(150), conv3d(1, 150, 2)]);

export const VOLUMES: Expectations = {
  'unet3d.gnet': {
    GaussUNet3D: { trainable: GAUSS_UNET3D, nonTrainable: 0, shapes: { e1: [32, 32, 32, 8], mid: [8, 8, 8, 32], d2: [16, 16, 16, 16], mask: [32, 32, 32, 2] } },
    UNet3D: { trainable: UNET3D, nonTrainable: 0, shapes: { e2: [16, 16, 16, 16], mask: [32, 32, 32, 2] } },
  },
  'deepmedic3d.gnet': {
    DeepMedic3D: {
      trainable: DEEPMEDIC3D,
      nonTrainable: bnMoving(2 * sum(PATHWAY) + 150 + 150),
      shapes: { normal: [9, 9, 9, 50], context: [9, 9, 9, 50], joined: [9, 9, 9, 100], labels: [9, 9, 9, 2] },
    },
  },
};
