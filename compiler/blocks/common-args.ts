/** Argument specs several blocks share, so their names, types and docs read the same everywhere. */
import type { ArgSpec } from './block.js';

export function kernelSizeArg(square: number, doc = 'kernel size: an int (square) or [height, width]'): ArgSpec {
  return { type: 'int2', default: [square, square], min: 1, doc };
}

export const strideArg: ArgSpec = { type: 'int2', default: [1, 1], min: 1, doc: 'step between windows: an int or [height, width]' };

export const strideDefaultsToSizeArg: ArgSpec = {
  type: 'int2',
  default: null,
  min: 1,
  doc: 'step between windows; omitted means the window size (non-overlapping)',
};

export const dilationArg: ArgSpec = { type: 'int2', default: [1, 1], min: 1, doc: 'spacing between kernel taps (atrous convolution)' };

const WINDOW_PADDING_DOC =
  'same (output = ceil(input / stride), TensorFlow split), valid (no padding), or zeros on each side: an int or [height, width]';

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
