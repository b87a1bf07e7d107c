/**
 * The training worker's answers to the page's model requests (download, load back, predict, preview,
 * reset). Each failure becomes a 'model-error' message in words; training in progress is left alone.
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
import { imageTarget, loadPageData } from './data/page-data.js';
import { assignSaved, copyModel, currentModel, downloadZip, dropModel, folderName, keepModel, parseLog, predictImages } from './model-store.js';
import { kernelsPosting, samplesPosting } from './train-insights.js';
import type { BackendChoice, ModelRequest, TrainEvent } from './train-protocol.js';

export interface WorkerParts {
  readonly post: (event: TrainEvent, transfer?: Transferable[]) => void;
  /** Starts the backend once; resolves to the backend's name and the device it runs on. */
  readonly startBackend: (preferred?: BackendChoice) => Promise<{ backend: string; device: string }>;
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
      if (parts.active()) return fail('the training in progress holds the current model; let it run to its end (Continue) or Abort it before loading another');
      return await load(request, parts, fail);
    }
    if (request.kind === 'reset') {
      if (parts.active()) return fail('a run holds the current model; Abort it before Reset');
      dropModel();
      return parts.post({ kind: 'reset' });
    }
    const model = currentModel();
    if (!model) return fail('there is no model yet: train one or load a download first');
    if (request.kind === 'download') {
      if (parts.busy()) return fail('stop the training first: the weights change with every step');
      // The trace names each op after its block from this sourceURL, as importGenerated does in Node.
      const zip = await downloadZip(model, (js, { name }) => parts.importModule(`${js}\n//# sourceURL=gnet-generated:///${name}.js\n`));
      parts.post({ kind: 'download', name: `${folderName(model.module.meta.network)}.zip`, zip });
    } else if (request.kind === 'preview') {
      await preview(request, parts);
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
  const history = parseLog(request.log);
  keepModel({ path: request.path, graph, source, sources: program.sources, module, info, task, config, weights, backend, device, history });
  parts.post({ kind: 'loaded', network: graph.name, params: module.meta.params.trainable, backend, device, epochs: history.length, quiet: request.quiet });
  if (!request.quiet) await postSnapshot(parts.post);
}

/** Images a preview generates or reads at most: enough for the sample predictions. */
const PREVIEW_IMAGES = 16;

/** The current model's kernels, and its predictions on the page's data when there is some that fits. */
async function preview(request: Extract<ModelRequest, { kind: 'preview' }>, parts: WorkerParts): Promise<void> {
  const model = currentModel()!;
  const { module, weights, task, info, config } = model;
  if (info.gaussLayers.length > 0) {
    const kernels = await kernelsPosting(info.gaussLayers, weights, 0);
    parts.post(kernels.event, kernels.transfer);
  }
  if (!request.data) return;
  const data = await loadPageData(request.data, { task: imageTarget(task), samples: Math.min(request.samples, PREVIEW_IMAGES), seed: config.seed, specData: String(module.meta.training?.data ?? '') });
  const samples = await samplesPosting(module, weights, task, data, model.history.length - 1);
  parts.post(samples.event, samples.transfer);
}

/** Sends the page a copy of the current model, which it loads into a new worker if a later run fails. */
export async function postSnapshot(post: WorkerParts['post']): Promise<void> {
  const model = currentModel();
  if (!model) return;
  try {
    const copy = await copyModel(model);
    post({ kind: 'snapshot', ...copy }, [copy.weights.buffer as ArrayBuffer]);
  } catch (error) {
    // Without a copy the page cannot put this model back after a failure; training itself is fine.
    console.warn('gnet playground: could not copy the model for the page:', error);
  }
}
