/**
 * `gnet compile --target torch`: a module per network plus the gnet_torch package, the same bytes on
 * every run, --param reaching META, nothing written on errors; the module's source map points at its
 * statements, and the modules import and run under /usr/bin/python3 (also when compiled by the bundle).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runCompile as run } from '../codegen/helpers.js';
import { runPython, torchMissing } from './helpers.js';

const FIXTURE = join(REPO, 'test/codegen/fixtures/blocks.gnet');
const PACKAGE_FILES = ['__init__.py', 'gauss.py', 'harness.py', 'init.py', 'layers.py', 'rng.py', 'tensorfile.py', 'weights.py'];

const scratch = () => mkdtempSync(join(tmpdir(), 'gnet-compile-torch-'));
/** The network modules (gnet compile writes no trainer: `gnet job` prepares one that travels). */
const pyFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.py')).sort();

test('writes DIR/<network>.py for every network and the gnet_torch package, the same bytes every time', async () => {
  const [first, second] = [join(scratch(), 'gen'), join(scratch(), 'gen')];
  const result = await run(FIXTURE, { out: first, target: 'torch' });
  assert.is(result.code, 0, result.err);
  assert.equal(pyFiles(first), ['Classifier.py', 'Segmenter.py', 'Twins.py']);
  assert.ok(readdirSync(join(first, 'gnet_torch')).includes('__init__.py'));
  for (const file of PACKAGE_FILES) assert.ok(existsSync(join(first, 'gnet_torch', file)), file);
  assert.not.ok(readdirSync(join(first, 'gnet_torch')).includes('__pycache__'));
  assert.match(result.out, 'Twins.py');
  assert.match(result.out, 'gnet_torch');
  assert.is((await run(FIXTURE, { out: second, target: 'torch' })).code, 0);
  for (const file of pyFiles(first)) assert.is(readFileSync(join(second, file), 'utf8'), readFileSync(join(first, file), 'utf8'), file);
  const segmenter = readFileSync(join(first, 'Segmenter.py'), 'utf8');
  assert.match(segmenter, 'class Segmenter(torch.nn.Module):');
  assert.match(segmenter, 'self.e1_gauss = gt.Gauss(3, 4, (5, 5)');
  // The source map names the line of each node's statement.
  const lines = segmenter.split('\n');
  for (const [, line, node] of segmenter.matchAll(/\{'generatedLine': (\d+), 'node': '([^']+)'/g)) {
    assert.match(lines[Number(line) - 1]!, new RegExp(`^        ${node!.replace(/\./g, '_')}(_\\d+)? = `), `line ${line} computes ${node}`);
  }
  rmSync(first, { recursive: true });
  rmSync(second, { recursive: true });
});

test('--network and --param reach the module; errors write nothing', async () => {
  const out = scratch();
  const result = await run(FIXTURE, { out, network: 'Segmenter', param: new Map([['classes', 7]]), target: 'torch' });
  assert.is(result.code, 0, result.err);
  assert.equal(pyFiles(out), ['Segmenter.py']);
  assert.match(readFileSync(join(out, 'Segmenter.py'), 'utf8'), "{'name': 'mask', 'shape': [30, 30, 7], 'activation': 'softmax'}");
  const dir = scratch();
  const bad = join(dir, 'bad.gnet');
  writeFileSync(bad, 'network B { input x: 9 x 9 x 1\n output o = x -> maxpool(2) }');
  const failed = await run(bad, { out: join(dir, 'gen'), target: 'torch' });
  assert.is(failed.code, 1);
  assert.match(failed.err, 'GN0304');
  assert.equal(readdirSync(dir), ['bad.gnet']);
  rmSync(out, { recursive: true });
  rmSync(dir, { recursive: true });
});

const RUNS = String.raw`
import sys, torch
from gnet_torch import load_module, constrain, named_outputs
for path in sys.argv[1:]:
    Net, META = load_module(path)
    model = Net(0)
    inputs = {i['name']: torch.rand(2, *([i['shape'][2], i['shape'][0], i['shape'][1]] if len(i['shape']) == 3 else i['shape'])) for i in META['inputs']}
    outputs = named_outputs(META, model(inputs))
    for o in META['outputs']:
        s = o['shape']
        assert list(outputs[o['name']].shape) == [2] + ([s[2], s[0], s[1]] if len(s) == 3 else s), (path, o['name'])
    constrain(model)
    print(META['class'], 'ok')
`;

const missing = torchMissing();
(missing ? test.skip : test)('the modules import and run (compiled by the source and, when built, by the dist bundle)', () => {
  const out = scratch();
  const bundle = join(REPO, 'bin/gnet.js');
  if (existsSync(join(REPO, 'dist/cli.js'))) {
    execFileSync(process.execPath, [bundle, 'compile', FIXTURE, '--target', 'torch', '--out', out], { cwd: REPO, encoding: 'utf8' });
  } else {
    console.log('  dist/ not built: compiling through the sources instead (npm run build)');
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'cli/main.ts'), 'compile', FIXTURE, '--target', 'torch', '--out', out], { cwd: REPO, encoding: 'utf8' });
  }
  const printed = runPython(out, RUNS, pyFiles(out).map((f) => join(out, f)));
  assert.equal(printed.trim().split('\n'), ['Classifier ok', 'Segmenter ok', 'Twins ok']);
  rmSync(out, { recursive: true });
});
if (missing) console.log(`  skipped the Python run: ${missing}`);

test.run();
