/**
 * The three ways gnet registers tfjs' gradient functions in Node give the same gradients: the bundle
 * users run (its own copy of tfjs-core's gradient files), the sources with GNET_TFJS_GRADIENTS naming
 * that copy (how `npm test` runs in-process tests), and the sources with the resolve hook (no copy
 * named). The hook path is otherwise unused by the suite.
 */
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const PROBE = new URL('./fixtures/gradient-probe.ts', import.meta.url).pathname;

function probe(mode: 'sources' | 'bundle', env: NodeJS.ProcessEnv): { kernels: string[]; grads: number[][] } {
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', PROBE, mode], { encoding: 'utf8', env }).trim().split('\n').at(-1)!);
}

test('the bundle, the sources with the bundled copy and the sources with the resolve hook register the same gradients', () => {
  const { GNET_TFJS_GRADIENTS: fromRunner, ...withoutCopy } = process.env;
  // npm test names it; run alone, the file from the last build.
  const copy = fromRunner ?? new URL('../../dist/tfjs-gradients.js', import.meta.url).href;
  const bundle = probe('bundle', withoutCopy);
  const named = probe('sources', { ...withoutCopy, GNET_TFJS_GRADIENTS: copy });
  const hooked = probe('sources', withoutCopy);
  assert.ok(bundle.kernels.length > 80, `${bundle.kernels.length} kernels have a gradient`);
  assert.ok(bundle.kernels.includes('Conv2D') && bundle.kernels.includes('MaxPool'));
  assert.equal(named, bundle);
  assert.equal(hooked, bundle);
  assert.ok(bundle.grads.every((g) => g.some((v) => v !== 0)), 'the gradients are not all zero');
});

test.run();
