/**
 * Any failure of a run in the page as a readable message placed beside what caused it: data
 * problems beside the data picker, out of memory beside the batch size, a lost GPU beside the
 * backend with an offer to train on wasm. Never TensorFlow.js' own text (that goes to the console).
 */
import { GnetError } from '../../runtime/errors.js';
import { WEBGPU_CODES } from '../../backends/webgpu/codes.js';
import { PAGE_ERRORS } from './page-codes.js';
import type { TrainSettings } from './train-protocol.js';


export interface PageError {
  readonly message: string;
  /** The field whose value caused it. */
  readonly field?: keyof TrainSettings;
  /** The part of the page it concerns, when not a field. */
  readonly place?: 'data' | 'backend';
  /** Training again on wasm would get around it. */
  readonly offerWasm?: boolean;
  /** The backend cannot be trusted any more (a failed wasm allocation writes through a null pointer): the page starts a new worker. */
  readonly freshWorker?: boolean;
}

/** Error messages of memory exhaustion: wasm's allocator, V8's typed arrays, WebGPU's buffers. */
// wasm's malloc failing shows up as the write through its null pointer: "memory access out of bounds".
const OUT_OF_MEMORY = /out of memory|memory access out of bounds|Array buffer allocation failed|Invalid typed array length|Memory\.grow|Cannot allocate|failed to allocate|OOM/i;

export function describeError(error: unknown, backend: 'webgpu' | 'wasm' | undefined): PageError {
  if (error instanceof GnetError) return describeGnetError(error, backend);
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.warn('gnet playground: training failed:', error);
  if (OUT_OF_MEMORY.test(text)) {
    return { message: `${PAGE_ERRORS.outOfMemory}: ${backend === 'webgpu' ? 'the GPU' : 'the browser'} ran out of memory; reduce the batch or image size and train again`, field: 'batch', freshWorker: true };
  }
  return { message: `${PAGE_ERRORS.unexpected}: training stopped on an unexpected error in ${backend ?? 'the backend'} (details in the browser console); train again, or reload the page if it repeats` };
}

function describeGnetError(error: GnetError, backend: 'webgpu' | 'wasm' | undefined): PageError {
  if (error.code.startsWith('GN7')) return { message: error.message, place: 'data' };
  // The driver's divergence stop, told with the page's field in place of the command line's flag.
  if (error.code === 'GN0803') return { message: error.message.replace('(e.g. --lr ', '(e.g. ').replace(/ or set clip_norm in the train section$/, ''), field: 'lr' };
  if (error.code === WEBGPU_CODES.deviceLost) {
    return { message: `${error.code}: the GPU device was lost (driver reset, GPU removed or released); the run's tensors are gone: train again, or train on wasm`, place: 'backend', offerWasm: true, freshWorker: true };
  }
  if (error.code === WEBGPU_CODES.outOfMemory) {
    // Keep what was asked for, put the page's remedy in place of the command line's.
    const what = error.message.slice(error.code.length + 2).replace(/; use a smaller batch.*$/, '');
    return { message: `${error.code}: ${what}; reduce the batch or image size, or train on wasm`, field: 'batch', offerWasm: true, freshWorker: true };
  }
  if (error.code === WEBGPU_CODES.gpuError) return { message: error.message.replace(/rerun with --backend wasm/, 'train on wasm'), place: 'backend', offerWasm: backend === 'webgpu' };
  return { message: error.message };
}
