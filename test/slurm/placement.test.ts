/**
 * Where `gnet train --backend torch` under srun places its workers, from the variables Slurm sets in
 * each task (as printed by `srun -n 2 env` on the test cluster, and as Slurm documents them for
 * several nodes): one task per node starting --workers processes, or one task per worker (per GPU).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { launcherPlacement, slurmPlacement, tasksPerNode } from '../../backends/torch/slurm-placement.js';
import { placementFrom } from '../../backends/torch/train-run.js';
import { GnetError } from '../../runtime/errors.js';

/** The variables of task `procId` of an srun step of `tasks` tasks over `nodes` nodes, block-distributed. */
function stepEnv(tasks: number, nodes: number, procId: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const perNode = tasks / nodes;
  return {
    SLURM_JOB_ID: '4242',
    SLURM_STEP_ID: '0',
    SLURM_PROCID: String(procId),
    SLURM_NTASKS: String(tasks),
    SLURM_STEP_NUM_TASKS: String(tasks),
    SLURM_NNODES: String(nodes),
    SLURM_STEP_NUM_NODES: String(nodes),
    SLURM_NODEID: String(Math.floor(procId / perNode)),
    SLURM_LOCALID: String(procId % perNode),
    SLURM_STEP_TASKS_PER_NODE: nodes > 1 ? `${perNode}(x${nodes})` : String(perNode),
    SLURM_STEP_NODELIST: nodes > 1 ? `gpu[01-0${nodes}]` : 'vm',
    ...extra,
  };
}
const hosts = (n: number) => Array.from({ length: n }, (_, i) => `gpu0${i + 1}`);

test('outside an srun step (a shell, a batch script, an array task) there is no Slurm placement', () => {
  assert.is(slurmPlacement({}, [], undefined), undefined);
  const batch = stepEnv(2, 1, 0);
  delete batch.SLURM_STEP_ID;
  assert.is(slurmPlacement(batch, ['vm'], undefined), undefined);
  assert.equal(placementFrom({ workers: 2 }, batch), { device: 'cpu', workers: 2, nodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: undefined, threads: undefined });
});

test('one task per node (srun --ntasks-per-node=1): each starts --workers workers; ranks follow the node', () => {
  const p = slurmPlacement(stepEnv(2, 2, 1), hosts(2), 4)!;
  assert.equal(p, { nodes: 2, nodeRank: 1, masterAddr: 'gpu01', masterPort: 15000 + 4242, workersPerNode: 4, localRanks: [0, 1, 2, 3], firstRank: 4, worldSize: 8, taskPerWorker: false });
  assert.equal(launcherPlacement(p, 'cuda', { SLURM_CPUS_PER_TASK: '16' }), { masterAddr: 'gpu01', threads: 4, device: 'cuda', workers: 4, nodes: 2, nodeRank: 1, masterPort: 19242 });
  // One node: the launcher picks a free port itself.
  assert.is(launcherPlacement(slurmPlacement(stepEnv(1, 1, 0), ['vm'], 2)!, 'cpu', {}).masterPort, undefined);
});

test('one task per worker (srun -n 8 over 2 nodes): each task is the worker of rank SLURM_PROCID, on the GPU of its SLURM_LOCALID', () => {
  const p = slurmPlacement(stepEnv(8, 2, 6), hosts(2), undefined)!;
  assert.equal(p, { nodes: 2, nodeRank: 1, masterAddr: 'gpu01', masterPort: 19242, workersPerNode: 4, localRanks: [2], firstRank: 6, worldSize: 8, taskPerWorker: true });
  // Today's launcher: a "node" of one worker per task, whose rank is the task's.
  assert.equal(launcherPlacement(p, 'cuda', {}), { masterAddr: 'gpu01', device: 'cuda:2', workers: 1, nodes: 8, nodeRank: 6, masterPort: 19242 });
  // Slurm bound one GPU to the task (--gpus-per-task=1): it is cuda:0 there.
  assert.is(launcherPlacement(p, 'cuda', { CUDA_VISIBLE_DEVICES: '2' }).device, 'cuda');
  assert.is(launcherPlacement(slurmPlacement(stepEnv(2, 1, 1), ['vm'], undefined)!, 'cpu', { SLURM_CPUS_PER_TASK: '3' }).threads, 3);
});

test('MASTER_PORT and the flags win; --workers beside several tasks per node is refused with the fix', () => {
  assert.is(slurmPlacement(stepEnv(2, 2, 0, { MASTER_PORT: '29500' }), hosts(2), undefined)!.masterPort, 29500);
  assert.equal(placementFrom({ nodes: 1, workers: 2 }, stepEnv(2, 1, 1)).nodes, 1, '--nodes given: the flags place the run');
  try {
    slurmPlacement(stepEnv(4, 1, 0), ['vm'], 2);
    assert.unreachable();
  } catch (error) {
    assert.ok(error instanceof GnetError && error.code === 'GN0937', String(error));
    assert.match((error as Error).message, 'srun started 4 tasks on 1 node(s), so each task is one worker, but --workers 2 asks each for 2');
  }
  assert.equal(tasksPerNode('2(x3),1'), [2, 2, 2, 1]);
});

test.run();
