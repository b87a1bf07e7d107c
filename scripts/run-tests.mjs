// Runs every test/**/*.test.ts file in its own process (tfjs backends and global state stay isolated),
// two at a time, and ends with one summary line: "N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { distIsFresh } from './dist-fresh.mjs';
import { join, relative } from 'node:path';

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
// Each file's processes get their own TMPDIR (Node, Python, Chromium and the Slurm jobs all honour
// it), removed when the file ends: a killed or failing test leaves nothing behind in /tmp.
// Searchable by all, as /tmp is: munged refuses a socket below a folder others cannot enter.
const scratchFolder = (parent, prefix) => {
  const dir = mkdtempSync(join(parent, prefix));
  chmodSync(dir, 0o755);
  return dir;
};
const scratch = scratchFolder(tmpdir(), 'gnet-tests-');
function removeAll(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // a tmpfs a killed test left mounted inside stays until it is unmounted
  }
}
process.on('exit', () => removeAll(scratch));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));

const totals = { passed: 0, failed: 0, skipped: 0 };
let cpuBefore = childrenCpu();
const failedFiles = [];

/** One run of `file` in its own process: uvu's counts, its output, how the process ended. */
function runOnce(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const tmp = scratchFolder(scratch, 'file-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', '.', file], { cwd: root, env: { ...env, TMPDIR: tmp } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      removeAll(tmp);
      const cpu = childrenCpu() - cpuBefore;
      cpuBefore += cpu;
      const text = strip(out);
      const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out; its Duration line closes a run that reached its end.
      const [total, passed, skipped] = [count('Total'), count('Passed'), count('Skipped')];
      resolve({ code, signal, text, total, passed, skipped, finished: /Duration:/.test(text), secs: (Date.now() - started) / 1000, cpu });
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
