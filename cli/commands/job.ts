import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TORCH_ERRORS, torchError } from '../../backends/torch/codes.js';
import { placementFrom, prepareTorchJob } from '../../backends/torch/train-run.js';
import { generateTorch } from '../../compiler/codegen/index.js';
import { resolveConfig, type TrainFlags } from '../../runtime/train/config.js';
import { writeFileAtomic } from '../../runtime/train/files.js';
import { architectureHash } from '../../runtime/train/model.js';
import type { RunRecord } from '../../runtime/train/run-dir.js';
import { openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { fileHost } from '../host.js';
import { printDiagnostics, relativePath } from '../load.js';
import { compileForTraining, printGnetError, reportCompileFailure, snapshotOf } from './model.js';

export interface JobOptions extends TrainFlags {
  readonly network?: string;
  readonly param?: Map<string, number | string>;
  readonly device?: string;
  readonly out: string;
}

/**
 * `gnet job SPEC --out DIR`: a self-contained PyTorch training job that travels. DIR holds the
 * generated module, the gnet_torch package, the data (data.bin), job.json with relative paths and
 * train.py; copied to any machine with Python and PyTorch, `python3 train.py` trains it there
 * (torchrun and srun launch it unchanged) into DIR/run, which `gnet finish` brings home. CUDA need
 * not be here to prepare a job for it.
 */
export async function job(file: string, options: JobOptions): Promise<number> {
  try {
    const out = resolve(options.out);
    if (existsSync(out) && readdirSync(out).length > 0) {
      throw torchError(TORCH_ERRORS.jobExists, `${relativePath(out)} is not empty${existsSync(join(out, 'job.json')) ? ' (it holds a job)' : ''}; prepare the job into a new folder with --out, so nothing there is overwritten`);
    }
    const entry = resolve(file);
    const outcome = await compileForTraining({ entry, network: options.network, params: options.param ?? new Map() }, fileHost);
    if (!outcome.ok) return reportCompileFailure(outcome);
    const { spec } = outcome;
    if (outcome.diagnostics.length > 0) printDiagnostics({ diagnostics: outcome.diagnostics, sources: spec.sources });
    const meta = spec.model.module.meta;
    const device = options.device ?? 'cpu';
    if (!/^(cpu|cuda(:\d+)?)$/.test(device)) throw torchError(TORCH_ERRORS.badLaunch, `unknown --device '${device}'; use cpu, cuda or cuda:N`);
    const config = resolveConfig(meta.training, options, meta.network);
    const task = describeTask(meta, spec.model.info.outputs, config.loss);
    const data = openTrainingData(config, task);
    const torch = generateTorch(spec.graph, spec.analysis, { sources: spec.sources });
    const record: RunRecord = { format: 'gnet-run', version: 1, createdAt: new Date().toISOString(), spec: { file: entry, network: meta.network, params: Object.fromEntries(options.param ?? []) }, backend: 'torch', device, train: config };
    const placement = placementFrom({ device }, {});
    const prepared = prepareTorchJob(out, { model: spec.model, config, task, data, target: { torchSource: torch.source, torchNetwork: torch.network, placement }, python: 'python3' }, undefined, {
      threads: null,
      architecture: architectureHash(meta),
      run: { record, sources: snapshotOf(entry, spec.sources), data: data.info },
    });
    writeFileAtomic(join(out, 'train.py'), TRAIN_ENTRY);
    writeFileAtomic(join(out, 'README.md'), jobReadme(meta.network, device, data.info.trainCount, config.epochs));
    const dir = relativePath(out);
    process.stderr.write(`gnet: job ${dir}: ${meta.network}, ${data.info.trainCount} training images, ${config.epochs} epochs, device ${device} (${relativePath(prepared.jobFile)})\n`);
    process.stderr.write(`gnet: copy ${dir} anywhere PyTorch is and run \`python3 train.py\` in it (torchrun and srun launch it unchanged); then \`gnet finish ${dir}/run\`\n`);
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

const TRAIN_ENTRY = `"""Train this gnet job with PyTorch: python3 train.py [--device cuda] [--epochs E] [--out RUNDIR] [--resume].
See README.md beside it; torchrun and srun start it unchanged."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from gnet_torch.run import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main(job_path=os.path.join(HERE, 'job.json')))
`;

function jobReadme(network: string, device: string, images: number, epochs: number): string {
  return `# gnet training job: ${network}

Prepared by \`gnet job\`: ${images} training images, ${epochs} epochs, device \`${device}\`. Everything it
needs is in this folder (the PyTorch module \`${network}.py\`, the \`gnet_torch\` package, \`data.bin\`,
\`job.json\`); it needs Python 3 with PyTorch ≥ 1.13 and numpy, and nothing of gnet.

\`\`\`sh
python3 train.py                                   # one process (--device cpu|cuda|cuda:N overrides the job's)
python3 train.py --epochs 30 --out /scratch/run    # more epochs, another run directory
torchrun --nproc-per-node 4 train.py --device cuda # four GPUs on this machine
srun python3 train.py --device cuda                # under Slurm: one task per GPU
python3 train.py --resume                          # continue after a stop (Ctrl-C, SIGTERM, a time limit)
\`\`\`

The run directory (\`run/\` here unless \`--out\`) is an ordinary gnet run: \`log.jsonl\`, \`checkpoint/\`
(gnet's format, the newest and the best) and \`torch/step-<step>.pt\` (the module's \`state_dict\` at the
same steps, for \`${network}().load_state_dict(torch.load(...))\`). Where gnet is installed,
\`gnet finish run\` writes its final model and report.html; \`gnet eval\`, \`predict\`, \`export\` and
\`gnet train --resume\` read it.
`;
}
