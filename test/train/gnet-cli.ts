/**
 * `gnet` with only the training commands, for tests that run the CLI in a child process.
 * GNET_TEST_KILL_BEFORE_RENAME=REGEX (tests only) makes the process SIGKILL itself just before it
 * renames a finished temporary file onto a name that matches REGEX: a crash at an exact point of a
 * checkpoint write, with the file's temporary copy complete and its final name not yet there.
 */
import { Command } from 'commander';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { addTrainingCommands } from '../../cli/commands/training-commands.js';

const killBefore = process.env.GNET_TEST_KILL_BEFORE_RENAME;
if (killBefore) {
  const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
  const rename = fs.renameSync;
  const pattern = new RegExp(killBefore);
  fs.renameSync = (from, to) => {
    if (pattern.test(String(to).split('/').pop()!)) process.kill(process.pid, 'SIGKILL');
    return rename(from, to);
  };
  syncBuiltinESMExports();
}

const program = new Command('gnet').exitOverride();
addTrainingCommands(program, async (work) => {
  process.exitCode = await work;
});
await program.parseAsync(process.argv);
