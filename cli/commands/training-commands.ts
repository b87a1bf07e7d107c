/**
 * The commander definitions of `gnet train`, `eval`, `predict` and `export`, for cli/main.ts to add
 * with one call (`addTrainingCommands(program, run)`). Each action imports its command lazily.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS } from '../../runtime/train/config.js';
import { collectParam, nonNegativeInt, positiveInt } from '../options.js';

type Run = (work: Promise<number>) => Promise<void>;

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

function finiteNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** Help text for a flag that overrides the train section: what applies when neither sets it. */
const orSpec = (fallback: string) => `(default: the spec's train section, else ${fallback})`;

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0)) throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  return n;
}

const checkpointOption = () =>
  new Option('--checkpoint <which>', "use a checkpoint instead of the final model: best (by the run's --keep-best metric), last, or a file name in RUNDIR/checkpoint (default: the final model)");

const backendOption = () => new Option('--backend <name>', 'auto, or a backend name (gnet lists the valid ones)').default('auto');

/** The flags that override the spec's train section (besides --data, --seed and --train-size), shared by `gnet train` and `gnet experiment`. */
export function addSectionOptions(command: Command): Command {
  return command
    .option('--epochs <n>', `number of epochs ${orSpec(String(DEFAULTS.epochs))}`, positiveInt)
    .option('--batch <n>', `batch size ${orSpec(String(DEFAULTS.batch))}`, positiveInt)
    .option('--lr <rate>', `learning rate ${orSpec("the optimiser's default, adam 0.001")}`, positiveNumber)
    .option('--optimizer <name>', `sgd, rmsprop, adam, adagrad or adadelta ${orSpec(DEFAULTS.optimizer.name)}`)
    .option('--schedule <rule>', `learning-rate schedule: constant, step(every = 10, factor = 0.1), cosine(alpha = 0, steps = N) or cosine_paper(…) ${orSpec('constant')}`)
    .option('--loss <terms>', `loss, or a comma-separated weighted sum: crossentropy, bce, dice(weight = 0.5, on = "mask") ${orSpec('crossentropy')}`)
    .option('--metrics <names>', `comma-separated: accuracy, iou, miou, dice ${orSpec(DEFAULTS.metrics.join(','))}`)
    .option('--validation-split <fraction>', `share of the training pool held out for validation, in [0, 1) ${orSpec(String(DEFAULTS.validationSplit))}`, finiteNumber)
    .option('--augment', `mirror and randomly crop training images ${orSpec('off')}`)
    .option('--no-augment', 'train on the images as they are')
    .option('--weight-decay <rate>', `L2 weight decay on kernel-like weights ${orSpec(String(DEFAULTS.weightDecay))}`, finiteNumber)
    .option('--clip-norm <norm>', `rescale gradients whose global norm exceeds this ${orSpec('off')}`, finiteNumber)
    .option('--clip-value <limit>', `clamp every gradient element to ±limit ${orSpec('off')}`, finiteNumber)
    .option('--checkpoint-every <steps>', `also save a checkpoint every this many steps, 0: at epoch ends only ${orSpec(String(DEFAULTS.checkpointEvery))}`, nonNegativeInt)
    .option('--keep-checkpoints <k>', 'keep the newest K checkpoints, besides the best one (default 2)', positiveInt)
    .option('--keep-best <metric>', 'also keep the best checkpoint by this validation metric: accuracy, miou, dice (higher is better) or loss (lower); default the first metric of the train section')
    .option('--early-stop <patience>', 'stop when the --keep-best metric has not improved for this many epochs (default off)', positiveInt)
    .option('--min-delta <x>', 'least change of the watched metric that counts as an improvement (default 0)', nonNegativeNumber)
    .option('--patches <n>', 'volumes: patches cut from each training volume per epoch (default 4)', positiveInt)
    .option('--foreground <share>', 'volumes: share of patches centred on a foreground voxel, 0 = uniform sampling (default 0.33)', finiteNumber);
}

/** What a Slurm job asks for, shared by `gnet train --executor slurm` and `gnet experiment --executor slurm`. */
export function addSlurmOptions(command: Command): Command {
  return command
    .option('--partition <name>', 'slurm: the partition to run in (default: the cluster\'s default)')
    .option('--time <limit>', 'slurm: time limit of each task, as sbatch takes it (minutes, HH:MM:SS, D-HH:MM:SS)')
    .option('--gpus-per-task <n>', 'slurm: GPUs per task (experiment: per run; train: per worker, 1 with --device cuda)', positiveInt)
    .option('--cpus-per-task <n>', 'slurm: CPUs per task (experiment: per run; train: per worker); torch uses as many threads', positiveInt)
    .option('--sbatch-arg <option>', 'slurm: one more sbatch option, as one word (repeatable), e.g. --sbatch-arg=--account=proj42', (value: string, previous: string[] = []) => [...previous, value]);
}

/** Which network of the spec, its parameters and its data: what `gnet train` and `gnet job` both read. */
function addSpecOptions(command: Command, networkHelp: string): Command {
  return command
    .option('--network <name>', networkHelp)
    .addOption(new Option('--param <name=value>', "override a network parameter (repeatable; default: the spec's values)").argParser(collectParam))
    .option('--data <source>', `fashion-mnist[:DIR], mnist:DIR, folder:DIR, synthetic-cells[:N] or synthetic-volumes[:N] (default: the spec's train.data)`);
}

/** The run's random draws: its seed and how many training images it draws. */
function addDrawOptions(command: Command): Command {
  return command
    .option('--seed <n>', `seed of initialisation, shuffling and augmentation ${orSpec(String(DEFAULTS.seed))}`, nonNegativeInt)
    .option('--train-size <n>', `train on this many images of the training pool, stratified by class ${orSpec('all')}`, positiveInt);
}

export function addTrainingCommands(program: Command, run: Run): void {
  const trainCommand = program
    .command('train')
    .description("train a network; flags override the spec's train section; writes a run directory")
    .argument('<file>', '.gnet file');
  addSpecOptions(trainCommand, "network to train (default: the file's only network; on --resume the run's)").addOption(backendOption());
  addDrawOptions(addSectionOptions(trainCommand))
    .option('--device <device>', 'torch backend: cpu, cuda or cuda:N (default cpu)')
    .option('--workers <n>', 'torch backend: processes on this machine, DistributedDataParallel over them, batch-norm statistics reduced across them (default 1)', positiveInt)
    .option('--threads <n>', 'torch backend: CPU threads per worker (default: the CPUs this process may use, divided by --workers)', positiveInt)
    .option('--nodes <n>', 'torch backend: machines in the run (default NNODES or 1)', positiveInt)
    .option('--node-rank <n>', "torch backend: this machine's index, 0 to nodes-1 (default NODE_RANK or 0)", nonNegativeInt)
    .option('--master-addr <host>', 'torch backend: address of node 0 (default MASTER_ADDR or 127.0.0.1)')
    .option('--master-port <port>', 'torch backend: port on node 0 (default MASTER_PORT, else a free one)', positiveInt)
    .option('--out <dir>', 'run directory (default: runs/<network>-<time>)')
    .option('--resume <dir>', 'continue the run in this directory from its newest intact checkpoint (from the start if it has none; default: start a new run)')
    .option('--executor <where>', 'local: train here (default); slurm: write a batch script that runs this same command under srun on --nodes nodes, and submit it');
  addSlurmOptions(trainCommand)
    .action(async (file, opts) => run(import('./train.js').then((m) => m.train(file, opts))));

  const jobCommand = program
    .command('job')
    .description('prepare a self-contained PyTorch training job (module, gnet_torch, data, train.py) to run anywhere PyTorch is')
    .argument('<file>', '.gnet file');
  addDrawOptions(addSectionOptions(addSpecOptions(jobCommand, "network to train (default: the file's only network)")))
    .option('--device <device>', "where train.py trains unless told otherwise: cpu, cuda or cuda:N (CUDA need not be here; default cpu)")
    .requiredOption('--out <dir>', 'a new folder for the job')
    .action(async (file, opts) => run(import('./job.js').then((m) => m.job(file, opts))));

  program
    .command('finish')
    .description('write the final model and report.html of a run trained by a job\'s train.py (bring it home)')
    .argument('<rundir>', 'the run directory train.py wrote')
    .addOption(backendOption())
    .action(async (dir, opts) => run(import('./finish.js').then((m) => m.finishRun(dir, opts))));

  program
    .command('eval')
    .description('loss and metrics of a trained run on a dataset split')
    .argument('<rundir>', 'run directory written by gnet train')
    .option('--data <source>', "data source (default: the run's own)")
    .addOption(new Option('--split <split>', 'split to evaluate (default: test if the source has one, else validation)').choices(['test', 'validation', 'train']))
    .option('--batch <n>', 'batch size', positiveInt)
    .option('--json', 'print JSON')
    .addOption(checkpointOption())
    .addOption(backendOption())
    .option('--device <device>', 'torch backend: where the evaluation runs, cpu, cuda or cuda:N (default cpu)')
    .option('--threads <n>', 'torch backend: CPU threads of the evaluation (default: the CPUs this process may use)', positiveInt)
    .action(async (dir, opts) => run(import('./eval.js').then((m) => m.evalRun(dir, opts))));

  program
    .command('predict')
    .description('class scores per image, or a PNG mask per image (gray value = class) for segmentation; a NIfTI mask per volume for a network on volumes')
    .argument('<rundir>', 'run directory written by gnet train')
    .argument('<images...>', 'PNG images, or .nii / .nii.gz volumes of any size for a network on volumes')
    .requiredOption('--out <dir>', 'folder for predictions.json and the masks')
    .option('--overlap <share>', 'volumes: share of a sliding window its neighbour overlaps, 0 to 0.9 (default 0.5)', finiteNumber)
    .addOption(checkpointOption())
    .addOption(backendOption())
    .action(async (dir, images, opts) => run(import('./predict.js').then((m) => m.predict(dir, images, opts))));

  program
    .command('export')
    .description("write a trained run's model for gnet's runtime, TensorFlow.js or ONNX")
    .argument('<rundir>', 'run directory written by gnet train')
    .addOption(
      new Option(
        '--format <format>',
        "gnet: the run's own model (model.json + weights.bin + model.ts, loaded with gnet's runtime); deployed: the same with gauss layers frozen into convolutions; " +
          'graph (alias tfjs): a TensorFlow.js graph model for tf.loadGraphModel; onnx: model.onnx (opset 17). graph and onnx hold the deployed network, need no gnet code, ' +
          'and take and give NHWC tensors (batch, height, width, channels) with a free batch size',
      )
        .choices(['gnet', 'deployed', 'graph', 'onnx', 'tfjs'])
        .default('gnet'),
    )
    .requiredOption('--out <dir>', 'output folder')
    .addOption(backendOption())
    .action(async (dir, opts) => run(import('./export.js').then((m) => m.exportRun(dir, opts))));
}
