import { resolve } from 'node:path';
import { selectBackend } from '../../backends/index.js';
import { resolveConfig, resumeConfig, type TrainConfig, type TrainFlags } from '../../runtime/train/config.js';
import { createProgress } from '../../runtime/train/progress.js';
import { openRun, type RunRecord } from '../../runtime/train/run-dir.js';
import { type TrainRun, runTraining } from '../../runtime/train/run-training.js';
import { GnetError } from '../../runtime/errors.js';
import type { Analysis } from '../../compiler/analysis/index.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { fileHost } from '../host.js';
import { printDiagnostics, relativePath } from '../load.js';
import { compileForTraining, paramTable, printGnetError, reportCompileFailure, snapshotOf } from './model.js';

export interface TrainOptions extends TrainFlags {
  readonly network?: string;
  readonly param?: Map<string, number | string>;
  readonly backend: string;
  readonly out?: string;
  readonly resume?: string;
  /** torch backend only. */
  readonly device?: string;
  readonly workers?: number;
  readonly nodes?: number;
  readonly nodeRank?: number;
  readonly masterAddr?: string;
  readonly masterPort?: number;
}

/** Exit codes: 0 trained to the end, 1 an error (nothing saved is lost), 130 stopped by Ctrl-C after a checkpoint. */
export const INTERRUPTED = 130;

/** `gnet train FILE`: compile, train, save checkpoints, the final model and report.html in the run directory. */
export async function train(file: string, options: TrainOptions): Promise<number> {
  const stop = new AbortController();
  const onInterrupt = () => {
    if (stop.signal.aborted) process.exit(INTERRUPTED);
    stop.abort();
    process.stderr.write('\ngnet: stopping after this step and saving a checkpoint (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await trainWith(file, options, stop.signal);
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
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
  const backend = await selectBackend(options.backend);
  refuseTorchFlags(backend.name, options);
  const out = options.resume ?? options.out ?? defaultRunDir(meta.network);
  const record: RunRecord = {
    format: 'gnet-run',
    version: 1,
    createdAt: saved?.createdAt ?? new Date().toISOString(),
    spec: { file: entry, network: meta.network, params: Object.fromEntries(params) },
    backend: backend.name,
    train: config,
  };
  process.stderr.write(`gnet: training ${meta.network} on ${config.data} with the ${backend.name} backend → ${relativePath(out)}\n`);
  const common = {
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
  };
  const outcomeOfRun = backend.name === 'torch' ? await trainOnTorch(common, spec, options) : await runTraining(common);
  return summarise(outcomeOfRun.status, out, file, config, outcomeOfRun.epochsDone, outcomeOfRun.step);
}

/** The torch runner, with the PyTorch module generated from the same IR and where the workers run. */
async function trainOnTorch(run: TrainRun, spec: { graph: IRGraph; analysis: Analysis; sources: ReadonlyMap<string, string> }, options: TrainOptions) {
  const [{ generateTorch }, { runTorchTraining, placementFrom }] = await Promise.all([import('../../compiler/codegen/index.js'), import('../../backends/torch/train-run.js')]);
  const torch = generateTorch(spec.graph, spec.analysis, { sources: spec.sources });
  return runTorchTraining({ ...run, torchSource: torch.source, torchNetwork: torch.network, placement: placementFrom(options, process.env) });
}

/** --device, --workers and the node flags mean something to the torch backend only. */
function refuseTorchFlags(backend: string, options: TrainOptions): void {
  if (backend === 'torch') return;
  const given = (['device', 'workers', 'nodes', 'nodeRank', 'masterAddr', 'masterPort'] as const).filter((k) => options[k] !== undefined);
  if (given.length === 0) return;
  const flags = given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
  throw new GnetError('GN0917', `${flags} apply to the torch backend only, but this run uses ${backend}; add --backend torch, or drop ${flags}`);
}

function summarise(status: 'completed' | 'interrupted', out: string, file: string, config: TrainConfig, epochs: number, step: number): number {
  const dir = relativePath(out);
  if (status === 'interrupted') {
    process.stderr.write(`gnet: stopped at epoch ${epochs + 1}/${config.epochs}, step ${step}; checkpoint saved. Continue with: gnet train ${file} --resume ${dir}\n`);
    return INTERRUPTED;
  }
  process.stderr.write(`gnet: done: ${dir}/model (TensorFlow.js), ${dir}/report.html, ${dir}/log.jsonl\n`);
  return 0;
}

/** runs/<network>-<yyyymmdd-hhmmss> in the working directory. */
export function defaultRunDir(network: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve('runs', `${network}-${stamp}`);
}
