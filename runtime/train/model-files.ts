/**
 * The bytes of gnet's own model format, with no file system: shared by `gnet train` / `gnet export`
 * (export.ts writes them) and the playground, which builds them in the browser.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gaussDeploy } from '../gauss/deploy.js';
import type { GaussWeights } from '../gauss/config.js';
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

/** model.json and weights.bin of `tensors` (which must hold every weight target.meta names), as bytes: no file is written. */
export async function encodeModel(target: ExportTarget, tensors: tf.NamedTensorMap, metadata: Readonly<Record<string, unknown>> = {}): Promise<{ json: ModelJson; weights: Uint8Array }> {
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
  return { json, weights: new Uint8Array(data) };
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
