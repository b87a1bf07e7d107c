import * as tf from '@tensorflow/tfjs-core';
import { cutWindow, type AxisWindow } from './geometry.js';

type TensorBody = (inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => tf.Tensor;

/**
 * A kernel written with tfjs ops, which run on the wasm backend's own kernels. The engine does not
 * record ops run inside a kernel, so they add nothing to the gradient tape; intermediates are freed
 * and the result tensor goes to the engine as the kernel's output.
 */
export function kernelFromOps(body: TensorBody): tf.KernelFunc {
  return ({ inputs, attrs }) => tf.tidy(() => body(inputViews(inputs), attrs ?? {}));
}

/** Tensors over the kernel's input buffers; each holds its own reference, so freeing it keeps the input. */
function inputViews(inputs: tf.NamedTensorInfoMap): Record<string, tf.Tensor> {
  const engine = tf.engine();
  const views: Record<string, tf.Tensor> = {};
  for (const [name, info] of Object.entries(inputs)) {
    if (info === undefined) continue;
    engine.backend.incRef(info.dataId);
    views[name] = engine.makeTensorFromTensorInfo(info);
  }
  return views;
}

/** A tensor cropped to a window, and the padding that completes the window (for a convolution or tf.pad to apply). */
export interface CroppedWindow {
  readonly tensor: tf.Tensor4D;
  readonly pad: tf.backend_util.ExplicitPadding;
}

/** The part of the rows × cols window of an NHWC tensor that lies inside it; a window wholly outside is `fill`. */
export function cropToWindow(t: tf.Tensor4D, rows: AxisWindow, cols: AxisWindow, fill = 0): CroppedWindow {
  const [batch, height, width, channels] = t.shape;
  const r = cutWindow(rows, height);
  const c = cutWindow(cols, width);
  if (r.kept === 0 || c.kept === 0) {
    return { tensor: tf.fill([batch, rows.length, cols.length, channels], fill), pad: [[0, 0], [0, 0], [0, 0], [0, 0]] };
  }
  const whole = r.kept === height && c.kept === width;
  const tensor = whole ? t : tf.slice(t, [0, r.from, c.from, 0], [batch, r.kept, c.kept, channels]);
  return { tensor, pad: [[0, 0], [r.zerosBefore, r.zerosAfter], [c.zerosBefore, c.zerosAfter], [0, 0]] };
}

/** The rows × cols window of an NHWC tensor, padded with `fill` where it lies outside. */
export function spatialWindow(t: tf.Tensor4D, rows: AxisWindow, cols: AxisWindow, fill = 0): tf.Tensor4D {
  const { tensor, pad } = cropToWindow(t, rows, cols, fill);
  return pad.flat().some((p) => p > 0) ? tf.pad(tensor, pad, fill) : tensor;
}

/** phases[rh][rw] (each [n, h, w, c]) interleaved into [n, h·sh, w·sw, c]: row i·sh + rh comes from phase rh. */
export function interleavePhases(phases: tf.Tensor4D[][]): tf.Tensor4D {
  const [n, h, w, c] = phases[0][0].shape;
  const sh = phases.length;
  const sw = phases[0].length;
  if (sh === 1 && sw === 1) return phases[0][0];
  const rows = phases.map((row) => tf.stack(row, 3)); // each [n, h, w, sw, c]
  return tf.reshape(tf.stack(rows, 2), [n, h * sh, w * sw, c]);
}
