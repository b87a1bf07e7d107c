/**
 * `gnet export --format deployed` on specs whose budgets the frozen kernels exceed (issue 10,
 * finding 2: it failed with an internal error), the format names and help (finding 6: `tfjs` wrote a
 * model.json that stock TensorFlow.js could not read), and the coded error for an op a format lacks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { exportRun } from '../../cli/commands/export.js';
import { addTrainingCommands } from '../../cli/commands/training-commands.js';
import { GnetError } from '../../runtime/errors.js';
import { onnxModel } from '../../runtime/export/onnx.js';
import { tfjsGraphModel } from '../../runtime/export/tfjs-graph.js';
import type { TracedGraph } from '../../runtime/export/trace.js';
import { MODEL_JSON, MODULE_FILE, readModel } from '../../runtime/train/export.js';
import { useCpu } from '../train/cpu.js';
import { captureOutput } from '../train/output.js';
import { gnetOutputs, loadElsewhere, makeRun, randomInputs, relativeError, tempDir } from './helpers.js';

await useCpu();

for (const [file, network, budget] of [
  ['specs/reference.gnet', undefined, 'budget params <= 6 442 fails'],
  ['specs/gauss-unet.gnet', 'GaussUNet', 'budget params <= 30 000 fails'],
] as const) {
  test(`export --format deployed works on ${file}, whose budgets hold for the trained network only`, async () => {
    const dir = await makeRun(file, network);
    const out = join(tempDir('export'), 'deployed');
    const printed = await captureOutput(() => exportRun(dir, { format: 'deployed', out, backend: 'cpu' }));
    assert.is(printed.code, 0, printed.stderr);
    assert.match(printed.stderr, /gnet: note: the spec's budgets describe the network as trained; deployed \(gauss layers frozen into convolutions\) it has [\d ]+ parameters/);
    assert.ok(printed.stderr.includes(budget), printed.stderr);
    assert.not.ok(readFileSync(join(out, MODULE_FILE), 'utf8').includes('gaussConv2d'));
    const { json, tensors } = readModel(out);
    assert.ok(json.modelTopology.deployed);
    assert.ok(Object.keys(tensors).some((name) => name.endsWith('gauss/kernel')));
  });
}

test('--format tfjs writes what stock TensorFlow.js loads (a graph model), not gnet\'s own format', async () => {
  const dir = await makeRun('specs/reference.gnet');
  const out = join(tempDir('export'), 'tfjs');
  const printed = await captureOutput(() => exportRun(dir, { format: 'tfjs', out, backend: 'cpu' }));
  assert.is(printed.code, 0, printed.stderr);
  assert.match(printed.stderr, /exported Reference \(graph: TensorFlow\.js graph model\)/);
  assert.is(JSON.parse(readFileSync(join(out, MODEL_JSON), 'utf8')).format, 'graph-model');
  const inputs = await randomInputs(dir, 2);
  const error = relativeError(loadElsewhere('load-graph-model.mjs', out, inputs).outputs.probs!, (await gnetOutputs(dir, inputs)).probs!);
  assert.ok(error <= 1e-4, `relative error ${error}`);

  const own = join(tempDir('export'), 'gnet');
  await captureOutput(() => exportRun(dir, { format: 'gnet', out: own, backend: 'cpu' }));
  assert.is(readModel(own).json.format, 'gnet');
});

test('export --help names every format honestly and says the layout', () => {
  const program = new Command('gnet');
  addTrainingCommands(program, async () => {});
  const help = program.commands.find((c) => c.name() === 'export')!.helpInformation().replace(/\s+/g, ' ');
  assert.not.ok(help.includes('in the TensorFlow.js format'));
  assert.match(help, /gnet: the run's own model \(model\.json \+ weights\.bin \+ model\.ts, loaded with gnet's runtime\)/);
  assert.match(help, /graph \(alias tfjs\): a TensorFlow\.js graph model for tf\.loadGraphModel/);
  assert.match(help, /onnx: model\.onnx/);
  assert.match(help, /NHWC/);
  assert.match(help, /choices: "gnet", "deployed", "graph", "onnx", "tfjs"/);
});

test('an op a format cannot express is a coded error naming the block and the format that works', () => {
  const graph: TracedGraph = {
    network: 'Odd',
    values: [
      { id: 0, shape: [-1, 4], dtype: 'float32', source: { kind: 'input', name: 'x' } },
      { id: 1, shape: [-1, 4], dtype: 'float32', source: { kind: 'op', op: 0, index: 0 } },
    ],
    ops: [{ id: 0, kernel: 'Cumsum', block: 'y.cumsum', inputs: { x: 0 }, attrs: { axis: 1 }, outputs: [1] }],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 1 }],
  };
  for (const write of [() => tfjsGraphModel(graph, {}), () => onnxModel(graph, {})]) {
    try {
      write();
      assert.unreachable('the export should fail');
    } catch (error) {
      assert.instance(error, GnetError);
      assert.is((error as GnetError).code, 'GN0861');
      assert.match((error as Error).message, /block y\.cumsum runs Cumsum, which gnet cannot write as (a TensorFlow\.js graph|an ONNX) op; export this network with --format deployed/);
    }
  }
});

test.run();
