/**
 * The training worker's answers to the page's model requests (download, load back, predict). Each
 * failure becomes a 'model-error' message in words; training in progress is left alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { generateModule, transpileModule } from '../../compiler/codegen/index.js';
import { compileForPage } from './page-compile.js';
import { modelInfo } from '../../cli/model-info.js';
import type { GeneratedModule } from '../../runtime/generated-module.js';
import { GnetError } from '../../runtime/errors.js';
import { resolveConfig } from '../../runtime/train/config.js';
import type { ModelJson } from '../../runtime/train/model-files.js';
import { describeTask } from '../../runtime/train/targets.js';
import { assignSaved, currentModel, downloadZip, folderName, keepModel, predictImages } from './model-store.js';
import type { ModelRequest, TrainEvent } from './train-protocol.js';

export interface WorkerParts {
  readonly post: (event: TrainEvent) => void;
  /** Starts the backend once; resolves to the backend's name and the device it runs on. */
  readonly startBackend: (preferred?: 'webgpu' | 'wasm') => Promise<{ backend: string; device: string }>;
  readonly importModule: (js: string) => Promise<GeneratedModule>;
  /** Whether a run is stepping now (not paused): its weights change under a download. */
  readonly busy: () => boolean;
  /** Whether a run is stepping or paused: it holds the current model, which a load would replace. */
  readonly active: () => boolean;
}

export async function handleModelRequest(request: ModelRequest, parts: WorkerParts): Promise<void> {
  const fail = (message: string) => parts.post({ kind: 'model-error', message, id: request.kind === 'predict' ? request.id : undefined });
  try {
    if (request.kind === 'load') {
      if (parts.active()) return fail('the training in progress holds the current model; let it run to its end (Continue) before loading another');
      return await load(request, parts, fail);
    }
    const model = currentModel();
    if (!model) return fail('there is no model yet: train one or load a download first');
    if (request.kind === 'download') {
      if (parts.busy()) return fail('stop the training first: the weights change with every step');
      // The trace names each op after its block from this sourceURL, as importGenerated does in Node.
      const zip = await downloadZip(model, (js, { name }) => parts.importModule(`${js}\n//# sourceURL=gnet-generated:///${name}.js\n`));
      parts.post({ kind: 'download', name: `${folderName(model.module.meta.network)}.zip`, zip });
    } else {
      parts.post({ kind: 'model-predictions', id: request.id, outputs: await predictImages(model, request.images) });
    }
  } catch (error) {
    fail(error instanceof GnetError || error instanceof Error ? error.message : String(error));
  }
}

/** Compiles the downloaded spec, puts the saved weights into a fresh module's weights, and makes that the current model. */
async function load(request: Extract<ModelRequest, { kind: 'load' }>, parts: WorkerParts, fail: (message: string) => void): Promise<void> {
  const { backend, device } = await parts.startBackend(request.backend);
  const compiled = compileForPage(request.path, request.text, request.network);
  if (!compiled.ok) return fail(`the spec in the download has errors (${compiled.firstError ?? `no network ${request.network}`}); it cannot hold these weights`);
  const { program, graph, analysis } = compiled;
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(request.modelJson) as ModelJson;
  } catch (error) {
    return fail(`model/model.json in the download is not valid JSON (${(error as Error).message}); download the model again`);
  }
  if (modelJson.format !== 'gnet' || !Array.isArray(modelJson.weightsManifest)) return fail('model/model.json is not a gnet model; pick a zip the playground downloaded');
  const source = generateModule(graph, analysis, { sources: program.sources });
  const module = await parts.importModule(transpileModule(source));
  const info = modelInfo(graph, analysis);
  const config = resolveConfig(module.meta.training, { data: 'synthetic-cells' }, graph.name);
  const weights = module.createWeights(config.seed);
  const problem = assignSaved(module, weights, modelJson, request.weights);
  if (problem) {
    tf.dispose(Object.values(weights));
    return fail(problem);
  }
  const task = describeTask(module.meta, info.outputs, config.loss);
  keepModel({ path: request.path, graph, source, sources: program.sources, module, info, task, config, weights, backend, device });
  parts.post({ kind: 'loaded', network: graph.name, params: module.meta.params.trainable });
}
