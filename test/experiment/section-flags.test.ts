/** An experiment section as `gnet experiment` flags: the same training as the train section gives, flags over the section, the section picked by name. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sectionFlags, trainFlags, withSection } from '../../cli/commands/experiment-section.js';
import { compileSource, experimentsOf, type Experiment } from '../../compiler/index.js';
import { GnetError } from '../../runtime/errors.js';
import { requestFromFlags } from '../../runtime/experiment/request.js';
import { resolveConfig } from '../../runtime/train/config.js';

const NET = `network Net {
  input image: 12 x 12 x 1
  output scores = image -> conv(4) -> relu -> global_avgpool -> dense(3) -> softmax
}
`;

const sectionOf = (body: string, name = 'T'): Experiment => {
  const program = compileSource(`${NET}\nexperiment ${name} {\n${body}\n}\n`, 'main.gnet');
  assert.equal(program.diagnostics.map((d) => d.message), []);
  return experimentsOf(program)[0]!;
};

const dir = mkdtempSync(join(tmpdir(), 'gnet-exp-section-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('train keys as flags train exactly as the same keys in a train section', () => {
  const bodies = [
    'epochs = 3\n batch = 16',
    'schedule = cosine_paper(alpha = 0.1, steps = 500)\n optimizer = sgd(lr = 0.1)',
    'optimizer = rmsprop',
    'loss = [crossentropy, dice(weight = 0.5, smooth = 2)]\n metrics = [accuracy, miou]',
    'loss = crossentropy(on = "scores", weight = 2)',
    'augment = true\n weight_decay = 0.0005\n clip_norm = 5\n clip_value = 0.5',
    'validation_split = 0.1\n checkpoint_every = 20\n keep_checkpoints = 3\n keep_best = loss\n early_stop = 4\n min_delta = 0.001',
    'schedule = step(every = 5, factor = 0.5)\n augment = false',
  ];
  for (const body of bodies) {
    const { trainOverrides } = sectionOf(body);
    const viaSection = resolveConfig({ ...trainOverrides, data: 'mnist:x' }, {}, 'Net');
    const viaFlags = resolveConfig({ data: 'mnist:x' }, trainFlags(trainOverrides), 'Net');
    assert.equal(viaFlags, viaSection, body);
  }
  assert.equal(trainFlags(sectionOf('schedule = cosine(alpha = 0.1)\n metrics = [accuracy, miou]\n optimizer = adam(lr = 0.01)').trainOverrides), {
    schedule: 'cosine(alpha = 0.1)', metrics: 'accuracy, miou', optimizer: 'adam', lr: 0.01,
  });
});

test('optimizer arguments without a flag are refused with a way out', () => {
  try {
    trainFlags(sectionOf('optimizer = sgd(lr = 0.1, momentum = 0.9)').trainOverrides, 'T');
    assert.unreachable('refused');
  } catch (e) {
    assert.instance(e, GnetError);
    assert.match((e as Error).message, 'momentum');
    assert.match((e as Error).message, "networks' train sections");
  }
});

test('a section as flags, and the request the command builds from them', () => {
  const x = sectionOf('networks = [Net]\n data = "mnist:/d"\n train_sizes = [all, 100]\n seeds = 2\n metric = accuracy\n jobs = 3\n backend = cpu\n workers = 2\n out = "runs/t"\n epochs = 4');
  const flags = sectionFlags(x);
  assert.equal(flags, { epochs: 4, networks: 'Net', trainSize: 'all,100', data: 'mnist:/d', seeds: 2, metric: 'accuracy', jobs: 3, backend: 'cpu', workers: 2, out: 'runs/t' });
  const request = requestFromFlags(['main.gnet'], flags);
  assert.equal([request.networks, request.trainSizes, request.seeds, request.jobs, request.backend, request.workers, request.metric, request.out, request.data], [['Net'], [100, 'all'], 2, 3, 'cpu', 2, 'accuracy', 'runs/t', 'mnist:/d']);
  assert.equal(request.train, { epochs: 4 });
  assert.equal(sectionFlags(sectionOf('seeds = 1')), { seeds: 1 });
});

test('withSection: the only section, under the flags; the flags alone when the files hold none', () => {
  const spec = write('one.gnet', `${NET}\nexperiment Only {\n  seeds = 2\n  epochs = 4\n  jobs = 2\n}\n`);
  const r = withSection([spec], { seeds: '5', out: 'o', experiment: undefined })!;
  assert.equal(r, { files: [spec], flags: { seeds: '5', out: 'o' }, fromSpec: { seeds: 2, epochs: 4, jobs: 2 } });
  const request = requestFromFlags(r.files, r.flags, r.fromSpec);
  assert.equal([request.seeds, request.jobs, request.train, request.out], [5, 2, { epochs: 4 }, 'o']);
  const plain = write('plain.gnet', NET);
  assert.equal(withSection([plain], { out: 'o', epochs: 2, experiment: undefined }), { files: [plain], flags: { out: 'o', epochs: 2 }, fromSpec: {} });
});

test('withSection: --experiment picks by name; several without it, or an unknown name, are refused', () => {
  const spec = write('two.gnet', `${NET}\nexperiment Quick {\n  seeds = 1\n}\nexperiment Full {\n  seeds = 5\n}\n`);
  assert.equal(withSection([spec], { experiment: 'Full', out: 'o' })?.fromSpec, { seeds: 5 });
  const refused = (flags: Parameters<typeof withSection>[1], files = [spec]): string => {
    try {
      withSection(files, flags);
    } catch (e) {
      assert.instance(e, GnetError);
      return `${(e as GnetError).code} ${(e as Error).message}`;
    }
    throw new Error('not refused');
  };
  assert.match(refused({ out: 'o' }), /GN1005 .*2 experiments \(Quick, Full\); pick one with --experiment NAME/);
  assert.match(refused({ experiment: 'Fll', out: 'o' }), /GN1005.*no experiment Fll in .*; did you mean Full\? experiments there: Quick, Full/);
  assert.match(refused({ experiment: 'Any', out: 'o' }, [write('none.gnet', NET)]), /no experiment section/);
});

test('withSection: networks imported from another file bring that file; a section with errors is refused', () => {
  write('zoo.gnet', 'network Zebra {\n  input x: 12 x 12 x 1\n  output o = x -> global_avgpool -> dense(3) -> softmax\n}\n');
  const spec = write('table.gnet', `import { Zebra } from "./zoo.gnet"\n${NET}\nexperiment {\n  networks = [Net, Zebra]\n}\n`);
  const r = withSection([spec], { out: 'o' })!;
  assert.equal(r.files.map((f) => resolve(f)), [spec, join(dir, 'zoo.gnet')]);
  assert.equal(r.fromSpec, { networks: 'Net,Zebra' });
  const bad = write('bad.gnet', `${NET}\nexperiment {\n  networks = [Nte]\n}\n`);
  const stderr = process.stderr.write;
  let printed = '';
  process.stderr.write = ((s: string) => ((printed += s), true)) as typeof process.stderr.write;
  try {
    assert.is(withSection([bad], { out: 'o' }), undefined);
  } finally {
    process.stderr.write = stderr;
  }
  assert.match(printed, 'error[GN0723]');
  assert.match(printed, 'did you mean `Net`?');
});

test.run();
