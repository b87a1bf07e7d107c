import * as tf from '@tensorflow/tfjs-core';
import { pathToFileURL } from 'node:url';
import { cpuBackend } from '../backends/cpu.js';
import { basisSize, gaussKernels } from '../runtime/index.js';

/**
 * The kernel bank of a gauss layer (B = 8, K = 3, 7×7): forward, then backward w.r.t. σ, μ, θ from a
 * fixed upstream gradient (what the convolution would send back). Reports the median wall time of a step.
 */
const BASES = 8;
const ORDER = 3;
const SIZE = [7, 7] as const;
const WARMUP_STEPS = 10;
const TIMED_STEPS = 50;

export async function benchGaussKernels(): Promise<{ msPerStep: number }> {
  await cpuBackend.init();
  const count = basisSize(ORDER);
  const sigma = tf.randomUniform([BASES, count, 2], 0.5, 2, 'float32', 1);
  const mu = tf.randomUniform([BASES, count, 2], -1, 1, 'float32', 2);
  const theta = tf.randomUniform([BASES, count, 1], -Math.PI, Math.PI, 'float32', 3);
  const upstream = tf.randomNormal([SIZE[0], SIZE[1], BASES, count], 0, 1, 'float32', 4) as tf.Tensor4D;
  const step = tf.grads((s: tf.Tensor, m: tf.Tensor, t: tf.Tensor) => gaussKernels(s, m, t, ORDER, SIZE));

  const times: number[] = [];
  for (let i = 0; i < WARMUP_STEPS + TIMED_STEPS; i++) {
    const start = performance.now();
    const grads = step([sigma, mu, theta], upstream);
    await Promise.all(grads.map((g) => g.data()));
    tf.dispose(grads);
    if (i >= WARMUP_STEPS) times.push(performance.now() - start);
  }
  tf.dispose([sigma, mu, theta, upstream]);
  return { msPerStep: median(times) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { msPerStep } = await benchGaussKernels();
  console.log(`gauss kernels B=${BASES} K=${ORDER} k=${SIZE[0]}x${SIZE[1]} forward+backward: ${msPerStep.toFixed(2)} ms/step (median of ${TIMED_STEPS}, backend ${tf.getBackend()})`);
}
