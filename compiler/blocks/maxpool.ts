/** Max pooling; padded cells never win (they are skipped, as in TensorFlow and PyTorch). */
import { poolBlock } from './pool-base.js';

export const maxpool = poolBlock({
  kind: 'maxpool',
  summary: 'max over each window, per channel (stride defaults to the window size)',
  tfOp: 'tf.maxPool',
  tfOp3d: 'rt.maxPool3d',
  torchLayer: 'MaxPool',
});
