/**
 * The export checks of test/torch/exports*.test.ts: each network's module scripted, traced, exported to
 * ONNX and deployed by export_check.py (one Python process), every ONNX model then run here by
 * onnxruntime-node at another batch size (its batch axis is dynamic), and every deployed TorchScript
 * module loaded by load_deployed.py in a Python process that cannot import gnet_torch.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readTensors, type NamedArray } from '../../runtime/torch/tensor-file.js';
import type { Network } from '../codegen/helpers.js';
import { relativeError } from './equivalence.js';
import { PYTHON, torchOutDir, torchTestsRun, writeTorchModule } from './helpers.js';

/** Scripted, traced and deployed modules against the module (same process, same inputs): rounding only. */
export const TORCH_TOLERANCE = 1e-5;
/** onnxruntime and the deployed convolutions against the module: other kernels, other rounding. */
export const ENGINE_TOLERANCE = 1e-4;

const HERE = new URL('.', import.meta.url).pathname;
const ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' };

interface Report {
  readonly error?: string;
  readonly script: number;
  readonly scriptDict?: number;
  readonly trace: number;
  readonly gauss: number;
  readonly gaussLeft: number;
  readonly kernelOpsLeft: string[];
  readonly deployed: number;
}

/** The worst relative error of FOLDER/MODEL run by onnxruntime on FOLDER/inputs.bin against FOLDER/expected.bin. */
export async function onnxError(folder: string, model: string): Promise<number> {
  const session = await ort.InferenceSession.create(join(folder, model), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = Object.fromEntries([...readTensors(join(folder, 'inputs.bin')).arrays].map(([name, a]) => [name, new ort.Tensor('float32', a.values, [...a.shape])]));
  const results = await session.run(feeds);
  let worst = 0;
  for (const [name, want] of readTensors(join(folder, 'expected.bin')).arrays) {
    const got = results[name];
    assert.ok(got, `${model} has an output ${name}`);
    assert.equal([...got!.dims], [...want.shape], `${model} ${name}: shape`);
    worst = Math.max(worst, relativeError({ shape: [...got!.dims], values: got!.data as Float32Array } satisfies NamedArray, want));
  }
  await session.release();
  return worst;
}

export interface WithoutGnet {
  readonly gnetImportable: boolean;
  /** Modules whose name mentions gnet that the process loaded (none). */
  readonly loaded: string[];
  /** The worst relative error of each TorchScript file against its folder's expected.npz. */
  readonly errors: Record<string, number>;
}

/** TorchScript files run by load_deployed.py in a Python process that cannot import gnet_torch (-I, another folder). */
export function runWithoutGnet(paths: readonly string[]): WithoutGnet {
  const elsewhere = mkdtempSync(join(tmpdir(), 'gnet-no-gnet-'));
  try {
    return JSON.parse(execFileSync(PYTHON, ['-I', join(HERE, 'load_deployed.py'), ...paths], { cwd: elsewhere, encoding: 'utf8', env: ENV }));
  } finally {
    rmSync(elsewhere, { recursive: true });
  }
}

/** Registers one test per network: script, trace, ONNX, deploy, and the deployed module without gnet. */
export function exportTests(file: string, networks: readonly Network[]): void {
  const runs = torchTestsRun(file);
  const folders: string[] = [];
  let reports: Record<string, Report> = {};
  let fresh: WithoutGnet = { gnetImportable: true, loaded: [], errors: {} };
  let failed: string | undefined;
  let dir = '';
  test.before(() => {
    if (!runs) return;
    try {
      prepare();
    } catch (error) {
      failed = String((error as { stderr?: string }).stderr || error);
    }
  });
  const prepare = () => {
    dir = torchOutDir();
    const jobs = networks.map((network, i) => {
      const out = join(dir, `case${i}`);
      mkdirSync(out);
      folders.push(out);
      return { module: writeTorchModule(out, network), out };
    });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
    const env = { ...ENV, PYTHONPATH: dir, PYTHONWARNINGS: 'ignore' };
    reports = JSON.parse(execFileSync(PYTHON, [join(HERE, 'export_check.py'), join(dir, 'jobs.json')], { cwd: dir, encoding: 'utf8', env, maxBuffer: 64 << 20 }));
    fresh = runWithoutGnet(folders.filter((f) => reports[f] && !reports[f]!.error).map((f) => join(f, 'deployed.pt')));
  };
  // The large networks' files reach gigabytes.
  test.after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  networks.forEach((network, i) => {
    (runs ? test : test.skip)(`${network.graph.name}: script, trace, ONNX and deploy compute what the module computes`, async () => {
      assert.is(failed, undefined, failed);
      const folder = folders[i]!;
      const report = reports[folder]!;
      assert.is(report.error, undefined, report.error);
      for (const key of ['script', 'scriptDict', 'trace', 'deployed'] as const) {
        const error = report[key];
        if (error !== undefined) assert.ok(error <= TORCH_TOLERANCE * (key === 'deployed' ? 10 : 1), `${key}: relative error ${error}`);
      }
      assert.is(report.gaussLeft, 0, 'deploy leaves no gauss layer');
      assert.equal(report.kernelOpsLeft, [], 'the deployed TorchScript computes no kernel');
      const onnx = await onnxError(folder, 'model.onnx');
      assert.ok(onnx <= ENGINE_TOLERANCE, `onnxruntime: relative error ${onnx}`);
      const deployedOnnx = report.gauss > 0 ? await onnxError(folder, 'deployed.onnx') : onnx;
      assert.ok(deployedOnnx <= ENGINE_TOLERANCE, `onnxruntime, deployed: relative error ${deployedOnnx}`);
      const withoutGnet = fresh.errors[join(folder, 'deployed.pt')];
      assert.ok(withoutGnet !== undefined && withoutGnet <= ENGINE_TOLERANCE, `deployed TorchScript without gnet: relative error ${withoutGnet}`);
      assert.not.ok(fresh.gnetImportable, 'the process that loads deployed modules cannot import gnet_torch');
      assert.equal(fresh.loaded, []);
      const g = report.gauss > 0 ? `, ${report.gauss} gauss layers deployed` : '';
      console.log(`  ${network.graph.name}: script ${report.script.toExponential(1)}, trace ${report.trace.toExponential(1)}, deploy ${report.deployed.toExponential(1)}, onnxruntime ${onnx.toExponential(1)} (deployed ${deployedOnnx.toExponential(1)})${g}`);
    });
  });
  test.run();
}
