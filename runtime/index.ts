/**
 * The TensorFlow.js runtime that generated model modules call (imported as `rt`).
 * Importing it registers tfjs' gradient functions, which tfjs-core alone leaves out in Node.
 */
import { registerGradients } from './gradients.js';

await registerGradients();

export { registerGradients } from './gradients.js';
export { GnetError } from './errors.js';
export type { ForwardState, Init, Padding, Pair, VariableSpec } from './types.js';
export { createRng, hashKey, type Rng } from './rng.js';
export { computeFans, initTensor } from './init.js';
export { applyConstraints, createVariables } from './variables.js';

export { basisDegrees3d, basisOrders, basisSize, basisSize3d, type DerivativeOrder } from './gauss/basis.js';
export type { Gauss3dConfig, GaussConfig, GaussLowering, GaussLowering3d, GaussWeights } from './gauss/config.js';
export { gaussKernels } from './gauss/kernels.js';
export { gaussConv2d } from './gauss/conv.js';
export { gaussConv3d } from './gauss/conv3d.js';
export { gaussAxisKernels3d, gaussKernels3d } from './gauss/kernels3d.js';
export { gaussDeploy, type DeployedConv } from './gauss/deploy.js';
export { gaussWeightShapes } from './gauss/shapes.js';

export { batchNorm, fixedBatchNorm, type BatchNormWeights } from './blocks/batchnorm.js';
export { dauKernel, type DauWeights } from './blocks/dau.js';
export { groupNorm, type GroupNormWeights } from './blocks/group-norm.js';
export { dropout } from './blocks/dropout.js';
export { squeezeExcite, type SqueezeExciteWeights } from './blocks/squeeze-excite.js';
export { featureRandomEnhance } from './blocks/feature-random-enhance.js';
export { groupedConv2d } from './blocks/grouped-conv.js';
export { upsample } from './blocks/upsample.js';
export { crop } from './blocks/crop.js';
export { pad, padVolume } from './blocks/pad.js';
export { conv3d, conv3dTranspose } from './blocks/volume-conv.js';
export { avgPool3d, maxPool3d } from './blocks/volume-pool.js';
export { avgPool } from './blocks/avg-pool.js';
