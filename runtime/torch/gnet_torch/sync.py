"""Batch-norm statistics over every worker's part of the global batch, so `--workers N` trains a
batch-norm network exactly as one process would (SyncBatchNorm's semantics, on the CPU with gloo as
on CUDA with NCCL, which torch 1.13's own SyncBatchNorm does not do). The mean is the all-reduced sum
over the all-reduced count; the variance is the all-reduced sum of squared deviations from it, the
same two passes as on one process. Both reductions carry gradients (torch.distributed.nn), and a rank
whose part of the batch is empty (a stand-in sample of weight zero) adds nothing.
"""
import contextlib

import torch
import torch.distributed as dist

_share = {'images': None}


@contextlib.contextmanager
def batch_share(images):
    """While training one step: this rank holds `images` real samples of the global batch."""
    previous = _share['images']
    _share['images'] = images
    try:
        yield
    finally:
        _share['images'] = previous


def distributed_batch():
    """Whether this forward pass trains one worker's part of a global batch (several workers, inside a step)."""
    return _share['images'] is not None and dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def reduced_moments(x, axes):
    """Mean and biased variance ([C] each) over `axes` of the whole global batch, every worker's part included."""
    from torch.distributed.nn.functional import all_reduce
    weight = 1.0 if _share['images'] > 0 else 0.0
    channel = [a for a in range(x.dim()) if a not in axes][0]
    per_channel = x.numel() // max(1, x.shape[channel])
    sums = x.sum(dim=axes) * weight
    count = torch.full((1,), float(per_channel) * weight, dtype=x.dtype, device=x.device)
    reduced = all_reduce(torch.cat([sums, count]))
    mean = reduced[:-1] / reduced[-1]
    shape = [1] * x.dim()
    shape[channel] = -1
    squares = all_reduce(((x - mean.reshape(shape)) ** 2).sum(dim=axes) * weight)
    return mean, squares / reduced[-1]
