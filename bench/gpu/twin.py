"""Hand-written PyTorch twins of the reference network and the Gaussian U-Net (no gnet code): the
Gaussian-derivative layer as the paper and docs/gauss-layer.md define it, written directly and
vectorised, so bench/gpu/run.py can time gnet's generated modules beside what a PyTorch user would
write by hand. Same shapes and parameter counts as specs/reference.gnet and specs/gauss-unet.gnet."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def hermite(p, t):
    """Physicists' Hermite polynomials H_0..H_p at t (a list of tensors)."""
    out = [torch.ones_like(t), 2 * t]
    for n in range(1, p):
        out.append(2 * t * out[n] - 2 * n * out[n - 1])
    return out[:p + 1]


def derivative(p, x, sigma, h):
    g = torch.exp(-x * x / (2 * sigma * sigma)) / (sigma * math.sqrt(2 * math.pi))
    return (-1 / (math.sqrt(2) * sigma)) ** p * h[p] * g


class GaussConv(nn.Module):
    """f_in -> f_out with B bases of order K (Nk kernels each), k x k, 'same' padding; mix full or separated."""

    def __init__(self, f_in, f_out, size, order, bases, mix='full'):
        super().__init__()
        self.order, self.bases, self.size, self.mix = order, bases, size, mix
        self.pairs = [(j, i - j) for i in range(order + 1) for j in range(i + 1)]
        nk, per = len(self.pairs), f_out // bases
        self.sigma = nn.Parameter(torch.empty(bases, nk, 2).uniform_(0.5, 2))
        self.mu = nn.Parameter(torch.empty(bases, nk, 2).uniform_(-1, 1))
        self.theta = nn.Parameter(torch.empty(bases, nk, 1).uniform_(-math.pi, math.pi))
        if mix == 'full':
            self.omega = nn.Parameter(torch.randn(bases, f_in, per, nk) * math.sqrt(2) / (f_in + f_out))
        else:
            self.beta = nn.Parameter(torch.randn(bases, f_in, nk) * math.sqrt(2) / (f_in + nk * bases))
            self.lam = nn.Parameter(torch.randn(bases, nk, per) * math.sqrt(2) / (f_out + nk * bases))

    def kernels(self):
        r = torch.arange(self.size, dtype=self.sigma.dtype, device=self.sigma.device) - self.size // 2
        x2, x1 = torch.meshgrid(r, r, indexing='ij')
        cos, sin = torch.cos(self.theta), torch.sin(self.theta)
        y1 = (x1 * cos[..., None] + x2 * sin[..., None]) - self.mu[..., 0, None, None]
        y2 = (-x1 * sin[..., None] + x2 * cos[..., None]) - self.mu[..., 1, None, None]
        s1, s2 = self.sigma.clamp(min=0.2)[..., 0, None, None], self.sigma.clamp(min=0.2)[..., 1, None, None]
        h1, h2 = hermite(self.order, y1 / (math.sqrt(2) * s1)), hermite(self.order, y2 / (math.sqrt(2) * s2))
        return torch.stack([derivative(p, y1[:, n], s1[:, n], [h[:, n] for h in h1]) * derivative(q, y2[:, n], s2[:, n], [h[:, n] for h in h2])
                            for n, (p, q) in enumerate(self.pairs)], dim=1)  # [B, Nk, k, k]

    def forward(self, x):
        phi = self.kernels()
        pad = self.size // 2
        if self.mix == 'full':
            w = torch.einsum('bijn,bnhw->bjihw', self.omega, phi).reshape(-1, x.shape[1], self.size, self.size)
            return F.conv2d(x, w, padding=pad)
        outs = []
        for b in range(self.bases):
            mixed = F.conv2d(x, self.beta[b].t()[:, :, None, None])  # f_in -> Nk
            filtered = F.conv2d(mixed, phi[b][:, None], padding=pad, groups=mixed.shape[1])  # each kernel on its map
            outs.append(F.conv2d(filtered, self.lam[b].t()[:, :, None, None]))  # Nk -> f_out / B
        return torch.cat(outs, dim=1)


class Reference(nn.Module):
    """specs/reference.gnet by hand: gauss 16 (separated) - BN - ReLU - gauss 32 (full) - BN - ReLU - GAP - dense."""

    def __init__(self, classes=10):
        super().__init__()
        self.g1, self.b1 = GaussConv(1, 16, 7, 3, 4, 'separated'), nn.BatchNorm2d(16, eps=1e-3, momentum=0.01)
        self.g2, self.b2 = GaussConv(16, 32, 7, 3, 8, 'full'), nn.BatchNorm2d(32, eps=1e-3, momentum=0.01)
        self.dense = nn.Linear(32, classes)

    def forward(self, x):
        x = F.relu(self.b1(self.g1(x)))
        x = F.relu(self.b2(self.g2(x)))
        return self.dense(x.mean(dim=(2, 3)))


class Unit(nn.Sequential):
    def __init__(self, f_in, f_out):
        super().__init__(GaussConv(f_in, f_out, 5, 2, 2), nn.BatchNorm2d(f_out, eps=1e-3, momentum=0.01), nn.ReLU())


class GaussUNet(nn.Module):
    """specs/gauss-unet.gnet's GaussUNet by hand (base 8, 2 classes)."""

    def __init__(self, base=8, classes=2):
        super().__init__()
        self.e1 = nn.Sequential(Unit(3, base), Unit(base, base))
        self.e2 = nn.Sequential(Unit(base, 2 * base), Unit(2 * base, 2 * base))
        self.mid = nn.Sequential(Unit(2 * base, 4 * base), Unit(4 * base, 4 * base))
        self.d2 = nn.Sequential(Unit(6 * base, 2 * base), Unit(2 * base, 2 * base))
        self.d1 = nn.Sequential(Unit(3 * base, base), Unit(base, base))
        self.out = nn.Conv2d(base, classes, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        mid = self.mid(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([F.interpolate(mid, scale_factor=2), e2], 1))
        d1 = self.d1(torch.cat([F.interpolate(d2, scale_factor=2), e1], 1))
        return self.out(d1)
