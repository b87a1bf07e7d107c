import { nativeBackend, type NativeOptions } from './native/backend.js';

/** libtensorflow on the CPU (multi-threaded, oneDNN) through @tensorflow/tfjs-node; optional. */
export const createNodeBackend = (options?: NativeOptions) =>
  nativeBackend(
    {
      name: 'node',
      kind: 'cpu',
      packageName: '@tensorflow/tfjs-node',
      install: 'on Linux, macOS or Windows x64: npm install @tensorflow/tfjs-node (its install downloads libtensorflow)',
    },
    options,
  );

export const nodeBackend = createNodeBackend();
