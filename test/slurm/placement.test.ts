/**
 * Where `gnet train --backend torch` under srun places its workers, from the variables Slurm sets in
 * each task (as printed by `srun -n 2 env` on the test cluster, and as Slurm documents them for
 * several nodes): one task per node starting --workers processes, or one task per worker (per GPU);
 * and which process drives the run (the one that starts global rank 0).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { launcherPlacement, slurmPlacement, tasksPerNode } from '../../backends/torch/slurm-placement.js';
import { drivesRun, workerRanks } from '../../backends/torch/engine.js';
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
  assert.equal(launcherPlacement(p, 'cuda', { SLURM_CPUS_PER_TASK: '16' }), { device: 'cuda', workers: 4, nodes: 2, nodeRank: 1, masterAddr: 'gpu01', masterPort: 19242, threads: 4 });
  assert.equal(workerRanks(launcherPlacement(p, 'cuda', {})), { first: 4, world: 8, local: [0, 1, 2, 3], perNode: 4 });
  assert.not.ok(drivesRun(launcherPlacement(p, 'cuda', {})));
  // One node: the launcher picks a free port itself.
  const alone = launcherPlacement(slurmPlacement(stepEnv(1, 1, 0), ['vm'], 2)!, 'cpu', {});
  assert.is(alone.masterPort, undefined);
  assert.ok(drivesRun(alone));
});

test('one task per worker (srun -n 8 over 2 nodes): each task is the worker of rank SLURM_PROCID with LOCAL_RANK SLURM_LOCALID', () => {
  const p = slurmPlacement(stepEnv(8, 2, 6), hosts(2), undefined)!;
  assert.equal(p, { nodes: 2, nodeRank: 1, masterAddr: 'gpu01', masterPort: 19242, workersPerNode: 4, localRanks: [2], firstRank: 6, worldSize: 8, taskPerWorker: true });
  // The device stays --device's: LOCAL_RANK picks the GPU (gnet_torch/dist.py's gpu_index).
  const placement = launcherPlacement(p, 'cuda', {});
  assert.equal(placement, { device: 'cuda', workers: 1, nodes: 2, nodeRank: 1, masterAddr: 'gpu01', masterPort: 19242, ranks: { first: 6, world: 8, local: [2], perNode: 4 } });
  assert.not.ok(drivesRun(placement));
  // Two tasks on one node: each is a worker; task 0 drives the run, on a port both derive from the job id.
  const [first, second] = [0, 1].map((task) => launcherPlacement(slurmPlacement(stepEnv(2, 1, task), ['vm'], undefined)!, 'cpu', { SLURM_CPUS_PER_TASK: '3' }));
  assert.equal(workerRanks(first!), { first: 0, world: 2, local: [0], perNode: 2 });
  assert.equal(workerRanks(second!), { first: 1, world: 2, local: [1], perNode: 2 });
  assert.ok(drivesRun(first!) && !drivesRun(second!));
  assert.is(second!.masterPort, 19242);
  assert.is(second!.threads, 3);
});

test('without srun, nodes × workers: NODE_RANK 1 of 2 with --workers 3 starts ranks 3-5 and follows', () => {
  const p = placementFrom({ workers: 3 }, { NNODES: '2', NODE_RANK: '1', MASTER_ADDR: 'h0', MASTER_PORT: '29400' });
  assert.equal(workerRanks(p), { first: 3, world: 6, local: [0, 1, 2], perNode: 3 });
  assert.not.ok(drivesRun(p));
  assert.ok(drivesRun(placementFrom({ workers: 3 }, { NNODES: '2', NODE_RANK: '0', MASTER_PORT: '29400' })));
});

test('MASTER_PORT and the flags win; --workers equal to the tasks on the node (as gnet train --executor slurm writes it) is one task per worker, any other is refused with the fix', () => {
  assert.is(slurmPlacement(stepEnv(2, 2, 0, { MASTER_PORT: '29500' }), hosts(2), undefined)!.masterPort, 29500);
  assert.equal(placementFrom({ nodes: 1, workers: 2 }, stepEnv(2, 1, 1)).nodes, 1, '--nodes given: the flags place the run');
  try {
    slurmPlacement(stepEnv(4, 1, 0), ['vm'], 2);
    assert.unreachable();
  } catch (error) {
    assert.ok(error instanceof GnetError && error.code === 'GN0937', String(error));
    assert.match((error as Error).message, 'srun started 4 tasks on 1 node(s), 4 on this one, so each task is one worker, but --workers 2 asks each for 2');
  }
  assert.equal(slurmPlacement(stepEnv(8, 2, 5), hosts(2), 4), slurmPlacement(stepEnv(8, 2, 5), hosts(2), undefined));
  assert.ok(slurmPlacement(stepEnv(8, 2, 5), hosts(2), 4)!.taskPerWorker);
  assert.equal(tasksPerNode('2(x3),1'), [2, 2, 2, 1]);
});

test.run();
