/** `experiment { … }` sections: syntax, every check with its span, and the plain data `experimentsOf` gives. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUTO_ORDER } from '../../backends/index.js';
import { compileSource, experimentsOf, type Diagnostic } from '../../compiler/index.js';
import { EXPERIMENT_BACKENDS, EXPERIMENT_METRICS, TRAIN_KEYS } from '../../compiler/experiment/index.js';
import { SETTING_NAMES } from '../../runtime/train/config.js';
import { WATCHABLE } from '../../runtime/train/watch.js';

const NETS = `network Small {
  input image: 28 x 28 x 1
  output logits = image -> conv(8) -> relu -> global_avgpool -> dense(10)
  train {
    data = "fashion-mnist"
    epochs = 2
  }
}

network Wide {
  input image: 28 x 28 x 1
  output logits = image -> conv(16) -> relu -> global_avgpool -> dense(10)
}
`;

const compile = (section: string, files: Record<string, string> = {}) => {
  const text = `${NETS}\n${section}\n`;
  const program = compileSource(text, 'main.gnet', files);
  return { program, text, experiments: experimentsOf(program) };
};

/** Each diagnostic as `code text-under-the-span`, and its help. */
const found = (section: string) => {
  const { program, text } = compile(section);
  return program.diagnostics.map((d: Diagnostic) => ({ code: d.code, at: text.slice(d.primary.span.start, d.primary.span.end), help: d.help, message: d.message }));
};

const only = (section: string) => {
  const ds = found(section);
  assert.is(ds.length, 1, JSON.stringify(ds));
  return ds[0]!;
};

test('a full section becomes plain data; train keys are kept as the train section gives them', () => {
  const { program, experiments } = compile(`/// Table 1 of the paper.
experiment Table1 {
  networks = [Small, Wide]
  data = "fashion-mnist"
  train_sizes = [1000, 5000, all]
  seeds = 3
  metric = accuracy
  jobs = 2
  backend = wasm
  workers = 1
  out = "runs/table1"
  epochs = 2 * 10
  batch = 32
  schedule = cosine_paper(alpha = 0.1)
  metrics = [accuracy, miou]
  augment = true
}`);
  assert.equal(program.diagnostics, []);
  assert.is(experiments.length, 1);
  const { span, file, networkFiles, ...data } = experiments[0]!;
  assert.ok(file.endsWith('main.gnet'));
  assert.equal(networkFiles, { Small: file, Wide: file });
  assert.ok(span.end > span.start);
  assert.equal(data, {
    name: 'Table1',
    networks: ['Small', 'Wide'],
    data: 'fashion-mnist',
    trainSizes: [1000, 5000, 'all'],
    seeds: 3,
    metric: 'accuracy',
    jobs: 2,
    backend: 'wasm',
    workers: 1,
    out: 'runs/table1',
    trainOverrides: { epochs: 20, batch: 32, schedule: { name: 'cosine_paper', alpha: 0.1 }, metrics: ['accuracy', 'miou'], augment: true },
  });
});

test('keys left out stay absent; one value stands for a list of one; the name is optional', () => {
  const { program, experiments } = compile('experiment { networks = Wide\n train_sizes = all }');
  assert.equal(program.diagnostics, []);
  assert.equal(experiments.map(({ span, file, networkFiles, ...e }) => e), [{ name: '', networks: ['Wide'], trainSizes: ['all'], trainOverrides: {} }]);
});

test('several experiments per file, in file order', () => {
  const { program, experiments } = compile('experiment Quick { seeds = 1 }\nexperiment Full { seeds = 5 }');
  assert.equal(program.diagnostics, []);
  assert.equal(experiments.map((e) => [e.name, e.seeds]), [['Quick', 1], ['Full', 5]]);
});

test('a network name that the file does not declare: GN0723 at the name, with a suggestion', () => {
  const d = only('experiment T { networks = [Small, Wdie] }');
  assert.equal([d.code, d.at, d.help], ['GN0723', 'Wdie', 'did you mean `Wide`?']);
  const far = only('experiment T { networks = [ResNet] }');
  assert.equal([far.code, far.at, far.help], ['GN0723', 'ResNet', 'networks here: Small, Wide']);
  assert.equal(compile('experiment T { networks = [Small, Wdie] }').experiments[0]!.networks, undefined);
});

test('networks of other files: named in an import (alone or with blocks) or brought by a whole-file import', () => {
  const files = {
    'zoo/nets.gnet': 'block unit(c) { conv(c) -> relu }\nnetwork Other {\n  input x: 8 x 8 x 1\n  output o = x -> unit(4)\n}\nnetwork Third {\n  input x: 8 x 8 x 1\n  output o = x -> relu\n}\n',
  };
  const named = compileSource(`import { unit, Other } from "./zoo/nets.gnet"\n${NETS}\nexperiment { networks = [Small, Other] }\n`, 'main.gnet', files);
  assert.equal(named.diagnostics, []);
  const [x] = experimentsOf(named);
  assert.equal(x!.networks, ['Small', 'Other']);
  assert.ok(x!.networkFiles!.Small!.endsWith('main.gnet'));
  assert.ok(x!.networkFiles!.Other!.endsWith('zoo/nets.gnet'));
  // Only the named ones: Third was not imported.
  const notNamed = compileSource(`import { Other } from "./zoo/nets.gnet"\n${NETS}\nexperiment { networks = [Thrid] }\n`, 'main.gnet', files);
  assert.equal(notNamed.diagnostics.map((d) => d.code), ['GN0723']);
  assert.not.match(notNamed.diagnostics[0]!.help!, 'Third');
  const whole = compileSource(`import "./zoo/nets.gnet"\n${NETS}\nexperiment { networks = [Third, Wide] }\n`, 'main.gnet', files);
  assert.equal(whole.diagnostics, []);
  assert.ok(experimentsOf(whole)[0]!.networkFiles!.Third!.endsWith('zoo/nets.gnet'));
  // An imported network is no block: a pipeline calling it is an unknown block.
  const called = compileSource(`import { Other } from "./zoo/nets.gnet"\nnetwork N {\n  input x: 8 x 8 x 1\n  output o = x -> Other\n}\n`, 'main.gnet', files);
  assert.equal(called.diagnostics.map((d) => d.code), ['GN0101']);
});

test('an unknown key: GN0721 with the nearest experiment or train key', () => {
  for (const [key, near] of [['seed_count', undefined], ['sedes', 'seeds'], ['bacth', 'batch'], ['netwroks', 'networks'], ['train_size', undefined], ['seed', undefined]] as const) {
    const d = only(`experiment T { ${key} = 3 }`);
    assert.is(d.code, 'GN0721', key);
    assert.is(d.at, key);
    if (near) assert.is(d.help, `did you mean \`${near}\`?`);
    else assert.ok(d.help && d.help.length > 10, `${key}: ${d.help}`);
  }
  assert.match(only('experiment T { seed = 3 }').help!, /seeds/);
  assert.match(only('experiment T { train_size = 300 }').help!, /train_sizes/);
});

test('wrong value types: GN0722 at the value', () => {
  const cases: [string, string][] = [
    ['seeds = "3"', '"3"'],
    ['networks = ["Small"]', '"Small"'],
    ['data = 5', '5'],
    ['out = runs', 'runs'],
    ['jobs = [2]', '[2]'],
    ['train_sizes = [1000, everything]', 'everything'],
    ['metric = acuracy', 'acuracy'],
    ['backend = gpu', 'gpu'],
    ['augment = 1', '1'],
    ['epochs = fast', 'fast'],
    ['weight_decay = "a lot"', '"a lot"'],
  ];
  expectEach('GN0722', cases);
  assert.is(only('experiment T { metric = acuracy }').help, 'did you mean `accuracy`?');
  assert.is(only('experiment T { networks = ["Small"] }').help, 'write the name without quotes: `Small`');
  assert.is(only('experiment T { train_sizes = [alll] }').help, 'did you mean `all`?');
});

test('seeds, sizes, jobs and workers out of range: GN0724; an empty list too', () => {
  const cases: [string, string][] = [
    ['seeds = 0', '0'],
    ['seeds = -2', '-2'],
    ['seeds = 2.5', '2.5'],
    ['jobs = 0', '0'],
    ['workers = -1', '-1'],
    ['train_sizes = []', '[]'],
    ['networks = []', '[]'],
    ['train_sizes = [1000, 0]', '0'],
    ['train_sizes = [-5]', '-5'],
    ['train_sizes = [1.5]', '1.5'],
    ['epochs = 0', '0'],
    ['batch = 3.5', '3.5'],
  ];
  expectEach('GN0724', cases);
});

test('a key set twice, a network or size listed twice: GN0725 at the repeat, pointing at the first', () => {
  const { program, text } = compile('experiment T {\n  epochs = 2\n  epochs = 3\n}');
  const [d] = program.diagnostics;
  assert.is(d!.code, 'GN0725');
  assert.is(text.slice(d!.primary.span.start, d!.primary.span.end), 'epochs');
  assert.ok(d!.primary.span.start > text.indexOf('epochs = 2'));
  assert.is(text.slice(d!.secondary![0]!.span.start, d!.secondary![0]!.span.end), 'epochs');
  assert.equal(found('experiment T { networks = [Small, Small] }').map((x) => [x.code, x.at]), [['GN0725', 'Small']]);
  assert.equal(found('experiment T { train_sizes = [all, 100, all] }').map((x) => [x.code, x.at]), [['GN0725', 'all']]);
});

test('two experiments of one name, or two without one: GN0211 at the second', () => {
  assert.equal(found('experiment T { seeds = 1 }\nexperiment T { seeds = 2 }').map((d) => [d.code, d.at]), [['GN0211', 'T']]);
  assert.equal(found('experiment { seeds = 1 }\nexperiment { seeds = 2 }').map((d) => [d.code, d.at]), [['GN0211', 'experiment']]);
});

test('every problem of a section is reported at once', () => {
  const codes = found('experiment T {\n networks = [Smal]\n seeds = 0\n metric = acc\n bacth = 3\n epochs = 1\n epochs = 2\n}').map((d) => d.code);
  assert.equal(codes, ['GN0723', 'GN0724', 'GN0722', 'GN0721', 'GN0725']);
});

test('a syntax error inside a section is one GN0003; the section is left out, the networks still compile', () => {
  const { program, experiments } = compile('experiment T {\n  seeds = = 3\n  epochs = 2\n}');
  assert.equal(program.diagnostics.map((d) => d.code), ['GN0003']);
  assert.equal(experiments, []);
  assert.is(program.graphs.length, 2);
});

test('`experiment` is a top-level item: networks and blocks around it compile as before', () => {
  const { program } = compile('block unit(c) { conv(c) -> relu }\nexperiment { seeds = 2 }\nnetwork Third {\n  input x: 8 x 8 x 1\n  output o = x -> unit(4)\n}');
  assert.equal(program.diagnostics, []);
  assert.equal(program.networks, ['Small', 'Wide', 'Third']);
});

test('the lists of train keys, metrics and backends are the runtime\'s', () => {
  assert.equal(Object.keys(TRAIN_KEYS).sort(), [...SETTING_NAMES].sort());
  assert.equal([...EXPERIMENT_METRICS].sort(), [...WATCHABLE].sort());
  assert.equal([...EXPERIMENT_BACKENDS].sort(), ['auto', ...AUTO_ORDER].sort());
});

/** Each `[entry, at]`: the entry alone in a section gives one diagnostic of `code` at the text `at`. */
function expectEach(code: string, cases: readonly (readonly [string, string])[]): void {
  for (const [entry, at] of cases) {
    const d = only(`experiment T { ${entry} }`);
    assert.equal([d.code, d.at], [code, at], entry);
  }
}

test.run();
