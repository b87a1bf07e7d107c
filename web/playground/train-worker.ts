/**
 * Training in the page, off the main thread: the edited spec is compiled here (generated module
 * included), imported from a blob URL, and trained on the data the user chose (data/page-data.ts)
 * with the trainer's own step, loss, optimiser and metrics, on WebGPU or, without it, on wasm.
 * Validation, kernels and sample predictions go to the page as they change (train-insights.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as runtime from '../../runtime/index.js';
import { describeSummary } from '../../backends/webgpu/adapter.js';
import { probeBrowserAdapter, startBrowserWebGpu, type BrowserWebGpu } from '../../backends/webgpu/browser.js';
import { installWasmKernels } from '../../backends/wasm/kernels.js';
import { generateModule, transpileModule } from '../../compiler/codegen/index.js';
import { compileForPage } from './page-compile.js';
import { modelInfo } from '../../cli/model-info.js';
import { GnetError } from '../../runtime/errors.js';
import type { GeneratedModule } from '../../runtime/generated-module.js';
import { rewriteImports } from '../../runtime/load-generated.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { drive } from '../../runtime/train/driver.js';
import { createTfjsEngine } from '../../runtime/train/tfjs-engine.js';
import { describeTask } from '../../runtime/train/targets.js';
import { imageTarget, loadPageData } from './data/page-data.js';
import { describeError } from './page-errors.js';
import { kernelsPosting, samplesPosting } from './train-insights.js';
import type { BackendChoice, TrainEvent, TrainRequest, TrainSettings } from './train-protocol.js';
import { currentModel, fittingWeights, keepModel } from './model-store.js';
import { handleModelRequest, postSnapshot } from './model-requests.js';

const post = (event: TrainEvent, transfer: Transferable[] = []) => postMessage(event, { transfer });

type BackendName = 'webgpu' | 'wasm';
let backendReady: Promise<{ backend: BackendName; device: string }> | undefined;
let backendWanted: BackendChoice | undefined;
/** The backend that started last: failures name it. */
let backendInUse: BackendName | undefined;
/** The WebGPU device in use, while it is. */
let webgpu: BrowserWebGpu | undefined;

/**
 * WebGPU when the browser has it and wasm was not asked for, else wasm; says which, and why not
 * WebGPU. 'auto' passes over a software adapter: on the CPU, wasm is many times faster.
 */
function startBackend(wanted: BackendChoice = 'auto'): Promise<{ backend: BackendName; device: string }> {
  if (backendWanted !== wanted) backendReady = undefined;
  backendWanted = wanted;
  backendReady ??= (async () => {
    let software: string | undefined;
    try {
      if (wanted === 'wasm') throw new Error('chosen');
      const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
      const probed = wanted === 'auto' ? await probeBrowserAdapter(gpu) : undefined;
      if (probed?.software) {
        software = probed.name;
        throw new Error(`the WebGPU adapter is a software one (${probed.name})`);
      }
      webgpu = await startBrowserWebGpu(gpu);
      // A lost device is gone for good: the next run asks for a new one.
      void webgpu.device.lost.then(() => {
        webgpu = undefined;
        backendReady = undefined;
      });
      post({ kind: 'backend', backend: 'webgpu', adapter: describeSummary(webgpu.summary) });
      backendInUse = 'webgpu';
      return { backend: 'webgpu', device: describeSummary(webgpu.summary) };
    } catch (error) {
      webgpu = undefined;
      startWasm();
      if (!(await tf.setBackend('wasm'))) throw new GnetError('GN0952', 'neither WebGPU nor wasm could start in this browser; try a current Chrome, Edge or Firefox');
      const why = wanted === 'wasm' ? undefined : error instanceof Error ? error.message : String(error);
      post({ kind: 'backend', backend: 'wasm', adapter: 'CPU (WebAssembly)', why, software });
      backendInUse = 'wasm';
      return { backend: 'wasm', device: 'CPU (WebAssembly)' };
    }
  })();
  return backendReady;
}

let wasmReady = false;
function startWasm(): void {
  if (wasmReady) return;
  setWasmPaths(new URL('./', self.location.href).href);
  installWasmKernels();
  wasmReady = true;
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
  /** Ends the run after the current step, keeping the model (the driver's stop, as Ctrl-C on the command line). */
  readonly stop: AbortController;
  resume?: () => void;
}
let run: Run | undefined;

/** Kernels are redrawn at most this often (ms): reading them back costs a little each time. */
const KERNEL_INTERVAL = 400;

/**
 * A run in the page is gnet's driver on the TensorFlow.js engine, training the current model's
 * weights in place; the page only shows what the driver reports. Its "checkpoint" is the model the
 * page keeps, so the store keeps no copies, and log.jsonl (in the download) numbers on from the
 * epochs the weights had before.
 */
async function train(request: Extract<TrainRequest, { kind: 'start' }>): Promise<void> {
  const { settings } = request;
  const { backend, device } = await startBackend(request.backend);
  // Kept for this run: a lost device clears `webgpu`, and the run's failure must still be told as that.
  const watch = backend === 'webgpu' ? webgpu?.watch : undefined;
  const compiled = compileForPage(request.path, request.text, request.network);
  if (!compiled.ok) {
    post({ kind: 'error', message: `the spec has errors (${compiled.firstError ?? 'see Problems'}); fix them before training` });
    return;
  }
  const { program, graph, analysis } = compiled;
  const source = generateModule(graph, analysis, { sources: program.sources });
  const module = await importModule(transpileModule(source));
  const info = modelInfo(graph, analysis);
  // The data is what the page chose; the spec's own data setting names it for `gnet train`.
  const config = resolveConfig(module.meta.training, { epochs: settings.epochs, batch: settings.batch, lr: settings.lr, data: 'synthetic-cells' }, graph.name);
  const task = describeTask(module.meta, info.outputs, config.loss);
  const data = await loadPageData(request.data ?? { kind: 'cells' }, { task: imageTarget(task), samples: settings.samples, seed: config.seed, specData: String(module.meta.training?.data ?? '') });
  post({ kind: 'data', summary: data.summary });
  if (settings.batch > data.train.size) {
    post({ kind: 'error', field: 'batch', message: `the batch size (${settings.batch}) must not exceed the ${data.train.size} training images; lower it` });
    return;
  }
  const weights = module.createWeights(config.seed);
  const saved = request.fromCurrent ? fittingWeights(module) : undefined;
  if (saved) for (const [name, variable] of Object.entries(weights)) variable.assign(saved[name]!);
  // Training on goes on with the log of the weights it starts from.
  const history = saved ? [...currentModel()!.history] : [];
  // The current model from now on: a download or prediction reads these weights, stopped or done.
  keepModel({ path: request.path, graph, source, sources: program.sources, module, info, task, config, weights, backend, device, history });
  const stepsPerEpoch = Math.ceil(data.train.size / config.batch);
  post({ kind: 'started', network: graph.name, stepsPerEpoch, epochs: config.epochs, params: module.meta.params.trainable, batch: config.batch, images: data.train.size });
  const current: Run = { paused: false, stop: new AbortController() };
  run = current;
  let step = 0;
  let kernelsAt = 0;
  const showKernels = async () => {
    if (info.gaussLayers.length === 0) return;
    const { event, transfer } = await kernelsPosting(info.gaussLayers, weights, step);
    post(event, transfer);
    kernelsAt = performance.now();
  };
  const [epochsBefore, stepsBefore] = [history.length, history.at(-1)?.step ?? 0];
  const engine = createTfjsEngine({ module, info }, config, data, device, { weights });
  try {
    await showKernels();
    const result = await drive({
      engine,
      config,
      classes: task.classes,
      segmentation: task.task === 'segmentation',
      trainSize: data.train.size,
      hasValidation: data.validation !== undefined,
      store: {
        describe: 'the page',
        saveCheckpoint: async () => undefined,
        rewriteLog: () => undefined,
        appendLog: (record) => void history.push({ ...record, epoch: epochsBefore + record.epoch, step: stepsBefore + record.step }),
      },
      signal: current.stop.signal,
      progress: {
        start() {},
        step(at) {
          step = at.step;
          post({ kind: 'step', step: at.step, epoch: at.epoch, loss: at.batchLoss, images: at.images, metric: at.metric });
        },
        epoch(record) {
          post({ kind: 'epoch', epoch: record.epoch - 1, loss: record.loss, metrics: scalars(record.metrics) });
          if (record.validation) post({ kind: 'validation', epoch: record.epoch - 1, loss: record.validation.loss, metrics: scalars(record.validation.metrics), images: data.validation?.size ?? 0 });
        },
        stop() {},
      },
      observe: {
        afterStep: async () => {
          if (performance.now() - kernelsAt > KERNEL_INTERVAL) await showKernels();
          if (current.paused && !current.stop.signal.aborted) {
            await showKernels();
            post({ kind: 'paused' });
            await new Promise<void>((resume) => (current.resume = resume));
          }
        },
        afterEpoch: async (record) => {
          await showKernels();
          const { event, transfer } = await samplesPosting(module, weights, task, data, record.epoch - 1);
          post(event, transfer);
        },
      },
    });
    // The page keeps a copy, to put back if a later run fails and takes the worker down with it.
    await postSnapshot(post);
    post({ kind: 'done', aborted: result.status === 'interrupted' });
  } catch (error) {
    // A lost device fails whatever touches it next (a kernel, a synchronous read), often before its `lost` settles.
    post({ kind: 'error', ...describeError(watch ? await watch.explain(error) : error, backend) });
  } finally {
    await engine.close();
    if (run === current) run = undefined;
  }
}

const scalars = (metrics: object): Record<string, number> => Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number'));

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  if (request.kind === 'download' || request.kind === 'load' || request.kind === 'predict' || request.kind === 'preview' || request.kind === 'reset') {
    void handleModelRequest(request, { post, startBackend, importModule, busy: () => run !== undefined && !run.paused, active: () => run !== undefined });
  } else if (request.kind === 'start') {
    train(request).catch((error) => post({ kind: 'error', ...describeError(error, backendInUse) }));
  } else if (request.kind === 'lose-device') {
    webgpu?.device.destroy();
  } else if (request.kind === 'stop') {
    if (run) run.paused = true;
  } else if (request.kind === 'abort') {
    run?.stop.abort();
    run?.resume?.();
  } else if (run?.resume) {
    run.paused = false;
    const resume = run.resume;
    run.resume = undefined;
    resume();
  }
};

// Whatever escapes the handlers above still reaches the page as a readable message.
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  post({ kind: 'error', ...describeError(event.reason, backendInUse) });
});

export type { TrainSettings };
