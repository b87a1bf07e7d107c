import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectAllMatch, initBothBackends, restoreCpuBackend, sample } from './compare.js';

/**
 * End to end: one training step of a small conv net (conv → relu → depthwise → max pool →
 * dense → softmax cross-entropy) gives the same loss and gradients on wasm as on cpu. The
 * depthwise layer is 1×3 with stride 2 and same padding on even-sized maps, the shape that hits
 * wasm 4.22's depthwise defect, and the max pool sees negative maxima (wasm's MaxPoolGrad defect).
 */

const WEIGHTS: Record<string, number[]> = {
  conv: [3, 3, 3, 8],
  convBias: [8],
  depthwise: [1, 3, 8, 2],
  dense: [4 * 4 * 16, 5],
  denseBias: [5],
};

function trainStep(): tf.Tensor[] {
  const weights = Object.entries(WEIGHTS).map(([name, shape], i) => tf.variable(tf.tensor(sample(shape, 30 + i), shape), true, `${name}-${tf.getBackend()}`));
  const [conv, convBias, depthwise, dense, denseBias] = weights;
  const images = tf.tensor4d(sample([4, 16, 16, 3], 40), [4, 16, 16, 3]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5);
  const loss = () => {
    const features = tf.relu(tf.add(tf.conv2d(images, conv as tf.Tensor4D, 1, 'same'), convBias));
    const spread = tf.depthwiseConv2d(tf.sub(features, 0.5) as tf.Tensor4D, depthwise as tf.Tensor4D, 2, 'same');
    const pooled = tf.maxPool(spread, 2, 2, 'same');
    const logits = tf.add(tf.matMul(tf.reshape(pooled, [4, -1]), dense as tf.Tensor2D), denseBias);
    return tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(loss, weights);
  const outputs = [value, ...weights.map((w) => grads[w.name])];
  tf.dispose(weights);
  return outputs;
}

test.before(initBothBackends);
test.after(restoreCpuBackend);

test('a conv net training step has the same loss and gradients on wasm as on cpu', async () => {
  await tf.setBackend('wasm');
  const shapes = tf.tidy(() => trainStep().map((t) => t.shape));
  assert.equal(shapes, [[], ...Object.values(WEIGHTS)]);
  await expectAllMatch([['training step', trainStep]]);
});

test.run();
