/** `gnet` with only the training commands, for tests that run the CLI in a child process. */
import { Command } from 'commander';
import { addTrainingCommands } from '../../cli/commands/training-commands.js';

const program = new Command('gnet').exitOverride();
addTrainingCommands(program, async (work) => {
  process.exitCode = await work;
});
await program.parseAsync(process.argv);
