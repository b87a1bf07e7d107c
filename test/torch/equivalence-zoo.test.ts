/**
 * tfjs cpu and PyTorch agree on every network of the model zoo (specs/ and specs/examples), made
 * small (zoo.ts), in inference mode at batch 1: outputs within 1e-4, gradients of Σ output · r for
 * every trainable weight within 1e-3. The largest networks are in equivalence-zoo-large.test.ts.
 */
import { LARGE } from './zoo.js';
import { zooEquivalenceTests } from './zoo-tests.js';

zooEquivalenceTests('test/torch/equivalence-zoo.test.ts', (e) => !LARGE.has(e.name));
