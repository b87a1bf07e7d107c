/**
 * A traced network as an ONNX model (opset 17, IR version 8): one graph whose inputs and outputs
 * carry the network's names, NHWC like gnet's tensors, with a symbolic batch dimension "batch".
 */
import { EXPORT_ERRORS, exportError } from './codes.js';
import { graphParts } from './graph-parts.js';
import { ONNX_OPS } from './onnx-ops.js';
import { ONNX_TYPES, encodeOnnx, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.js';
import { TF_OPS } from './tfjs-graph-ops.js';
import type { TracedGraph, TracedValue } from './trace.js';

export const ONNX_OPSET = 17;

function bytesOf(values: ArrayLike<number>, type: 'float' | 'int64' | 'int32'): Uint8Array {
  const typed = type === 'int64' ? BigInt64Array.from(Array.from(values, (v) => BigInt(v))) : type === 'int32' ? Int32Array.from(values) : values instanceof Float32Array ? values : Float32Array.from(values);
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function valueInfo(name: string, value: TracedValue): OnnxValueInfo {
  const dim = value.shape.map((d) => (d === -1 ? { dim_param: 'batch' } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: ONNX_TYPES.float, shape: { dim } } } };
}

export function onnxModel(graph: TracedGraph, metadata: Readonly<Record<string, unknown>>): Uint8Array {
  const { ops, constants, opNames } = graphParts(graph);
  const tensorName = new Map<number, string>();
  const constantValues = new Map<number, Float32Array>();
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const taken = new Set<string>();
  const fresh = (base: string) => {
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  };
  const addInitializer = (base: string, values: ArrayLike<number>, dims: readonly number[], type: 'float' | 'int64' | 'int32') => {
    const name = fresh(base);
    initializers.push({ name, dims: [...dims], data_type: ONNX_TYPES[type === 'float' ? 'float' : type], raw_data: bytesOf(values, type) });
    return name;
  };
  for (const input of graph.inputs) tensorName.set(input.value, fresh(input.name));
  for (const output of graph.outputs) taken.add(output.name);
  for (const c of constants) {
    const values = c.dtype === 'int32' ? c.source.values : Float32Array.from(c.source.values);
    tensorName.set(c.id, addInitializer(c.source.name, values, c.shape, c.dtype === 'int32' ? 'int32' : 'float'));
    if (c.dtype === 'float32') constantValues.set(c.id, values as Float32Array);
  }
  for (const op of ops) {
    const translate = ONNX_OPS[op.kernel];
    if (!translate) {
      const works = TF_OPS[op.kernel] ? 'graph (or deployed)' : 'deployed';
      throw exportError(EXPORT_ERRORS.unsupportedOp, `block ${op.block} runs ${op.kernel}, which gnet cannot write as an ONNX op; export this network with --format ${works}`);
    }
    const name = opNames.get(op.id)!;
    const outputs = op.outputs.map((_, index) => fresh(index === 0 ? name : `${name}:${index}`));
    let step = 0;
    translate(op, {
      input: (key) => tensorName.get(op.inputs[key]!)!,
      value: (key) => graph.values[op.inputs[key]!]!,
      constantOf: (key) => constantValues.get(op.inputs[key]!),
      constant: (suffix, values, dims, type) => addInitializer(`${name}/${suffix}`, values, dims, type),
      node: (opType, inputs, attribute = [], output) => {
        const result = output ?? fresh(`${name}/${opType}_${step}`);
        nodes.push({ name: fresh(`${name}#${step++}`), op_type: opType, input: [...inputs], output: [result], attribute: [...attribute] });
        return result;
      },
      output: outputs[0]!,
    });
    op.outputs.forEach((v, index) => tensorName.set(v, outputs[index]!));
  }
  for (const output of graph.outputs) nodes.push({ name: `${output.name}#out`, op_type: 'Identity', input: [tensorName.get(output.value)!], output: [output.name], attribute: [] });
  // Weights an op rewrote when it was written (filters to OIHW, batch norm folded) are read by no node.
  const read = new Set(nodes.flatMap((n) => n.input));
  return encodeOnnx({
    ir_version: 8,
    producer_name: 'gnet',
    producer_version: '0.1.0',
    doc_string: `${graph.network}, exported by gnet: inputs NHWC (batch, height, width, channels), as gnet's tensors`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: graph.network,
      node: nodes,
      initializer: initializers.filter((t) => read.has(t.name)),
      input: graph.inputs.map((i) => valueInfo(tensorName.get(i.value)!, graph.values[i.value]!)),
      output: graph.outputs.map((o) => valueInfo(o.name, graph.values[o.value]!)),
    },
    metadata_props: [...Object.entries(metadata).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })), { key: 'layout', value: 'NHWC' }],
  });
}
