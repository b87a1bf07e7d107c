/**
 * The page: starts WebGPU, trains the chosen network of the bundled spec for a few Adam steps and
 * reports each loss in the page and the console. `window.gnet` lets a test (or the console) run the
 * cross-backend comparison on any bundled network.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODELS } from 'gnet:models';
import { describeSummary } from '../backends/webgpu/adapter.js';
import { startBrowserWebGpu } from '../backends/webgpu/browser.js';
import { adamLosses, outputsAndGradients, PAGE_SEEDS, syntheticBatch } from './steps.js';

const query = new URLSearchParams(location.search);
const setting = (name: string, fallback: number) => Number(query.get(name) ?? fallback);

function show(id: string, text: string): HTMLElement {
  const element = document.getElementById(id)!;
  element.textContent = text;
  return element;
}

function model(name: string) {
  const module = MODELS[name];
  if (module === undefined) throw new Error(`no network '${name}' in this page; it has ${Object.keys(MODELS).join(', ')}`);
  return module;
}

/** Outputs, gradients and the losses of `steps` Adam steps, as plain arrays (for a test to compare). */
async function compare(network: string, steps: number) {
  const module = model(network);
  const weights = module.createWeights(PAGE_SEEDS.weights);
  const batch = syntheticBatch(module.meta, PAGE_SEEDS.batchSize, PAGE_SEEDS.batch);
  const pass = await outputsAndGradients(module, weights, batch);
  const losses = await adamLosses(module, weights, batch, steps);
  tf.dispose([weights, batch.inputs, batch.targets]);
  const plain = (record: Record<string, Float32Array>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.from(v)]));
  return { outputs: plain(pass.outputs), gradients: plain(pass.gradients), losses };
}

async function train(network: string, steps: number, batchSize: number): Promise<number[]> {
  const module = model(network);
  show('network', `${network}: ${module.meta.params.trainable.toLocaleString('en')} trainable weights, batch ${batchSize}`);
  const weights = module.createWeights(PAGE_SEEDS.weights);
  const batch = syntheticBatch(module.meta, batchSize, PAGE_SEEDS.batch);
  const list = document.getElementById('losses')!;
  const losses = await adamLosses(module, weights, batch, steps, (step, loss) => {
    console.log(`gnet step ${step}: loss ${loss}`);
    list.append(Object.assign(document.createElement('li'), { textContent: loss.toPrecision(6) }));
  });
  tf.dispose([weights, batch.inputs, batch.targets]);
  return losses;
}

async function main(): Promise<void> {
  const status = show('status', 'starting WebGPU…');
  try {
    const gpu = await startBrowserWebGpu();
    show('adapter', describeSummary(gpu.summary));
    Object.assign(window, { gnet: { adapter: gpu.summary, networks: Object.keys(MODELS), compare } });
    const network = query.get('network') ?? Object.keys(MODELS)[0]!;
    status.textContent = 'training…';
    const steps = setting('steps', 5);
    const losses = steps > 0 ? await train(network, steps, setting('batch', PAGE_SEEDS.batchSize)) : [];
    status.textContent = losses.length > 0 ? `done: ${losses.length} steps, loss ${losses[0]!.toPrecision(4)} → ${losses.at(-1)!.toPrecision(4)}` : 'ready (no training steps asked for)';
    status.dataset.state = 'done';
  } catch (error) {
    console.error(error);
    status.textContent = `failed: ${(error as Error).message}`;
    status.dataset.state = 'failed';
  }
}

await main();
