import type { TrainConfig } from '../../runtime/train/config.js';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types.js';
import { type CheckpointManifest, KEEP_NEWEST, type TrainingPosition, hasCheckpoint, loadCheckpoint, saveCheckpoint } from '../../runtime/train/checkpoint.js';
import { lockRun } from '../../runtime/train/run-lock.js';
import { classificationPredictions } from '../../runtime/train/predictions.js';
import { TRAIN_ERRORS, trainError } from '../../runtime/train/codes.js';
import { writeModel } from '../../runtime/train/export.js';
import { NODE_FS, writeFileAtomic } from '../../runtime/train/files.js';
import { drawGaussKernels } from '../../runtime/train/kernels-png.js';
import { type EpochRecord, appendEpoch, rewriteLog } from '../../runtime/train/log.js';
import type { TrainableModel } from '../../runtime/train/model.js';
import type { NamedVariable, TrainOptimizer } from '../../runtime/train/optimizers.js';
import { segmentationPanels } from '../../runtime/train/panels.js';
import { renderReport } from '../../runtime/train/report-html.js';
import { type RunPaths, createRun, openRun, updateRun } from '../../runtime/train/run-dir.js';
import { type TrainOutcome, type TrainRun, openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { writeTorchPackage } from '../../runtime/torch/package.js';
import { readTensors, writeTensors, type NamedArray } from '../../runtime/torch/tensor-file.js';
import { TORCH_ERRORS, torchError } from './codes.js';
import { writeDataFile } from './data-file.js';
import { writeTrainEntry } from './entry.js';
import { type TrainerEvent, checkPortFree, launchWorkers } from './launch.js';
import { probeTorchOnce } from './python.js';
import { placementUnderSrun } from './slurm-placement.js';

/** Where and how the torch trainer runs: --device, --workers and the multi-node settings. */
export interface TorchPlacement {
  readonly device: string;
  readonly workers: number;
  readonly nodes: number;
  readonly nodeRank: number;
  readonly masterAddr: string;
  readonly masterPort: number | undefined;
  /** Threads per worker (default: the CPU threads torch reports, shared among this machine's workers). */
  readonly threads?: number;
  /** Mixed precision on CUDA; off by default so results match the other backends. */
  readonly amp?: boolean;
  /** Extra environment for the workers (tests inject faults with GNET_TORCH_FAULT). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface TorchTrainRun extends TrainRun {
  /** The generated PyTorch module's source (generateTorch). */
  readonly torchSource: string;
  readonly torchNetwork: string;
  readonly placement: TorchPlacement;
}

/**
 * `gnet train --backend torch` below the command line: the same run directory as runTraining
 * (config.json, data.json, log.jsonl, checkpoint/, model/, report.html) plus RUNDIR/torch/ (the
 * generated module, the gnet_torch package, train.py, data.bin, job.json, worker logs). Python trains;
 * this side turns its checkpoints into gnet checkpoints (saveCheckpoint), logs its epochs, renders its
 * progress and writes the final model and report with TensorFlow.js, as any backend does.
 */
export async function runTorchTraining(run: TorchTrainRun): Promise<TrainOutcome> {
  const { model, config, placement } = run;
  const probe = probeTorchOnce();
  if (!probe.ok) throw torchError(probe.code, `${probe.reason}; ${probe.fix}`);
  checkPlacement(placement, probe.info.cuda.length);
  // A taken port is refused before the run directory exists, so a retry with another port starts clean.
  if (placement.masterPort !== undefined && placement.nodeRank === 0) await checkPortFree(placement.masterAddr, placement.masterPort);
  const task = describeTask(model.module.meta, model.info.outputs, config.loss);
  const data = openTrainingData(config, task);
  if (run.resume) openRun(run.out, NODE_FS); // a wrong directory is refused before the lock creates anything
  const lock = placement.nodeRank === 0 ? lockRun(run.out, NODE_FS, run.notice) : null;
  try {
    return await trainLocked(run, task, data);
  } finally {
    lock?.release();
  }
}

async function trainLocked(run: TorchTrainRun, task: ReturnType<typeof describeTask>, data: ReturnType<typeof openTrainingData>): Promise<TrainOutcome> {
  const { model, config, placement } = run;
  const probe = probeTorchOnce();
  if (!probe.ok) throw torchError(probe.code, `${probe.reason}; ${probe.fix}`);
  let paths: RunPaths;
  let resume;
  if (run.resume) {
    ({ paths } = openRun(run.out, NODE_FS));
    if (hasCheckpoint(paths.checkpoint, NODE_FS)) resume = loadCheckpoint(paths.checkpoint, model.module.meta, NODE_FS);
    else run.notice?.(`${run.out} has no checkpoint (it stopped before its first one); starting it again from epoch 1 with its saved configuration`);
    updateRun(paths, run.record, NODE_FS);
  } else {
    paths = createRun(run.out, run.record, run.sources, NODE_FS);
  }
  const dir = join(paths.root, 'torch');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.startsWith('worker-') && name.endsWith('.log')) rmSync(join(dir, name), { force: true });
  writeTorchPackage(dir);
  const entry = writeTrainEntry(dir);
  const modulePath = join(dir, `${run.torchNetwork}.py`);
  writeFileSync(modulePath, run.torchSource);
  writeFileAtomic(paths.data, JSON.stringify(data.info, null, 2));
  writeDataFile(join(dir, 'data.bin'), data, config);
  const staging = join(dir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  let position: TrainingPosition = resume?.manifest.position ?? { epoch: 0, step: 0, stepInEpoch: 0, partial: null, history: [] };
  let resumeFile: string | null = null;
  if (resume) {
    resumeFile = join(dir, 'resume.tensors');
    writeResumeFile(resumeFile, resume, model);
  }
  const job = {
    module: modulePath,
    config,
    task,
    trainable: trainableOf(model),
    data: join(dir, 'data.bin'),
    staging,
    resume: resumeFile,
    position: resume ? position : null,
    device: placement.device,
    amp: placement.amp ?? false,
    threads: placement.threads ?? Math.max(1, Math.floor(probe.info.threads / placement.workers)),
  };
  const jobPath = join(dir, 'job.json');
  writeFileAtomic(jobPath, JSON.stringify(job, null, 1));
  rewriteLog(paths.log, position.history);

  let checkpoint: CheckpointManifest | undefined = resume?.manifest;
  let nonfinite: Record<string, unknown> | undefined;
  const onEvent = async (event: TrainerEvent) => {
    switch (event.event) {
      case 'start':
        run.progress?.start(event as never);
        break;
      case 'step':
        run.progress?.step(event as never);
        break;
      case 'epoch':
        appendEpoch(paths.log, event.record as EpochRecord);
        run.progress?.epoch(event.record as EpochRecord);
        break;
      case 'checkpoint':
        checkpoint = await importCheckpoint(event, paths, model, config);
        position = checkpoint.position;
        break;
      case 'nonfinite':
        nonfinite = event;
        break;
    }
  };
  let status: 'completed' | 'interrupted';
  try {
    const outcome = await launchWorkers(
      { python: probe.info.python, entry, job: jobPath, workers: placement.workers, nodes: placement.nodes, nodeRank: placement.nodeRank, masterAddr: placement.masterAddr, masterPort: placement.masterPort, logDir: dir, env: placement.env },
      onEvent,
      run.signal,
    );
    if (outcome.status === 'nonfinite') throw nonFiniteError(nonfinite ?? {}, checkpoint, paths);
    status = outcome.status;
  } finally {
    run.progress?.stop();
  }
  if (placement.nodeRank !== 0) return { status, earlyStop: null, paths, task, epochsDone: position.epoch, step: position.step };
  await finish(run, paths, task, status, data);
  return { status, earlyStop: null, paths, task, epochsDone: position.epoch, step: position.step };
}

function checkPlacement(p: TorchPlacement, gpus: number): void {
  if (!/^(cpu|cuda(:\d+)?)$/.test(p.device)) throw torchError(TORCH_ERRORS.badLaunch, `unknown --device '${p.device}'; use cpu, cuda or cuda:N`);
  if (p.device !== 'cpu' && gpus === 0) {
    throw torchError(TORCH_ERRORS.noCuda, `--device ${p.device} asks for CUDA, but torch sees no CUDA device here; install the NVIDIA driver and a CUDA build of torch (pip install torch), or train with --device cpu`);
  }
  const first = p.device.startsWith('cuda:') ? Number(p.device.slice(5)) : 0;
  if (p.device !== 'cpu' && first + p.workers > gpus) {
    throw torchError(TORCH_ERRORS.badLaunch, `--device ${p.device} with --workers ${p.workers} needs GPUs ${first}..${first + p.workers - 1}, but ${gpus} are visible; lower --workers (one worker per GPU)`);
  }
  if (p.nodeRank < 0 || p.nodeRank >= p.nodes) throw torchError(TORCH_ERRORS.badLaunch, `node rank ${p.nodeRank} is not below the ${p.nodes} nodes; give each machine a NODE_RANK from 0 to ${p.nodes - 1}`);
  if (p.nodes > 1 && p.masterPort === undefined) throw torchError(TORCH_ERRORS.badLaunch, `a run over ${p.nodes} nodes needs the same --master-addr and --master-port (or MASTER_ADDR, MASTER_PORT) on every node`);
}

/** Trainable weights in META order; decay skips rank-1 weights and the gauss σ, μ, θ (as loop.ts). */
function trainableOf(model: TrainableModel): { name: string; decays: boolean }[] {
  const geometry = new Set(model.info.gaussLayers.flatMap((g) => ['sigma', 'mu', 'theta'].map((p) => `${g.weightPrefix}/${p}`)));
  return model.module.meta.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, decays: w.shape.length >= 2 && !geometry.has(w.name) }));
}

function writeResumeFile(path: string, resume: ReturnType<typeof loadCheckpoint>, model: TrainableModel): void {
  const arrays = new Map<string, NamedArray>();
  try {
    for (const w of model.module.meta.weights) {
      const t = resume.weights[w.name]!;
      arrays.set(w.name, { shape: t.shape, values: Float32Array.from(t.dataSync()) });
    }
    // tfjs keeps the iteration count as int32; the tensor file holds float32 values.
    for (const slot of resume.optimizerSlots) arrays.set(`optimizer/${slot.name}`, { shape: slot.tensor.shape, values: Float32Array.from(slot.tensor.dataSync()) });
    writeTensors(path, arrays, { learningRate: resume.manifest.learningRate });
  } finally {
    tf.dispose([...Object.values(resume.weights), ...resume.optimizerSlots.map((s) => s.tensor)]);
  }
}

/** One staged tensor file from Python → a gnet checkpoint (atomic; the staged file goes once saved). */
async function importCheckpoint(event: TrainerEvent, paths: RunPaths, model: TrainableModel, config: TrainConfig): Promise<CheckpointManifest> {
  const file = String(event.file);
  const { arrays } = readTensors(file);
  const meta = model.module.meta;
  const weights = Object.fromEntries(meta.weights.map((w) => [w.name, tf.tensor(arrays.get(w.name)!.values, [...arrays.get(w.name)!.shape])]));
  const slots: NamedTensor[] = [...arrays]
    .filter(([name]) => name.startsWith('optimizer/'))
    .map(([name, a]) => (name === 'optimizer/iterations' ? { name: 'iterations', tensor: tf.scalar(Math.round(a.values[0]!), 'int32') } : { name: name.slice('optimizer/'.length), tensor: tf.tensor(a.values, [...a.shape]) }));
  const optimizer: TrainOptimizer = {
    learningRate: Number(event.learningRate),
    setLearningRate: () => undefined,
    apply: () => undefined,
    saveState: async () => slots,
    loadState: async () => undefined,
    dispose: () => undefined,
  };
  try {
    const manifest = await saveCheckpoint(paths.checkpoint, {
      meta,
      weights: weights as never,
      optimizer,
      trainable: [] as NamedVariable[],
      position: event.position as TrainingPosition,
      seed: Number(event.seed),
    }, NODE_FS, { keep: config.keepCheckpoints ?? KEEP_NEWEST, watch: config.keepBest ?? null });
    rmSync(file, { force: true });
    return manifest;
  } finally {
    tf.dispose(Object.values(weights));
  }
}

function nonFiniteError(event: Record<string, unknown>, checkpoint: CheckpointManifest | undefined, paths: RunPaths) {
  const kept = checkpoint ? `the last good checkpoint (step ${checkpoint.position.step}) in ${paths.checkpoint} is kept` : 'no checkpoint had been written yet';
  const ranks = Array.isArray(event.ranks) ? ` on worker rank${event.ranks.length > 1 ? 's' : ''} ${event.ranks.join(', ')}` : '';
  return trainError(TRAIN_ERRORS.nonFiniteLoss, `the loss became ${event.value}${ranks} at epoch ${event.epoch}, step ${event.index} of ${event.stepsPerEpoch} (global step ${event.step}); every worker stopped before the update and ${kept}; lower the learning rate (--lr) or set clip_norm in the train section`);
}

/** The final model (completed runs) and report.html, from the last checkpoint, with TensorFlow.js. */
async function finish(run: TorchTrainRun, paths: RunPaths, task: ReturnType<typeof describeTask>, status: 'completed' | 'interrupted', data: ReturnType<typeof openTrainingData>): Promise<void> {
  const { model, config } = run;
  if (!hasCheckpoint(paths.checkpoint)) return;
  const saved = loadCheckpoint(paths.checkpoint, model.module.meta);
  tf.dispose(saved.optimizerSlots.map((s) => s.tensor));
  const weights = model.module.createWeights(config.seed);
  for (const [name, tensor] of Object.entries(saved.weights)) {
    weights[name]!.assign(tensor);
    tensor.dispose();
  }
  try {
    const position = saved.manifest.position;
    if (status === 'completed') {
      await writeModel(paths.model, { meta: model.module.meta, source: run.moduleSource, deployed: false }, weights, { epochs: position.epoch, steps: position.step });
    }
    const shown = data.validation.size > 0 ? data.validation : data.train;
    const report = renderReport({
      network: model.module.meta.network,
      specFile: run.record.spec.file,
      status,
      config,
      dataSource: data.info.source,
      backend: run.record.backend,
      device: run.record.device,
      history: position.history,
      params: run.params,
      kernels: await Promise.all(model.info.gaussLayers.map((layer) => drawGaussKernels(layer, weights))),
      panels: await segmentationPanels(model.module, weights, task, data.validation.size > 0 ? data.validation : data.train),
      predictions: await classificationPredictions(model.module, weights, task, shown, data.info.classNames, { split: shown === data.train ? 'training' : 'validation' }),
    });
    writeFileAtomic(paths.report, report);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Flags first, then an srun step's SLURM_* variables, then those torchrun users know (NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT). */
export function placementFrom(
  flags: { readonly device?: string; readonly workers?: number; readonly nodes?: number; readonly nodeRank?: number; readonly masterAddr?: string; readonly masterPort?: number },
  env: NodeJS.ProcessEnv,
): TorchPlacement {
  const underSrun = placementUnderSrun(flags, env);
  if (underSrun) return underSrun;
  const number = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw torchError(TORCH_ERRORS.badLaunch, `${name}=${text} is not a whole number; fix or unset it`);
    return value;
  };
  return {
    device: flags.device ?? 'cpu',
    workers: flags.workers ?? 1,
    nodes: flags.nodes ?? number('NNODES') ?? 1,
    nodeRank: flags.nodeRank ?? number('NODE_RANK') ?? 0,
    masterAddr: flags.masterAddr ?? env.MASTER_ADDR ?? '127.0.0.1',
    masterPort: flags.masterPort ?? number('MASTER_PORT'),
  };
}
