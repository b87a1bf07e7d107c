/**
 * A real one-node Slurm cluster for the tests, in a temporary folder: its own munged (own key and
 * socket), `slurmctld -D` and `slurmd -D` on free ports, and a slurm.conf with the node's real CPUs
 * and memory (as `slurmd -C` reports them), proctrack/linuxproc and task/none (no cgroups needed),
 * and addresses fixed to 127.0.0.1 (no name resolution needed); partition `debug` (the default, at most
 * 30 minutes per job) and `urgent`, whose jobs pre-empt debug's. The daemons run as the current user
 * (root in CI). `startCluster()` is idempotent within a process; `stop()` cancels what is left,
 * stops the daemons and removes the folder, and runs at exit too. Clients find the cluster through
 * SLURM_CONF, which `startCluster` sets for this process and the gnet processes it starts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../backends/torch/launch.js';
import { tempDir } from '../data/helpers.js';

export interface Cluster {
  readonly dir: string;
  readonly conf: string;
  /** The node's name (its hostname), and the one partition. */
  readonly node: string;
  readonly partition: string;
  /** Runs a Slurm client command against this cluster; its stdout. */
  client(command: string, ...args: string[]): string;
  stop(): void;
}

const NEEDED = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'srun', 'sinfo'];

/** Why no cluster can start here (a missing program), or null. */
export function slurmMissing(): string | null {
  const missing = NEEDED.filter((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0);
  return missing.length ? `${missing.join(', ')} not on PATH (apt-get install slurm-wlm munge)` : null;
}

/** Prints why the file's tests are skipped; true when they can run. */
export function slurmTestsRun(file: string): boolean {
  const missing = slurmMissing();
  if (missing) console.log(`  skipped ${file}: ${missing}`);
  return missing === null;
}

let running: Cluster | undefined;

export async function startCluster(): Promise<Cluster> {
  if (running) return running;
  const dir = tempDir('slurm');
  const paths = { key: join(dir, 'munge-key'), socket: join(dir, 'munge-socket'), state: join(dir, 'state'), spool: join(dir, 'spool'), log: join(dir, 'log') };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });
  // munged insists: the key readable by its owner only, the socket's folders reachable by everyone.
  chmodSync(dir, 0o755);
  chmodSync(paths.key, 0o700);
  chmodSync(paths.socket, 0o755);
  writeFileSync(join(paths.key, 'munge.key'), randomBytes(1024), { mode: 0o600 });
  const [ctldPort, slurmdPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  const hardware = nodeHardware();
  const node = /^NodeName=(\S+)/.exec(hardware)![1]!;
  const user = userInfo().username;
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=gnettest',
      // Job ids of their own: srun steps derive MASTER_PORT from the job id, and clusters of test files
      // running side by side would otherwise both number from 1 and meet on one port.
      `FirstJobId=${1 + 100 * Math.floor(Math.random() * 199)}`,
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${join(paths.socket, 'munge.sock')}`,
      `StateSaveLocation=${paths.state}`,
      `SlurmdSpoolDir=${paths.spool}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(paths.log, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(paths.log, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      `${hardware} NodeAddr=127.0.0.1 State=UNKNOWN`,
      // Refused at submission, as most clusters do: a --time over the partition's limit.
      'EnforcePartLimits=ALL',
      // A job in `urgent` pre-empts (cancels) tasks in `debug` when it needs their CPUs.
      'PreemptType=preempt/partition_prio',
      'PreemptMode=CANCEL',
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=30 PriorityTier=1 State=UP`,
      `PartitionName=urgent Nodes=${node} MaxTime=30 PriorityTier=2 State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  // Each daemon under a shell that stops it on SIGTERM (stop()) or once this process is gone, even
  // killed without running its exit handlers.
  const watch = `"$@" & d=$!; trap 'kill $d 2>/dev/null; wait $d; exit' TERM; while kill -0 ${process.pid} 2>/dev/null && kill -0 $d 2>/dev/null; do sleep 1; done; kill $d 2>/dev/null; wait $d`;
  const start = (command: string, args: string[]) => {
    const log = openSync(join(paths.log, `${command}.out`), 'a');
    const child = spawn('sh', ['-c', watch, 'sh', command, ...args], { env, stdio: ['ignore', log, log] });
    child.unref(); // the tests' process ends when its tests do; stop() (or the watch) ends the daemons
    daemons.push(child);
  };
  const socket = join(paths.socket, 'munge.sock');
  start('munged', ['-F', `--socket=${socket}`, `--key-file=${join(paths.key, 'munge.key')}`, `--pid-file=${join(paths.socket, 'munged.pid')}`, `--seed-file=${join(paths.key, 'seed')}`, `--log-file=${join(paths.log, 'munged.log')}`]);
  await until(() => existsSync(socket), 10_000, 'munged to open its socket', paths.log);
  start('slurmctld', ['-D', '-i', '-f', conf]);
  start('slurmd', ['-D', '-f', conf]);
  const client = (command: string, ...args: string[]) => {
    const result = spawnSync(command, args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  await until(() => spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout.trim() === 'idle', 30_000, 'the node to be idle', paths.log);
  process.env.SLURM_CONF = conf;
  const stop = () => {
    if (!running) return;
    running = undefined;
    // Jobs first (slurmstepd outlives slurmd), then the daemons.
    spawnSync('scancel', ['--full', `--user=${user}`], { env });
    const deadline = Date.now() + 20_000;
    while (spawnSync('squeue', ['-h', '-o', '%i'], { env, encoding: 'utf8' }).stdout.trim() !== '' && Date.now() < deadline) spawnSync('sleep', ['0.3']);
    for (const child of daemons.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
    const gone = Date.now() + 10_000;
    while (daemons.some((c) => alive(c.pid)) && Date.now() < gone) spawnSync('sleep', ['0.1']);
    for (const child of daemons) if (alive(child.pid)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (process.env.SLURM_CONF === conf) delete process.env.SLURM_CONF;
  };
  process.on('exit', stop);
  running = { dir, conf, node, partition: 'debug', client, stop };
  return running;
}

/** `slurmd -C`'s node line: the real CPUs, sockets, cores, threads and memory of this machine. */
function nodeHardware(): string {
  const result = spawnSync('slurmd', ['-C'], { encoding: 'utf8' });
  const line = result.stdout.split('\n').find((l) => l.startsWith('NodeName='));
  if (!line) throw new Error(`slurmd -C printed no node line: ${result.stdout}${result.stderr}`);
  return line.trim();
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return !existsSync(`/proc/${pid}/stat`) || !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(ready: () => boolean, ms: number, what: string, logs: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) {
      const tail = ['munged.out', 'slurmctld.out', 'slurmd.out', 'slurmctld.log', 'slurmd.log'].filter((f) => existsSync(join(logs, f))).map((f) => `${f}: ${readFileSync(join(logs, f), 'utf8').split('\n').slice(-5).join(' | ')}`);
      throw new Error(`the test cluster did not start: waited ${ms / 1000} s for ${what}\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
