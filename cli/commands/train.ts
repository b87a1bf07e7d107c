import { resolve } from 'node:path';
import { selectBackend } from '../../backends/index.js';
import { takesVolumes } from '../../runtime/train/model.js';
import { bestCheckpoint, epochEndRecord, listCheckpoints } from '../../runtime/train/checkpoint.js';
import { resolveConfig, resumeConfig, type TrainConfig, type TrainFlags } from '../../runtime/train/config.js';
import { createProgress } from '../../runtime/train/progress.js';
import { openRun, type RunRecord } from '../../runtime/train/run-dir.js';
import { type TrainOutcome, type TrainRun, onTfjs, runTraining } from '../../runtime/train/run-training.js';
import { watchedName, watchedValue } from '../../runtime/train/watch.js';
import { GnetError } from '../../runtime/errors.js';
import { TORCH_ERRORS } from '../../backends/torch/codes.js';
import type { Analysis } from '../../compiler/analysis/index.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { type SlurmFlags, slurmRequest } from '../../runtime/slurm/options.js';
import { refuseIfHeldBySlurm } from '../../runtime/slurm/train-job.js';
import { fileHost } from '../host.js';
import { printDiagnostics, relativePath } from '../load.js';
import { compileForTraining, paramTable, printGnetError, reportCompileFailure, snapshotOf } from './model.js';

export interface TrainOptions extends TrainFlags, SlurmFlags {
  readonly network?: string;
  readonly param?: Map<string, number | string>;
  readonly backend: string;
  readonly out?: string;
  readonly resume?: string;
  /** torch backend only. */
  readonly device?: string;
  readonly workers?: number;
  readonly threads?: number;
  readonly nodes?: number;
  readonly nodeRank?: number;
  readonly masterAddr?: string;
  readonly masterPort?: number;
}

/**
 * Exit codes: 0 trained to the end (or stopped early), 1 an error (nothing saved is lost), and
 * 128 + the signal's number when a signal stopped the run after a checkpoint, as shells report a
 * process ended by that signal: 130 Ctrl-C (SIGINT), 143 SIGTERM (schedulers, `docker stop`),
 * 129 SIGHUP (the terminal closed). A second signal quits at once (the signal's default action,
 * so with the same code); the lock it leaves is taken over by the next run.
 */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export const INTERRUPTED = STOP_SIGNALS.SIGINT;
type StopSignal = keyof typeof STOP_SIGNALS;

/** `gnet train FILE`: compile, train, save checkpoints, the final model and report.html in the run directory. */
export async function train(file: string, options: TrainOptions): Promise<number> {
  try {
    const dir = options.resume ?? options.out;
    // A run that a job of --executor slurm still trains is not trained a second time beside it.
    if (dir !== undefined) refuseIfHeldBySlurm(resolve(dir), relativePath(dir));
    const slurm = slurmRequest(options);
    if (slurm) return (await import('./train-slurm.js')).submitTraining(file, options, slurm, trainWords());
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
  const stop = new AbortController();
  let received: StopSignal = 'SIGINT';
  const onSignal = (signal: StopSignal) => {
    received = signal;
    stop.abort();
    // Without a listener a second signal takes the default action, which ends the process at once,
    // even inside a long training step (a listener would wait for the step to end).
    for (const [name, handler] of handlers) process.off(name, handler);
    const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    process.stderr.write(`\ngnet: ${signal}: stopping after this step and saving a checkpoint (${again} again to quit at once)\n`);
  };
  // After SIGHUP the terminal may be gone; a failed write to it must not stop the checkpoint.
  const ignoreClosedTerminal = () => {};
  process.stderr.on('error', ignoreClosedTerminal);
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const code = await trainWith(file, options, stop.signal);
    return code === INTERRUPTED ? STOP_SIGNALS[received] : code;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.stderr.off('error', ignoreClosedTerminal);
  }
}

async function trainWith(file: string, options: TrainOptions, signal: AbortSignal): Promise<number> {
  const saved = options.resume === undefined ? undefined : openRun(options.resume).record;
  const network = options.network ?? saved?.spec.network;
  const params = options.param ?? new Map(Object.entries(saved?.spec.params ?? {}));
  const entry = resolve(file);
  const outcome = await compileForTraining({ entry, network, params }, fileHost);
  if (!outcome.ok) return reportCompileFailure(outcome);
  const { spec } = outcome;
  if (outcome.diagnostics.length > 0) printDiagnostics({ diagnostics: outcome.diagnostics, sources: spec.sources });
  const meta = spec.model.module.meta;
  const config = saved ? resumeConfig(saved.train, options, options.resume!) : resolveConfig(meta.training, options, meta.network);
  const backend = await selectBackend(options.backend, undefined, { volumes: takesVolumes(meta) });
  refuseTorchFlags(backend.name, options);
  const device = (await backend.describe()).detail;
  const out = options.resume ?? options.out ?? defaultRunDir(meta.network);
  const record: RunRecord = {
    format: 'gnet-run',
    version: 1,
    createdAt: saved?.createdAt ?? new Date().toISOString(),
    spec: { file: entry, network: meta.network, params: Object.fromEntries(params) },
    backend: backend.name,
    device,
    train: config,
  };
  const common: TrainRun = {
    model: spec.model,
    config,
    out,
    resume: saved !== undefined,
    record,
    sources: snapshotOf(entry, spec.sources),
    moduleSource: spec.source,
    params: paramTable(spec.analysis),
    signal,
    progress: createProgress(),
    notice: (message) => process.stderr.write(`gnet: ${message}\n`),
  };
  const torch = backend.name === 'torch' ? await torchTarget(spec, options) : undefined;
  if (torch && !torch.drivesRun) {
    try {
      await torch.follow(common);
    } catch (error) {
      // After a stop signal, rank 0 may close the workers while this task's are still connecting or
      // mid-collective: their failure is the stop itself, which rank 0 saved a checkpoint for.
      if (!signal.aborted) throw error;
    }
    const where = options.out ?? options.resume;
    const to = where === undefined ? '' : ` to ${relativePath(where)}`;
    // A signal (Slurm's scancel, a time limit) reached rank 0's gnet too: it saved a checkpoint and stopped the workers.
    if (signal.aborted) {
      process.stderr.write(`gnet: stopped: these workers followed the run until rank 0's gnet stopped it, saving a checkpoint${to}\n`);
      return INTERRUPTED;
    }
    process.stderr.write(`gnet: done: these workers followed the run to its end; rank 0's gnet wrote it${to}\n`);
    return 0;
  }
  process.stderr.write(`gnet: training ${meta.network} on ${config.data} with the ${backend.name} backend (${device}) → ${relativePath(out)}\n`);
  const outcomeOfRun = torch ? await runTraining(common, await torch.engine(common)) : await runTraining(common, onTfjs(common, device));
  return summarise(outcomeOfRun, out, file, config);
}

/**
 * The torch engine, with the PyTorch module generated from the same IR, and where the workers run.
 * Only the process that starts global rank 0 drives the run and writes its directory; any other
 * (another machine, another srun task) follows it.
 */
async function torchTarget(spec: { graph: IRGraph; analysis: Analysis; sources: ReadonlyMap<string, string> }, options: TrainOptions) {
  const [{ generateTorch }, { followTorchRun, placementFrom, torchEngineFactory }, { drivesRun }] = await Promise.all([
    import('../../compiler/codegen/index.js'),
    import('../../backends/torch/train-run.js'),
    import('../../backends/torch/engine.js'),
  ]);
  const torch = generateTorch(spec.graph, spec.analysis, { sources: spec.sources });
  const target = { torchSource: torch.source, torchNetwork: torch.network, placement: placementFrom(options, process.env) };
  return {
    drivesRun: drivesRun(target.placement),
    follow: (run: TrainRun) => followTorchRun(run, target),
    engine: (run: TrainRun) => torchEngineFactory(run.model, run.config, target, run.notice),
  };
}

/** --device, --workers and the node flags mean something to the torch backend only. */
function refuseTorchFlags(backend: string, options: TrainOptions): void {
  if (backend === 'torch') return;
  const given = (['device', 'workers', 'threads', 'nodes', 'nodeRank', 'masterAddr', 'masterPort'] as const).filter((k) => options[k] !== undefined);
  if (given.length === 0) return;
  const flags = given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
  throw new GnetError(TORCH_ERRORS.badLaunch, `${flags} ${given.length === 1 ? 'applies' : 'apply'} to the torch backend only, but this run uses ${backend}; add --backend torch, or drop ${flags}`);
}

function summarise(outcome: TrainOutcome, out: string, file: string, config: TrainConfig): number {
  const dir = relativePath(out);
  if (outcome.status === 'interrupted') {
    process.stderr.write(`gnet: stopped at epoch ${outcome.epochsDone + 1}/${config.epochs}, step ${outcome.step}; checkpoint saved. Continue with: gnet train ${file} --resume ${dir}\n`);
    return INTERRUPTED;
  }
  if (outcome.earlyStop) process.stderr.write(`gnet: completed (early stop at epoch ${outcome.earlyStop.epoch}): ${outcome.earlyStop.reason}\n`);
  process.stderr.write(`gnet: done: ${dir}/model (TensorFlow.js, the last epoch's weights), ${dir}/report.html, ${dir}/log.jsonl\n`);
  const best = bestCheckpoint(listCheckpoints(outcome.paths.checkpoint), config.keepBest);
  const record = best?.manifest && epochEndRecord(best.manifest);
  if (best && record) {
    const value = watchedValue(record, config.keepBest)!;
    process.stderr.write(`gnet: best checkpoint by ${watchedName(record, config.keepBest)}: ${dir}/checkpoint/${best.file} (epoch ${record.epoch}, ${value.toFixed(4)}); the newest ${config.keepCheckpoints} are kept beside it\n`);
  }
  return 0;
}

/** The words of this command line after `train`, as given. */
function trainWords(): string[] {
  const words = process.argv.slice(2);
  return words[0] === 'train' ? words.slice(1) : words;
}

/** runs/<network>-<yyyymmdd-hhmmss> in the working directory. */
export function defaultRunDir(network: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve('runs', `${network}-${stamp}`);
}
