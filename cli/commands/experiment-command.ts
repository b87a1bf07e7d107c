/** The commander definition of `gnet experiment`, for cli/main.ts to add with one call. */
import { type Command, Option } from 'commander';
import { positiveInt } from '../options.js';
import { addSectionOptions, addSlurmOptions } from './training-commands.js';

type Run = (work: Promise<number>) => Promise<void>;

export function addExperimentCommand(program: Command, run: Run): void {
  const command = program
    .command('experiment')
    .description('train every network × training-set size × seed under the same conditions, test each run once, and tabulate mean ± std beside parameters and multiply-adds')
    .argument('[files...]', '.gnet files whose networks to compare')
    .option('--experiment <name>', "the files' `experiment` section to run (default: the only one); every flag overrides its key")
    .option('--networks <names>', 'comma-separated networks to compare, in table order (default: every network of the files)')
    .option('--data <source>', "fashion-mnist[:DIR], mnist:DIR, folder:DIR or synthetic-cells[:N] for every run (default: each spec's train.data)")
    .option('--train-size <sizes>', 'comma-separated training-set sizes drawn from the training pool (stratified by class, the same images for every network), `all` for the whole pool (default: all)')
    .option('--seeds <n>', 'seeds 1..N per network and size (default 3)')
    .option('--metric <name>', "the table's test metric: accuracy, miou, dice or loss (default: the train section's first metric)")
    .option('--backend <name>', 'auto, or a backend name, for every run (default: auto)')
    .option('--device <device>', 'torch backend: cpu, cuda or cuda:N (default cpu)')
    .option('--workers <n>', 'torch backend: processes per run (default 1)', positiveInt)
    .option('--threads <n>', 'torch backend: CPU threads per run and worker (default: the CPUs this process may use, divided by --jobs and --workers)', positiveInt)
    .option('--jobs <n>', 'runs trained at the same time (default 1; webgpu: 1; slurm: the array\'s % throttle, default none)', positiveInt)
    .option('--out <dir>', 'experiment directory: experiment.json, runs/, results.*')
    .option('--resume', 'continue an experiment whose plan changed, keeping the runs that still belong to it')
    .option('--report <dir>', 'rebuild the results files of an experiment directory from its runs, without training (for a grid in Slurm: where each run stands)')
    .option('--executor <where>', 'local: train the runs here, --jobs at a time (default); slurm: submit them as one Slurm job array, one task per run')
    .option('--wait', 'slurm: follow the array until it ends, printing a line per finished run (default: return once submitted)')
    .addOption(new Option('--slurm-task <manifest>', 'one task of a submitted array (for the script gnet submits)').hideHelp());
  addSlurmOptions(command);
  addSectionOptions(command).action(async (files, opts) => run(import('./experiment.js').then((m) => m.experiment(files, opts))));
}
