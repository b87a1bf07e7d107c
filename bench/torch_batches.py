"""Batch assembly speed of gnet_torch's loader (npm run bench): Samples.batch, which gathers a whole
batch at once, against the per-sample loop it replaced (kept here as the baseline), on the same
data.bin, the same windows and flips, the same result."""
import json
import sys
import time

import numpy as np

from gnet_torch.data import open_samples


def per_sample(samples, indices, transforms):
    """The loader before: one sample at a time."""
    H, W, C = samples.input_shape
    pixels, labels = samples.arrays['pixels'], samples.arrays['labels']
    sh, sw = pixels.shape[1], pixels.shape[2]
    segmentation = samples.task == 'segmentation'
    x = np.zeros((len(indices), H, W, C), dtype=np.float32)
    y = np.zeros((len(indices), H, W) if segmentation else (len(indices),), dtype=np.int64)
    for slot, (index, t) in enumerate(zip(indices, transforms)):
        row, col = samples._grid(bool(t[2]), bool(t[3]), int(t[4]))
        sr, sc = row + t[0], col + t[1]
        inside = (sr >= 0) & (sr < sh) & (sc >= 0) & (sc < sw)
        rr, cc = np.clip(sr, 0, sh - 1), np.clip(sc, 0, sw - 1)
        image = np.asarray(pixels[index])
        x[slot] = np.where(inside[..., None], image[rr, cc, :].astype(np.float32) / 255, 0)
        y[slot] = np.where(inside, np.asarray(labels[index])[rr, cc], 0) if segmentation else labels[index]
    return x, y


def timed(work, repeats=20):
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return sorted(times)[repeats // 2] * 1000


def main():
    samples = open_samples(sys.argv[1])
    batch = int(sys.argv[2])
    from gnet_torch import sampling
    positions = np.arange(batch)
    indices = samples.order(0)[positions]
    transforms = sampling.transforms(samples.seed, 0, positions, samples.image_shape, samples.input_shape, samples.augment)
    a, b = samples.batch(indices, transforms), per_sample(samples, indices, transforms)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), 'the two loaders disagree'
    print(json.dumps({'vectorised': timed(lambda: samples.batch(indices, transforms)), 'perSample': timed(lambda: per_sample(samples, indices, transforms))}))


if __name__ == '__main__':
    main()
