"""The samples gnet's Node side decoded into data.bin, memory-mapped: the source images (uint8), their
labels, the train / validation / test indices and how batches are drawn (seed, augmentation). Each
batch is assembled on demand: which samples and which windows and flips come from sampling.py (gnet's
data loader, draw for draw), the pixel arithmetic is that of runtime/data/augment.ts. Nothing here is
tied to a number of epochs, so a job can train for as many as it is told.

Layout: 4-byte little-endian header length, a UTF-8 JSON header, then each array at the byte offset
the header gives ({"offset", "dtype", "shape"}), little-endian, row-major.
"""
import json
import struct

import numpy as np

from . import sampling
from .volumes import VolumeSamples


def open_samples(path):
    """The images (Samples) or volumes (volumes.VolumeSamples) a data file holds."""
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<I', f.read(4))
        header = json.loads(f.read(length).decode('utf-8'))
    if header.get('format') != 'gnet-torch-data' or header.get('version') != 2:
        raise ValueError(f'{path} is not a gnet data file of version 2')
    arrays = {name: np.memmap(path, dtype=np.dtype(spec['dtype']).newbyteorder('<'), mode='r', offset=spec['offset'], shape=tuple(spec['shape']))
              for name, spec in header['arrays'].items()}
    return VolumeSamples(header, arrays) if header.get('kind') == 'volumes' else Samples(header, arrays)


class Samples:
    def __init__(self, header, arrays):
        self.header = h = header
        self.task = h['task']
        self.image_shape = tuple(h['imageShape'])
        self.input_shape = tuple(h['inputShape'])
        self.seed = int(h['seed'])
        self.augment = h.get('augment')
        self.arrays = arrays
        self.splits = {name: np.asarray(self.arrays[name]) for name in ('train', 'validation') if name in self.arrays}
        if 'testPixels' in self.arrays:
            self.splits['test'] = np.arange(self.arrays['testPixels'].shape[0])
        self._order = (None, None)
        self._grids = {}

    @property
    def train(self):
        return self.splits['train']

    def split(self, name):
        return self.splits.get(name, np.zeros(0, dtype=np.int32))

    def order(self, epoch):
        """The epoch's shuffled training order (the last one asked for is kept)."""
        if self._order[0] != epoch:
            self._order = (epoch, sampling.epoch_order(self.train, self.seed, epoch))
        return self._order[1]

    def training_batch(self, epoch, start, stop):
        """Positions [start, stop) of the epoch's order, cropped and turned as drawn for them."""
        positions = np.arange(start, stop)
        indices = self.order(epoch)[positions]
        return self.batch(indices, sampling.transforms(self.seed, epoch, positions, self.image_shape, self.input_shape, self.augment))

    def centred_batch(self, indices, split='validation'):
        """Samples of a split through the centred window (evaluation); the test split has its own images."""
        test = split == 'test'
        pixels = self.arrays['testPixels' if test else 'pixels']
        t = np.zeros((len(indices), 5), dtype=np.int64)
        t[:, 0], t[:, 1] = sampling.centre(pixels.shape[1:3], self.input_shape)
        return self.batch(indices, t, test=test)

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

    def batch(self, indices, transforms, test=False):
        """(x [n, H, W, C] float32 in [0, 1], y int64 [n] or [n, H, W]) of sample indices through transforms:
        each output pixel reads the source pixel its window, flips and turns map it to, or 0 outside."""
        H, W, C = self.input_shape
        pixels, labels = (self.arrays['testPixels'], self.arrays['testLabels']) if test else (self.arrays['pixels'], self.arrays['labels'])
        sh, sw = pixels.shape[1], pixels.shape[2]
        n = len(indices)
        if n == 0:
            return np.zeros((0, H, W, C), dtype=np.float32), np.zeros((0, H, W) if self.task == 'segmentation' else (0,), dtype=np.int64)
        transforms = np.asarray(transforms)
        grids = [self._grid(bool(t[2]), bool(t[3]), int(t[4])) for t in transforms]
        rows = np.stack([g[0] for g in grids]) + transforms[:, 0, None, None]
        cols = np.stack([g[1] for g in grids]) + transforms[:, 1, None, None]
        inside = (rows >= 0) & (rows < sh) & (cols >= 0) & (cols < sw)
        # One flat gather over the batch's source pixels (outside the image: pixel 0, then zeroed).
        flat = ((np.arange(n)[:, None, None] * sh + np.clip(rows, 0, sh - 1)) * sw + np.clip(cols, 0, sw - 1)).reshape(-1)
        images = np.asarray(pixels[np.asarray(indices)]).reshape(n * sh * sw, pixels.shape[3])
        x = images.take(flat, axis=0).reshape(n, H, W, C).astype(np.float32) / np.float32(255)
        x *= inside[..., None]
        if self.task == 'segmentation':
            masks = np.asarray(labels[np.asarray(indices)]).reshape(-1)
            y = (masks.take(flat).reshape(n, H, W) * inside).astype(np.int64)
        else:
            y = np.asarray(labels[np.asarray(indices)]).astype(np.int64)
        return x, y
