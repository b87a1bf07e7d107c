import { test } from 'uvu';
import { vulkanMissing } from './gpu-available.js';

type Define = typeof test.skip;

/** uvu's `test`, or `test.skip` (with the reason printed) where WebGPU cannot run. */
export function gpuTest(reason = vulkanMissing()): Define {
  if (reason === undefined) return test as Define;
  console.log(`skipping the WebGPU tests: ${reason}`);
  return test.skip;
}
