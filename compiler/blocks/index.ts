/**
 * The registry of built-in blocks: a literal object, so adding a block is one file plus one line
 * here, and nothing registers itself as a side effect of being imported.
 */
import type { BlockDef } from './block.js';
import { closestName } from '../util/closest.js';
import { activationBlocks } from './activations.js';
import { add } from './add.js';
import { avgpool } from './avgpool.js';
import { batchnorm } from './batchnorm.js';
import { concat } from './concat.js';
import { conv } from './conv.js';
import { conv_transpose } from './conv-transpose.js';
import { crop } from './crop.js';
import { dau } from './dau.js';
import { dense } from './dense.js';
import { depthwise } from './depthwise.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { fre } from './fre.js';
import { gauss } from './gauss.js';
import { global_avgpool } from './global-avgpool.js';
import { global_maxpool } from './global-maxpool.js';
import { groupnorm } from './groupnorm.js';
import { instancenorm } from './instancenorm.js';
import { maxpool } from './maxpool.js';
import { multiply } from './multiply.js';
import { se } from './se.js';
import { upsample } from './upsample.js';

export const BLOCKS = {
  conv,
  depthwise,
  conv_transpose,
  gauss,
  dau,
  maxpool,
  avgpool,
  global_avgpool,
  global_maxpool,
  upsample,
  dense,
  flatten,
  batchnorm,
  groupnorm,
  instancenorm,
  dropout,
  ...activationBlocks,
  add,
  multiply,
  concat,
  crop,
  se,
  fre,
} satisfies Record<string, BlockDef>;

export type BlockKind = keyof typeof BLOCKS;

export function isBlockKind(name: string): name is BlockKind {
  return Object.hasOwn(BLOCKS, name);
}

/** The built-in block nearest to a misspelt name, for "did you mean …?". */
export function closestBlockName(name: string): BlockKind | undefined {
  return closestName(name, Object.keys(BLOCKS)) as BlockKind | undefined;
}
