/**
 * Spec → trainable model, shared by `gnet train`, `eval`, `predict` and `export`: compile and analyse
 * the spec, generate its module in memory and import it, and gather the IR facts the trainer needs
 * (how outputs are activated, where the gauss layers are).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../backends/index.js';
import { takesVolumes } from '../../runtime/train/model.js';
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import { generateModule, transpileModule } from '../../compiler/codegen/index.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { compileProgram, type Host } from '../../compiler/program.js';
import { HEADERS, rowCells, summaryLines, totalCells } from '../../compiler/report/cells.js';
import { reportRows } from '../../compiler/report/rows.js';
import { GnetError } from '../../runtime/errors.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { fromArray } from '../../runtime/train/tfjs-engine.js';
import { type LoadedCheckpoint, bestCheckpoint, listCheckpoints, loadCheckpoint, loadCheckpointFile } from '../../runtime/train/checkpoint.js';
import { describeNonFinite, firstNonFiniteWeight } from '../../runtime/train/divergence.js';
import { TRAIN_ERRORS, trainError } from '../../runtime/train/codes.js';
import { resumeConfig } from '../../runtime/train/config.js';
import { MODEL_JSON, readModel } from '../../runtime/train/export.js';
import type { ModelMeta, TrainableModel, Weights } from '../../runtime/train/model.js';
import type { ParamTable } from '../../runtime/train/report-html.js';
import { openRun, type RunPaths, type RunRecord, type SourceSnapshot } from '../../runtime/train/run-dir.js';
import { printDiagnostics } from '../load.js';
import { modelInfo } from '../model-info.js';

export { modelInfo };
export { deployedGraph, generateFor } from '../deployed-graph.js';

export interface SpecRequest {
  readonly entry: string;
  readonly network?: string;
  readonly params?: ReadonlyMap<string, number | string>;
}

export interface CompiledSpec {
  readonly graph: IRGraph;
  readonly analysis: Analysis;
  /** The generated module's TypeScript source. */
  readonly source: string;
  readonly model: TrainableModel;
  readonly sources: ReadonlyMap<string, string>;
}

export type CompileOutcome =
  | { readonly ok: true; readonly spec: CompiledSpec; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

export async function compileForTraining(request: SpecRequest, host: Host): Promise<CompileOutcome> {
  const program = compileProgram(request.entry, host, { network: request.network, params: request.params });
  if (hasErrors(program.diagnostics)) return { ok: false, diagnostics: program.diagnostics, sources: program.sources };
  const graph = chooseGraph(program.graphs, request);
  const diagnostics: Diagnostic[] = [...program.diagnostics];
  const analysis = analyzeGraph(graph, { batch: 1 }, (d) => diagnostics.push(d));
  if (hasErrors(diagnostics)) return { ok: false, diagnostics: sortDiagnostics(diagnostics), sources: program.sources };
  const source = generateModule(graph, analysis, { sources: program.sources });
  const module = await importGenerated(transpileModule(source));
  return { ok: true, spec: { graph, analysis, source, model: { module, info: modelInfo(graph, analysis) }, sources: program.sources }, diagnostics: sortDiagnostics(diagnostics) };
}

function chooseGraph(graphs: readonly IRGraph[], request: SpecRequest): IRGraph {
  if (graphs.length === 1) return graphs[0]!;
  if (graphs.length === 0) throw trainError(TRAIN_ERRORS.unknownName, `${request.entry} defines no network to train; declare one with \`network Name { … }\``);
  throw trainError(TRAIN_ERRORS.unknownName, `${request.entry} defines ${graphs.length} networks (${graphs.map((g) => g.name).join(', ')}); choose one with --network`);
}

/** A host that reads the spec's files from a run directory's snapshot instead of the disk. */
export function snapshotHost(snapshot: SourceSnapshot): Host {
  return { readFile: (path) => snapshot.files[path] };
}

export function snapshotOf(entry: string, sources: ReadonlyMap<string, string>): SourceSnapshot {
  return { entry, files: Object.fromEntries(sources) };
}

/** The compiler's report table as text cells, for report.html. */
export function paramTable(analysis: Analysis): ParamTable {
  return {
    headers: HEADERS,
    rows: reportRows(analysis).map((row) => rowCells(row, analysis, '  ')),
    total: totalCells(analysis),
    summary: summaryLines(analysis),
  };
}

/** A trained run loaded back: its record, its spec compiled from the saved sources, its trained weights. */
export interface TrainedRun {
  readonly paths: RunPaths;
  readonly record: RunRecord;
  readonly spec: CompiledSpec;
  readonly weights: Weights;
  /** Where the weights came from: the final model, or the checkpoint of an unfinished run. */
  readonly from: 'model' | 'checkpoint';
}

/**
 * The checkpoint `--checkpoint` names: `last` (the newest intact one), `best` (by the run's watched
 * metric) or a manifest file name; with no --checkpoint, the newest intact one.
 */
function chosenCheckpoint(folder: string, which: string | undefined, record: RunRecord, meta: ModelMeta): tf.NamedTensorMap {
  const { state } = loadChosen(folder, which, record, meta);
  return Object.fromEntries(state.weights.map((w) => [w.name, fromArray(w)]));
}

function loadChosen(folder: string, which: string | undefined, record: RunRecord, meta: ModelMeta): LoadedCheckpoint {
  if (which === undefined || which === 'last') return loadCheckpoint(folder, meta);
  if (which !== 'best') return loadCheckpointFile(folder, which, meta);
  const watch = resumeConfig(record.train, {}, dirname(folder)).keepBest;
  const best = bestCheckpoint(listCheckpoints(folder), watch);
  if (!best) throw trainError(TRAIN_ERRORS.notARun, `no checkpoint in ${folder} was saved at an epoch's end, so none is the best by ${watch} yet; use --checkpoint last`);
  return loadCheckpointFile(folder, best.file, meta);
}

/** Opens the run first, so a wrong directory is reported before a backend starts. */
export async function loadTrainedRun(dir: string, backend: string, checkpoint?: string): Promise<TrainedRun | { readonly failed: CompileOutcome & { ok: false } }> {
  const { paths, record, sources } = openRun(dir);
  const outcome = await compileForTraining({ entry: sources.entry, network: record.spec.network, params: new Map(Object.entries(record.spec.params)) }, snapshotHost(sources));
  if (!outcome.ok) return { failed: outcome };
  const { module } = outcome.spec.model;
  await selectBackend(backend, undefined, { volumes: takesVolumes(module.meta) });
  const weights = module.createWeights(record.train.seed);
  const fromModel = checkpoint === undefined && existsSync(join(paths.model, MODEL_JSON));
  const tensors = fromModel ? readModel(paths.model).tensors : chosenCheckpoint(paths.checkpoint, checkpoint, record, module.meta);
  for (const w of module.meta.weights) {
    const saved = tensors[w.name];
    if (!saved || saved.shape.join() !== w.shape.join()) {
      throw trainError(TRAIN_ERRORS.specMismatch, `the saved weights in ${dir} do not fit network ${module.meta.network} (${w.name}); the run directory was altered`);
    }
    weights[w.name]!.assign(saved);
  }
  tf.dispose(Object.values(tensors));
  const nonFinite = await firstNonFiniteWeight(weights, module.meta.weights.map((w) => w.name));
  if (nonFinite) {
    tf.dispose(Object.values(weights));
    const where = fromModel ? paths.model : paths.checkpoint;
    throw trainError(TRAIN_ERRORS.nonFiniteLoss, `the weights saved in ${where} are not finite: ${describeNonFinite(nonFinite, 'is')}; the training diverged, so the model predicts nothing meaningful; train again with a lower --lr or with clip_norm in the train section`);
  }
  return { paths, record, spec: outcome.spec, weights, from: fromModel ? 'model' : 'checkpoint' };
}

/** `gnet: error[GN0803]: …` on stderr, no stack trace; anything else is left to the caller. */
export function printGnetError(error: unknown, stream: NodeJS.WritableStream = process.stderr): boolean {
  if (!(error instanceof GnetError)) return false;
  const prefix = `${error.code}: `;
  const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  stream.write(`gnet: error[${error.code}]: ${text}\n`);
  return true;
}

/** Prints compile diagnostics the way `gnet check` does; returns the exit code for a failed compile. */
export function reportCompileFailure(outcome: CompileOutcome & { ok: false }): number {
  printDiagnostics({ diagnostics: outcome.diagnostics, sources: outcome.sources });
  return 1;
}
