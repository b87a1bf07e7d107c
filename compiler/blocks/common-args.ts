/** Argument specs several blocks share, so their names, types and docs read the same everywhere. */
import type { ArgSpec } from './block.js';

export function kernelSizeArg(cube: number, doc = 'kernel size: an int (every axis) or a list per axis ([height, width] or [depth, height, width])'): ArgSpec {
  return { type: 'axes', default: cube, min: 1, doc };
}

export const strideArg: ArgSpec = { type: 'axes', default: 1, min: 1, doc: 'step between windows: an int or a list per axis' };

export const strideDefaultsToSizeArg: ArgSpec = {
  type: 'axes',
  default: null,
  min: 1,
  doc: 'step between windows; omitted means the window size (non-overlapping)',
};

export const dilationArg: ArgSpec = { type: 'axes', default: 1, min: 1, doc: 'spacing between kernel taps (atrous convolution)' };

const WINDOW_PADDING_DOC =
  'same (output = ceil(input / stride), TensorFlow split), valid (no padding), or zeros on each side: an int or a list per axis';

export function paddingArg(fallback: 'same' | 'valid', doc = WINDOW_PADDING_DOC): ArgSpec {
  return { type: 'padding', default: fallback, min: 0, doc };
}

export const roundArg: ArgSpec = {
  type: 'enum',
  default: 'exact',
  values: ['exact', 'floor', 'ceil'],
  doc: 'when the windows do not tile the input: exact = error listing the sizes that work, floor / ceil = PyTorch ceil_mode false / true',
};

export function biasArg(fallback: boolean): ArgSpec {
  return { type: 'bool', default: fallback, doc: 'add a learned bias per output channel' };
}

export const filtersArg: ArgSpec = { type: 'int', min: 1, doc: 'output channels' };
