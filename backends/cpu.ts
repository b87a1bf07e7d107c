import * as tf from '@tensorflow/tfjs-core';
import type { GnetBackend } from './backend.js';
import { activate, deactivate } from './lifecycle.js';
import { withNaNPropagation, wrapRegisteredKernel } from './nan-propagation.js';
import { hostProcessor, packageVersion } from './packages.js';

const PACKAGE = '@tensorflow/tfjs-backend-cpu';

let wrapped = false;

/** Its max pool skips NaN (`value > max` is false); wasm and IEEE arithmetic give NaN, so eval agrees across backends. */
function installNaNMaxPool(): void {
  if (wrapped) return;
  wrapRegisteredKernel(tf.MaxPool, 'cpu', (original) => withNaNPropagation(original, 'window'));
  wrapped = true;
}

/** Plain JavaScript kernels: slow, but the reference every other backend is tested against. */
export const cpuBackend: GnetBackend = {
  name: 'cpu',
  async probe() {
    const version = packageVersion(PACKAGE);
    return version === undefined
      ? { available: false, reason: `${PACKAGE} is not installed`, fix: `npm install ${PACKAGE}` }
      : { available: true, detail: `${PACKAGE} ${version}` };
  },
  async init() {
    await activate('cpu', () => import('@tensorflow/tfjs-backend-cpu'));
    // Its first tensor would print "install our node backend" in Node; `gnet backends` says that, with the fix.
    (tf.findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false;
    installNaNMaxPool();
  },
  async describe() {
    return { name: 'cpu', kind: 'cpu', software: false, detail: `plain JavaScript, 1 thread, on ${hostProcessor()}` };
  },
  async release() {
    deactivate('cpu');
  },
};
