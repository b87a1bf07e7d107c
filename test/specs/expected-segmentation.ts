/**
 * Segmentation networks whose counts this project computes itself ("own count"): every layer's
 * parameters are written out here from the spec's architecture, independently of the compiler.
 */
import type { Expectations } from './expected.js';
import { bnMoving, bnTrainable, conv, gaussFull, squeezeExcite, sum } from './params.js';

/** The thirteen 3×3 convolutions of VGG16 (shared by FCN-8s). */
export const VGG16_CONVS = sum([
  conv(3, 3, 64), conv(3, 64, 64),
  conv(3, 64, 128), conv(3, 128, 128),
  conv(3, 128, 256), conv(3, 256, 256), conv(3, 256, 256),
  conv(3, 256, 512), conv(3, 512, 512), conv(3, 512, 512),
  conv(3, 512, 512), conv(3, 512, 512), conv(3, 512, 512),
]);

/** Ronneberger's U-Net: biased 3×3 convolutions, 2×2 up-convolutions, a 1×1 classifier. */
const doubleConv3 = (cin: number, c: number) => conv(3, cin, c) + conv(3, c, c);
const upStep = (cin: number, c: number) => conv(2, cin, c) + doubleConv3(2 * c, c);
/** Parameters of the U-Net with base width `base` (64 in the paper): widths base·2^level. */
export function unet(base: number): number {
  const [w1, w2, w3, w4, w5] = [base, 2 * base, 4 * base, 8 * base, 16 * base];
  return sum([
    doubleConv3(1, w1), doubleConv3(w1, w2), doubleConv3(w2, w3), doubleConv3(w3, w4), doubleConv3(w4, w5),
    upStep(w5, w4), upStep(w4, w3), upStep(w3, w2), upStep(w2, w1),
    conv(1, w1, 2),
  ]);
}
const UNET = unet(64);

const FCN8S = sum([
  VGG16_CONVS,
  conv(7, 512, 4096), // fc6 as a convolution
  conv(1, 4096, 4096), // fc7
  conv(1, 4096, 21), // score_fr
  conv(4, 21, 21, false), // upscore2
  conv(1, 512, 21), // score_pool4
  conv(4, 21, 21, false), // upscore_pool4
  conv(1, 256, 21), // score_pool3
  conv(16, 21, 21, false), // upscore8
]);

/** DeepMedic pathway: eight bias-free 3×3 convolutions (30, 30, 40×4, 50, 50 maps) with batch norm. */
const PATHWAY_MAPS = [30, 30, 40, 40, 40, 40, 50, 50];
const pathwayConvs = (modalities: number) => sum(PATHWAY_MAPS.map((c, i) => conv(3, i === 0 ? modalities : PATHWAY_MAPS[i - 1]!, c, false)));
const pathwayNorms = sum(PATHWAY_MAPS);
const DEEPMEDIC_TRAINABLE = sum([
  2 * (pathwayConvs(4) + bnTrainable(pathwayNorms)),
  conv(1, 100, 150, false) + bnTrainable(150),
  conv(1, 150, 150, false) + bnTrainable(150),
  conv(1, 150, 5),
]);

/** U-Net + SE + FRE: bias-free convs with BN; SE after every encoder stage; FRE adds nothing. */
const bnDoubleConv = (cin: number, c: number) => conv(3, cin, c, false) + conv(3, c, c, false) + 2 * bnTrainable(c);
const encode = (cin: number, c: number) => bnDoubleConv(cin, c) + squeezeExcite(c, 16);
const decode = (cin: number, c: number) => conv(2, cin, c) + bnDoubleConv(2 * c, c);
const UNET_SE_FRE = sum([
  encode(1, 32), encode(32, 64), encode(64, 128), encode(128, 256), encode(256, 512),
  decode(512, 256), decode(256, 128), decode(128, 64), decode(64, 32),
  conv(1, 32, 5),
]);
const UNET_SE_FRE_NORMS = 2 * (32 + 64 + 128 + 256 + 512) + 2 * (256 + 128 + 64 + 32);

/** The Gaussian U-Net and its twin: (cin, cout) of the ten 5×5 units, in order. */
export const GAUSS_UNET_UNITS: readonly (readonly [number, number])[] = [
  [3, 8], [8, 8], // e1
  [8, 16], [16, 16], // e2
  [16, 32], [32, 32], // mid
  [32 + 16, 16], [16, 16], // d2: upsampled mid ⧺ e2
  [16 + 8, 8], [8, 8], // d1
];
const unitNorms = sum(GAUSS_UNET_UNITS.map(([, c]) => c));
export const GAUSS_UNET = sum([...GAUSS_UNET_UNITS.map(([cin, c]) => gaussFull(cin, c, 2, 2)), bnTrainable(unitNorms), conv(1, 8, 2)]);
export const UNET_5X5 = sum([...GAUSS_UNET_UNITS.map(([cin, c]) => conv(5, cin, c, false)), bnTrainable(unitNorms), conv(1, 8, 2)]);

export const SEGMENTATION: Expectations = {
  'unet.gnet': {
    UNet: {
      trainable: UNET,
      nonTrainable: 0,
      shapes: { e1: [568, 568, 64], e4: [64, 64, 512], bottom: [28, 28, 1024], d4: [52, 52, 512], d1: [388, 388, 64], segmentation: [388, 388, 2] },
    },
    UNetSame: {
      trainable: UNET,
      nonTrainable: 0,
      shapes: { e1: [512, 512, 64], bottom: [32, 32, 1024], segmentation: [512, 512, 2] },
    },
  },
  'fcn8s.gnet': {
    FCN8s: {
      trainable: FCN8S,
      nonTrainable: 0,
      shapes: { s1: [349, 349, 64], pool3: [88, 88, 256], pool4: [44, 44, 512], pool5: [22, 22, 512], fc7: [16, 16, 4096], up2: [34, 34, 21], up4: [70, 70, 21], scores: [500, 500, 21] },
    },
  },
  'deepmedic.gnet': {
    DeepMedic2D: {
      trainable: DEEPMEDIC_TRAINABLE,
      nonTrainable: bnMoving(2 * pathwayNorms + 150 + 150),
      shapes: { normal: [9, 9, 50], wide: [9, 9, 50], joined: [9, 9, 100], labels: [9, 9, 5] },
    },
  },
  'unet-se-fre.gnet': {
    UNetSEFRE: {
      trainable: UNET_SE_FRE,
      nonTrainable: bnMoving(UNET_SE_FRE_NORMS),
      shapes: { e1: [256, 256, 32], bottom: [16, 16, 512], d1: [256, 256, 32], segmentation: [256, 256, 5] },
    },
  },
  'gauss-unet.gnet': {
    GaussUNet: { trainable: GAUSS_UNET, nonTrainable: bnMoving(unitNorms), shapes: { mid: [32, 32, 32], d1: [128, 128, 8], mask: [128, 128, 2] } },
    UNet5x5: { trainable: UNET_5X5, nonTrainable: bnMoving(unitNorms), shapes: { mid: [32, 32, 32], mask: [128, 128, 2] } },
  },
};
