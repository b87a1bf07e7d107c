import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { gaussDeploy } from '../gauss/deploy.js';
import type { GaussWeights } from '../gauss/config.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import { type FileSystem, NODE_FS, fileError, makeFolder, writeFileAtomic } from './files.js';
import type { GaussLayerInfo, ModelMeta, Weights } from './model.js';

/**
 * A run's own model: model.json (the network's name, inputs and outputs, and a weightsManifest in the
 * layout tf.io reads) beside weights.bin (tf.io.encodeWeights), plus the generated module (model.ts)
 * that runs it with gnet's runtime. Stock TensorFlow.js cannot load it; `gnet export --format graph`
 * or `onnx` writes models that other tools read.
 *
 * Export formats: 'gnet' keeps the network as trained; 'deployed' freezes every gauss layer into the
 * ordinary convolution its kernels form (rt.gaussDeploy), so inference needs no gauss code; 'graph'
 * (a TensorFlow.js graph model, also accepted as 'tfjs') and 'onnx' hold the deployed network's ops.
 */
export const EXPORT_FORMATS = ['gnet', 'deployed', 'graph', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Other names accepted for a format. */
export const FORMAT_ALIASES: Readonly<Record<string, ExportFormat>> = { tfjs: 'graph' };

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const MODULE_FILE = 'model.ts';

export interface ModelJson {
  readonly format: 'gnet';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: {
    readonly network: string;
    readonly deployed: boolean;
    readonly inputs: ModelMeta['inputs'];
    readonly outputs: ModelMeta['outputs'];
  };
  readonly weightsManifest: { readonly paths: string[]; readonly weights: tf.io.WeightsManifestEntry[] }[];
  readonly userDefinedMetadata: Readonly<Record<string, unknown>>;
}

export interface ExportTarget {
  /** The meta of the module that will run the weights (the deployed module for 'deployed'). */
  readonly meta: ModelMeta;
  /** Its TypeScript source, written as model.ts. */
  readonly source: string;
  readonly deployed: boolean;
}

/** Writes model.json, weights.bin and model.ts into `dir`; `tensors` must hold every weight target.meta names. */
export async function writeModel(dir: string, target: ExportTarget, tensors: tf.NamedTensorMap, metadata: Readonly<Record<string, unknown>> = {}, io: FileSystem = NODE_FS): Promise<ModelJson> {
  const ordered = target.meta.weights.map((w) => {
    const tensor = tensors[w.name];
    if (!tensor || tensor.shape.join() !== w.shape.join()) {
      throw new Error(`export: weight ${w.name} is ${tensor ? `[${tensor.shape.join(', ')}]` : 'missing'}, the module expects [${w.shape.join(', ')}]`);
    }
    return { name: w.name, tensor };
  });
  const { data, specs } = await tf.io.encodeWeights(ordered);
  const json: ModelJson = {
    format: 'gnet',
    generatedBy: 'gnet 0.1.0',
    convertedBy: null,
    modelTopology: { network: target.meta.network, deployed: target.deployed, inputs: target.meta.inputs, outputs: target.meta.outputs },
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    userDefinedMetadata: metadata,
  };
  makeFolder(dir, io);
  writeFileAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(data), io);
  writeFileAtomic(join(dir, MODULE_FILE), target.source, io);
  writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(json, null, 1), io);
  return json;
}

/**
 * The weights of the deployed network: each gauss layer's σ, μ, θ and mixing weights become one
 * kernel [kh, kw, f_in, f_out] (and its bias) under the layer's prefix; every other weight is copied.
 */
export function deployWeights(meta: ModelMeta, weights: Weights, gaussLayers: readonly GaussLayerInfo[]): tf.NamedTensorMap {
  const byPrefix = new Map(gaussLayers.map((g) => [g.weightPrefix, g]));
  const out: tf.NamedTensorMap = {};
  for (const w of meta.weights) {
    const prefix = w.name.slice(0, w.name.lastIndexOf('/'));
    const layer = byPrefix.get(prefix);
    if (!layer) out[w.name] = tf.clone(weights[w.name]!);
    else if (!(`${prefix}/kernel` in out)) {
      const own = (name: string) => weights[`${prefix}/${name}`];
      const parts = { sigma: own('sigma')!, mu: own('mu')!, theta: own('theta')!, omega: own('omega'), beta: own('beta'), lambda: own('lambda'), bias: own('bias') } as GaussWeights;
      const frozen = gaussDeploy(parts, layer.config);
      out[`${prefix}/kernel`] = frozen.kernel;
      if (frozen.bias) out[`${prefix}/bias`] = frozen.bias;
    }
  }
  return out;
}

/** Reads an exported model back: model.json and the decoded weights (the caller disposes them). */
export function readModel(dir: string, io: FileSystem = NODE_FS): { json: ModelJson; tensors: tf.NamedTensorMap } {
  const jsonPath = join(dir, MODEL_JSON);
  if (!io.existsSync(jsonPath)) throw trainError(TRAIN_ERRORS.notARun, `no ${MODEL_JSON} in ${dir}; train to the end (or export) first`);
  let json: ModelJson;
  try {
    json = JSON.parse(io.readFileSync(jsonPath, 'utf8')) as ModelJson;
  } catch (error) {
    throw error instanceof SyntaxError ? trainError(TRAIN_ERRORS.badCheckpoint, `${jsonPath} is not valid JSON (${error.message}); export the model again`) : fileError(error, `read ${jsonPath}`);
  }
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const bytes = Buffer.concat(json.weightsManifest.flatMap((group) => group.paths).map((p) => io.readFileSync(join(dir, p))));
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.length !== expected) {
    throw trainError(TRAIN_ERRORS.badCheckpoint, `${join(dir, WEIGHTS_BIN)} holds ${bytes.length} bytes but ${MODEL_JSON} describes ${expected}; export the model again`);
  }
  return { json, tensors: tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, specs) };
}
