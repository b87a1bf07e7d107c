/**
 * Settings per training-set size in an experiment section (`epochs = { 1000: 60, all: 10 }`): the
 * checks with their spans (GN0725–GN0729), the plain data, the flags and the request built from them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sectionFlags } from '../../cli/commands/experiment-section.js';
import { compileSource, experimentsOf, type Diagnostic } from '../../compiler/index.js';
import { GnetError } from '../../runtime/errors.js';
import { requestFromFlags } from '../../runtime/experiment/request.js';

const NET = `network Net {
  input image: 12 x 12 x 1
  output scores = image -> conv(4) -> relu -> global_avgpool -> dense(3) -> softmax
}
`;

const compile = (source: string) => {
  const text = `${NET}\n${source}\n`;
  const program = compileSource(text, 'main.gnet');
  return { program, text, experiments: experimentsOf(program) };
};

/** Each diagnostic as [code, text under its span]. */
const found = (source: string) => {
  const { program, text } = compile(source);
  return program.diagnostics.map((d: Diagnostic) => [d.code, text.slice(d.primary.span.start, d.primary.span.end)]);
};

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.instance(e, GnetError);
    return `${(e as GnetError).code} ${(e as Error).message}`;
  }
  throw new Error('not refused');
};

test('a table per size becomes key → size → value, beside the shared overrides', () => {
  const { program, experiments } = compile('experiment T {\n  train_sizes = [100, all]\n  batch = 8\n  epochs = { 100: 30, all: 3 }\n  early_stop = { 100: 5, all: 2 }\n}');
  assert.equal(program.diagnostics, []);
  assert.equal(experiments[0]!.trainOverrides, { batch: 8 });
  assert.equal(experiments[0]!.trainBySize, { epochs: { 100: 30, all: 3 }, early_stop: { 100: 5, all: 2 } });
  // Without train_sizes the sizes are the command line's, checked when the experiment starts.
  assert.equal(compile('experiment T { epochs = { 7: 2 } }').experiments[0]!.trainBySize, { epochs: { 7: 2 } });
});

test('GN0726: a key that cannot vary per size, and a table in a network train section', () => {
  assert.equal(found('experiment T { train_sizes = [100] seeds = { 100: 2 } }'), [['GN0726', '{ 100: 2 }']]);
  assert.equal(found('experiment T { train_sizes = [100] validation_split = { 100: 0.2 } }'), [['GN0726', '{ 100: 0.2 }']]);
  const { program, text } = compile('network Other {\n  input x: 8 x 8 x 1\n  output o = x -> global_avgpool -> dense(2)\n  train { epochs = { 100: 2 } }\n}');
  const [d] = program.diagnostics;
  assert.equal([d!.code, text.slice(d!.primary.span.start, d!.primary.span.end)], ['GN0726', '{ 100: 2 }']);
  assert.match(d!.help!, 'experiment');
});

test('GN0727 a size without its row, GN0728 a row for a size not trained, GN0729 not a size, GN0725 a size twice', () => {
  assert.equal(found('experiment T { train_sizes = [100, all] epochs = { 100: 3 } }'), [['GN0727', '{ 100: 3 }']]);
  // An empty table gives no size its value, with or without train_sizes.
  assert.equal(found('experiment T { epochs = {} }'), [['GN0727', '{}']]);
  const [[code, at]] = found('experiment T { train_sizes = [100, all] epochs = { 100: 3, all: 2, 500: 1 } }') as [string, string][];
  assert.equal([code, at], ['GN0728', '500']);
  // A row whose size cannot be read is not reported again as a size missing.
  assert.equal(found('experiment T { train_sizes = [all] epochs = { al: 3 } }'), [['GN0729', 'al']]);
  assert.equal(found('experiment T { epochs = { 0: 3, 2.5: 1 } }'), [['GN0729', '0'], ['GN0729', '2.5']]);
  assert.equal(found('experiment T { epochs = { 100: 3, 100: 4 } }'), [['GN0725', '100']]);
  // A row's value is checked as the key's value is: epochs is a positive whole number.
  assert.equal(found('experiment T { epochs = { 100: 0 } }'), [['GN0724', '0']]);
});

test('as flags: one row of train flags per size; the request keeps the rows of the sizes trained', () => {
  const x = compile('experiment T {\n  train_sizes = [all, 100]\n  epochs = { 100: 30, all: 3 }\n  min_delta = { 100: 0.01, all: 0 }\n  early_stop = 4\n}').experiments[0]!;
  const flags = sectionFlags(x);
  assert.equal(flags.trainBySize, { 100: { epochs: 30, minDelta: 0.01 }, all: { epochs: 3, minDelta: 0 } });
  const request = requestFromFlags(['main.gnet'], { out: 'o' }, flags);
  assert.equal([request.train, request.trainBySize], [{ earlyStop: 4 }, { 100: { epochs: 30, minDelta: 0.01 }, all: { epochs: 3, minDelta: 0 } }]);
  // --train-size 100 trains one of the sizes: its row stays.
  assert.equal(requestFromFlags(['main.gnet'], { out: 'o', trainSize: '100' }, flags).trainBySize, { 100: { epochs: 30, minDelta: 0.01 } });
  // A flag holds for every size and drops its key from the rows.
  const given = requestFromFlags(['main.gnet'], { out: 'o', epochs: 2 }, flags);
  assert.equal([given.train, given.trainBySize], [{ earlyStop: 4, epochs: 2 }, { 100: { minDelta: 0.01 }, all: { minDelta: 0 } }]);
  assert.equal(requestFromFlags(['main.gnet'], { out: 'o', epochs: 2, minDelta: 0 }, flags).trainBySize, {});
});

test('GN1030: a size from --train-size that the section gives no row', () => {
  const flags = sectionFlags(compile('experiment T { train_sizes = [100, all] epochs = { 100: 30, all: 3 } }').experiments[0]!);
  const message = refusal(() => requestFromFlags(['main.gnet'], { out: 'o', trainSize: '100,500' }, flags));
  assert.match(message, /^GN1030 .*gives epochs per training-set size, but not for size 500; add `500: …`.*--epochs/);
});

test.run();
