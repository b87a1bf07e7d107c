import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../backends/cpu.js';
import { wasmBackend } from '../../backends/wasm/index.js';
import { registerGradients } from '../../runtime/gradients.js';

/** The generator the web page uses: identical inputs on every backend. */
export { sample } from '../../web/steps.js';

export type Shape4 = [number, number, number, number];
type Outputs = tf.Tensor | tf.Tensor[];

/** Both backends registered in this process, with gradients, switched by tf.setBackend. */
export async function initBothBackends(): Promise<void> {
  await registerGradients();
  await cpuBackend.init();
  await wasmBackend.init();
}

/** Leaves cpu active, the backend other test files expect when they do not choose one. */
export async function restoreCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
}

interface Result {
  readonly shapes: string;
  readonly values: Float32Array[];
}

async function runOn(backend: string, f: () => Outputs): Promise<Result> {
  await tf.setBackend(backend);
  const outputs = [tf.tidy(f)].flat();
  const values = await Promise.all(outputs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outputs);
  return { shapes: outputs.map((t) => `[${t.shape.join(',')}]`).join(' '), values };
}

/**
 * Runs `f` on wasm and `reference` (by default `f` itself) on cpu; returns undefined when the
 * results agree (same shapes, the same non-finite values, finite values within `tolerance` × the
 * largest magnitude) or what differs.
 */
export async function differenceFromCpu(f: () => Outputs, tolerance = 1e-4, reference = f): Promise<string | undefined> {
  const expected = await runOn('cpu', reference);
  let actual: Result;
  try {
    actual = await runOn('wasm', f);
  } catch (error) {
    return `wasm threw: ${(error as Error).message}`;
  }
  if (actual.shapes !== expected.shapes) return `shapes ${actual.shapes} ≠ cpu ${expected.shapes}`;
  for (const [k, want] of expected.values.entries()) {
    const problem = firstMismatch(actual.values[k], want, tolerance);
    if (problem !== undefined) return `output ${k}: ${problem}`;
  }
  return undefined;
}

function firstMismatch(got: Float32Array, want: Float32Array, tolerance: number): string | undefined {
  const scale = want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0) || 1;
  for (let i = 0; i < want.length; i++) {
    const bothSame = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (bothSame) continue;
    if (!Number.isFinite(want[i]) || !Number.isFinite(got[i]) || Math.abs(got[i] - want[i]) > tolerance * scale) {
      return `element ${i}: wasm ${got[i]} vs cpu ${want[i]} (scale ${scale.toPrecision(3)})`;
    }
  }
  return undefined;
}

/** A named computation, and optionally a different one that gives the same values on cpu. */
export type Case = [name: string, f: () => Outputs, reference?: () => Outputs];

/** Runs every case and fails once, listing all that differ from cpu. */
export async function expectAllMatch(cases: Iterable<Case>, tolerance?: number): Promise<number> {
  const failures: string[] = [];
  let count = 0;
  for (const [name, f, reference] of cases) {
    count++;
    const problem = await differenceFromCpu(f, tolerance, reference);
    if (problem !== undefined) failures.push(`${name}: ${problem}`);
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${count} cases differ from cpu:\n${failures.join('\n')}`);
  return count;
}
