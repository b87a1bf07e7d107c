/**
 * The largest networks of the model zoo (the ResNets, the valid-padding U-Net, AlexNet, VGG16 and its
 * gauss twin), made small (zoo.ts): tfjs cpu and PyTorch agree in inference mode at batch 1, as in
 * equivalence-zoo.test.ts; a file of their own so the runner runs both at once.
 */
import { LARGE } from './zoo.js';
import { zooEquivalenceTests } from './zoo-tests.js';

zooEquivalenceTests('test/torch/equivalence-zoo-large.test.ts', (e) => LARGE.has(e.name));
