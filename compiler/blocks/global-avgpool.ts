import { globalPoolBlock } from './global-pool-base.js';

export const global_avgpool = globalPoolBlock({
  kind: 'global_avgpool',
  summary: 'mean over the whole map per channel: H×W×C → C',
  tfOp: 'mean',
});
