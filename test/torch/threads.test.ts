/**
 * How many CPU threads each torch worker gets, and the warning when workers × threads exceed the
 * CPUs this process may use (issue: 64 workers on 2 cores were accepted silently and ran 5× slower).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { threadsPerWorker } from '../../backends/torch/engine.js';
import { placementFrom, warnOversubscribed } from '../../backends/torch/train-run.js';

const placement = (flags: { workers?: number; threads?: number; device?: string }) => placementFrom(flags, {});

function warnings(flags: { workers?: number; threads?: number; device?: string }, cpus: number): string[] {
  const said: string[] = [];
  warnOversubscribed(placement(flags), (m) => said.push(m), cpus);
  return said;
}

test('by default the CPUs are shared out among the workers, at least one thread each; --threads wins', () => {
  assert.is(threadsPerWorker(placement({}), 2), 2);
  assert.is(threadsPerWorker(placement({ workers: 2 }), 2), 1);
  assert.is(threadsPerWorker(placement({ workers: 3 }), 16), 5);
  assert.is(threadsPerWorker(placement({ workers: 64 }), 2), 1);
  assert.is(threadsPerWorker(placement({ workers: 2, threads: 3 }), 2), 3);
});

test('workers × threads beyond the CPUs: GN0938 names the counts and the --workers that fits', () => {
  assert.equal(warnings({}, 2), []);
  assert.equal(warnings({ workers: 2 }, 2), []);
  assert.equal(warnings({ workers: 64 }, 2), [
    'warning[GN0938]: 64 workers × 1 thread exceed the 2 CPUs this process may use, so they wait on each other and train slower; use --workers 2',
  ]);
  assert.equal(warnings({ workers: 2, threads: 2 }, 2), [
    'warning[GN0938]: 2 workers × 2 threads exceed the 2 CPUs this process may use, so they wait on each other and train slower; use --workers 1 or fewer --threads',
  ]);
});

test('GPU workers are not counted against the CPUs', () => {
  assert.equal(warnings({ workers: 8, device: 'cuda' }, 2), []);
});

test.run();
