"""The gauss layer on NCDHW volumes (docs/gauss-layer.md §10), the formulas of runtime/gauss/kernels3d.ts:

    phi(x) = G_p(y1, s1) * G_q(y2, s2) * G_r(y3, s3),  y = R(theta) x - mu,
    R(theta) = R_23(theta3) R_13(theta2) R_12(theta1),

x1 along the width, x2 along the height, x3 along the depth, the grid centred on 0. Every lowering
the compiler may choose gives the same numbers up to rounding; here each runs as the combined one (one
conv3d with W = sum_n omega phi_n), torch's fastest path on small kernel banks.
"""
import math
from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import nn

from .gauss import full_mix, hermite_coefficients, setup_gauss
from .layers import GnetLayer


def basis_orders3d(order):
    """(p, q, r) of each kernel: for i = 0..K, for r = 0..i, for j = 0..i - r: (j, i - r - j, r)."""
    return [(j, i - r - j, r) for i in range(order + 1) for r in range(i + 1) for j in range(i - r + 1)]


def kernel_constants3d(order, size, isotropic):
    """Grid coordinates per axis, the signed Hermite planes of each kernel's p, q and r ([K+1, Nk]), the
    power of each sigma in the normaliser ([Nk, 3] or [Nk, 1]) and its constant part."""
    orders = basis_orders3d(order)
    table = hermite_coefficients(order)

    def planes(degrees):
        return torch.tensor([[(table[d][k] if k < len(table[d]) else 0.0) * (-1.0 if d % 2 else 1.0) for d in degrees] for k in range(order + 1)])

    kd, kh, kw = size
    return {
        'depth': torch.arange(kd, dtype=torch.float32) - (kd - 1) / 2,
        'rows': torch.arange(kh, dtype=torch.float32) - (kh - 1) / 2,
        'cols': torch.arange(kw, dtype=torch.float32) - (kw - 1) / 2,
        'hermite_p': planes([o[0] for o in orders]),
        'hermite_q': planes([o[1] for o in orders]),
        'hermite_r': planes([o[2] for o in orders]),
        'powers': torch.tensor([[-(p + q + r + 3.0)] if isotropic else [-(p + 1.0), -(q + 1.0), -(r + 1.0)] for p, q, r in orders]),
        'constant': torch.tensor([-(p + q + r) / 2 * math.log(2) - 1.5 * math.log(2 * math.pi) for p, q, r in orders]),
    }


def _signed_hermite(t, planes, order: int):
    value = planes[order].expand_as(t)
    for k in range(order - 1, -1, -1):
        value = value * t + planes[k]
    return value


def gaussian_derivatives3d(sigma, mu, theta, depth, rows, cols, hermite_p, hermite_q, hermite_r, powers, constant, order: int):
    """Every kernel as one [kd, kh, kw, B, Nk] tensor (sigma [B, Nk, 3 | 1], mu and theta [B, Nk, 3])."""
    x1 = cols.view(1, 1, -1, 1, 1)
    x2 = rows.view(1, -1, 1, 1, 1)
    x3 = depth.view(-1, 1, 1, 1, 1)
    c1, s1 = torch.cos(theta[..., 0]), torch.sin(theta[..., 0])
    c2, s2 = torch.cos(theta[..., 1]), torch.sin(theta[..., 1])
    c3, s3 = torch.cos(theta[..., 2]), torch.sin(theta[..., 2])
    u1 = c1 * c2 * x1 + s1 * c2 * x2 + s2 * x3
    u2 = (-c3 * s1 - s3 * s2 * c1) * x1 + (c3 * c1 - s3 * s2 * s1) * x2 + s3 * c2 * x3
    u3 = (s3 * s1 - c3 * s2 * c1) * x1 + (-s3 * c1 - c3 * s2 * s1) * x2 + c3 * c2 * x3
    root2 = math.sqrt(2.0)
    t1 = (u1 - mu[..., 0]) / (root2 * sigma[..., 0])
    t2 = (u2 - mu[..., 1]) / (root2 * sigma[..., 1 if sigma.shape[-1] == 3 else 0])
    t3 = (u3 - mu[..., 2]) / (root2 * sigma[..., -1])
    log_scale = torch.sum(torch.log(sigma) * powers, dim=-1) + constant
    gaussian = torch.exp(log_scale - t1 * t1 - t2 * t2 - t3 * t3)
    if order == 0:
        return gaussian
    return _signed_hermite(t1, hermite_p, order) * _signed_hermite(t2, hermite_q, order) * _signed_hermite(t3, hermite_r, order) * gaussian


class Gauss3d(GnetLayer):
    """Gaussian-derivative convolution on volumes. padding: (front, back, top, bottom, left, right)
    zeros, as TensorFlow pads. Weights as the image layer's (sigma, mu, theta with three entries each)."""

    omega: Optional[torch.Tensor]
    beta: Optional[torch.Tensor]
    lambda_: Optional[torch.Tensor]
    bias: Optional[torch.Tensor]
    tf_padding: List[int]

    def __init__(self, in_channels, filters, size, order, bases, mix, stride, padding, lowering,
                 isotropic=False, bias=False, frozen=(), min_sigma=0.2):
        super().__init__()
        setup_gauss(self, in_channels, filters, size, order, (order + 1) * (order + 2) * (order + 3) // 6, bases, mix, stride, padding,
                    lowering, isotropic, bias, frozen, min_sigma, kernel_constants3d(order, tuple(size), isotropic), axes=3)

    def kernels(self):
        """phi [kd, kh, kw, B, Nk] from the current sigma (clamped where used), mu and theta."""
        sigma = self.sigma + (torch.clamp(self.sigma, min=self.min_sigma) - self.sigma).detach()
        return gaussian_derivatives3d(sigma, self.mu, self.theta, self.depth, self.rows, self.cols, self.hermite_p,
                                      self.hermite_q, self.hermite_r, self.powers, self.constant, self.order)

    def full_omega(self):
        return full_mix(self.omega, self.beta, self.lambda_)

    def deployed_kernel(self):
        """The ordinary conv3d weight [f_out, f_in, kd, kh, kw] equal to this layer."""
        kd, kh, kw = self.size
        return torch.einsum('dhwbn,bijn->bjidhw', self.kernels(), self.full_omega()).reshape(self.filters, self.in_channels, kd, kh, kw)

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding)
        out = F.conv3d(x.contiguous(), self.deployed_kernel(), None, self.stride, self.conv_padding)
        bias = self.bias
        return out if bias is None else out + bias.view(1, -1, 1, 1, 1)

    def deployed(self):
        """nn.Conv3d computing what this layer computes now, behind nn.ConstantPad3d where TensorFlow pads asymmetrically."""
        with torch.no_grad():
            weight = self.deployed_kernel()
            conv = nn.Conv3d(self.in_channels, self.filters, self.size, self.stride, self.conv_padding,
                             bias=self.bias is not None, device=weight.device, dtype=weight.dtype)
            conv.weight.copy_(weight)
            if self.bias is not None:
                conv.bias.copy_(self.bias)
        return nn.Sequential(nn.ConstantPad3d(tuple(self.tf_padding), 0.0), conv) if self.tf_padding else conv

    def extra_repr(self):
        return (f'{self.in_channels}, {self.filters}, size={self.size}, order={self.order}, bases={self.bases}, mix={self.mix}, '
                f'lowering={self.lowering} (as combined), stride={self.stride}, padding={self.conv_padding}, isotropic={self.isotropic}')
