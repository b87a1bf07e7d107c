/**
 * Records what a generated module's forward pass computes at inference, kernel by kernel, as a graph
 * that exporters translate into other formats (TensorFlow.js graph models, ONNX) — the way
 * torch.onnx.export traces a PyTorch module. The pass runs on a private copy of the cpu backend whose
 * kernels also write down their inputs, attributes and outputs, so the recorded graph is exactly what
 * `gnet predict` computes. Kernels whose inputs are all weights or constants are folded into constants.
 * The pass runs at batch 1 and 2: an attribute that differs is batch-dependent (a reshape's leading
 * size becomes -1); inputs and outputs get a free batch dimension.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { GeneratedModule } from '../generated-module.js';
import { importGenerated } from '../load-generated.js';
import { EXPORT_ERRORS, exportError } from './codes.js';

export type TracedSource =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'weight'; readonly name: string; readonly values: tf.TypedArray }
  | { readonly kind: 'op'; readonly op: number; readonly index: number };

export interface TracedValue {
  readonly id: number;
  /** The value's shape; -1 marks the batch dimension of values that carry the batch. */
  readonly shape: readonly number[];
  readonly dtype: tf.DataType;
  readonly source: TracedSource;
}

export interface TracedOp {
  readonly id: number;
  /** The TensorFlow.js kernel name (Conv2D, FusedBatchNorm, …). */
  readonly kernel: string;
  /** The network node (block) whose statement ran the kernel, e.g. "e1.unit.gauss". */
  readonly block: string;
  /** Input value ids by the kernel's input name, in the kernel's order. */
  readonly inputs: Readonly<Record<string, number>>;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly outputs: readonly number[];
}

export interface TracedGraph {
  readonly network: string;
  readonly values: readonly TracedValue[];
  readonly ops: readonly TracedOp[];
  readonly inputs: readonly { readonly name: string; readonly value: number }[];
  readonly outputs: readonly { readonly name: string; readonly value: number }[];
}

/** Imports generated JavaScript so that it uses this tfjs-core (Node: importGenerated; the playground's worker: blob URLs). */
export type ModuleLoader = (js: string, options: { readonly name: string }) => Promise<GeneratedModule>;

const BACKEND = 'gnet-export-trace';
const MODULE_NAME = 'gnet-export-trace';

/**
 * Traces `js` (a generated module's JavaScript, as transpiled) with `weights` (every weight its meta
 * names). The caller's backend is active again afterwards.
 */
export async function traceForward(js: string, weights: tf.NamedTensorMap, load: ModuleLoader = importGenerated): Promise<TracedGraph> {
  const module = await load(js, { name: MODULE_NAME });
  const blocks = statementBlocks(js);
  const values = Object.fromEntries(await Promise.all(Object.entries(weights).map(async ([name, t]) => [name, { data: await t.data(), shape: t.shape, dtype: t.dtype }] as const)));
  const previous = tf.getBackend();
  registerTraceBackend();
  await tf.setBackend(BACKEND);
  try {
    const one = runTrace(module, values, blocks, 1);
    const two = runTrace(module, values, blocks, 2);
    return mergeBatches(one, two);
  } finally {
    await tf.setBackend(previous);
  }
}

type HostWeights = Record<string, { data: tf.TypedArray | string[]; shape: number[]; dtype: tf.DataType }>;

interface Recorder {
  record(kernel: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined, outputs: tf.TensorInfo | tf.TensorInfo[], backend: MathBackendCPU): void;
}

let active: Recorder | undefined;

function registerTraceBackend(): void {
  if (tf.findBackendFactory(BACKEND)) return;
  // firstUse: the cpu backend would print "install our node backend" on its first tensor.
  tf.registerBackend(BACKEND, () => Object.assign(new MathBackendCPU(), { firstUse: false }), -1);
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({
      ...kernel,
      backendName: BACKEND,
      kernelFunc: (args) => {
        const out = kernel.kernelFunc(args);
        active?.record(kernel.kernelName, args.inputs, args.attrs, out as tf.TensorInfo | tf.TensorInfo[], args.backend as MathBackendCPU);
        return out;
      },
    });
  }
}

function runTrace(module: GeneratedModule, weights: HostWeights, blocks: readonly (string | undefined)[], batch: number): TracedGraph {
  const values: TracedValue[] = [];
  const ops: TracedOp[] = [];
  // Values by the backend storage they live in and their shape: a reshape shares its input's storage.
  const byData = new Map<object, { shape: string; id: number }[]>();
  const known = (info: tf.TensorInfo) => [...(byData.get(info.dataId as object) ?? [])].reverse().find((v) => v.shape === info.shape.join());
  const add = (info: tf.TensorInfo, source: TracedSource): number => {
    const id = values.length;
    values.push({ id, shape: [...info.shape], dtype: info.dtype, source });
    const list = byData.get(info.dataId as object) ?? [];
    list.push({ shape: info.shape.join(), id });
    byData.set(info.dataId as object, list);
    return id;
  };
  const isFixed = (id: number) => values[id]!.source.kind === 'weight';
  let folded = 0;
  // A scope rather than tf.tidy, which would walk every weight's values looking for tensors.
  tf.engine().startScope();
  try {
    const weightTensors: tf.NamedTensorMap = {};
    for (const [name, w] of Object.entries(weights)) {
      const t = tf.tensor(w.data as tf.TypedArray, w.shape, w.dtype);
      weightTensors[name] = t;
      add(t, { kind: 'weight', name, values: w.data as tf.TypedArray });
    }
    const inputs = module.meta.inputs.map((input) => {
      const t = tf.zeros([batch, ...input.shape]);
      return { name: input.name, tensor: t, value: add(t, { kind: 'input', name: input.name }) };
    });
    active = {
      record(kernel, kernelInputs, attrs, out, backend) {
        const block = blocks[callerLine(`gnet-generated:///${MODULE_NAME}.js`) ?? -1] ?? module.meta.network;
        const inputIds: Record<string, number> = {};
        for (const [name, info] of Object.entries(kernelInputs)) {
          if (!info) continue;
          // A tensor the forward pass made itself (a scalar, a shape): a constant.
          inputIds[name] = known(info)?.id ?? add(info, { kind: 'weight', name: `${block}/const_${values.length}`, values: backend.readSync(info.dataId) as tf.TypedArray });
        }
        const outs = Array.isArray(out) ? out : [out];
        if (Object.values(inputIds).every(isFixed)) {
          for (const o of outs) add(o, { kind: 'weight', name: `${block}/${kernel}_${folded++}`, values: backend.readSync(o.dataId) as tf.TypedArray });
          return;
        }
        const id = ops.length;
        const outputs = outs.map((o, index) => add(o, { kind: 'op', op: id, index }));
        ops.push({ id, kernel, block, inputs: inputIds, attrs: { ...attrs }, outputs });
      },
    };
    try {
      const result = module.forward(weightTensors as never, Object.fromEntries(inputs.map((i) => [i.name, i.tensor])), { training: false });
      const outputs = module.meta.outputs.map((o) => {
        const t = result[o.name]!;
        const found = known(t);
        if (!found || values[found.id]!.source.kind !== 'op') throw new Error(`export: output ${o.name} is not computed from the inputs`);
        return { name: o.name, value: found.id };
      });
      return { network: module.meta.network, values, ops, inputs: inputs.map((i) => ({ name: i.name, value: i.value })), outputs };
    } finally {
      active = undefined;
    }
  } finally {
    tf.engine().endScope();
  }
}

/** The 1-based line of the innermost stack frame in `file`. */
function callerLine(file: string): number | undefined {
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.stackTraceLimit = 200;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    const sites = new Error().stack as unknown as NodeJS.CallSite[];
    // The module is imported from a data: URL; its `//# sourceURL=` names it in the stack.
    return sites.find((site) => site.getScriptNameOrSourceURL() === file)?.getLineNumber() ?? undefined;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** For each 1-based line of forward(), the node whose statement it is (codegen writes `// node (op, …)` above each). */
function statementBlocks(js: string): (string | undefined)[] {
  const lines = js.split('\n');
  const blocks: (string | undefined)[] = [undefined];
  let current: string | undefined;
  for (const line of lines) {
    const comment = /^\s*\/\/ (\S+) \([\w-]+[,)]/.exec(line);
    blocks.push(current);
    if (comment) current = comment[1];
  }
  return blocks;
}

/**
 * Kernels with a size attribute that may hold the batch size, which becomes -1: a reshape's inferred
 * size, a slice's "to the end", a transposed convolution's output batch (its exporters read it so).
 */
const BATCH_SIZED: Readonly<Record<string, string>> = { Reshape: 'shape', Slice: 'size', Conv2DBackpropInput: 'inputShape' };

/** One graph from the traces at batch 1 and 2: what differs between them is the batch. */
function mergeBatches(one: TracedGraph, two: TracedGraph): TracedGraph {
  const same = one.ops.length === two.ops.length && one.ops.every((op, i) => op.kernel === two.ops[i]!.kernel);
  if (!same) throw exportError(EXPORT_ERRORS.fixedBatch, `network ${one.network} runs different operations at batch 1 and 2; export it with --format deployed`);
  const values = one.values.map((v, i) => {
    const other = two.values[i]!;
    return other.shape.join() === v.shape.join() ? v : { ...v, shape: v.shape.map((d, axis) => (d === other.shape[axis] ? d : -1)) };
  });
  const ops = one.ops.map((op, i) => {
    const other = two.ops[i]!;
    if (JSON.stringify(other.attrs) === JSON.stringify(op.attrs)) return op;
    const key = BATCH_SIZED[op.kernel];
    if (key !== undefined) {
      const [a, b] = [op.attrs[key] as number[], other.attrs[key] as number[]];
      const rest = Object.keys(op.attrs).filter((k) => k !== key);
      const differing = a.filter((d, axis) => d !== b[axis]).length;
      const restSame = rest.every((k) => JSON.stringify(op.attrs[k]) === JSON.stringify(other.attrs[k]));
      if (differing === 1 && restSame && !a.includes(-1)) return { ...op, attrs: { ...op.attrs, [key]: a.map((d, axis) => (d === b[axis] ? d : -1)) } };
    }
    throw exportError(EXPORT_ERRORS.fixedBatch, `block ${op.block} (${op.kernel}) computes with the batch size; export network ${one.network} with --format deployed`);
  });
  const weightsDiffer = one.values.some((v, i) => v.source.kind === 'weight' && two.values[i]!.source.kind === 'weight' && v.shape.join() !== two.values[i]!.shape.join());
  if (weightsDiffer) throw exportError(EXPORT_ERRORS.fixedBatch, `network ${one.network} builds a constant whose size depends on the batch; export it with --format deployed`);
  return { ...one, values, ops };
}
