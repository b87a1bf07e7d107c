/**
 * Training in the page, off the main thread: the edited spec is compiled here (generated module
 * included), imported from a blob URL, and trained on the built-in synthetic cells with the trainer's
 * own step, loss, optimiser and metrics, on WebGPU or, without it, on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as runtime from '../../runtime/index.js';
import { describeSummary } from '../../backends/webgpu/adapter.js';
import { startBrowserWebGpu } from '../../backends/webgpu/browser.js';
import { installWasmKernels } from '../../backends/wasm/kernels.js';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { generateModule, transpileModule } from '../../compiler/codegen/index.js';
import { hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileProgram } from '../../compiler/program.js';
import { modelInfo } from '../../cli/model-info.js';
import { makeDataset } from '../../runtime/data/dataset.js';
import { generateCellsStore, SYNTHETIC_CELLS_SEED } from '../../runtime/data/synthetic-cells.js';
import { GnetError } from '../../runtime/errors.js';
import type { GeneratedModule } from '../../runtime/generated-module.js';
import { rewriteImports } from '../../runtime/load-generated.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { buildLoss } from '../../runtime/train/losses.js';
import { addToConfusion, computeMetrics, emptyConfusion, headlineMetric } from '../../runtime/train/metrics.js';
import { createOptimizer } from '../../runtime/train/optimizers.js';
import { learningRateAt } from '../../runtime/train/schedules.js';
import { trainStep, type StepContext } from '../../runtime/train/step.js';
import { Diverged } from '../../runtime/train/divergence.js';
import { classesOf, describeTask } from '../../runtime/train/targets.js';
import { EXAMPLES } from 'gnet:examples';
import type { TrainEvent, TrainRequest, TrainSettings } from './train-protocol.js';
import { fittingWeights, keepModel } from './model-store.js';
import { handleModelRequest } from './model-requests.js';

const post = (event: TrainEvent) => postMessage(event);

let backendReady: Promise<{ backend: string; device: string }> | undefined;

/** WebGPU when the browser has it (and the page did not ask for wasm), else wasm; says which, and why not WebGPU. */
function startBackend(preferred?: 'webgpu' | 'wasm'): Promise<{ backend: string; device: string }> {
  backendReady ??= (async () => {
    try {
      if (preferred === 'wasm') throw new Error('?backend=wasm in the address');
      const gpu = await startBrowserWebGpu((self.navigator as Navigator & { gpu?: GPU }).gpu);
      post({ kind: 'backend', backend: 'webgpu', adapter: describeSummary(gpu.summary) });
      return { backend: 'webgpu', device: describeSummary(gpu.summary) };
    } catch (error) {
      setWasmPaths(new URL('./', self.location.href).href);
      installWasmKernels();
      if (!(await tf.setBackend('wasm'))) throw new GnetError('GN0952', 'neither WebGPU nor wasm could start in this browser; try a current Chrome, Edge or Firefox');
      post({ kind: 'backend', backend: 'wasm', adapter: 'CPU (WebAssembly)', why: error instanceof Error ? error.message : String(error) });
      return { backend: 'wasm', device: 'CPU (WebAssembly)' };
    }
  })();
  return backendReady;
}

/** A module that re-exports `namespace` by name, so a generated module can `import * as` it from a blob URL. */
function namespaceModule(global: string, namespace: object): string {
  const names = Object.keys(namespace).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
  const text = `const m = globalThis[${JSON.stringify(global)}];\nexport const { ${names.join(', ')} } = m;\n`;
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

let importUrls: Map<string, string> | undefined;

async function importModule(js: string): Promise<GeneratedModule> {
  Object.assign(globalThis, { __gnetTf: tf, __gnetRuntime: runtime });
  importUrls ??= new Map([
    ['@tensorflow/tfjs-core', namespaceModule('__gnetTf', tf)],
    ['gnet/runtime', namespaceModule('__gnetRuntime', runtime)],
  ]);
  const url = URL.createObjectURL(new Blob([rewriteImports(js, importUrls)], { type: 'text/javascript' }));
  try {
    return (await import(/* @vite-ignore */ url)) as GeneratedModule;
  } finally {
    URL.revokeObjectURL(url);
  }
}

interface Run {
  paused: boolean;
  resume?: () => void;
}
let run: Run | undefined;

async function train(request: Extract<TrainRequest, { kind: 'start' }>): Promise<void> {
  const { settings } = request;
  const { backend, device } = await startBackend(request.backend);
  const host = { readFile: (path: string) => (path === request.path ? request.text : EXAMPLES[path]) };
  const program = compileProgram(request.path, host, { network: request.network });
  const graph = program.graphs[0];
  const diagnostics: Diagnostic[] = [...program.diagnostics];
  const analysis = graph && !hasErrors(diagnostics) ? analyzeGraph(graph, { batch: 1 }, (d) => diagnostics.push(d)) : undefined;
  if (!graph || !analysis || hasErrors(diagnostics)) {
    post({ kind: 'error', message: `the spec has errors (${diagnostics.find((d) => d.severity === 'error')?.message ?? 'see Problems'}); fix them before training` });
    return;
  }
  const source = generateModule(graph, analysis, { sources: program.sources });
  const module = await importModule(transpileModule(source));
  const info = modelInfo(graph, analysis);
  // The data is always the built-in cells here; the spec's own data setting is for `gnet train`.
  const config = resolveConfig(module.meta.training, { epochs: settings.epochs, batch: settings.batch, lr: settings.lr, data: 'synthetic-cells' }, graph.name);
  const task = describeTask(module.meta, info.outputs, config.loss);
  if (task.task !== 'segmentation') {
    post({ kind: 'error', message: `${graph.name} classifies images; the page trains segmentation networks on synthetic cells (outputs H×W×classes), such as GaussUNet` });
    return;
  }
  const [height, width, channels] = task.input.shape as [number, number, number];
  let store;
  try {
    store = generateCellsStore({ height, width, channels, classes: classesOf(task.primary), seed: SYNTHETIC_CELLS_SEED }, settings.samples);
  } catch (error) {
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const data = makeDataset(store, Int32Array.from({ length: settings.samples }, (_, i) => i), [height, width, channels]);
  const weights = module.createWeights(config.seed);
  const saved = request.fromCurrent ? fittingWeights(module) : undefined;
  if (saved) for (const [name, variable] of Object.entries(weights)) variable.assign(saved[name]!);
  // The current model from now on: a download or prediction reads these weights, stopped or done.
  keepModel({ path: request.path, graph, source, sources: program.sources, module, info, task, config, weights, backend, device });
  const trainable = module.meta.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, variable: weights[w.name]!, decays: w.shape.length >= 2 }));
  const optimizer = createOptimizer(config.optimizer, config);
  const ctx: StepContext = { module, weights, trainable, optimizer, loss: buildLoss(config.loss, task), task };
  const stepsPerEpoch = Math.ceil(settings.samples / settings.batch);
  post({ kind: 'started', network: graph.name, stepsPerEpoch, epochs: config.epochs, params: module.meta.params.trainable });
  const current: Run = { paused: false };
  run = current;
  let step = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const confusion = emptyConfusion(task.classes);
      let lossSum = 0;
      let images = 0;
      for (const batch of data.batches(config.batch, { shuffle: true, seed: config.seed, epoch })) {
        optimizer.setLearningRate(learningRateAt(config.schedule, config.optimizer.lr, { step, epoch, totalSteps: stepsPerEpoch * config.epochs }));
        const result = await trainStep(ctx, batch, { epoch, seed: config.seed, step });
        addToConfusion(confusion, result.truth, result.predicted);
        lossSum += result.loss * batch.xShape[0];
        images += batch.xShape[0];
        step++;
        const metric = headlineMetric(computeMetrics(config.metrics, confusion, true));
        post({ kind: 'step', step, epoch, loss: result.loss, metric: metric && { name: metric.name, value: metric.value } });
        // A macrotask turn lets a stop message in between steps.
        await new Promise((turn) => setTimeout(turn, 0));
        if (current.paused) {
          post({ kind: 'paused' });
          await new Promise<void>((resume) => (current.resume = resume));
        }
      }
      const metrics = computeMetrics(config.metrics, confusion, true);
      const scalars = Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number'));
      post({ kind: 'epoch', epoch, loss: lossSum / images, metrics: scalars });
    }
    post({ kind: 'done' });
  } catch (error) {
    post({ kind: 'error', message: readable(error) });
  } finally {
    optimizer.dispose();
    if (run === current) run = undefined;
  }
}

function readable(error: unknown): string {
  if (error instanceof Diverged) return `training diverged: ${error.message}; lower the learning rate and train again`;
  if (error instanceof GnetError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  if (/out of memory|allocation|OOM/i.test(text)) return 'the device ran out of memory; lower the batch size';
  return `training stopped: ${text}`;
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  if (request.kind === 'download' || request.kind === 'load' || request.kind === 'predict') {
    void handleModelRequest(request, { post, startBackend, importModule, busy: () => run !== undefined && !run.paused, active: () => run !== undefined });
  } else if (request.kind === 'start') {
    train(request).catch((error) => post({ kind: 'error', message: readable(error) }));
  } else if (request.kind === 'stop') {
    if (run) run.paused = true;
  } else if (run?.resume) {
    run.paused = false;
    const resume = run.resume;
    run.resume = undefined;
    resume();
  }
};

export type { TrainSettings };
