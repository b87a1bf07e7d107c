import * as tf from '@tensorflow/tfjs-core';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** Real (unpadded) cells of each window along one axis. */
export function cellsPerWindow(size: number, kernel: number, stride: number, before: number, outputs: number): number[] {
  return Array.from({ length: outputs }, (_, i) => {
    const start = i * stride - before;
    return Math.min(start + kernel, size) - Math.max(start, 0);
  });
}

function padBefore(pad: Pad, axis: 0 | 1, size: number, kernel: number, stride: number): number {
  if (pad === 'valid') return 0;
  if (pad !== 'same') return pad[axis + 1]![0];
  const out = Math.ceil(size / stride);
  return Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2);
}

/**
 * Average pooling that leaves padded cells out of the average (TensorFlow semantics), with the exact
 * gradient: tfjs' AvgPoolGrad spreads dy / (kh·kw) over every window cell, padded or not, which does
 * not match the forward pass where a window holds padding. Scaling dy by kh·kw / (real cells) first
 * makes it spread dy / (real cells), the derivative of the forward average.
 */
export function avgPool(x: tf.Tensor4D, size: [number, number], stride: [number, number], pad: Pad): tf.Tensor4D {
  const pooled = (input: tf.Tensor4D) => tf.avgPool(input, size, stride, pad);
  if (pad === 'valid') return pooled(x);
  const exact = tf.customGrad((input, save) => {
    const value = pooled(input as tf.Tensor4D);
    (save as tf.GradSaveFunc)([input as tf.Tensor]);
    const [, oh, ow] = value.shape;
    const [, h, w] = (input as tf.Tensor4D).shape;
    const rows = cellsPerWindow(h, size[0], stride[0], padBefore(pad, 0, h, size[0], stride[0]), oh);
    const cols = cellsPerWindow(w, size[1], stride[1], padBefore(pad, 1, w, size[1], stride[1]), ow);
    const scale = Float32Array.from(rows.flatMap((r) => cols.map((c) => (size[0] * size[1]) / (r * c))));
    return {
      value,
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
        tf.engine().runKernel(tf.AvgPoolGrad, { dy: tf.mul(dy, tf.tensor4d(scale, [1, oh, ow, 1])), input: saved! }, { filterSize: size, strides: stride, pad }) as tf.Tensor,
    };
  });
  return exact(x) as tf.Tensor4D;
}
