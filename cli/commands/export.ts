import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type Analysis, analyzeGraph } from '../../compiler/analysis/index.js';
import { groupDigits } from '../../compiler/analysis/format.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { onnxModel } from '../../runtime/export/onnx.js';
import { exportReadme } from '../../runtime/export/readme.js';
import { GRAPH_WEIGHTS_BIN, tfjsGraphModel } from '../../runtime/export/tfjs-graph.js';
import { traceForward } from '../../runtime/export/trace.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { FORMAT_ALIASES, deployWeights, writeModel, type ExportFormat } from '../../runtime/train/export.js';
import { makeFolder, writeFileAtomic } from '../../runtime/train/files.js';
import { relativePath } from '../load.js';
import { deployedGraph, generateFor, loadTrainedRun, printGnetError, reportCompileFailure } from './model.js';

export interface ExportOptions {
  /** A format of EXPORT_FORMATS or one of its aliases (tfjs). */
  readonly format: string;
  readonly out: string;
  readonly backend: string;
}

const DESCRIPTIONS: Readonly<Record<ExportFormat, string>> = {
  gnet: "gnet's own format",
  deployed: "gnet's own format, gauss layers frozen into convolutions",
  graph: 'TensorFlow.js graph model',
  onnx: 'ONNX',
};

/**
 * `gnet export RUNDIR --format gnet|deployed|graph|onnx --out DIR`. 'gnet' and 'deployed' write
 * model.json + weights.bin + model.ts for gnet's runtime; 'graph' (tf.loadGraphModel) and 'onnx'
 * (model.onnx) hold the deployed network's traced ops and need no gnet code.
 */
export async function exportRun(dir: string, options: ExportOptions): Promise<number> {
  try {
    const format = (FORMAT_ALIASES[options.format] ?? options.format) as ExportFormat;
    const run = await loadTrainedRun(dir, options.backend);
    if ('failed' in run) return reportCompileFailure(run.failed);
    const { spec, weights } = run;
    const network = spec.model.module.meta.network;
    const metadata = { network, run: dir, weights: run.from };
    if (format === 'gnet') {
      await writeModel(options.out, { meta: spec.model.module.meta, source: spec.source, deployed: false }, weights, metadata);
    } else {
      const deployed = generateFor(deployedGraph(spec.graph), spec.sources);
      const frozen = deployWeights(spec.model.module.meta, weights, spec.model.info.gaussLayers);
      try {
        if (format === 'deployed') {
          const module = await importGenerated(transpileModule(deployed.source));
          await writeModel(options.out, { meta: module.meta, source: deployed.source, deployed: true }, frozen, metadata);
        } else {
          const traced = await traceForward(transpileModule(deployed.source), frozen);
          makeFolder(options.out);
          if (format === 'graph') {
            const files = tfjsGraphModel(traced, metadata);
            writeFileAtomic(join(options.out, GRAPH_WEIGHTS_BIN), files.weights);
            writeFileAtomic(join(options.out, 'model.json'), JSON.stringify(files.modelJson));
          } else {
            writeFileAtomic(join(options.out, 'model.onnx'), onnxModel(traced, metadata));
          }
          writeFileAtomic(join(options.out, 'README.md'), exportReadme(format, traced, spec.model.info.outputs));
        }
      } finally {
        tf.dispose(Object.values(frozen));
      }
      // Without gauss layers the deployed network is the trained one, budgets included.
      if (spec.model.info.gaussLayers.length > 0) for (const note of budgetNotes(spec.graph, deployed.analysis)) process.stderr.write(`gnet: note: ${note}\n`);
    }
    tf.dispose(Object.values(weights));
    process.stderr.write(`gnet: exported ${network} (${format}: ${DESCRIPTIONS[format]}) to ${relativePath(options.out)}\n`);
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

/**
 * The spec's budgets hold for the network as trained; a deployed gauss layer's frozen kernel has more
 * numbers than its Gaussian parameters. Says so, and which budgets the deployed network would fail.
 */
function budgetNotes(trained: IRGraph, deployed: Analysis): string[] {
  if (trained.budgets.length === 0) return [];
  const failing: Diagnostic[] = [];
  analyzeGraph({ ...deployed.graph, budgets: trained.budgets }, { batch: 1 }, (d) => failing.push(d));
  const params = deployed.totals.trainable + deployed.totals.nonTrainable;
  const failed = failing.filter((d) => d.severity === 'error').map((d) => d.message);
  const verdict = failed.length === 0 ? 'it meets them too' : `against it, ${failed.join('; ')}`;
  return [`the spec's budgets describe the network as trained; deployed (gauss layers frozen into convolutions) it has ${groupDigits(params)} parameters, and ${verdict}`];
}
