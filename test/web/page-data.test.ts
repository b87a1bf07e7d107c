/**
 * The playground's data modules in Node (which has File, Blob and DecompressionStream as the
 * browser does): IDX files told apart by name, gzipped or plain, checked by the runtime's IDX code;
 * labels files and their class names; and failures turned into messages placed beside their cause.
 */
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { GnetError } from '../../runtime/errors.js';
import { WEBGPU_CODES } from '../../backends/webgpu/codes.js';
import { idxRole, readIdxFiles, sortIdxFiles } from '../../web/playground/data/idx-files.js';
import { classIndices, parseLabels } from '../../web/playground/data/labels-file.js';
import { describeError } from '../../web/playground/page-errors.js';
import { PAGE_ERRORS } from '../../web/playground/page-codes.js';
import { idxBytes, patternImages } from '../browser/support/data-files.js';
import { gnetErrorOf } from '../gnet-error.js';

const file = (path: string, bytes: Uint8Array | string) => ({ path, file: new File([typeof bytes === 'string' ? bytes : Uint8Array.from(bytes)], path.split('/').pop()!) });

test('IDX roles come from LeCun\'s and Kaggle\'s names, gzipped or not; other names are refused', async () => {
  assert.equal(idxRole('train-images-idx3-ubyte.gz'), { split: 'train', part: 'images' });
  assert.equal(idxRole('data/t10k-labels.idx1-ubyte'), { split: 'test', part: 'labels' });
  assert.is(idxRole('images.bin'), undefined);
  const error = await gnetErrorOf(() => sortIdxFiles([file('train-images-idx3-ubyte', ''), file('notes.txt', '')]));
  assert.is(error.code, DATA_ERRORS.unknownSource);
  assert.match(error.message, /notes\.txt is not one of the MNIST file names/);
  assert.match((await gnetErrorOf(() => sortIdxFiles([file('train-images-idx3-ubyte', '')]))).message, /the training labels file is missing \(train-labels-idx1-ubyte\[\.gz\]\)/);
  const lonely = await gnetErrorOf(() => sortIdxFiles(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'].map((n) => file(n, ''))));
  assert.match(lonely.message, /there are t10k images but no t10k labels file/);
});

test('readIdxFiles: gzipped images and plain labels make the same store as the CLI reads', async () => {
  const { images, labels } = patternImages(12, 28, 10);
  const data = await readIdxFiles([
    file('train-images-idx3-ubyte.gz', gzipSync(idxBytes([12, 28, 28], images))),
    file('train-labels-idx1-ubyte', idxBytes([12], labels)),
  ], 10);
  assert.equal(data.train.imageShape, [28, 28, 1]);
  assert.is(data.train.count, 12);
  assert.equal([...data.train.pixels], [...images]);
  assert.equal([...data.train.labels], [...labels]);
  assert.is(data.test, undefined);
});

test('readIdxFiles: broken gzip, a mismatch in counts and a label beyond the classes each say which file', async () => {
  const { images, labels } = patternImages(12, 28, 10);
  const zipped = gzipSync(idxBytes([12, 28, 28], images));
  const broken = await gnetErrorOf(() => readIdxFiles([file('train-images-idx3-ubyte.gz', zipped.subarray(0, 100)), file('train-labels-idx1-ubyte', idxBytes([12], labels))], 10));
  assert.is(broken.code, DATA_ERRORS.corruptFile);
  assert.match(broken.message, /train-images-idx3-ubyte\.gz starts like gzip but cannot be unpacked/);
  const mismatch = await gnetErrorOf(() => readIdxFiles([file('train-images-idx3-ubyte.gz', zipped), file('train-labels-idx1-ubyte', idxBytes([10], labels.subarray(0, 10)))], 10));
  assert.is(mismatch.code, DATA_ERRORS.countMismatch);
  const beyond = await gnetErrorOf(() => readIdxFiles([file('train-images-idx3-ubyte.gz', zipped), file('train-labels-idx1-ubyte', idxBytes([12], labels))], 5));
  assert.is(beyond.code, DATA_ERRORS.labelOutOfRange);
  assert.match(beyond.message, /label 5 of sample 5 in train-labels-idx1-ubyte is outside 0\.\.4/);
});

test('labels files: a header and comments are skipped; names become classes in sorted order, numbers stay indices', async () => {
  const lines = parseLabels('file,class\n# pets\nb.png, dog\na.png;cat\nc.png\tdog\n', 'labels.csv');
  assert.equal(lines.map((l) => [l.image, l.label, l.line]), [['b.png', 'dog', 3], ['a.png', 'cat', 4], ['c.png', 'dog', 5]]);
  assert.equal(classIndices(lines, undefined, 2, 'labels.csv'), { indices: [1, 0, 1], names: ['cat', 'dog'] });
  assert.equal(classIndices(lines, ['dog', 'cat', 'bird'], 3, 'labels.csv').indices, [0, 1, 0]);
  assert.equal(classIndices(parseLabels('a.png,7\nb.png,2\n', 'l'), undefined, 10, 'l').indices, [7, 2]);
});

test('labels files: unknown class names, too many classes and malformed lines are refused with the line', async () => {
  const lines = parseLabels('a.png,cat\nb.png,zebra\n', 'labels.csv');
  const unknown = await gnetErrorOf(() => classIndices(lines, ['cat', 'dog'], 2, 'labels.csv'));
  assert.is(unknown.code, DATA_ERRORS.labelOutOfRange);
  assert.is(unknown.message, 'GN7004: labels.csv line 2: class “zebra” of b.png is not one of the classes in classes.txt (cat, dog); fix the label or add the class');
  assert.match((await gnetErrorOf(() => classIndices(lines, undefined, 1, 'labels.csv'))).message, /labels\.csv uses 2 classes \(cat, zebra\) but the network has 1/);
  assert.match((await gnetErrorOf(() => classIndices(parseLabels('a.png,12\n', 'l'), undefined, 10, 'l'))).message, /class 12 of a\.png is outside 0\.\.9/);
  assert.match((await gnetErrorOf(() => parseLabels('a.png\n', 'labels.csv'))).message, /labels\.csv line 1 \(“a\.png”\) is not “image,class”/);
});

test('describeError: data errors go beside the picker, memory beside the batch, a lost GPU beside the backend; no raw text', () => {
  assert.equal(describeError(new GnetError(DATA_ERRORS.corruptFile, 'f is bad'), 'wasm'), { message: 'GN7002: f is bad', place: 'data' });
  const lost = describeError(new GnetError(WEBGPU_CODES.deviceLost, 'the GPU device X was lost (reset); gnet train --resume …'), 'webgpu');
  assert.equal([lost.place, lost.offerWasm, lost.freshWorker], ['backend', true, true]);
  assert.not.match(lost.message, /--resume|gnet train/);
  const gpuMemory = describeError(new GnetError(WEBGPU_CODES.outOfMemory, 'allocating 2 GiB on the GPU failed: it is out of memory (1 GiB already allocated by TensorFlow.js); use a smaller batch or input size, or choose --backend wasm'), 'webgpu');
  assert.is(gpuMemory.message, 'GN0913: allocating 2 GiB on the GPU failed: it is out of memory (1 GiB already allocated by TensorFlow.js); reduce the batch or image size, or train on wasm');
  assert.is(gpuMemory.field, 'batch');
  const quiet = console.warn;
  console.warn = () => {};
  try {
    for (const raw of [new WebAssembly.RuntimeError('memory access out of bounds'), new RangeError('Array buffer allocation failed'), new RangeError('Invalid typed array length: 8589934592')]) {
      assert.equal(describeError(raw, 'wasm'), { message: `${PAGE_ERRORS.outOfMemory}: the browser ran out of memory; reduce the batch or image size and train again`, field: 'batch', freshWorker: true });
    }
    const odd = describeError(new Error('Size(4704) must match the product of shape 0,784,6'), 'wasm');
    assert.is(odd.message, `${PAGE_ERRORS.unexpected}: training stopped on an unexpected error in wasm (details in the browser console); train again, or reload the page if it repeats`);
  } finally {
    console.warn = quiet;
  }
});

test.run();
