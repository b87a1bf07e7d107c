/**
 * DistributedDataParallel gives the update of the whole batch: after five steps (batch 8, augmentation,
 * weight decay and clip_norm on), two workers with four images each, three workers with 3 + 3 + 2,
 * and two "nodes" on loopback (two launches, one process each, NODE_RANK 0 and 1) end with the
 * weights of one worker on the whole batch, within 1e-5.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../../backends/torch/launch.js';
import { torchTestsRun } from './helpers.js';
import { CELLS_SPEC, gnet, maxWeightDifference, readCheckpoint, tempRun } from './train-helpers.js';

const runs = torchTestsRun('dist-equivalence.test.ts');

async function trained(extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const out = tempRun('dist');
  const { code, stderr } = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--out', out, ...extra], env).exited;
  assert.is(code, 0, stderr);
  return out;
}

if (runs) {
  test('2 and 3 workers and 2 loopback nodes end five steps with the weights of one worker', async () => {
    const port = await freePort('127.0.0.1');
    const nodes = ['0', '1'].map((rank) => trained(['--workers', '1', '--nodes', '2', '--node-rank', rank, '--master-addr', '127.0.0.1', '--master-port', String(port)]));
    const [one, two, three, node0] = await Promise.all([trained(['--workers', '1']), trained(['--workers', '2']), trained(['--workers', '3']), ...nodes]);
    const reference = readCheckpoint(one);
    assert.is(reference.manifest.position.step, 5);
    for (const [label, run] of [['2 workers', two], ['3 workers', three], ['2 nodes', node0]] as const) {
      const other = readCheckpoint(run!);
      assert.is(other.manifest.position.step, 5, label);
      const difference = maxWeightDifference(reference, other);
      assert.ok(difference <= 1e-5, `${label}: weights differ by ${difference}`);
    }
  });
}

test.run();
