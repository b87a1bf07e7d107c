/**
 * Keeps Dawn's driver warnings off the terminal. Dawn prints them with fprintf(stderr) while it
 * enumerates adapters (lavapipe: "maxDynamicUniformBuffersPerPipelineLayout artificially reduced
 * from 1000000 to 16 …"), below anything JavaScript can intercept, so the process's descriptor 2
 * itself points at /dev/null for that moment. Node has no dup2; the swap relies on POSIX handing out
 * the lowest free descriptor: close 2, open /dev/null (it becomes 2), and afterwards reopen the
 * original target through /proc/self/fd. Node-only (the browser has no such output).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

const STDERR = 2;
const O_APPEND = 0o2000;

/**
 * Where reopening descriptor 2 reaches the same place with the same behaviour: on Linux, a terminal,
 * a pipe, or a file opened for appending. A file written at an offset (`2> log`) is left alone: a
 * reopened copy would not share its position, and the warning in a log file reaches no terminal.
 */
function canSwap(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fstatSync(STDERR);
    if (stat.isCharacterDevice() || stat.isFIFO()) return true;
    if (!stat.isFile()) return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${STDERR}`, 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & O_APPEND) !== 0;
  } catch {
    return false;
  }
}

/**
 * Runs `work` with native writes to stderr discarded. Writes from JavaScript in that window are lost
 * too, so callers wrap only the native call that prints (an adapter request, well under a second).
 */
export async function withNativeStderrSilenced<T>(work: () => Promise<T>): Promise<T> {
  if (!canSwap()) return work();
  let original: number;
  try {
    original = openSync(`/proc/self/fd/${STDERR}`, 'a');
  } catch {
    return work(); // a socket, or no /proc: leave stderr as it is
  }
  closeSync(STDERR);
  const silent = openSync('/dev/null', 'a');
  try {
    return await work();
  } finally {
    closeSync(silent);
    // The lowest free descriptor is 2 again (it was just closed), so the reopened target takes it.
    const restored = openSync(`/proc/self/fd/${original}`, 'a');
    closeSync(original);
    if (restored !== STDERR) process.emitWarning(`gnet could not give stderr back its descriptor (got ${restored}); messages may be lost`);
  }
}
