"""The training and validation samples gnet's Node side materialised into RUNDIR/torch/data.bin,
memory-mapped. The file holds the decoded source images (uint8), their labels, the split's sample
indices, every epoch's shuffled order and, with augmentation, every (epoch, position)'s transform
(window corner, flips, quarter turns) drawn by gnet's own data loader. Here batches are only
assembled: the same window, flip and turn arithmetic as runtime/data/augment.ts, so a batch holds
the same numbers as on any other backend.

Layout: 4-byte little-endian header length, a UTF-8 JSON header, then each array at the byte
offset the header gives ({"offset", "dtype", "shape"}), little-endian, row-major.
"""
import json
import struct

import numpy as np


class Samples:
    def __init__(self, path):
        with open(path, 'rb') as f:
            (length,) = struct.unpack('<I', f.read(4))
            self.header = json.loads(f.read(length).decode('utf-8'))
        h = self.header
        self.task = h['task']
        self.image_shape = tuple(h['imageShape'])
        self.input_shape = tuple(h['inputShape'])
        self.centre = tuple(h['centre'])
        self.arrays = {name: np.memmap(path, dtype=np.dtype(spec['dtype']).newbyteorder('<'), mode='r', offset=spec['offset'], shape=tuple(spec['shape']))
                       for name, spec in h['arrays'].items()}
        self.train = np.asarray(self.arrays['train'])
        self.validation = np.asarray(self.arrays['validation'])
        self._grids = {}

    @property
    def epochs(self):
        return self.arrays['orders'].shape[0]

    def order(self, epoch):
        return np.asarray(self.arrays['orders'][epoch])

    def transforms(self, epoch, positions):
        """[n, 5] (top, left, flipH, flipV, turns) of positions in the epoch; centred without augmentation."""
        if 'transforms' in self.arrays:
            return np.asarray(self.arrays['transforms'][epoch][positions]).astype(np.int64)
        out = np.zeros((len(positions), 5), dtype=np.int64)
        out[:, 0], out[:, 1] = self.centre
        return out

    def _grid(self, flip_h, flip_v, turns):
        key = (flip_h, flip_v, turns)
        if key not in self._grids:
            H, W = self.input_shape[0], self.input_shape[1]
            row, col = np.meshgrid(np.arange(H), np.arange(W), indexing='ij')
            for _ in range(turns):
                row, col = col, H - 1 - row
            if flip_h:
                col = W - 1 - col
            if flip_v:
                row = H - 1 - row
            self._grids[key] = (row, col)
        return self._grids[key]

    def batch(self, indices, transforms):
        """(x [n, H, W, C] float32 in [0, 1], y int64 [n] or [n, H, W]) of sample indices through transforms."""
        H, W, C = self.input_shape
        sh, sw = self.image_shape[0], self.image_shape[1]
        pixels, labels = self.arrays['pixels'], self.arrays['labels']
        segmentation = self.task == 'segmentation'
        n = len(indices)
        x = np.zeros((n, H, W, C), dtype=np.float32)
        y = np.zeros((n, H, W) if segmentation else (n,), dtype=np.int64)
        for slot, (index, t) in enumerate(zip(indices, transforms)):
            row, col = self._grid(bool(t[2]), bool(t[3]), int(t[4]))
            sr, sc = row + t[0], col + t[1]
            inside = (sr >= 0) & (sr < sh) & (sc >= 0) & (sc < sw)
            rr, cc = np.clip(sr, 0, sh - 1), np.clip(sc, 0, sw - 1)
            image = np.asarray(pixels[index])
            x[slot] = np.where(inside[..., None], image[rr, cc, :].astype(np.float32) / 255, 0)
            if segmentation:
                y[slot] = np.where(inside, np.asarray(labels[index])[rr, cc], 0)
            else:
                y[slot] = labels[index]
        return x, y
