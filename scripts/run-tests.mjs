// Runs every test/**/*.test.ts file in its own process (tfjs backends and global state stay isolated),
// two at a time, and ends with one summary line: "N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import { distIsFresh } from './dist-fresh.mjs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const filters = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

// Tests start `gnet` from the bundle users run (dist/, test/support/gnet-command.ts) and serve its
// playground (test/browser/support/playground-site.ts): build it first when a source changed since.
const env = { ...process.env, FORCE_COLOR: '0' };
if (!distIsFresh(root)) {
  process.stdout.write('building dist/ (a source changed since the last build)\n');
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// In-process tests run the runtime from its sources: they load tfjs' gradients from the bundle's one
// file (runtime/gradients.ts), not as some 450 files through a resolve hook (about 2 CPU-seconds each).
env.GNET_TFJS_GRADIENTS = pathToFileURL(join(root, 'dist/tfjs-gradients.js')).href;

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
// CPU seconds of every process a test file started and waited for (cutime + cstime of this one, which
// waits for the file's process): against the wall time it says whether a file computes or waits.
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return NaN;
  }
}
// Where this process may make a control group (root, cgroup v1 cpuacct or v2), a file's CPU counts
// every process it started, also those that leave its tree and are never waited for: Chromium's
// renderers and GPU process, Slurm's job steps. Measured here, they are over half of what the
// browser and Slurm files use.
const usecs = (text) => Number(/usage_usec (\d+)/.exec(text)?.[1]) / 1e6;
const CONTROL_GROUPS = [
  ['/sys/fs/cgroup/cpuacct', 'cpuacct.usage', (text) => Number(text) / 1e9],
  ['/sys/fs/cgroup', 'cpu.stat', usecs],
  ['/sys/fs/cgroup/unified', 'cpu.stat', usecs],
];
function controlGroup(name) {
  for (const [base, file, parse] of CONTROL_GROUPS) {
    const dir = join(base, name);
    try {
      mkdirSync(dir);
    } catch {
      continue;
    }
    if (existsSync(join(dir, file))) return { dir, seconds: () => parse(readFileSync(join(dir, file), 'utf8')) };
    rmdirSync(dir);
  }
  return undefined;
}
// Each file's processes get their own TMPDIR (Node, Python, Chromium and the Slurm jobs all honour
// it), removed when the file ends: a killed or failing test leaves nothing behind in /tmp.
// Searchable by all, as /tmp is: munged refuses a socket below a folder others cannot enter.
const scratchFolder = (parent, prefix) => {
  const dir = mkdtempSync(join(parent, prefix));
  chmodSync(dir, 0o755);
  return dir;
};
const scratch = scratchFolder(tmpdir(), 'gnet-tests-');
// tsx keeps the JavaScript it compiled in TMPDIR/tsx-UID: every file's TMPDIR links it to one cache,
// so a source is compiled once per run, not once per file (about 0.8 CPU-seconds a file).
const tsxCache = join(scratch, 'tsx-cache');
mkdirSync(tsxCache);
const tsxCacheName = `tsx-${process.geteuid?.() ?? userInfo().username}`;
/** Removes what a file left, where it can: a tmpfs left mounted, or a process left in a control group, keeps its folder. */
function removeAll(dir, remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 })) {
  try {
    remove();
  } catch {
    // left for the machine
  }
}
process.on('exit', () => removeAll(scratch));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));

const totals = { passed: 0, failed: 0, skipped: 0 };
let cpuBefore = childrenCpu();
let runs = 0;
const failedFiles = [];

/** One run of `file` in its own process: uvu's counts, its output, how the process ended. */
function runOnce(file) {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const tmp = scratchFolder(scratch, 'file-');
    symlinkSync(tsxCache, join(tmp, tsxCacheName));
    const group = controlGroup(`gnet-test-${process.pid}-${++runs}`);
    const command = [process.execPath, '--import', 'tsx', 'node_modules/uvu/bin.js', '.', file];
    // The shell joins the group, then becomes the test process (a failed join only loses the count).
    const [program, ...args] = group ? ['sh', '-c', 'echo $$ > "$0/cgroup.procs" 2>/dev/null; exec "$@"', group.dir, ...command] : command;
    const child = spawn(program, args, { cwd: root, env: { ...env, TMPDIR: tmp } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      removeAll(tmp);
      const waitedFor = childrenCpu() - cpuBefore;
      cpuBefore += waitedFor;
      const inGroup = group?.seconds() ?? 0;
      if (group) removeAll(group.dir, () => rmdirSync(group.dir));
      const cpu = inGroup > 0 ? inGroup : waitedFor;
      const text = strip(out);
      const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out; its Duration line closes a run that reached its end.
      const [total, passed, skipped] = [count('Total'), count('Passed'), count('Skipped')];
      resolve({ code, signal, text, total, passed, skipped, finished: /Duration:/.test(text), secs: (Date.now() - startedAt) / 1000, cpu });
    });
  });
}

const ended = (r) => (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);

async function runFile(file) {
  let run = await runOnce(file);
  let note = '';
  // Every test passed and then the process died (a native library's teardown, seen once with Dawn
  // under heavy load): once more, said in the line, so a crash that repeats still fails.
  if (run.code !== 0 && run.finished && run.total > 0 && run.passed === run.total) {
    const first = ended(run);
    run = await runOnce(file);
    note = run.code === 0 ? `; ${first} after every test passed, passed again on a rerun` : `; the first run: ${first} after every test passed`;
  }
  const ok = run.code === 0;
  const failed = ok ? 0 : Math.max(1, run.total - run.passed);
  totals.passed += run.passed;
  totals.failed += failed;
  totals.skipped += run.skipped;
  const cpuText = Number.isNaN(run.cpu) ? '' : `, ${run.cpu.toFixed(1)} s CPU`;
  const how = ok ? '' : `, ${ended(run)}`;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${file} (${run.passed}/${run.total}, ${run.secs.toFixed(1)} s${cpuText}${how}${note})\n`);
  if (!ok) {
    failedFiles.push(file);
    process.stdout.write(run.text.split('\n').map((l) => '    ' + l).join('\n') + '\n');
  }
}

const queue = [...files];
const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
  while (queue.length) await runFile(queue.shift());
});
await Promise.all(workers);
if (failedFiles.length) process.stdout.write(`\nfailed files:\n${failedFiles.map((f) => '  ' + f).join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exitCode = failedFiles.length ? 1 : 0;
