import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TRAIN_ERRORS, trainError } from './codes.js';
import { type FileSystem, NODE_FS, fileError, makeFolder, writeFileAtomic } from './files.js';
import { MODEL_JSON, MODULE_FILE, WEIGHTS_BIN, encodeModel, type ExportTarget, type ModelJson } from './model-files.js';

export * from './model-files.js';

/** Writes model.json, weights.bin and model.ts into `dir`; `tensors` must hold every weight target.meta names. */
export async function writeModel(dir: string, target: ExportTarget, tensors: tf.NamedTensorMap, metadata: Readonly<Record<string, unknown>> = {}, io: FileSystem = NODE_FS): Promise<ModelJson> {
  const { json, weights } = await encodeModel(target, tensors, metadata);
  makeFolder(dir, io);
  writeFileAtomic(join(dir, WEIGHTS_BIN), weights, io);
  writeFileAtomic(join(dir, MODULE_FILE), target.source, io);
  writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(json, null, 1), io);
  return json;
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
