/**
 * The formatter on every spec the project ships (specs/, specs/examples/, the examples in README.md,
 * docs/ and the diagnostic pages) and on mutated specs: idempotent, and the syntax tree and IR are
 * the same before and after. The committed specs are already formatted.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatSource } from '../../compiler/format/index.js';
import { parseSource } from '../../compiler/syntax/parse.js';
import { pageFiles, readPage } from '../docs/pages.js';
import { mutate, mutation, SEEDS } from '../fuzz/mutate.js';
import { assertFormatsSafely } from './equivalence.js';
import { specFiles } from '../specs/files.js';

const root = new URL('../../', import.meta.url).pathname;


const specs = specFiles();

test('every committed spec is in canonical layout and formats safely', () => {
  assert.ok(specs.length >= 19, `found ${specs.length} specs`);
  for (const spec of specs) {
    const text = readFileSync(join(root, spec), 'utf8');
    const formatted = assertFormatsSafely(text, join(root, spec));
    assert.fixture(formatted, text, `${spec} is not formatted: run gnet fmt --write ${spec}`);
  }
});

test('the gnet examples of README.md and docs/ format safely', () => {
  let count = 0;
  for (const doc of ['README.md', 'docs/language.md', 'docs/blocks.md']) {
    const text = readFileSync(join(root, doc), 'utf8');
    for (const m of text.matchAll(/^```gnet[^\n]*\n([\s\S]*?)^```$/gm)) {
      if (parseSource(m[1]!, 'doc.gnet').diagnostics.length > 0) continue;
      assertFormatsSafely(m[1]!, join(root, 'doc.gnet'));
      count++;
    }
  }
  assert.ok(count >= 2, `only ${count} examples`);
});

test('the examples of the diagnostic pages format safely (those that parse)', () => {
  let count = 0;
  for (const name of pageFiles()) {
    const page = readPage(name);
    for (const example of [page.failing, page.fixed]) {
      if (parseSource(example.main, 'main.gnet').diagnostics.length > 0) continue;
      assertFormatsSafely(example.main, join(root, 'main.gnet'), example.files, example.options);
      count++;
    }
  }
  assert.ok(count > 60, `only ${count} examples`);
});

test('mutated specs that still parse: idempotent, same syntax tree and IR (2 000 cases)', () => {
  let parsed = 0;
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, ms) => {
      const text = mutate(SEEDS[seed]!, ms);
      if (!formatSource(text).ok) return;
      parsed++;
      assertFormatsSafely(text, join(root, 'fuzz.gnet'));
    }),
    { numRuns: 2000, seed: 20261203 },
  );
  assert.ok(parsed > 100, `only ${parsed} mutated specs parsed`);
});

/** Edits that keep a spec parsing but move its layout around: comments, line breaks, spaces, `;`. */
const LAYOUT = ['\n', '\n\n\n', ' ', '\t', '\r\n', '// note\n', ' /* c */ ', '/// doc\n', '\n  // a\n  // b\n'];

test('layout noise (comments, breaks, spaces) between tokens: idempotent, same syntax tree and IR (1 500 cases)', () => {
  let parsed = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: SEEDS.length - 1 }),
      fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), what: fc.nat({ max: LAYOUT.length - 1 }) }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 30, max: 120 }),
      (seed, edits, width) => {
        // Only between tokens: at a space of the seed outside its comments, so no token is split.
        const seedText = SEEDS[seed]!;
        const spaces = [...seedText.matchAll(/ /g)].map((m) => m.index!).filter((i) => !/\/\/[^\n]*$/.test(seedText.slice(0, i)));
        const at = edits.map((e) => ({ at: spaces[Math.floor(e.at * spaces.length)] ?? 0, what: LAYOUT[e.what]! })).sort((a, b) => b.at - a.at);
        let text = seedText;
        for (const e of at) text = text.slice(0, e.at) + e.what + text.slice(e.at);
        const once = formatSource(text, { width });
        if (!once.ok) return;
        parsed++;
        const twice = formatSource(once.text, { width });
        assert.ok(twice.ok);
        assert.fixture(twice.text, once.text, 'not idempotent');
        assertFormatsSafely(text, join(root, 'noise.gnet'));
      },
    ),
    { numRuns: 1500, seed: 12 },
  );
  assert.ok(parsed > 1000, `only ${parsed} noisy specs parsed`);
});

test.run();
