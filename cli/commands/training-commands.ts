/**
 * The commander definitions of `gnet train`, `eval`, `predict` and `export`, for cli/main.ts to add
 * with one call (`addTrainingCommands(program, run)`). Each action imports its command lazily.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { collectParam, nonNegativeInt, positiveInt } from '../options.js';

type Run = (work: Promise<number>) => Promise<void>;

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

const backendOption = () => new Option('--backend <name>', 'auto, or a backend name (gnet lists the valid ones)').default('auto');

export function addTrainingCommands(program: Command, run: Run): void {
  program
    .command('train')
    .description("train a network; flags override the spec's train section; writes a run directory")
    .argument('<file>', '.gnet file')
    .option('--network <name>', 'network to train (when the file holds several)')
    .addOption(new Option('--param <name=value>', 'override a network parameter (repeatable)').argParser(collectParam))
    .option('--data <source>', 'fashion-mnist[:DIR], mnist:DIR, folder:DIR or synthetic-cells[:N]')
    .addOption(backendOption())
    .option('--epochs <n>', 'number of epochs', positiveInt)
    .option('--batch <n>', 'batch size', positiveInt)
    .option('--lr <rate>', 'learning rate', positiveNumber)
    .option('--optimizer <name>', 'sgd, rmsprop, adam, adagrad or adadelta')
    .option('--seed <n>', 'seed of initialisation, shuffling and augmentation', nonNegativeInt)
    .option('--train-size <n>', 'train on this many images of the training pool (stratified by class)', positiveInt)
    .option('--checkpoint-every <steps>', 'also save a checkpoint every this many steps (0: at epoch ends only)', nonNegativeInt)
    .option('--out <dir>', 'run directory (default runs/<network>-<time>)')
    .option('--resume <dir>', 'continue the run in this directory from its last checkpoint')
    .option('--device <device>', 'torch backend: cpu, cuda or cuda:N (default cpu)')
    .option('--workers <n>', 'torch backend: processes on this machine, DistributedDataParallel over them (default 1)', positiveInt)
    .option('--nodes <n>', 'torch backend: machines in the run (default NNODES or 1)', positiveInt)
    .option('--node-rank <n>', "torch backend: this machine's index, 0 to nodes-1 (default NODE_RANK or 0)", nonNegativeInt)
    .option('--master-addr <host>', 'torch backend: address of node 0 (default MASTER_ADDR or 127.0.0.1)')
    .option('--master-port <port>', 'torch backend: port on node 0 (default MASTER_PORT, else a free one)', positiveInt)
    .action(async (file, opts) => run(import('./train.js').then((m) => m.train(file, opts))));

  program
    .command('eval')
    .description('loss and metrics of a trained run on a dataset split')
    .argument('<rundir>', 'run directory written by gnet train')
    .option('--data <source>', "data source (default: the run's own)")
    .addOption(new Option('--split <split>', 'split to evaluate (default: test if the source has one, else validation)').choices(['test', 'validation', 'train']))
    .option('--batch <n>', 'batch size', positiveInt)
    .option('--json', 'print JSON')
    .addOption(backendOption())
    .action(async (dir, opts) => run(import('./eval.js').then((m) => m.evalRun(dir, opts))));

  program
    .command('predict')
    .description('class scores per image, or a PNG mask per image (gray value = class) for segmentation')
    .argument('<rundir>', 'run directory written by gnet train')
    .argument('<images...>', 'PNG images')
    .requiredOption('--out <dir>', 'folder for predictions.json and the masks')
    .addOption(backendOption())
    .action(async (dir, images, opts) => run(import('./predict.js').then((m) => m.predict(dir, images, opts))));

  program
    .command('export')
    .description("write a trained run's model in the TensorFlow.js format")
    .argument('<rundir>', 'run directory written by gnet train')
    .addOption(new Option('--format <format>', 'tfjs: as trained; deployed: gauss layers frozen into convolutions').choices(['tfjs', 'deployed']).default('tfjs'))
    .requiredOption('--out <dir>', 'output folder')
    .addOption(backendOption())
    .action(async (dir, opts) => run(import('./export.js').then((m) => m.exportRun(dir, opts))));
}
