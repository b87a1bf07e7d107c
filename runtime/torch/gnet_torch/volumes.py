"""Volumes from data.bin (backends/torch/volume-file.ts): every volume's standardised voxels and mask end to
end, found by their shapes. Training batches are patches drawn as runtime/data/patches.ts draws them
(sampling.py, draw for draw); evaluation batches are the tiles that cover each volume side by side, in the
order runtime/data/volume-dataset.ts lays them. The same interface as data.Samples, so the engine
trains on either.
"""
import numpy as np

from . import sampling


class VolumeSamples:
    def __init__(self, header, arrays):
        self.task = 'segmentation'
        self.input_shape = tuple(header['inputShape'])
        self.seed = int(header['seed'])
        self.sampling = header['sampling']
        self.volumes = _volumes(arrays, '')
        self.test_volumes = _volumes(arrays, 'test') if 'testShapes' in arrays else []
        # Each training volume visited perVolume times per epoch: the whole list, then again (repeatIndices).
        self.train = np.tile(np.asarray(arrays['train'], dtype=np.int64), int(self.sampling['perVolume']))
        patch = self.input_shape[:3]
        self.tiles = {
            'validation': [(self.volumes[v], c) for v in np.asarray(arrays['validation']) for c in sampling.tile_corners(self.volumes[v][0].shape, patch)],
            'test': [(v, c) for v in self.test_volumes for c in sampling.tile_corners(v[0].shape, patch)],
        }
        self._order = (None, None)
        self._foreground = {}

    def split(self, name):
        """Evaluation splits are tile numbers (a tile is one evaluated example)."""
        return np.arange(len(self.tiles.get(name, [])))

    def order(self, epoch):
        if self._order[0] != epoch:
            self._order = (epoch, sampling.epoch_order(self.train, self.seed, epoch))
        return self._order[1]

    def _foreground_of(self, v):
        if v not in self._foreground:
            self._foreground[v] = np.flatnonzero(self.volumes[v][1])
        return self._foreground[v]

    def training_batch(self, epoch, start, stop):
        order = self.order(epoch)
        picks = []
        for position in range(start, stop):
            v = int(order[position])
            corner = sampling.patch_corner(self.volumes[v][0].shape, self.input_shape, self._foreground_of(v), self.sampling, self.seed, epoch, position)
            picks.append((self.volumes[v], corner))
        return self._batch(picks)

    def centred_batch(self, indices, split='validation'):
        tiles = self.tiles[split]
        return self._batch([tiles[int(i)] for i in indices])

    def _batch(self, picks):
        """x [n, pd, ph, pw, C] float32 and y [n, pd, ph, pw] int64; zeros (class 0) outside the volume."""
        pd, ph, pw, C = self.input_shape
        x = np.zeros((len(picks), pd, ph, pw, C), dtype=np.float32)
        y = np.zeros((len(picks), pd, ph, pw), dtype=np.int64)
        for slot, ((voxels, labels), corner) in enumerate(picks):
            source, target = [], []
            for axis, size in enumerate((pd, ph, pw)):
                lo, hi = max(0, corner[axis]), min(voxels.shape[axis], corner[axis] + size)
                source.append(slice(lo, max(lo, hi)))
                target.append(slice(lo - corner[axis], max(lo, hi) - corner[axis]))
            x[(slot, *target)] = voxels[tuple(source)]
            y[(slot, *target)] = labels[tuple(source)]
        return x, y


def _volumes(arrays, prefix):
    """[(voxels [D, H, W, C], labels [D, H, W])] of a store, views into the memory-mapped file."""
    name = (lambda base: prefix + base[0].upper() + base[1:]) if prefix else (lambda base: base)
    voxels, labels, shapes = arrays[name('voxels')], arrays[name('labels')], np.asarray(arrays[name('shapes')])
    out, at, label_at = [], 0, 0
    for D, H, W, C in shapes.tolist():
        count = D * H * W
        out.append((np.asarray(voxels[at:at + count * C]).reshape(D, H, W, C), np.asarray(labels[label_at:label_at + count]).reshape(D, H, W)))
        at += count * C
        label_at += count
    return out
