// Loaded with `node --import` into every `gnet` a test starts (test/support/gnet-command.ts); inert
// unless a test sets one of these (tests only):
// GNET_TEST_SLOW_CHECKPOINTS_MS=N holds the process N ms after each checkpoint manifest it commits,
// so a test that waits for a checkpoint can signal or kill the run before the next step.
// GNET_TEST_KILL_BEFORE_RENAME=REGEX makes the process SIGKILL itself just before it renames a
// finished temporary file onto a name that matches REGEX: a crash at an exact point of a checkpoint
// write, with the file's temporary copy complete and its final name not yet there.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const killBefore = process.env.GNET_TEST_KILL_BEFORE_RENAME;
const slowCheckpoints = Number(process.env.GNET_TEST_SLOW_CHECKPOINTS_MS ?? 0);
if (killBefore || slowCheckpoints > 0) {
  const fs = createRequire(import.meta.url)('node:fs');
  const rename = fs.renameSync;
  const pattern = killBefore ? new RegExp(killBefore) : undefined;
  fs.renameSync = (from, to) => {
    const name = String(to).split('/').pop();
    if (pattern?.test(name)) process.kill(process.pid, 'SIGKILL');
    rename(from, to);
    if (slowCheckpoints > 0 && /^step-\d+\.json$/.test(name)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, slowCheckpoints);
  };
  syncBuiltinESMExports();
}
