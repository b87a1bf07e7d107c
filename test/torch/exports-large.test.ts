/** The export checks of exports.test.ts for the zoo's largest networks, in a file of their own so the two run side by side. */
import { exportTests } from './exports.js';
import { LARGE_EXPORTS, smallNetwork, zooNames } from './zoo.js';

exportTests('test/torch/exports-large.test.ts', zooNames().filter((e) => LARGE_EXPORTS.has(e.name)).map((e) => smallNetwork(e.file, e.name)));
