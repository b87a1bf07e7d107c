/** Mistakes that used to pass `gnet check` and fail only later, now caught when the spec is checked. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileProgram, compileSource } from '../../compiler/program.js';

const messages = (src: string) => compileSource(src, 'main.gnet').diagnostics.map((d) => `${d.code} ${d.message}`);
const NET = (pipeline: string, train = '') => `network N {\n  input x: 8 x 8 x 1\n  output o = x -> ${pipeline}\n${train}\n}\n`;

test('dropout(1) is rejected (the rate must be below 1); 0 and 0.99 are fine', () => {
  assert.equal(messages(NET('dropout(1)')), ['GN0107 `rate` of `dropout` must be below 1, got 1']);
  assert.equal(messages(NET('dropout(rate = 1.5)')), ['GN0107 `rate` of `dropout` must be below 1, got 1.5']);
  assert.equal(messages(NET('dropout(0)')), []);
  assert.equal(messages(NET('dropout(0.99)')), []);
});

test('a loss term on an output the network does not have is an error at its name', () => {
  const src = NET('conv(2, 1) -> softmax', '  train {\n    loss = [crossentropy, crossentropy(on = "aux", weight = 0.3)]\n  }');
  const p = compileSource(src, 'main.gnet');
  assert.equal(p.diagnostics.map((d) => `${d.code} ${d.message}`), ['GN0701 the loss term trains output `aux`, and the network has no such output']);
  assert.is(src.slice(p.diagnostics[0]!.primary.span.start, p.diagnostics[0]!.primary.span.end), '"aux"');
  assert.match(messages(NET('relu', '  train { loss = dice(on = "0") }'))[0]!, 'GN0701');
  // The section may come before the output it names; a close name is suggested.
  const early = `network N {\n  input x: 8 x 8 x 1\n  train { loss = [crossentropy(on = "mask"), crossentropy(on = "axu", weight = 0.3)] }\n  output mask = x -> relu\n  output aux = x -> relu\n}`;
  assert.equal(messages(early), ['GN0701 the loss term trains output `axu`, and the network has no such output']);
  assert.is(compileSource(early, 'main.gnet').diagnostics[0]!.help, 'did you mean `aux`?');
});

test('importing a file that is not a .gnet spec is refused unread: one clear error, no echo of its lines', () => {
  let read = 0;
  const files = { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', 'blocks': 'block a { relu }' };
  const src = 'import "/etc/passwd"\nimport { a } from "./blocks"\nnetwork N {\n  input x: 8 x 8 x 1\n  output o = x -> a\n}\n';
  const all = new Map(Object.entries({ ...files, '/main.gnet': src }));
  const p = compileProgram('/main.gnet', { readFile: (path) => (path === '/main.gnet' ? src : (read++, all.get(path))) });
  assert.equal(p.diagnostics.map((d) => `${d.code} ${d.message}`), [
    'GN0604 `/etc/passwd` is not a .gnet spec; only .gnet files can be imported',
    'GN0604 `./blocks` is not a .gnet spec; only .gnet files can be imported',
  ]);
  assert.is(read, 0);
  assert.is(p.diagnostics[1]!.help, 'did you mean `./blocks.gnet`?');
  assert.equal([...p.sources.keys()], ['/main.gnet']);
});

test.run();
