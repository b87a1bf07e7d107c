/** Average pooling; padded cells are left out of the average (TensorFlow semantics). */
import { poolBlock } from './pool-base.js';

export const avgpool = poolBlock({
  kind: 'avgpool',
  summary: 'mean over each window, per channel; padding cells are not counted (stride defaults to the window size)',
  tfOp: 'rt.avgPool',
  tfOp3d: 'rt.avgPool3d',
  torchLayer: 'AvgPool',
});
