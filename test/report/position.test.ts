import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lineColumn } from '../../compiler/diagnostics/position.js';

test('offsets map to 1-based line and column; out-of-range offsets clamp', () => {
  const text = 'ab\ncde\n\nf';
  const expected: [number, number, number][] = [
    [0, 1, 1],
    [2, 1, 3],
    [3, 2, 1],
    [5, 2, 3],
    [7, 3, 1],
    [8, 4, 1],
    [99, 4, 2],
    [-4, 1, 1],
  ];
  for (const [offset, line, column] of expected) assert.equal(lineColumn(text, offset), { line, column }, `offset ${offset}`);
});

test.run();
