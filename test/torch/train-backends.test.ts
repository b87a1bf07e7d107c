/**
 * A torch run is a gnet run like any other: on the same spec, data, seed and augmentation it logs the
 * losses and ends with the weights of the TensorFlow.js cpu backend; a run trained on tfjs resumes on
 * torch (and ends where a torch-only run does); `gnet eval` and `gnet export` read a torch-trained run
 * with a tfjs backend.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLog } from '../../runtime/train/log.js';
import { torchTestsRun } from './helpers.js';
import { CELLS_SPEC, gnet, maxWeightDifference, readCheckpoint, tempRun } from './train-helpers.js';

const runs = torchTestsRun('train-backends.test.ts');

async function train(args: readonly string[]): Promise<string> {
  const out = tempRun('backends');
  const { code, stderr } = await gnet(['train', CELLS_SPEC, '--out', out, ...args]).exited;
  assert.is(code, 0, stderr);
  return out;
}

if (runs) {
  test('torch matches tfjs cpu; a tfjs run resumes on torch; eval and export read a torch run', async () => {
    const [onCpu, onTorch, torchTwoEpochs] = await Promise.all([train(['--backend', 'cpu']), train(['--backend', 'torch']), train(['--backend', 'torch', '--epochs', '2'])]);
    const [cpuLog, torchLog] = [readLog(join(onCpu, 'log.jsonl')), readLog(join(onTorch, 'log.jsonl'))];
    assert.is(torchLog.length, 1);
    assert.ok(Math.abs(cpuLog[0]!.loss - torchLog[0]!.loss) < 1e-4, `train loss ${cpuLog[0]!.loss} vs ${torchLog[0]!.loss}`);
    assert.ok(Math.abs(cpuLog[0]!.validation!.loss - torchLog[0]!.validation!.loss) < 1e-4, 'validation loss');
    assert.ok(Math.abs((cpuLog[0]!.metrics.miou as number) - (torchLog[0]!.metrics.miou as number)) < 1e-3, 'miou');
    const difference = maxWeightDifference(readCheckpoint(onCpu), readCheckpoint(onTorch));
    assert.ok(difference < 1e-4, `weights differ by ${difference}`);
    assert.ok(existsSync(join(onTorch, 'report.html')) && existsSync(join(onTorch, 'model', 'model.json')));
    assert.is(JSON.parse(readFileSync(join(onTorch, 'config.json'), 'utf8')).backend, 'torch');

    const resumed = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--resume', onCpu, '--epochs', '2']).exited;
    assert.is(resumed.code, 0, resumed.stderr);
    assert.is(readLog(join(onCpu, 'log.jsonl')).length, 2);
    const afterResume = maxWeightDifference(readCheckpoint(onCpu), readCheckpoint(torchTwoEpochs));
    assert.ok(afterResume < 1e-4, `tfjs→torch resume differs from torch-only by ${afterResume}`);

    const evaluated = gnet(['eval', onTorch, '--backend', 'cpu', '--split', 'validation', '--json']);
    let stdout = '';
    evaluated.process.stdout!.on('data', (chunk) => (stdout += chunk));
    const evalEnd = await evaluated.exited;
    assert.is(evalEnd.code, 0, evalEnd.stderr);
    const result = JSON.parse(stdout);
    assert.ok(Math.abs(result.loss - torchLog[0]!.validation!.loss) < 1e-4, `eval loss ${result.loss}`);
    const exported = tempRun('export');
    const exportEnd = await gnet(['export', onTorch, '--backend', 'cpu', '--format', 'deployed', '--out', exported]).exited;
    assert.is(exportEnd.code, 0, exportEnd.stderr);
    assert.ok(existsSync(join(exported, 'model.json')));
  });
}

test.run();
