"""The gauss layer (Penaud-Polge, Velasco-Forero and Angulo, ICIP 2022) as gnet computes it:
kernels from (sigma, mu, theta), then the mix through the lowering the compiler chose. The same
formulas as gnet's TypeScript runtime (runtime/gauss/*.ts), so both engines give the same numbers.

    phi(x) = G_p(y1, s1) * G_q(y2, s2),  y = R(theta) x - mu,
    G_p(y, s) = (-1 / (sqrt2 s))^p H_p(t) exp(-t^2) / (s sqrt(2 pi)),  t = y / (sqrt2 s),

x1 along the width (columns), x2 along the height (rows), the grid centred on 0, no renormalisation.
Everything that depends only on the layer's settings (grid, orders, Hermite coefficients) is a
constant buffer, so the layer compiles with torch.jit.script and exports to ONNX; deployed() freezes
it into a plain nn.Conv2d.
"""
import math
from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import nn

from .layers import GnetLayer, dense_nchw, split_padding

def basis_orders(order):
    """(p, q) of each kernel of a basis: for i = 0..K, for j = 0..i: (j, i - j)."""
    return [(j, i - j) for i in range(order + 1) for j in range(i + 1)]


def hermite_coefficients(order):
    """result[d][k] multiplies t^k in the physicists' Hermite polynomial H_d."""
    table = [[1.0]]
    if order >= 1:
        table.append([0.0, 2.0])
    for n in range(1, order):
        nxt = [0.0] * (n + 2)
        for k, c in enumerate(table[n]):
            nxt[k + 1] += 2 * c
        for k, c in enumerate(table[n - 1]):
            nxt[k] -= 2 * n * c
        table.append(nxt)
    return table


def kernel_constants(order, size, isotropic):
    """The settings-only tensors gaussian_derivatives() takes: grid rows and columns, the signed Hermite
    coefficient planes of each kernel's p and q ([K+1, Nk]: plane k multiplies t^k in (-1)^d H_d), the
    power of each sigma in the normaliser ([Nk, 2], or [Nk, 1] when isotropic) and its constant part."""
    orders = basis_orders(order)
    table = hermite_coefficients(order)
    kh, kw = size

    def planes(degrees):
        return torch.tensor([[(table[d][k] if k < len(table[d]) else 0.0) * (-1.0 if d % 2 else 1.0) for d in degrees] for k in range(order + 1)])

    p = [o[0] for o in orders]
    q = [o[1] for o in orders]
    powers = [[-(a + b + 2.0)] if isotropic else [-(a + 1.0), -(b + 1.0)] for a, b in orders]
    return {
        'rows': torch.arange(kh, dtype=torch.float32) - (kh - 1) / 2,
        'cols': torch.arange(kw, dtype=torch.float32) - (kw - 1) / 2,
        'hermite_p': planes(p),
        'hermite_q': planes(q),
        'powers': torch.tensor(powers),
        'constant': torch.tensor([-(a + b) / 2 * math.log(2) - math.log(2 * math.pi) for a, b in orders]),
    }


def _signed_hermite(t, planes, order: int):
    """(-1)^d H_d(t) with each kernel's own degree d (last axis of t), by Horner's rule."""
    value = planes[order].expand_as(t)
    for k in range(order - 1, -1, -1):
        value = value * t + planes[k]
    return value


def gaussian_derivatives(sigma, mu, theta, rows, cols, hermite_p, hermite_q, powers, constant, order: int):
    """Every kernel phi[b, n] as one [kh, kw, B, Nk] tensor (sigma [B, Nk, 2 | 1], mu [B, Nk, 2], theta [B, Nk, 1])."""
    x1 = cols.view(1, -1, 1, 1)
    x2 = rows.view(-1, 1, 1, 1)
    cos, sin = torch.cos(theta[..., 0]), torch.sin(theta[..., 0])
    s1, s2 = sigma[..., 0], sigma[..., -1]
    t1 = (x1 * cos + x2 * sin - mu[..., 0]) / (math.sqrt(2.0) * s1)
    t2 = (-x1 * sin + x2 * cos - mu[..., 1]) / (math.sqrt(2.0) * s2)
    log_scale = torch.sum(torch.log(sigma) * powers, dim=-1) + constant
    gaussian = torch.exp(log_scale - t1 * t1 - t2 * t2)
    if order == 0:
        return gaussian
    return _signed_hermite(t1, hermite_p, order) * _signed_hermite(t2, hermite_q, order) * gaussian


def gauss_kernels(sigma, mu, theta, order, size):
    """phi [kh, kw, B, Nk] straight from the parameters (for checks and plots; the layer keeps its constants)."""
    c = {name: value.to(mu.device, mu.dtype) for name, value in kernel_constants(order, size, sigma.shape[-1] == 1).items()}
    return gaussian_derivatives(sigma, mu, theta, c['rows'], c['cols'], c['hermite_p'], c['hermite_q'], c['powers'], c['constant'], order)


def omega_from_separated(beta, lam):
    """The full-mix weights equal to a separated mix: omega[b, i, j, n] = beta[b, i, n] * lambda[b, n, j]."""
    return torch.einsum('bin,bnj->bijn', beta, lam)


def combine_filters(phi, omega, filters: int, in_channels: int, kh: int, kw: int):
    """Conv weight [B*F, f_in, kh, kw] (OIHW) with W[b*F + j, i] = sum_n omega[b, i, j, n] * phi[:, :, b, n].
    The sizes are given, not read from the tensors, so an ONNX export knows the kernel's shape."""
    return torch.einsum('hwbn,bijn->bjihw', phi, omega).reshape(filters, in_channels, kh, kw)


def full_mix(omega: Optional[torch.Tensor], beta: Optional[torch.Tensor], lam: Optional[torch.Tensor]):
    """omega [B, f_in, F, Nk] of either mix: the full mix's own, or the separated mix's beta times lambda."""
    if omega is not None:
        return omega
    assert beta is not None and lam is not None
    return omega_from_separated(beta, lam)


def setup_gauss(layer, in_channels, filters, size, order, count, bases, mix, stride, padding, lowering,
                isotropic, bias, frozen, min_sigma, constants, axes):
    """The settings, constant buffers and weights of a gauss layer on `axes` spatial axes (2 or 3): sigma
    and mu per axis (one sigma when isotropic), theta (one angle, or three on a volume), the mix, the bias."""
    layer.in_channels, layer.filters, layer.bases, layer.count = in_channels, filters, bases, count
    layer.order, layer.size, layer.stride, layer.mix, layer.lowering = order, tuple(size), tuple(stride), mix, lowering
    layer.isotropic, layer.frozen, layer.min_sigma = isotropic, tuple(frozen), float(min_sigma)
    layer.conv_padding, layer.tf_padding = split_padding(padding)
    for name, value in constants.items():
        layer.register_buffer(name, value, persistent=False)
    layer.add_weight('sigma', (bases, count, 1 if isotropic else axes), 'sigma' not in frozen)
    layer.add_weight('mu', (bases, count, axes), 'mu' not in frozen)
    layer.add_weight('theta', (bases, count, 1 if axes == 2 else 3), 'theta' not in frozen)
    if mix == 'full':
        layer.add_weight('omega', (bases, in_channels, filters // bases, count))
    else:
        layer.add_weight('beta', (bases, in_channels, count))
        layer.add_weight('lambda_', (bases, count, filters // bases))
    if bias:
        layer.add_weight('bias', (filters,))
    for absent in ('omega', 'beta', 'lambda_', 'bias'):
        if not hasattr(layer, absent):
            setattr(layer, absent, None)


class Gauss(GnetLayer):
    """Gaussian-derivative convolution. padding: (top, bottom, left, right) zeros, as TensorFlow pads.
    Weights: sigma, mu, theta; omega (full mix) or beta and lambda_ (separated; gnet's `lambda`);
    bias. Sigma enters the kernels clamped to >= min_sigma (a gradient still reaches it below), so a
    loop without gnet_torch.constrain never meets a non-positive scale."""

    omega: Optional[torch.Tensor]
    beta: Optional[torch.Tensor]
    lambda_: Optional[torch.Tensor]
    bias: Optional[torch.Tensor]
    tf_padding: List[int]

    def __init__(self, in_channels, filters, size, order, bases, mix, stride, padding, lowering,
                 isotropic=False, bias=False, frozen=(), min_sigma=0.2):
        super().__init__()
        setup_gauss(self, in_channels, filters, size, order, (order + 1) * (order + 2) // 2, bases, mix, stride, padding, lowering,
                    isotropic, bias, frozen, min_sigma, kernel_constants(order, tuple(size), isotropic), axes=2)

    def kernels(self):
        """phi [kh, kw, B, Nk] from the current sigma, mu and theta."""
        sigma = self.sigma + (torch.clamp(self.sigma, min=self.min_sigma) - self.sigma).detach()
        return gaussian_derivatives(sigma, self.mu, self.theta, self.rows, self.cols, self.hermite_p, self.hermite_q,
                                    self.powers, self.constant, self.order)

    def full_omega(self):
        """omega [B, f_in, F, Nk] of either mix."""
        return full_mix(self.omega, self.beta, self.lambda_)

    def deployed_kernel(self):
        """The frozen ordinary convolution weight [f_out, f_in, kh, kw] equal to this layer."""
        return self._combined_kernel(self.kernels())

    def _combined_kernel(self, phi):
        kh, kw = self.size
        return combine_filters(phi, self.full_omega(), self.filters, self.in_channels, kh, kw)

    def forward(self, x):
        phi = self.kernels()
        if self.lowering == 'separated':
            out = self._separated(x, phi)
        else:
            if len(self.tf_padding) > 0:
                x = F.pad(x, self.tf_padding)
            if self.lowering == 'basis-first':
                out = self._basis_first(dense_nchw(x), phi)
            else:
                out = F.conv2d(dense_nchw(x), self._combined_kernel(phi), None, self.stride, self.conv_padding)
        bias = self.bias
        return out if bias is None else out + bias.view(1, -1, 1, 1)

    def _bank(self, phi):
        """phi as depthwise weights [B*Nk, 1, kh, kw]."""
        kh, kw = self.size
        return phi.permute(2, 3, 0, 1).reshape(self.bases * self.count, 1, kh, kw)

    def _basis_first(self, x, phi):
        """Every input channel convolved with all B*Nk kernels (depthwise), then a per-basis 1x1 mix."""
        bank = self._bank(phi).repeat(self.in_channels, 1, 1, 1)
        responses = F.conv2d(x, bank, None, self.stride, self.conv_padding, 1, self.in_channels)
        n, h, w = responses.shape[0], responses.shape[2], responses.shape[3]
        split = responses.view(n, self.in_channels, self.bases, self.count, h, w)
        mixed = torch.einsum('zibnhw,bijn->zbjhw', split, self.full_omega())
        return dense_nchw(mixed.reshape(n, self.filters, h, w))

    def _separated(self, x, phi):
        """Paper eq. 4 as three cheap steps: 1x1 f_in -> B*Nk (beta), depthwise with phi, per-basis 1x1 Nk -> F (lambda)."""
        beta, lam = self.beta, self.lambda_
        assert beta is not None and lam is not None
        channels = self.bases * self.count
        projection = beta.permute(0, 2, 1).reshape(channels, self.in_channels, 1, 1)
        projected = F.conv2d(dense_nchw(x), projection)
        if len(self.tf_padding) > 0:
            projected = F.pad(projected, self.tf_padding)
        responses = F.conv2d(dense_nchw(projected), self._bank(phi), None, self.stride, self.conv_padding, 1, channels)
        n, h, w = responses.shape[0], responses.shape[2], responses.shape[3]
        mixed = torch.einsum('zbnhw,bnj->zbjhw', responses.view(n, self.bases, self.count, h, w), lam)
        return dense_nchw(mixed.reshape(n, self.filters, h, w))

    def deployed(self):
        """A plain torch convolution computing what this layer computes now (kernels computed once):
        nn.Conv2d, behind nn.ZeroPad2d when TensorFlow's padding is asymmetric."""
        with torch.no_grad():
            weight = self.deployed_kernel()
            conv = nn.Conv2d(self.in_channels, self.filters, self.size, self.stride, self.conv_padding,
                             bias=self.bias is not None, device=weight.device, dtype=weight.dtype)
            conv.weight.copy_(weight)
            if self.bias is not None:
                conv.bias.copy_(self.bias)
        return nn.Sequential(nn.ZeroPad2d(tuple(self.tf_padding)), conv) if self.tf_padding else conv

    def extra_repr(self):
        frozen = f', frozen={self.frozen}' if self.frozen else ''
        padding = f', padding={self.conv_padding}' + (f', tf_padding={tuple(self.tf_padding)}' if self.tf_padding else '')
        return (f'{self.in_channels}, {self.filters}, size={self.size}, order={self.order}, bases={self.bases}, mix={self.mix}, '
                f'lowering={self.lowering}, stride={self.stride}{padding}, isotropic={self.isotropic}, bias={self.bias is not None}{frozen}')
