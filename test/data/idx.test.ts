import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { decodeIdx, readIdxFile } from '../../runtime/data/idx.js';
import { encodeIdx, tempDir, throwsGnet, writeFile } from './helpers.js';

const images = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => (i * 37) % 256);

test('plain ubyte idx3: dims and bytes', () => {
  const idx = decodeIdx(encodeIdx('ubyte', [3, 4, 5], images), 'images');
  assert.is(idx.dtype, 'ubyte');
  assert.equal(idx.dims, [3, 4, 5]);
  assert.equal([...idx.data], [...images]);
});

test('gzip is recognised by its magic bytes, whatever the file is called', () => {
  const dir = tempDir('idx');
  const plain = encodeIdx('ubyte', [3, 4, 5], images);
  const zipped = writeFile(join(dir, 'no-extension'), gzipSync(plain));
  const named = writeFile(join(dir, 'images.gz'), gzipSync(plain));
  for (const path of [zipped, named]) {
    const idx = readIdxFile(path);
    assert.equal(idx.dims, [3, 4, 5]);
    assert.equal([...idx.data], [...images]);
  }
});

test('multi-byte element types are read big-endian with their sign', () => {
  const cases = [
    ['sbyte', [-128, -1, 0, 127]],
    ['short', [-32768, -2, 258, 32767]],
    ['int', [-2147483648, -3, 65536 + 7, 2147483647]],
    ['float', [-1.5, 0, 0.25, 2 ** 40]],
    ['double', [-1e-300, Math.PI, 0, 1e300]],
  ] as const;
  for (const [dtype, values] of cases) {
    const idx = decodeIdx(encodeIdx(dtype, [2, 2], values), dtype);
    assert.is(idx.dtype, dtype);
    assert.equal(idx.dims, [2, 2]);
    assert.equal([...idx.data], [...values], dtype);
  }
});

test('missing file: GN7001 naming the path', () => {
  const path = join(tempDir('idx'), 'absent-idx1-ubyte');
  throwsGnet(() => readIdxFile(path), DATA_ERRORS.missingFile, path);
});

test('truncated data, truncated header, trailing bytes: GN7002 saying what is wrong', () => {
  const whole = encodeIdx('ubyte', [3, 4, 5], images);
  throwsGnet(() => decodeIdx(whole.subarray(0, whole.length - 1), 'f'), DATA_ERRORS.corruptFile, 'f', 'truncated', '60 data bytes, found 59');
  throwsGnet(() => decodeIdx(whole.subarray(0, 10), 'f'), DATA_ERRORS.corruptFile, 'truncated header');
  throwsGnet(() => decodeIdx(whole.subarray(0, 2), 'f'), DATA_ERRORS.corruptFile, 'magic');
  throwsGnet(() => decodeIdx(Uint8Array.from([...whole, 0, 0]), 'f'), DATA_ERRORS.corruptFile, '2 bytes after');
  const zipped = gzipSync(whole.subarray(0, 30));
  throwsGnet(() => decodeIdx(zipped, 'f.gz'), DATA_ERRORS.corruptFile, 'f.gz', 'truncated');
});

test('bad magic, unknown type, zero rank, broken gzip: GN7002', () => {
  const whole = encodeIdx('ubyte', [3, 4, 5], images);
  const edit = (at: number, value: number) => Uint8Array.from(whole, (b, i) => (i === at ? value : b));
  throwsGnet(() => decodeIdx(edit(0, 1), 'f'), DATA_ERRORS.corruptFile, 'two zero bytes');
  throwsGnet(() => decodeIdx(edit(2, 0x0a), 'f'), DATA_ERRORS.corruptFile, 'element type 0x0a');
  throwsGnet(() => decodeIdx(edit(3, 0), 'f'), DATA_ERRORS.corruptFile, 'zero dimensions');
  const zipped = gzipSync(whole);
  const broken = Uint8Array.from(zipped, (b, i) => (i > 12 && i < 30 ? b ^ 0x5a : b));
  throwsGnet(() => decodeIdx(broken, 'broken.gz'), DATA_ERRORS.corruptFile, 'broken.gz', 'gzip');
});

test.run();
