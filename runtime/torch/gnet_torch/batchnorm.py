"""Batch normalisation with Keras semantics as torch's own BatchNorm classes (so fusion, quantisation
and SyncBatchNorm.convert_sync_batchnorm recognise it). Names are torch's: weight (gnet's gamma;
None when scale=False), bias (beta), running_mean (moving_mean), running_var (moving_variance),
num_batches_tracked (the warm-up counter); eps is Keras' epsilon and momentum torch's, 1 - Keras'.
With fixed_statistics=True (gnet's `statistics = fixed`, the paper's Table 1) μ = 0 and
sqrt(σ² + ε) = 1 always: the layer is weight * x + bias and holds no running statistics.

Training normalises with the batch's mean and biased variance and updates
moving = kept * moving + (1 - kept) * batch with kept = min(keras_momentum, t / (t + 1)): the first
batch replaces the initial 0 and 1, as gnet's TypeScript runtime does. t is the forward state's
`step` when one is given (gnet's trainer, the equivalence harness), else the layer's own
num_batches_tracked, so a plain training loop warms up the same way. Inference normalises with the
moving statistics.

batch_statistics() is the one place the batch's statistics are computed: a subclass that reduces
them across workers overrides it."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .layers import per_channel
from .sync import distributed_batch, reduced_moments


class KerasBatchNorm:
    """The behaviour shared by BatchNorm1d and BatchNorm2d (mixed in before torch's class)."""

    keras_momentum: float
    fixed_statistics: bool

    def __init__(self, channels, momentum=0.9, epsilon=1e-3, scale=True, fixed_statistics=False):
        # Rounded so the module prints 0.1, not 0.09999999999999998; updates use keras_momentum itself.
        super().__init__(channels, eps=epsilon, momentum=round(1.0 - momentum, 12), track_running_stats=not fixed_statistics)
        self.keras_momentum, self.fixed_statistics = float(momentum), bool(fixed_statistics)
        if not scale:
            self.register_parameter('weight', None)

    def batch_statistics(self, x) -> Tuple[torch.Tensor, torch.Tensor]:
        """The batch's per-channel mean and biased variance ([C] each) over every axis but the channels (1);
        while several workers train one global batch, over all of their parts (sync.py)."""
        axes: List[int] = [0] + list(range(2, x.dim()))
        # A nested `if`: TorchScript skips only a bare `not is_scripting()` block, not one side of an `and`.
        if not torch.jit.is_scripting():
            if distributed_batch():
                return self.reduced_statistics(x, axes)
        mean = torch.mean(x, dim=axes, keepdim=True)
        variance = torch.mean((x - mean) ** 2, dim=axes)
        return mean.reshape(-1), variance

    @torch.jit.unused
    def reduced_statistics(self, x, axes: List[int]) -> Tuple[torch.Tensor, torch.Tensor]:
        return reduced_moments(x, axes)

    def forward(self, x, state: Optional[Dict[str, int]] = None):
        if self.fixed_statistics:
            return self.scale_and_shift(x)
        if not self.training:
            return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, self.eps)
        mean, variance = self.batch_statistics(x)
        self.update_statistics(mean.detach(), variance.detach(), state)
        normalised = (x - per_channel(mean, x)) * torch.rsqrt(per_channel(variance, x) + self.eps)
        return self.scale_and_shift(normalised)

    def scale_and_shift(self, x):
        weight, bias = self.weight, self.bias
        scaled = x if weight is None else x * per_channel(weight, x)
        return scaled if bias is None else scaled + per_channel(bias, x)

    def update_statistics(self, mean, variance, state: Optional[Dict[str, int]]):
        running_mean, running_var, tracked = self.running_mean, self.running_var, self.num_batches_tracked
        assert running_mean is not None and running_var is not None and tracked is not None
        momentum = self.keras_momentum
        if state is not None or momentum >= 1:
            # A known step: the shares in double precision, as the TypeScript runtime computes them.
            step = float(state['step']) if state is not None else 0.0
            kept_value = momentum if momentum >= 1 else min(momentum, step / (step + 1))
            kept = torch.full((), kept_value, dtype=mean.dtype, device=mean.device)
            share = torch.full((), 1 - kept_value, dtype=mean.dtype, device=mean.device)
        else:
            # The layer's own count, on the device: no host sync.
            t = tracked.to(mean.dtype)
            kept = torch.clamp(t / (t + 1), max=momentum)
            share = 1 - kept
        running_mean.mul_(kept).add_(mean * share)
        running_var.mul_(kept).add_(variance * share)
        tracked.add_(1)

    def extra_repr(self):
        fixed = ', fixed_statistics=True' if self.fixed_statistics else ''
        return f'{super().extra_repr()}, keras_momentum={self.keras_momentum}, scale={self.weight is not None}{fixed}'


class BatchNorm2d(KerasBatchNorm, nn.BatchNorm2d):
    """batchnorm on NCHW maps."""


class BatchNorm3d(KerasBatchNorm, nn.BatchNorm3d):
    """batchnorm on NCDHW volumes."""


class BatchNorm1d(KerasBatchNorm, nn.BatchNorm1d):
    """batchnorm on [N, C] vectors."""
