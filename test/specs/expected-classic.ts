/**
 * Classification networks with published parameter counts (torchvision / Keras applications).
 * Trainable totals are the published figures; non-trainable totals are the batch-norm moving
 * statistics, 2 per normalised channel, summed here layer by layer.
 */
import type { Expectations } from './expected.js';
import { bnMoving, conv, dense, sum } from './params.js';

/** ResNet batch-norm channels: the stem, two or three per block, one per projection shortcut. */
const resnet18Norms = sum([
  64, // stem
  2 * 2 * 64, // layer1: 2 blocks × 2 BN
  2 * 2 * 128 + 128, // layer2 + projection
  2 * 2 * 256 + 256,
  2 * 2 * 512 + 512,
]);

const resnet50Norms = sum([
  64,
  3 * (64 + 64 + 256) + 256, // layer1: 3 bottlenecks (width, width, 4·width) + projection
  4 * (128 + 128 + 512) + 512,
  6 * (256 + 256 + 1024) + 1024,
  3 * (512 + 512 + 2048) + 2048,
]);

/** A DenseNet block normalises each layer's input (cin + i·growth) and its 4·growth bottleneck. */
function denseBlockNorms(cin: number, layers: number, growth = 32): number {
  return sum(Array.from({ length: layers }, (_, i) => cin + i * growth + 4 * growth));
}

const densenet121Norms = sum([
  64, // norm0
  denseBlockNorms(64, 6),
  256, // transition 1 normalises 64 + 6·32 channels
  denseBlockNorms(128, 12),
  512,
  denseBlockNorms(256, 24),
  1024,
  denseBlockNorms(512, 16),
  1024, // norm5
]);

/** GoogLeNet: every BasicConv2d normalises its output; an inception module has six of them. */
const inceptionNorms = (c1: number, c3r: number, c3: number, c5r: number, c5: number, pool: number) => c1 + c3r + c3 + c5r + c5 + pool;
const googlenetNorms = sum([
  64, 64, 192,
  inceptionNorms(64, 96, 128, 16, 32, 32),
  inceptionNorms(128, 128, 192, 32, 96, 64),
  inceptionNorms(192, 96, 208, 16, 48, 64),
  inceptionNorms(160, 112, 224, 24, 64, 64),
  inceptionNorms(128, 128, 256, 24, 64, 64),
  inceptionNorms(112, 144, 288, 32, 64, 64),
  inceptionNorms(256, 160, 320, 32, 128, 128),
  inceptionNorms(256, 160, 320, 32, 128, 128),
  inceptionNorms(384, 192, 384, 48, 128, 128),
]);

export const CLASSIC: Expectations = {
  'lenet5.gnet': {
    LeNet5: {
      trainable: 61_706,
      nonTrainable: 0,
      shapes: { c1: [28, 28, 6], s2: [14, 14, 6], c3: [10, 10, 16], s4: [5, 5, 16], f5: [120], probs: [10] },
    },
  },
  'alexnet.gnet': {
    AlexNet: { trainable: 61_100_840, nonTrainable: 0, shapes: { f1: [27, 27, 64], f2: [13, 13, 192], features: [6, 6, 256], logits: [1000] } },
  },
  'vgg16.gnet': {
    VGG16: { trainable: 138_357_544, nonTrainable: 0, shapes: { s1: [112, 112, 64], features: [7, 7, 512], logits: [1000] } },
  },
  'resnet18.gnet': {
    ResNet18: {
      trainable: 11_689_512,
      nonTrainable: bnMoving(resnet18Norms),
      shapes: { x: [56, 56, 64], l1: [56, 56, 64], l2: [28, 28, 128], l3: [14, 14, 256], features: [7, 7, 512], logits: [1000] },
    },
  },
  'resnet50.gnet': {
    ResNet50: {
      trainable: 25_557_032,
      nonTrainable: bnMoving(resnet50Norms),
      shapes: { l1: [56, 56, 256], l2: [28, 28, 512], l3: [14, 14, 1024], features: [7, 7, 2048], logits: [1000] },
    },
  },
  'densenet121.gnet': {
    DenseNet121: {
      trainable: 7_978_856,
      nonTrainable: bnMoving(densenet121Norms),
      shapes: { x: [56, 56, 64], b1: [56, 56, 256], b2: [28, 28, 512], b3: [14, 14, 1024], b4: [7, 7, 1024], logits: [1000] },
    },
  },
  'googlenet.gnet': {
    GoogLeNet: {
      trainable: 6_624_904,
      nonTrainable: bnMoving(googlenetNorms),
      shapes: { stem: [28, 28, 192], i3: [14, 14, 480], i4: [7, 7, 832], features: [7, 7, 1024], logits: [1000] },
    },
  },
};

/** The published totals, re-derived layer by layer for the two smallest models (a check on the table above). */
export const LENET5_BY_LAYER = sum([conv(5, 1, 6), conv(5, 6, 16), dense(5 * 5 * 16, 120), dense(120, 84), dense(84, 10)]);
export const ALEXNET_BY_LAYER = sum([
  conv(11, 3, 64), conv(5, 64, 192), conv(3, 192, 384), conv(3, 384, 256), conv(3, 256, 256),
  dense(6 * 6 * 256, 4096), dense(4096, 4096), dense(4096, 1000),
]);
