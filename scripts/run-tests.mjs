// Runs every test/**/*.test.ts file in its own process (tfjs backends and global state stay isolated),
// two at a time, and ends with one summary line: "N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
const totals = { passed: 0, failed: 0, skipped: 0 };
let cpuBefore = childrenCpu();
const failedFiles = [];

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', '.', file], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const cpu = childrenCpu() - cpuBefore;
      cpuBefore += cpu;
      const text = strip(out);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out.
      const failed = code === 0 ? 0 : Math.max(1, total - passed);
      totals.passed += passed;
      totals.failed += failed;
      totals.skipped += skipped;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const cpuText = Number.isNaN(cpu) ? '' : `, ${cpu.toFixed(1)} s CPU`;
      process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${file} (${passed}/${total}, ${secs} s${cpuText})\n`);
      if (code !== 0) {
        failedFiles.push(file);
        process.stdout.write(text.split('\n').map((l) => '    ' + l).join('\n') + '\n');
      }
      resolve();
    });
  });
}

const queue = [...files];
const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
  while (queue.length) await runFile(queue.shift());
});
await Promise.all(workers);
if (failedFiles.length) process.stdout.write(`\nfailed files:\n${failedFiles.map((f) => '  ' + f).join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exitCode = failedFiles.length ? 1 : 0;
