import { globalPoolBlock } from './global-pool-base.js';

export const global_maxpool = globalPoolBlock({
  kind: 'global_maxpool',
  summary: 'max over the whole map per channel: H×W×C → C',
  tfOp: 'max',
});
