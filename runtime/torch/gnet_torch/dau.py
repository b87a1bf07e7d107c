"""Displaced aggregation units (gnet's `dau` block; compiler/blocks/dau.ts holds the definition):
per input channel i, output channel o and unit k a weight, a position mu = (row, column) from the
window's centre and a scale sigma. The kernel is, per filter, the sum over its units of
weight * G(x - mu; sigma) normalised to sum 1 over the window (a softmax of -|x - mu|^2 / 2 sigma^2
over the window's positions, as runtime/blocks/dau.ts computes it), then one convolution."""
from typing import List, Optional

import torch
import torch.nn.functional as F

from .layers import GnetLayer, split_padding


class Dau(GnetLayer):
    """padding: (top, bottom, left, right) zeros, as TensorFlow pads. Weights in gnet's layout:
    weight and sigma [in, out, units], mu [in, out, units, 2], bias [out]; sigma a buffer when not trained."""

    bias: Optional[torch.Tensor]
    tf_padding: List[int]

    def __init__(self, in_channels, filters, size, units=10, stride=(1, 1), padding=(0, 0, 0, 0), bias=False, train_sigma=True):
        super().__init__()
        self.in_channels, self.filters, self.units = in_channels, filters, units
        self.size, self.stride = tuple(size), tuple(stride)
        self.conv_padding, self.tf_padding = split_padding(padding)
        kh, kw = self.size
        positions = torch.arange(kh * kw)
        self.register_buffer('rows', (positions // kw).float() - (kh - 1) / 2, persistent=False)
        self.register_buffer('cols', (positions % kw).float() - (kw - 1) / 2, persistent=False)
        self.add_weight('weight', (in_channels, filters, units))
        self.add_weight('mu', (in_channels, filters, units, 2))
        self.add_weight('sigma', (in_channels, filters, units), train_sigma)
        if bias:
            self.add_weight('bias', (filters,))
        else:
            self.bias = None

    def kernel(self):
        """The convolution weight [out, in, kh, kw]."""
        dr = self.rows - self.mu[..., 0:1]
        dc = self.cols - self.mu[..., 1:2]
        blobs = torch.softmax(-(dr * dr + dc * dc) / (2 * self.sigma.unsqueeze(-1) ** 2), dim=-1)
        filters = (blobs * self.weight.unsqueeze(-1)).sum(dim=2)
        kh, kw = self.size
        return filters.reshape(self.in_channels, self.filters, kh, kw).transpose(0, 1)

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding)
        return F.conv2d(x, self.kernel(), self.bias, self.stride, self.conv_padding)

    def extra_repr(self):
        extra = f', tf_padding={tuple(self.tf_padding)}' if self.tf_padding else ''
        return f'{self.in_channels}, {self.filters}, size={self.size}, units={self.units}, stride={self.stride}, padding={self.conv_padding}{extra}'
