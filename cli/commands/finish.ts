import { selectBackend } from '../../backends/index.js';
import { loadCheckpoint, setAsideDamaged } from '../../runtime/train/checkpoint.js';
import { openRun } from '../../runtime/train/run-dir.js';
import { finish, openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { relativePath } from '../load.js';
import { compileForTraining, paramTable, printGnetError, reportCompileFailure, snapshotHost } from './model.js';

/**
 * `gnet finish RUNDIR`: brings home a run trained away from gnet (`python3 train.py` of a job from
 * `gnet job`): from its newest intact checkpoint, the final model (when its epochs are done or it
 * stopped early) and report.html, as `gnet train` writes them at its end. A damaged newer checkpoint
 * is set aside as *.damaged, and said.
 */
export async function finishRun(dir: string, options: { readonly backend: string }): Promise<number> {
  try {
    const { paths, record, sources } = openRun(dir);
    await selectBackend(options.backend);
    const outcome = await compileForTraining({ entry: sources.entry, network: record.spec.network, params: new Map(Object.entries(record.spec.params)) }, snapshotHost(sources));
    if (!outcome.ok) return reportCompileFailure(outcome);
    const { spec } = outcome;
    const loaded = loadCheckpoint(paths.checkpoint, spec.model.module.meta);
    if (loaded.skipped.length > 0) {
      setAsideDamaged(paths.checkpoint, loaded.skipped.map((s) => s.file));
      process.stderr.write(`gnet: the newest checkpoint is damaged (${loaded.skipped.map((s) => `${s.file}: ${s.problem}`).join('; ')}); set aside as *.damaged, using ${loaded.file}\n`);
    }
    const config = record.train;
    const { position } = loaded.manifest;
    const last = position.history.at(-1);
    const earlyStop = last?.earlyStop !== undefined && position.stepInEpoch === 0 ? { epoch: last.epoch, reason: last.earlyStop } : null;
    const status = position.epoch >= config.epochs || earlyStop ? 'completed' : 'interrupted';
    const task = describeTask(spec.model.module.meta, spec.model.info.outputs, config.loss);
    const data = openTrainingData(config, task);
    const run = { model: spec.model, config, record, moduleSource: spec.source, params: paramTable(spec.analysis) };
    await finish(run, { status, earlyStop, position, state: loaded.state }, paths, data, task, record.device ?? record.backend);
    const at = relativePath(dir);
    if (status === 'completed') process.stderr.write(`gnet: ${at}: ${loaded.file} (epoch ${position.epoch}, step ${position.step}) → ${at}/model and ${at}/report.html\n`);
    else process.stderr.write(`gnet: ${at} stopped at epoch ${position.epoch + 1}/${config.epochs} (step ${position.step}): report.html written, no final model; continue it with \`python3 train.py --resume\` or \`gnet train SPEC --resume ${at}\`\n`);
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}
