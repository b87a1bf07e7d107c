/**
 * The torch backend's training step beside the tfjs ones (train-step.ts): the same spec, batch and
 * step (MSE on random targets, Adam), timed in the Python that `gnet train --backend torch` would use,
 * on one thread and on all of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeTorchOnce } from '../backends/torch/python.js';
import { compileForTraining } from '../cli/commands/model.js';
import { fileHost } from '../cli/host.js';
import { generateTorch } from '../compiler/codegen/index.js';
import { writeTorchPackage } from '../runtime/torch/package.js';
import type { StepFigures } from './train-step.js';

const SCRIPT = fileURLToPath(new URL('./torch_step.py', import.meta.url));

/** null when torch is not usable here (gnet backends says why). */
export async function benchTorchStep(spec: string, network: string | undefined, batch: number, threads: number, steps = 5): Promise<StepFigures | null> {
  const probe = probeTorchOnce();
  if (!probe.ok) return null;
  const outcome = await compileForTraining({ entry: spec, network }, fileHost);
  if (!outcome.ok) throw new Error(`${spec} does not compile; run gnet check ${spec}`);
  const torch = generateTorch(outcome.spec.graph, outcome.spec.analysis, { sources: outcome.spec.sources });
  const dir = mkdtempSync(join(tmpdir(), 'gnet-bench-torch-'));
  try {
    writeTorchPackage(dir);
    const module = join(dir, `${torch.network}.py`);
    writeFileSync(module, torch.source);
    const result = spawnSync(probe.info.python, [SCRIPT], { input: JSON.stringify({ module, batch, threads, steps }), encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir } });
    if (result.status !== 0) throw new Error(`torch bench failed: ${result.stderr.trim().split('\n').at(-1)}`);
    const { msPerStep } = JSON.parse(result.stdout) as { msPerStep: number };
    const macs = outcome.spec.analysis.totals.macs;
    return { backend: `torch ${threads === 1 ? '1 thread' : `${threads} threads`}`, network: torch.network, batch, msPerStep, imagesPerSecond: (batch * 1000) / msPerStep, gflops: (3 * 2 * macs * batch) / (msPerStep * 1e6), peakBytes: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
