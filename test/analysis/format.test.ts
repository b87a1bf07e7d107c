import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatPercent, formatShape, formatSI, groupDigits } from '../../compiler/analysis/format.js';

test('digit grouping, decimal and binary prefixes, shapes and shares', () => {
  const cases: [string, string][] = [
    [groupDigits(41_210), '41 210'],
    [groupDigits(138_357_544), '138 357 544'],
    [groupDigits(999), '999'],
    [groupDigits(-1234), '-1 234'],
    [groupDigits(7.5), '7.5'],
    [groupDigits(-0.25), '-0.25'],
    [formatSI(999), '999'],
    [formatSI(307_200), '307 k'],
    [formatSI(15_470_264_320), '15.5 G'],
    [formatBytes(1000), '1 000 B'],
    [formatBytes(774_144), '756 KiB'],
    [formatBytes(2 * 1024 ** 3), '2 GiB'],
    [formatBytes(1.5 * 1024 ** 2), '1.5 MiB'],
    [formatShape([28, 28, 6]), '28×28×6'],
    [formatShape(null), '?'],
    [formatPercent(41_210, 30_000), '137 %'],
    [formatPercent(16, 2_700), '0.6 %'],
    [formatPercent(1, 0), '—'],
  ];
  for (const [actual, expected] of cases) assert.is(actual, expected);
});

test.run();
