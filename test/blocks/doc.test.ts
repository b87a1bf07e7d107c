/** docs/blocks.md is generated: the committed file must equal what the registry renders now. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { renderBlocksDoc } from '../../compiler/blocks/blocks-doc.js';
import { BLOCKS } from '../../compiler/blocks/index.js';

const committed = readFileSync(new URL('../../docs/blocks.md', import.meta.url), 'utf8');

test('docs/blocks.md is up to date (regenerate: npx tsx scripts/gen-blocks-doc.ts)', () => {
  assert.fixture(committed, renderBlocksDoc(BLOCKS));
});

test('every block and every argument appears in the doc', () => {
  for (const [kind, def] of Object.entries(BLOCKS)) {
    assert.ok(committed.includes(`## ${kind}\n`), kind);
    for (const name of Object.keys(def.args)) assert.ok(committed.includes(`| ${name} |`), `${kind}.${name}`);
  }
});

test.run();
