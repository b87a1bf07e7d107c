"""The gauss layer (Penaud-Polge, Velasco-Forero and Angulo, ICIP 2022) as gnet computes it:
kernels from (sigma, mu, theta), then the mix through the lowering the compiler chose. The same
formulas as gnet's TypeScript runtime (runtime/gauss/*.ts), so both engines give the same numbers.

    phi(x) = G_p(y1, s1) * G_q(y2, s2),  y = R(theta) x - mu,
    G_p(y, s) = (-1 / (sqrt2 s))^p H_p(t) exp(-t^2) / (s sqrt(2 pi)),  t = y / (sqrt2 s),

x1 along the width (columns), x2 along the height (rows), the grid centred on 0, no renormalisation.
"""
import math

import torch
import torch.nn.functional as F

from .layers import GnetLayer, dense_nchw, pad2d


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


def _signed_hermite(t, degrees, table):
    """(-1)^d H_d(t) with each kernel's own degree d (last axis of t), by Horner's rule."""
    terms = max(degrees) + 1
    planes = [[(table[d][k] if k < len(table[d]) else 0.0) * (-1.0 if d % 2 else 1.0) for d in degrees] for k in range(terms)]
    value = t.new_tensor(planes[-1]).expand_as(t)
    for k in range(terms - 2, -1, -1):
        value = value * t + t.new_tensor(planes[k])
    return value


def gauss_kernels(sigma, mu, theta, order, size):
    """Every kernel phi[b, n] as one [kh, kw, B, Nk] tensor (sigma [B, Nk, 2 | 1], mu [B, Nk, 2], theta [B, Nk, 1])."""
    orders = basis_orders(order)
    kh, kw = size
    rows = torch.arange(kh, dtype=mu.dtype, device=mu.device) - (kh - 1) / 2
    cols = torch.arange(kw, dtype=mu.dtype, device=mu.device) - (kw - 1) / 2
    x1 = cols.view(1, kw, 1, 1)
    x2 = rows.view(kh, 1, 1, 1)
    cos, sin = torch.cos(theta[..., 0]), torch.sin(theta[..., 0])
    s1, s2 = sigma[..., 0], sigma[..., -1]
    t1 = (x1 * cos + x2 * sin - mu[..., 0]) / (math.sqrt(2) * s1)
    t2 = (-x1 * sin + x2 * cos - mu[..., 1]) / (math.sqrt(2) * s2)
    p = [o[0] for o in orders]
    q = [o[1] for o in orders]
    constant = mu.new_tensor([-(a + b) / 2 * math.log(2) - math.log(2 * math.pi) for a, b in orders])
    if sigma.shape[-1] == 2:
        log_scale = -(mu.new_tensor(p) + 1) * torch.log(s1) - (mu.new_tensor(q) + 1) * torch.log(s2) + constant
    else:
        log_scale = -(mu.new_tensor(p) + mu.new_tensor(q) + 2) * torch.log(s1) + constant
    gaussian = torch.exp(log_scale - t1 * t1 - t2 * t2)
    if order == 0:
        return gaussian
    table = hermite_coefficients(order)
    return _signed_hermite(t1, p, table) * _signed_hermite(t2, q, table) * gaussian


def omega_from_separated(beta, lam):
    """The full-mix weights equal to a separated mix: omega[b, i, j, n] = beta[b, i, n] * lambda[b, n, j]."""
    return torch.einsum('bin,bnj->bijn', beta, lam)


def combine_filters(phi, omega):
    """Conv weight [B*F, f_in, kh, kw] (OIHW) with W[b*F + j, i] = sum_n omega[b, i, j, n] * phi[:, :, b, n]."""
    bases, f_in, per_basis, _ = omega.shape
    kh, kw = phi.shape[0], phi.shape[1]
    return torch.einsum('hwbn,bijn->bjihw', phi, omega).reshape(bases * per_basis, f_in, kh, kw)


def _combined(x, phi, omega, stride):
    return F.conv2d(x, combine_filters(phi, omega), None, stride)


def _basis_first(x, phi, omega, stride):
    """Every input channel convolved with all B*Nk kernels (depthwise), then a per-basis 1x1 mix."""
    kh, kw, bases, count = phi.shape
    f_in = x.shape[1]
    bank = phi.permute(2, 3, 0, 1).reshape(bases * count, 1, kh, kw).repeat(f_in, 1, 1, 1)
    responses = F.conv2d(x, bank, None, stride, groups=f_in)
    n, _, h, w = responses.shape
    mixed = torch.einsum('zibnhw,bijn->zbjhw', responses.view(n, f_in, bases, count, h, w), omega)
    return dense_nchw(mixed.reshape(n, -1, h, w))


def _separated(x_unpadded, padding, phi, beta, lam, stride):
    """Paper eq. 4 as three cheap steps: 1x1 f_in -> B*Nk (beta), depthwise with phi, per-basis 1x1 Nk -> F (lambda)."""
    kh, kw, bases, count = phi.shape
    projection = beta.permute(0, 2, 1).reshape(bases * count, -1, 1, 1)
    projected = pad2d(F.conv2d(dense_nchw(x_unpadded), projection), padding)
    responses = F.conv2d(projected, phi.permute(2, 3, 0, 1).reshape(bases * count, 1, kh, kw), None, stride, groups=bases * count)
    n, _, h, w = responses.shape
    return dense_nchw(torch.einsum('zbnhw,bnj->zbjhw', responses.view(n, bases, count, h, w), lam).reshape(n, -1, h, w))


class Gauss(GnetLayer):
    """Gaussian-derivative convolution. padding: (top, bottom, left, right) zeros, as TensorFlow pads."""

    def __init__(self, in_channels, filters, size, order, bases, mix, stride, padding, lowering,
                 isotropic=False, bias=False, frozen=()):
        super().__init__()
        count = (order + 1) * (order + 2) // 2
        per_basis = filters // bases
        self.order, self.size, self.stride = order, tuple(size), tuple(stride)
        self.padding, self.mix, self.lowering = tuple(padding), mix, lowering
        self.add_weight('sigma', (bases, count, 1 if isotropic else 2), 'sigma' not in frozen)
        self.add_weight('mu', (bases, count, 2), 'mu' not in frozen)
        self.add_weight('theta', (bases, count, 1), 'theta' not in frozen)
        if mix == 'full':
            self.add_weight('omega', (bases, in_channels, per_basis, count))
        else:
            self.add_weight('beta', (bases, in_channels, count))
            self.add_weight('lambda', (bases, count, per_basis))
        if bias:
            self.add_weight('bias', (filters,))

    def kernels(self):
        """phi [kh, kw, B, Nk] from the current sigma, mu and theta."""
        return gauss_kernels(self.sigma, self.mu, self.theta, self.order, self.size)

    def full_omega(self):
        return self.omega if self.mix == 'full' else omega_from_separated(self.beta, getattr(self, 'lambda'))

    def deployed_kernel(self):
        """The frozen ordinary convolution weight [f_out, f_in, kh, kw] equal to this layer."""
        return combine_filters(self.kernels(), self.full_omega())

    def forward(self, x):
        phi = self.kernels()
        if self.lowering == 'separated':
            out = _separated(x, self.padding, phi, self.beta, getattr(self, 'lambda'), self.stride)
        elif self.lowering == 'basis-first':
            out = _basis_first(pad2d(x, self.padding), phi, self.full_omega(), self.stride)
        else:
            out = _combined(pad2d(x, self.padding), phi, self.full_omega(), self.stride)
        bias = getattr(self, 'bias', None)
        return out if bias is None else out + bias.view(1, -1, 1, 1)

    def extra_repr(self):
        return f'order={self.order}, size={self.size}, stride={self.stride}, mix={self.mix}, lowering={self.lowering}'
