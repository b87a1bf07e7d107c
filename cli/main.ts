import { Command, CommanderError, Option } from 'commander';
import { GnetError } from '../runtime/errors.js';
import { choice, collectParam, nonNegativeInt, portArg, positiveInt, shapeArg } from './options.js';
import { addTrainingCommands } from './commands/training-commands.js';
import { addExperimentCommand } from './commands/experiment-command.js';

/** Exit codes: 0 success, 1 errors in the input, 2 usage errors. */
const program = new Command('gnet')
  .description('Compile .gnet CNN specs: check them, report their cost, generate TensorFlow.js code and train them.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .showHelpAfterError('(run with --help for usage)');

const paramOption = () => new Option('--param <name=value>', 'override a network parameter (repeatable)').argParser(collectParam);

program
  .command('check')
  .description('parse, elaborate and shape-check specs; print every diagnostic')
  .argument('<files...>', '.gnet files')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .addOption(paramOption())
  .action(async (files, opts) => run(import('./commands/check.js').then((m) => m.check(files, opts))));

program
  .command('report')
  .description('per-block table: shapes, parameters, multiply-adds, memory, receptive field, budgets')
  .argument('<files...>', '.gnet files (several: side by side)')
  .option('--network <name>', 'only this network')
  .option('--depth <n>', 'collapse the block hierarchy below this depth', nonNegativeInt)
  .option('--batch <n>', 'batch size for activation memory', positiveInt, 1)
  .option('--input <HxWxC>', 'override the input shape', shapeArg)
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
  .addOption(paramOption())
  .action(async (files, opts) => run(import('./commands/report.js').then((m) => m.report(files, opts))));

program
  .command('diff')
  .description('per-block changes between two specs (or two networks)')
  .argument('<a>', 'first .gnet file')
  .argument('<b>', 'second .gnet file')
  .option('--network <name>', 'network name (when a file holds several)')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
  .action(async (a, b, opts) => run(import('./commands/diff.js').then((m) => m.diff(a, b, opts))));

program
  .command('sizes')
  .description('input sizes near N that pass every pool and stride')
  .argument('<file>', '.gnet file')
  .requiredOption('--near <n>', 'requested input size', positiveInt)
  .option('--network <name>', 'network name')
  .addOption(paramOption())
  .action(async (file, opts) => run(import('./commands/sizes.js').then((m) => m.sizes(file, opts))));

program
  .command('compile')
  .description('generate a standalone module per network: TypeScript for TensorFlow.js (default) or PyTorch')
  .argument('<file>', '.gnet file')
  .requiredOption('--out <dir>', 'output folder')
  .option('--network <name>', 'only this network')
  .option('--target <target>', 'tfjs: DIR/<Network>.ts; torch: DIR/<Network>.py (an nn.Module and META) plus the gnet_torch package in DIR/gnet_torch', choice(['tfjs', 'torch'] as const), 'tfjs')
  .addOption(paramOption())
  .action(async (file, opts) => run(import('./commands/compile.js').then((m) => m.compile(file, opts))));

program
  .command('fmt')
  .description('format specs in the one canonical layout (prints one file; --check lists, --write rewrites)')
  .argument('<files...>', '.gnet files')
  .option('--check', 'list the files that are not formatted; exit 1 if any')
  .option('--write', 'rewrite the files in place')
  .option('--width <n>', 'line width pipelines wrap at', positiveInt, 100)
  .action(async (files, opts) => run(import('./commands/fmt.js').then((m) => m.fmt(files, opts))));

program
  .command('blocks')
  .description('list the built-in blocks and their arguments')
  .argument('[kind]', 'one block kind')
  .action(async (kind) => run(import('./commands/blocks.js').then((m) => m.blocks(kind))));

program
  .command('lsp')
  .description('run the language server over stdio (editors start it; see editors/vscode/)')
  .option('--stdio', 'talk over stdin/stdout (the default and only transport)')
  .action(async () => run(import('./commands/lsp.js').then((m) => m.lsp())));

program
  .command('playground')
  .description('serve the playground (edit a spec in the browser, see its report live) on 127.0.0.1')
  .option('--port <n>', 'port to listen on (0: any free one)', portArg, 4180)
  .option('--open', 'open it in the default browser')
  .option('--dir <folder>', 'serve this built playground folder instead of dist/playground')
  .action(async (opts) => run(import('./commands/playground.js').then((m) => m.playground(opts))));

addTrainingCommands(program, run);
addExperimentCommand(program, run);

program
  .command('backends')
  .description('list the TensorFlow.js backends: available or not and why, the device, and what --backend auto picks')
  .action(async () => run(import('./commands/backends.js').then((m) => m.backends())));

async function run(work: Promise<number>): Promise<void> {
  process.exitCode = await work;
}


try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof GnetError) {
    // A coded error no command caught itself is still the user's to fix, never an internal one.
    process.stderr.write(`gnet: error[${e.code}]: ${e.message.replace(`${e.code}: `, '')}\n`);
    process.exitCode = 1;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`gnet: internal error: ${message}\n(this is a bug in gnet; please report it with the spec that triggered it)\n`);
    process.exitCode = 3;
  }
}
