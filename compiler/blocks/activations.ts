/** The activation blocks, grouped only so the registry lists them in one line. */
import { elu } from './elu.js';
import { gelu } from './gelu.js';
import { leaky_relu } from './leaky-relu.js';
import { linear } from './linear.js';
import { relu } from './relu.js';
import { relu6 } from './relu6.js';
import { selu } from './selu.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { softplus } from './softplus.js';
import { swish } from './swish.js';
import { tanh } from './tanh.js';

export const activationBlocks = { relu, relu6, sigmoid, tanh, softmax, elu, selu, gelu, swish, softplus, linear, leaky_relu };
