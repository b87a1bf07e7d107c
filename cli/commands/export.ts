import * as tf from '@tensorflow/tfjs-core';
import { transpileModule } from '../../compiler/codegen/index.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { deployWeights, writeModel, type ExportFormat } from '../../runtime/train/export.js';
import { relativePath } from '../load.js';
import { deployedGraph, generateFor, loadTrainedRun, printGnetError, reportCompileFailure } from './model.js';

export interface ExportOptions {
  readonly format: ExportFormat;
  readonly out: string;
  readonly backend: string;
}

/**
 * `gnet export RUNDIR --format tfjs|deployed --out DIR`: model.json + weights.bin + model.ts.
 * 'deployed' swaps every gauss layer for the frozen convolution its trained kernels form.
 */
export async function exportRun(dir: string, options: ExportOptions): Promise<number> {
  try {
    const run = await loadTrainedRun(dir, options.backend);
    if ('failed' in run) return reportCompileFailure(run.failed);
    const { spec, weights } = run;
    const metadata = { run: dir, weights: run.from };
    if (options.format === 'tfjs') {
      await writeModel(options.out, { meta: spec.model.module.meta, source: spec.source, deployed: false }, weights, metadata);
    } else {
      const deployed = generateFor(deployedGraph(spec.graph), spec.sources);
      const module = await importGenerated(transpileModule(deployed.source));
      const frozen = deployWeights(spec.model.module.meta, weights, spec.model.info.gaussLayers);
      await writeModel(options.out, { meta: module.meta, source: deployed.source, deployed: true }, frozen, metadata);
      tf.dispose(Object.values(frozen));
    }
    tf.dispose(Object.values(weights));
    process.stderr.write(`gnet: exported ${spec.model.module.meta.network} (${options.format}) to ${relativePath(options.out)}\n`);
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}
