"""Which samples a batch holds and how each is cropped and turned: gnet's data loader
(runtime/data/random.ts, dataset.ts, augment.ts) spelt in Python, draw for draw, so the torch engine
builds batch `index` of epoch `epoch` from the same images, windows and flips as every other engine
without a precomputed order per epoch. Every draw depends only on (seed, purpose, epoch, position).
"""
import numpy as np

_MASK = 0xFFFFFFFF
# runtime/data/random.ts STREAM: named purposes keep the streams apart under one seed.
STREAM_ORDER = 2
STREAM_AUGMENT = 3
STREAM_PATCHES = 6


def _imul(a, b):
    return (a * b) & _MASK


def hash_seed(*parts):
    """hashSeed(...parts): mixes integers into one unsigned 32-bit seed (murmur3 finaliser per part)."""
    h = 0x9E3779B9
    for part in parts:
        part = int(part)
        h = _imul(h ^ (part & _MASK), 0x85EBCA6B)
        h ^= h >> 13
        h = _imul(h, 0xC2B2AE35)
        h ^= h >> 16
        h = (h + part // 0x100000000) & _MASK
    return h


class Mulberry32:
    """seededRandom(seed): values in [0, 1), the same sequence as the TypeScript generator."""

    def __init__(self, seed):
        self.state = int(seed) & _MASK

    def __call__(self):
        self.state = (self.state + 0x6D2B79F5) & _MASK
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296


def epoch_order(indices, seed, epoch):
    """epochOrder(indices, {shuffle: true, seed, epoch}): Fisher–Yates with the order stream."""
    order = [int(i) for i in indices]
    random = Mulberry32(hash_seed(STREAM_ORDER, seed, epoch))
    for i in range(len(order) - 1, 0, -1):
        j = int(random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return np.asarray(order, dtype=np.int64)


def window_start(source, target, random=None):
    """Start of the window along one axis: centred, or (random crop) anywhere it covers or fits the image."""
    slack = source - target
    if random is not None:
        low, high = min(0, slack), max(0, slack)
        return low + int(random() * (high - low + 1))
    return slack // 2 if slack >= 0 else -((-slack) // 2)


def centre(source_shape, target_shape):
    return window_start(source_shape[0], target_shape[0]), window_start(source_shape[1], target_shape[1])


def draw_transform(source_shape, target_shape, augment, random):
    """(top, left, flip_h, flip_v, quarter_turns) as drawTransform draws them (each draw only when on)."""
    crop = random if augment and augment.get('randomCrop') else None
    top = window_start(source_shape[0], target_shape[0], crop)
    left = window_start(source_shape[1], target_shape[1], crop)
    flip_h = bool(augment and augment.get('flipHorizontal')) and random() < 0.5
    flip_v = bool(augment and augment.get('flipVertical')) and random() < 0.5
    turns = int(random() * 4) if augment and augment.get('rotate90') else 0
    return top, left, int(flip_h), int(flip_v), turns


def transforms(seed, epoch, positions, source_shape, target_shape, augment):
    """[n, 5] transforms of the given positions of an epoch's order; centred windows without augmentation."""
    out = np.zeros((len(positions), 5), dtype=np.int64)
    if not augment:
        out[:, 0], out[:, 1] = centre(source_shape, target_shape)
        return out
    for row, position in enumerate(positions):
        out[row] = draw_transform(source_shape, target_shape, augment, Mulberry32(hash_seed(STREAM_AUGMENT, seed, epoch, int(position))))
    return out


def patch_corner(volume_shape, patch, foreground, how, seed, epoch, position):
    """drawPatchCorner (runtime/data/patches.ts): one draw for foreground or not, then the foreground
    voxel (one draw) or a uniform corner per axis (three draws, depth first)."""
    random = Mulberry32(hash_seed(STREAM_PATCHES, seed, epoch, position))
    centred = random() < how['foreground']
    if centred and len(foreground) > 0:
        voxel = int(foreground[int(random() * len(foreground))])
        _, H, W = volume_shape[:3]
        at = (voxel // (H * W), (voxel // W) % H, voxel % W)
        corner = []
        for axis in range(3):
            slack = volume_shape[axis] - patch[axis]
            corner.append(min(max(at[axis] - patch[axis] // 2, min(0, slack)), max(0, slack)))
        return tuple(corner)
    return tuple(window_start(volume_shape[axis], patch[axis], random) for axis in range(3))


def tile_starts(size, patch, step):
    """tileStarts: windows every `step` voxels, the last moved back to end at the border; one centred when small."""
    if size <= patch:
        return [window_start(size, patch)]
    starts = list(range(0, size - patch, step))
    return starts + [size - patch]


def tile_corners(volume_shape, patch):
    """tileCorners(volume, patch, 0): windows side by side covering the volume, depth-major."""
    axes = [tile_starts(volume_shape[a], patch[a], patch[a]) for a in range(3)]
    return [(d, h, w) for d in axes[0] for h in axes[1] for w in axes[2]]
