/** docs/language.md documents every key and name the train section accepts. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_SOURCE_FORMS } from '../../runtime/data/source.js';
import { LOSSES, METRICS, OPTIMIZERS, SCHEDULES, SETTING_NAMES } from '../../runtime/train/config.js';

const language = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
const section = language.slice(language.indexOf('## The train section'), language.indexOf('## Built-in blocks'));

test('every train key, loss, optimiser, schedule, metric and data source is documented', () => {
  assert.ok(section.length > 0, 'docs/language.md has a "## The train section"');
  const names = [...SETTING_NAMES, ...LOSSES, ...Object.keys(OPTIMIZERS), ...SCHEDULES, ...METRICS];
  for (const name of names) assert.ok(section.includes('`' + name) || section.includes(' ' + name + '('), `${name} is documented`);
  for (const form of DATA_SOURCE_FORMS) assert.ok(section.includes(form.split(/[:[]/)[0]!), `${form} is documented`);
});

test.run();
