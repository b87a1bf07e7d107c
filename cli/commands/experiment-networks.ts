import { resolve } from 'node:path';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { compileProgram } from '../../compiler/program.js';
import { closestName } from '../../compiler/util/closest.js';
import { EXPERIMENT_ERRORS, experimentError } from '../../runtime/experiment/codes.js';
import { type ExperimentPlan, type NetworkPlan, fileHash, planTrainOfSize } from '../../runtime/experiment/plan.js';
import { type Pool, openPool } from '../../runtime/experiment/pool.js';
import type { ExperimentRequest } from '../../runtime/experiment/request.js';
import { resolveConfig, type TrainConfig } from '../../runtime/train/config.js';
import { describeTask } from '../../runtime/train/targets.js';
import { fileHost } from '../host.js';
import { printDiagnostics, relativePath } from '../load.js';
import { compileForTraining } from './model.js';

/**
 * The networks of an experiment, checked before anything trains: the files compile, the names
 * exist, each network's training resolves, its data opens with a test split; then the plan.
 */

/** gnet's version, as `gnet --version` prints it, recorded in experiment.json. */
const GNET_VERSION = '0.1.0';

export interface ChosenNetwork {
  readonly graph: IRGraph;
  readonly file: string;
  readonly config: TrainConfig;
  readonly pool: Pool;
  readonly plan: NetworkPlan;
}

/** Compiles every file, picks the networks, resolves each one's training and opens its data. Undefined: diagnostics printed. */
export async function chooseNetworks(request: ExperimentRequest): Promise<ChosenNetwork[] | undefined> {
  const byName = new Map<string, { graph: IRGraph; file: string }>();
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of request.files) {
    const entry = resolve(file);
    const program = compileProgram(entry, fileHost);
    diagnostics.push(...program.diagnostics);
    for (const [k, v] of program.sources) sources.set(k, v);
    for (const graph of program.graphs) {
      const other = byName.get(graph.name);
      if (other) throw experimentError(EXPERIMENT_ERRORS.unknownNetwork, `network ${graph.name} is defined in both ${relativePath(other.file)} and ${relativePath(entry)}; rename one, so the results name each network once`);
      byName.set(graph.name, { graph, file: entry });
    }
  }
  if (hasErrors(diagnostics)) {
    printDiagnostics({ diagnostics, sources });
    return undefined;
  }
  const names = request.networks ?? [...byName.keys()];
  if (names.length === 0) throw experimentError(EXPERIMENT_ERRORS.unknownNetwork, `${request.files.join(', ')} define no network; declare one with \`network Name { … }\``);
  for (const name of names) {
    if (byName.has(name)) continue;
    const near = closestName(name, byName.keys());
    throw experimentError(EXPERIMENT_ERRORS.unknownNetwork, `no network ${name} in ${request.files.join(', ')}${near ? `; did you mean ${near}?` : ''} (networks there: ${[...byName.keys()].join(', ')})`);
  }
  const chosen: ChosenNetwork[] = [];
  const pools = new Map<string, Pool>();
  for (const name of names) {
    const { graph, file } = byName.get(name)!;
    const analysisDiagnostics: Diagnostic[] = [];
    const analysis = analyzeGraph(graph, { batch: 1 }, (d) => analysisDiagnostics.push(d));
    if (hasErrors(analysisDiagnostics)) {
      printDiagnostics({ diagnostics: analysisDiagnostics, sources });
      return undefined;
    }
    const config = resolveConfig(graph.training, { ...request.train, data: request.data }, name);
    // Each size's own settings are checked too, so a bad one is refused before anything trains.
    for (const size of request.trainSizes) resolveConfig(graph.training, { ...planTrainOfSize(request, size), data: request.data }, name);
    const compiled = await compileForTraining({ entry: file, network: name }, fileHost);
    if (!compiled.ok) {
      printDiagnostics({ diagnostics: compiled.diagnostics, sources: compiled.sources });
      return undefined;
    }
    const { module, info } = compiled.spec.model;
    const task = describeTask(module.meta, info.outputs, config.loss);
    // Networks on the same data share one decoded pool (Fashion-MNIST's is 47 MB).
    const poolKey = JSON.stringify([config.data, config.validationSplit, task.input.shape, task.classes, task.task]);
    const pool = pools.get(poolKey) ?? openPool(config, task, name);
    pools.set(poolKey, pool);
    const { trainable, nonTrainable, macs } = analysis.totals;
    chosen.push({ graph, file, config, pool, plan: { name, file, trainable, nonTrainable, macs, metrics: config.metrics, data: config.data } });
  }
  return chosen;
}

export function buildPlan(request: ExperimentRequest, chosen: readonly ChosenNetwork[]): ExperimentPlan {
  const metric = request.metric ?? chosen[0]!.config.metrics.find((m) => m !== 'iou') ?? 'loss';
  for (const c of chosen) {
    if (metric === 'loss' || c.config.metrics.includes(metric as never)) continue;
    throw experimentError(EXPERIMENT_ERRORS.badSetup, `the table's metric ${metric} is not computed for network ${c.graph.name} (its metrics: ${c.config.metrics.join(', ')}); choose --metric among the metrics every network computes, or pass --metrics`);
  }
  if (metric === 'iou') throw experimentError(EXPERIMENT_ERRORS.badSetup, '--metric iou is one value per class; tabulate its mean, miou');
  const files = [...new Set(chosen.map((c) => c.file))].map((path) => ({ path, sha256: fileHash(path) }));
  return {
    format: 'gnet-experiment',
    version: 1,
    gnet: GNET_VERSION,
    createdAt: new Date().toISOString(),
    files,
    networks: chosen.map((c) => c.plan),
    data: request.data ?? null,
    trainSizes: request.trainSizes,
    seeds: request.seeds,
    train: request.train,
    ...(Object.keys(request.trainBySize).length > 0 ? { trainBySize: request.trainBySize } : {}),
    backend: request.backend,
    workers: request.workers ?? null,
    device: request.device ?? null,
    metric,
  };
}

