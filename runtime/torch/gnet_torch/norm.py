"""Group and instance normalisation (gnet's groupnorm and instancenorm blocks) on NCHW maps or NCDHW
volumes: per example, each group of C / groups channels is normalised by the mean and biased variance
of all its values, then scaled by gamma and shifted by beta per channel (as the TypeScript runtime's
groupNorm). No batch statistics, so training and inference compute the same. Written out rather than
F.group_norm, whose backward in PyTorch 1.13 fails without a weight ("tensor does not have a device")."""
import torch

from .layers import GnetLayer


class GroupNorm(GnetLayer):
    def __init__(self, groups, channels, epsilon=1e-5, scale=True):
        super().__init__()
        self.groups, self.epsilon = groups, epsilon
        if scale:
            self.add_weight('gamma', (channels,))
        else:
            self.gamma = None
        self.add_weight('beta', (channels,))

    def forward(self, x):
        grouped = x.reshape(x.shape[0], self.groups, -1)
        mean = grouped.mean(dim=2, keepdim=True)
        variance = ((grouped - mean) ** 2).mean(dim=2, keepdim=True)
        normalised = ((grouped - mean) * torch.rsqrt(variance + self.epsilon)).reshape(x.shape)
        shape = [1, -1] + [1] * (x.dim() - 2)
        scaled = normalised if self.gamma is None else normalised * self.gamma.view(shape)
        return scaled + self.beta.view(shape)
