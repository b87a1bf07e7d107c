/**
 * A traced network as a TensorFlow.js graph model: model.json holding a TensorFlow GraphDef in JSON
 * (the layout tfjs-converter writes) and weights.bin, which stock `tf.loadGraphModel` runs with no
 * gnet code. Inputs are Placeholders named after the network's inputs (NHWC, free batch size);
 * each output is an Identity node named after the network's output.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { EXPORT_ERRORS, exportError } from './codes.js';
import { graphParts } from './graph-parts.js';
import { T_FLOAT, TF_OPS, dtypeAttr, type TfNode } from './tfjs-graph-ops.js';
import type { TracedGraph } from './trace.js';

export const GRAPH_WEIGHTS_BIN = 'weights.bin';

export interface GraphModelFiles {
  readonly modelJson: Record<string, unknown>;
  readonly weights: Uint8Array;
}

const shapeAttr = (shape: readonly number[]) => ({ shape: { dim: shape.map((size) => ({ size: String(size) })) } });

export function tfjsGraphModel(graph: TracedGraph, metadata: Readonly<Record<string, unknown>>): GraphModelFiles {
  const { ops, constants, opNames } = graphParts(graph);
  const tensorName = new Map<number, string>();
  const nodes: TfNode[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  const addConst = (name: string, values: ArrayLike<number>, shape: readonly number[], dtype: 'int32' | 'float32') => {
    nodes.push({ name, op: 'Const', input: [], attr: { dtype: dtypeAttr(dtype), value: { tensor: { dtype: dtypeAttr(dtype).type, tensorShape: shapeAttr(shape).shape } } } });
    const typed = dtype === 'int32' ? Int32Array.from(values) : values instanceof Float32Array ? values : Float32Array.from(values);
    chunks.push(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
    specs.push({ name, shape: [...shape], dtype });
    return name;
  };
  for (const input of graph.inputs) {
    const value = graph.values[input.value]!;
    nodes.push({ name: input.name, op: 'Placeholder', input: [], attr: { dtype: T_FLOAT, shape: shapeAttr(value.shape) } });
    tensorName.set(input.value, input.name);
  }
  for (const c of constants) tensorName.set(c.id, addConst(c.source.name, c.source.values, c.shape, c.dtype === 'int32' ? 'int32' : 'float32'));
  for (const op of ops) {
    const translate = TF_OPS[op.kernel];
    if (!translate) throw exportError(EXPORT_ERRORS.unsupportedOp, `block ${op.block} runs ${op.kernel}, which gnet cannot write as a TensorFlow.js graph op; export this network with --format deployed`);
    const name = opNames.get(op.id)!;
    let made = 0;
    const translated = translate(op, {
      name,
      input: (key) => tensorName.get(op.inputs[key]!)!,
      value: (key) => graph.values[op.inputs[key]!]!,
      constant: (suffix, values, shape, dtype) => addConst(`${name}/${suffix}${made++ === 0 ? '' : `_${made}`}`, values, shape, dtype),
    });
    nodes.push(...[translated].flat());
    op.outputs.forEach((v, index) => tensorName.set(v, index === 0 ? name : `${name}:${index}`));
  }
  for (const output of graph.outputs) {
    nodes.push({ name: output.name, op: 'Identity', input: [tensorName.get(output.value)!], attr: { T: T_FLOAT } });
  }
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'gnet 0.1.0',
    convertedBy: 'gnet export --format graph',
    modelTopology: { node: nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: [GRAPH_WEIGHTS_BIN], weights: specs }],
    userDefinedMetadata: { ...metadata, inputs: graph.inputs.map((i) => i.name), outputs: graph.outputs.map((o) => o.name), layout: 'NHWC' },
  };
  return { modelJson, weights: concatBytes(chunks) };
}

/** Buffer.concat without Node's Buffer: the playground builds this file in the browser. */
function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
