import { hostname } from 'node:os';
import { join } from 'node:path';
import { TRAIN_ERRORS, trainError } from './codes.js';
import { type FileSystem, NODE_FS, TEMP_MARK, fileError, makeFolder, removeQuietly, writeFileAtomic } from './files.js';

/**
 * One training process per run directory. RUNDIR/train.lock holds the PID and host of the process
 * that trains there; it is taken atomically (a complete file hard-linked to the lock name, which
 * fails if the name exists) and removed when training ends, also on an error, a signal or
 * process.exit. A lock left by a process that died (SIGKILL, a crash) on this host is taken over with
 * a notice; a live holder, or one on another host (whose processes cannot be seen), is refused.
 */
export const LOCK_FILE = 'train.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export interface RunLock {
  readonly path: string;
  release(): void;
}

export function lockRun(root: string, io: FileSystem = NODE_FS, notice: (message: string) => void = () => {}): RunLock {
  makeFolder(root, io);
  const path = join(root, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const temp = `${path}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}`;
  writeFileAtomic(temp, JSON.stringify(me), io);
  try {
    // Two rounds: the second follows the removal of a stale lock.
    for (let round = 0; round < 2; round++) {
      if (tryLink(temp, path, io)) return held(path, me, io);
      const holder = readHolder(path, io);
      if (holder === 'gone') continue;
      if (!isStale(holder)) throw lockedError(root, path, holder);
      if (takeOver(path, holder, io)) notice(`took over the lock of ${root}, left by process ${describe(holder)}, which is no longer running`);
    }
    throw lockedError(root, path, readHolder(path, io));
  } finally {
    removeQuietly(temp, io);
  }
}

function tryLink(temp: string, path: string, io: FileSystem): boolean {
  try {
    io.linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileError(error, `create the lock ${path}`);
  }
}

function held(path: string, me: LockHolder, io: FileSystem): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Remove only our own lock: after a takeover by mistake it could be someone else's.
    const now = readHolder(path, io);
    if (now !== 'gone' && now !== 'unreadable' && now.pid === me.pid && now.host === me.host && now.since === me.since) removeQuietly(path, io);
  };
  process.on('exit', release);
  return { path, release };
}

function readHolder(path: string, io: FileSystem): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = io.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw fileError(error, `read the lock ${path}`);
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder?.pid) && typeof holder.host === 'string' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** A lock whose process is gone: same host, and signal 0 finds no such process. */
function isStale(holder: LockHolder | 'unreadable'): holder is LockHolder {
  if (holder === 'unreadable' || holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale lock aside under a name of our own (a rename is atomic, so of two processes taking
 * over only one gets it), checks it is the one judged stale, and deletes it; a lock that turns out to
 * be another's fresh one is put back.
 */
function takeOver(path: string, stale: LockHolder, io: FileSystem): boolean {
  const aside = `${path}${TEMP_MARK}stale-${process.pid}`;
  try {
    io.renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fileError(error, `take over the lock ${path}`);
  }
  const moved = readHolder(aside, io);
  if (moved !== 'gone' && moved !== 'unreadable' && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    io.renameSync(aside, path);
    return false;
  }
  removeQuietly(aside, io);
  return true;
}

const describe = (holder: LockHolder): string => `${holder.pid} on ${holder.host} (since ${holder.since})`;

function lockedError(root: string, path: string, holder: LockHolder | 'gone' | 'unreadable') {
  const who = typeof holder === 'string' ? 'another process (its lock file does not say which)' : `process ${describe(holder)}`;
  const elsewhere = typeof holder !== 'string' && holder.host !== hostname() ? ', on another host, so gnet cannot see whether it still runs' : '';
  return trainError(
    TRAIN_ERRORS.runLocked,
    `${root} is being trained by ${who}${elsewhere}; two processes would overwrite each other's checkpoints and log. Wait for it to end or stop it; if no gnet is training ${root}, delete ${path}`,
  );
}
