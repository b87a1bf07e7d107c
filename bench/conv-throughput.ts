/**
 * Convolution throughput per backend in GFLOP/s (2 · multiply-adds / second): the forward conv2d,
 * the backprop kernels backends/wasm adds, and a whole conv-layer training step.
 * Run alone: npx tsx bench/conv-throughput.ts [backend …]   (default: cpu wasm)
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../backends/index.js';
import { registerGradients } from '../runtime/gradients.js';

export interface ConvProblem {
  readonly batch: number;
  readonly size: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
}

/** Batch 8, 64×64×64 → 64 channels, 3×3, 'same': 1.21 G multiply-adds at stride 1. */
export const LARGE_CONV: ConvProblem = { batch: 8, size: 64, inChannels: 64, outChannels: 64, kernel: 3, stride: 1 };

type Shape4 = [number, number, number, number];

function shapes(p: ConvProblem): { x: Shape4; filter: Shape4; dy: Shape4; depthwise: Shape4; dyDepthwise: Shape4 } {
  const out = Math.ceil(p.size / p.stride);
  return {
    x: [p.batch, p.size, p.size, p.inChannels],
    filter: [p.kernel, p.kernel, p.inChannels, p.outChannels],
    dy: [p.batch, out, out, p.outChannels],
    depthwise: [p.kernel, p.kernel, p.inChannels, 1],
    dyDepthwise: [p.batch, out, out, p.inChannels],
  };
}

/** Multiply-adds of the dense convolution (each backprop kernel does as many). */
export function convMacs(p: ConvProblem): number {
  const out = Math.ceil(p.size / p.stride);
  return p.batch * out * out * p.outChannels * p.inChannels * p.kernel * p.kernel;
}

function depthwiseMacs(p: ConvProblem): number {
  return convMacs(p) / p.outChannels;
}

/** Median seconds of `runs` timed calls after one warm-up, each awaiting its result's data. */
async function medianSeconds(compute: () => tf.Tensor | tf.Tensor[], runs: number): Promise<number> {
  const once = async () => {
    const start = performance.now();
    const outputs = [compute()].flat();
    await Promise.all(outputs.map((t) => t.data()));
    const elapsed = (performance.now() - start) / 1000;
    tf.dispose(outputs);
    return elapsed;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

type Compute = () => tf.Tensor | tf.Tensor[];

/** `build` makes the inputs (on the selected backend) and the computation over them. */
async function gflops(backend: string, macs: number, runs: number, build: () => [Compute, tf.Tensor[]]): Promise<number> {
  await selectBackend(backend);
  const [compute, inputs] = build();
  const seconds = await medianSeconds(compute, runs);
  tf.dispose(inputs);
  return (2 * macs) / seconds / 1e9;
}

function randomInputs(list: Shape4[]): tf.Tensor4D[] {
  return list.map((shape) => tf.randomNormal(shape) as tf.Tensor4D);
}

/** Forward conv2d throughput. */
export function rawConvGflops(backend: string, p: ConvProblem = LARGE_CONV, runs = 5): Promise<number> {
  return gflops(backend, convMacs(p), runs, () => {
    const [x, filter] = randomInputs([shapes(p).x, shapes(p).filter]);
    return [() => tf.conv2d(x, filter, p.stride, 'same'), [x, filter]];
  });
}

/** Conv2DBackpropFilter (the conv2d filter gradient) throughput. */
export function filterGradGflops(backend: string, p: ConvProblem = LARGE_CONV, runs = 5): Promise<number> {
  const s = shapes(p);
  return gflops(backend, convMacs(p), runs, () => {
    const [x, dy] = randomInputs([s.x, s.dy]);
    const attrs = { strides: p.stride, pad: 'same', dataFormat: 'NHWC', filterShape: s.filter };
    return [() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor, [x, dy]];
  });
}

/** Conv2DBackpropInput (the conv2d input gradient, conv2dTranspose) throughput. */
export function inputGradGflops(backend: string, p: ConvProblem = LARGE_CONV, runs = 5): Promise<number> {
  const s = shapes(p);
  return gflops(backend, convMacs(p), runs, () => {
    const [dy, filter] = randomInputs([s.dy, s.filter]);
    return [() => tf.conv2dTranspose(dy, filter, s.x, p.stride, 'same'), [dy, filter]];
  });
}

/** Both depthwise backprop kernels (filter and input gradient) together. */
export function depthwiseGradGflops(backend: string, p: ConvProblem = LARGE_CONV, runs = 5): Promise<number> {
  const s = shapes(p);
  return gflops(backend, 2 * depthwiseMacs(p), runs, () => {
    const [x, dy, filter] = randomInputs([s.x, s.dyDepthwise, s.depthwise]);
    const attrs = { strides: p.stride, dilations: 1, pad: 'same' };
    const both = () => [
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: s.depthwise }) as tf.Tensor,
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { ...attrs, inputShape: s.x }) as tf.Tensor,
    ];
    return [both, [x, dy, filter]];
  });
}

/** One conv layer's training step: forward, input and filter gradients (3 × the forward's work). */
export async function trainStepGflops(backend: string, p: ConvProblem = LARGE_CONV, runs = 3): Promise<number> {
  await registerGradients();
  const s = shapes(p);
  return gflops(backend, 3 * convMacs(p), runs, () => {
    const [x, filter, weights] = randomInputs([s.x, s.filter, s.dy]);
    const loss = (input: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, f as tf.Tensor4D, p.stride, 'same'), weights));
    return [() => tf.grads(loss)([x, filter]), [x, filter, weights]];
  });
}

const MEASURES: [string, (backend: string, p: ConvProblem, runs: number) => Promise<number>][] = [
  ['conv2d forward', rawConvGflops],
  ['filter grad (Conv2DBackpropFilter)', filterGradGflops],
  ['input grad (Conv2DBackpropInput)', inputGradGflops],
  ['depthwise grads (filter + input)', depthwiseGradGflops],
  ['training step (fwd + both grads)', trainStepGflops],
];

/** tfjs' cpu backprop kernels run at a few MFLOP/s: the cpu gets batch 1 and one timed run. */
function sized(backend: string, p: ConvProblem): [ConvProblem, number] {
  return backend === 'cpu' ? [{ ...p, batch: 1 }, 1] : [p, 5];
}

async function main(backends: string[]): Promise<void> {
  for (const stride of [1, 2]) {
    const p = { ...LARGE_CONV, stride };
    console.log(`\nbatch ${p.batch} (cpu: 1), ${p.size}×${p.size}×${p.inChannels} → ${p.outChannels}, ${p.kernel}×${p.kernel}, stride ${stride}, same: GFLOP/s`);
    for (const [label, measure] of MEASURES) {
      const figures: string[] = [];
      for (const backend of backends) figures.push(`${backend} ${(await measure(backend, ...sized(backend, p))).toFixed(3).padStart(7)}`);
      console.log(`  ${label.padEnd(36)} ${figures.join('   ')}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.length > 2 ? process.argv.slice(2) : ['cpu', 'wasm']);
}
