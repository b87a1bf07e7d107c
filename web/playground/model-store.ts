/**
 * The training worker's current model — the one training, trained or loaded back — and what the page
 * does with it: download it as one zip, load such a zip's weights back, predict images with it.
 *
 * The zip unpacks into a folder that is a gnet run directory, so `gnet predict`, `gnet eval` and
 * `gnet export` take it as they are:
 *   config.json, sources.json   the run's configuration and the spec's files (run-dir.ts)
 *   model/                      gnet's own format: model.json, weights.bin, model.ts (`--format gnet`)
 *   tfjs/                       what `gnet export --format graph` (alias tfjs) writes, for stock tf.loadGraphModel
 *   log.jsonl                   one line per epoch trained in the page, as `gnet train` writes it
 *   <spec>.gnet                 the spec, and the files it imports, as edited in the page
 *   README.md                   what the folder holds and how to use it
 */
import * as tf from '@tensorflow/tfjs-core';
import { zipSync, strToU8 } from 'fflate';
import { basename, dirname, relative } from 'node:path';
import { transpileModule } from '../../compiler/codegen/index.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { deployedGraph, generateFor } from '../../cli/deployed-graph.js';
import type { ModelInfo } from '../../runtime/train/model.js';
import type { GeneratedModule } from '../../runtime/generated-module.js';
import { exportReadme } from '../../runtime/export/readme.js';
import { GRAPH_WEIGHTS_BIN, tfjsGraphModel } from '../../runtime/export/tfjs-graph.js';
import { traceForward, type ModuleLoader } from '../../runtime/export/trace.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import { predictBatch } from '../../runtime/train/evaluate.js';
import { MODEL_JSON, MODULE_FILE, WEIGHTS_BIN, deployWeights, encodeModel, type ModelJson } from '../../runtime/train/model-files.js';
import type { Weights } from '../../runtime/train/model.js';
import type { EpochRecord } from '../../runtime/train/log.js';
import type { RunRecord } from '../../runtime/train/run-dir.js';
import type { TaskInfo } from '../../runtime/train/targets.js';
import type { ModelCopy, PageOutput } from './train-protocol.js';

export interface CurrentModel {
  readonly path: string;
  readonly graph: IRGraph;
  /** The TypeScript source of the generated module (written as model/model.ts). */
  readonly source: string;
  readonly sources: ReadonlyMap<string, string>;
  readonly module: GeneratedModule;
  readonly info: ModelInfo;
  readonly task: TaskInfo;
  readonly config: TrainConfig;
  readonly weights: Weights;
  readonly backend: string;
  readonly device: string;
  /** The epochs these weights were trained for in the page (log.jsonl), appended to as a run goes on. */
  readonly history: EpochRecord[];
}

let current: CurrentModel | undefined;

/** Makes `model` the current one; the previous one's weights are freed unless they are the same tensors. */
export function keepModel(model: CurrentModel): void {
  if (current && current.weights !== model.weights) tf.dispose(Object.values(current.weights));
  current = model;
}

export function currentModel(): CurrentModel | undefined {
  return current;
}

/** Forgets the current model and frees its weights (Reset: the next run starts from fresh ones). */
export function dropModel(): void {
  if (current) tf.dispose(Object.values(current.weights));
  current = undefined;
}

export const logLines = (history: readonly EpochRecord[]): string => history.map((r) => `${JSON.stringify(r)}\n`).join('');

/** log.jsonl's text back into records; lines that are not JSON objects are skipped. */
export function parseLog(text: string | undefined): EpochRecord[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '').flatMap((line) => {
    try {
      const record = JSON.parse(line) as EpochRecord;
      return record && typeof record === 'object' && typeof record.epoch === 'number' ? [record] : [];
    } catch {
      return [];
    }
  });
}

/** The current model as the page keeps it (spec, gnet's model.json and weights, log), to load into a new worker. */
export async function copyModel(model: CurrentModel): Promise<ModelCopy> {
  const gnet = await encodeModel({ meta: model.module.meta, source: model.source, deployed: false }, model.weights, { network: model.module.meta.network, run: 'gnet playground', weights: 'model' });
  return { path: model.path, text: model.sources.get(model.path) ?? '', network: model.module.meta.network, modelJson: JSON.stringify(gnet.json), weights: gnet.weights, log: logLines(model.history) };
}

/**
 * The current weights when they fit `module` (same network, same weight shapes): training goes on
 * from a loaded or trained model instead of fresh weights.
 */
export function fittingWeights(module: GeneratedModule): Weights | undefined {
  if (!current || current.module.meta.network !== module.meta.network) return undefined;
  const fits = module.meta.weights.every((w) => current!.weights[w.name]?.shape.join() === w.shape.join());
  return fits ? current.weights : undefined;
}

/** The folder name inside the zip (and the zip's own name without .zip). */
export const folderName = (network: string) => `${network}-playground`;

/** Every file of the download, by its path inside the folder. */
export async function downloadFiles(model: CurrentModel, load: ModuleLoader): Promise<Record<string, Uint8Array>> {
  const { module, weights, graph } = model;
  const network = module.meta.network;
  const metadata = { network, run: 'gnet playground', weights: 'model' };
  const files: Record<string, Uint8Array> = {};
  const gnet = await encodeModel({ meta: module.meta, source: model.source, deployed: false }, weights, metadata);
  files[`model/${MODEL_JSON}`] = strToU8(JSON.stringify(gnet.json, null, 1));
  files[`model/${WEIGHTS_BIN}`] = gnet.weights;
  files[`model/${MODULE_FILE}`] = strToU8(model.source);
  // The graph model, as `gnet export --format graph` builds it: gauss layers frozen into convolutions, then traced.
  const deployed = generateFor(deployedGraph(graph), model.sources);
  const frozen = deployWeights(module.meta, weights, model.info.gaussLayers);
  try {
    const traced = await traceForward(transpileModule(deployed.source), frozen, load);
    const tfjs = tfjsGraphModel(traced, metadata);
    files[`tfjs/${MODEL_JSON}`] = strToU8(JSON.stringify(tfjs.modelJson));
    files[`tfjs/${GRAPH_WEIGHTS_BIN}`] = tfjs.weights;
    files['tfjs/README.md'] = strToU8(exportReadme('graph', traced, model.info.outputs));
  } finally {
    tf.dispose(Object.values(frozen));
  }
  const record: RunRecord = {
    format: 'gnet-run',
    version: 1,
    createdAt: new Date().toISOString(),
    spec: { file: model.path, network, params: {} },
    backend: model.backend,
    device: model.device,
    train: model.config,
  };
  files['config.json'] = strToU8(JSON.stringify(record, null, 2));
  files['log.jsonl'] = strToU8(logLines(model.history));
  files['sources.json'] = strToU8(JSON.stringify({ entry: model.path, files: Object.fromEntries(model.sources) }));
  for (const [path, text] of model.sources) {
    const inside = relative(dirname(model.path), path);
    // Files outside the spec's folder stay in sources.json only.
    if (!inside.startsWith('..')) files[inside] = strToU8(text);
  }
  files['README.md'] = strToU8(readme(network, basename(model.path)));
  return files;
}

/** The download as one zip whose files sit in one folder. */
export async function downloadZip(model: CurrentModel, load: ModuleLoader): Promise<Uint8Array> {
  const files = await downloadFiles(model, load);
  const folder = folderName(model.module.meta.network);
  // Weights are float noise to deflate; the level keeps the text small without slowing the download.
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [`${folder}/${path}`, bytes])), { level: 6 });
}

/** Puts the weights of a downloaded model/ (model.json + weights.bin) into `weights`; a message when they do not fit. */
export function assignSaved(module: GeneratedModule, weights: Weights, modelJson: ModelJson, bytes: Uint8Array): string | undefined {
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.byteLength !== expected) return `model/${WEIGHTS_BIN} holds ${bytes.byteLength} bytes but model/${MODEL_JSON} describes ${expected}; download the model again`;
  const saved = tf.io.decodeWeights(bytes.slice().buffer, specs);
  try {
    for (const w of module.meta.weights) {
      const tensor = saved[w.name];
      if (!tensor || tensor.shape.join() !== w.shape.join()) return `the saved weights do not fit network ${module.meta.network} (${w.name}); the spec in the download was changed`;
    }
    for (const w of module.meta.weights) weights[w.name]!.assign(saved[w.name]!);
    return undefined;
  } finally {
    tf.dispose(Object.values(saved));
  }
}

/** Every output of the current model for each image (values NHWC, batch 1), as `gnet predict` computes them. */
export async function predictImages(model: CurrentModel, images: readonly Float32Array[]): Promise<PageOutput[]> {
  const shape = model.task.input.shape;
  const out: PageOutput[] = [];
  for (const image of images) {
    if (image.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`an image of ${image.length} numbers does not fit the input ${shape.join('×')}`);
    const { values, shape: outShape } = await predictBatch(model.module, model.weights, model.task, image, [1, ...shape] as [number, number, number, number]);
    out.push({ name: model.task.primary.name, shape: outShape, values });
  }
  return out;
}

function readme(network: string, spec: string): string {
  return [
    `# ${network}, trained in the gnet playground`,
    '',
    'This folder is a gnet run directory:',
    '',
    `- \`${spec}\`: the spec as it was edited in the page (\`sources.json\` holds it and every file it imports)`,
    '- `config.json`: the training settings; `model/`: the trained weights in gnet\'s own format',
    '- `log.jsonl`: per epoch trained in the page, the loss, metrics, validation, learning rate and speed',
    '- `tfjs/`: the same network as a TensorFlow.js graph model (`gnet export --format graph`), for',
    '  `tf.loadGraphModel` with no gnet code; its README.md names the inputs and outputs',
    '',
    'Use it with the command-line tool, or load it back into the playground (*Load model*) to predict or',
    'train on from these weights:',
    '',
    '```sh',
    'gnet predict . image.png --out predictions',
    'gnet export . --format onnx --out onnx',
    '```',
    '',
  ].join('\n');
}
