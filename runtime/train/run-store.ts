import { type CheckpointManifest, type TrainingPosition, KEEP_NEWEST, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { RunStore } from './driver.js';
import type { EngineState } from './engine.js';
import type { FileSystem } from './files.js';
import { appendEpoch, rewriteLog } from './log.js';
import type { ModelMeta } from './model.js';
import type { RunPaths } from './run-dir.js';

/** A run directory as the driver's store: gnet checkpoints in checkpoint/, the epochs in log.jsonl. */
export function fileRunStore(paths: RunPaths, meta: ModelMeta, config: TrainConfig, io: FileSystem): RunStore {
  const policy = { keep: config.keepCheckpoints ?? KEEP_NEWEST, watch: config.keepBest ?? null };
  return {
    describe: paths.checkpoint,
    saveCheckpoint: async (state: () => Promise<EngineState>, position: TrainingPosition): Promise<CheckpointManifest> => saveCheckpoint(paths.checkpoint, { meta, state: await state(), position, seed: config.seed }, io, policy),
    rewriteLog: (history) => rewriteLog(paths.log, history, io),
    appendLog: (record) => appendEpoch(paths.log, record, io),
  };
}
