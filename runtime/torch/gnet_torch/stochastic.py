"""The random blocks, dropout and feature random enhancement, active only while training. Without a
forward state they draw from torch's generator (torch.manual_seed governs them, as any torch layer);
with gnet's state {'seed', 'epoch', 'step'} they draw exactly what gnet's TypeScript runtime draws
(the trainer and the equivalence harness pass one). The state path is plain Python, left out of
TorchScript (a scripted module raises if handed a state while training)."""
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from torch import nn

from .layers import per_channel
from .rng import Rng


def choose_channels(channels, count, rng):
    """`count` distinct channels, uniformly (partial Fisher-Yates), as gnet's TypeScript runtime."""
    order = list(range(channels))
    for i in range(count):
        j = i + rng.int(channels - i)
        order[i], order[j] = order[j], order[i]
    return order[:count]


class Dropout(nn.Dropout):
    """dropout: torch's Dropout (inverted: kept values scaled by 1/(1 - p)); with a state, the mask is
    drawn from (seed, node key, epoch, step)."""

    def __init__(self, rate, key):
        super().__init__(rate)
        self.key = key

    def forward(self, x, state: Optional[Dict[str, int]] = None):
        if not self.training or self.p == 0:
            return x
        if state is None:
            return F.dropout(x, self.p, True)
        return self.gnet_dropout(x, state)

    @torch.jit.unused
    def gnet_dropout(self, x, state: Dict[str, int]):
        """The mask of gnet's TypeScript runtime: uniforms of the stream (seed, key/dropout@epoch:step), one per
        value in NHWC order (feature maps are NCHW here, so the mask is drawn NHWC and turned)."""
        nhwc = (x.shape[0], *x.shape[2:], x.shape[1]) if x.dim() > 2 else tuple(x.shape)
        uniforms = Rng(state['seed'], f"{self.key}/dropout@{state['epoch']}:{state['step']}").uniforms(x.numel())
        keep = torch.from_numpy(uniforms >= self.p).reshape(nhwc).to(x.device)
        if x.dim() > 2:
            keep = keep.movedim(-1, 1)
        return x * keep / (1 - self.p)

    def extra_repr(self):
        return f'{super().extra_repr()}, key={self.key!r}'


class FeatureRandomEnhance(nn.Module):
    """fre (Ando & Hotta 2021): while training, `count` random channels are multiplied by `factor`; with
    a state the choice is drawn from (seed, node key, epoch) as the TypeScript runtime draws it."""

    def __init__(self, count, factor, key):
        super().__init__()
        self.count, self.factor, self.key = count, float(factor), key

    def forward(self, x, state: Optional[Dict[str, int]] = None):
        if not self.training:
            return x
        channels = x.shape[1]
        if state is None:
            chosen = torch.randperm(channels, device=x.device)[:self.count]
        else:
            chosen = torch.tensor(self.gnet_channels(channels, state), dtype=torch.long, device=x.device)
        scale = torch.ones(channels, dtype=x.dtype, device=x.device).index_fill(0, chosen, self.factor)
        return x * per_channel(scale, x)

    @torch.jit.unused
    def gnet_channels(self, channels: int, state: Dict[str, int]) -> List[int]:
        return choose_channels(channels, self.count, Rng(state['seed'], f"{self.key}/fre@{state['epoch']}"))

    def extra_repr(self):
        return f'count={self.count}, factor={self.factor}, key={self.key!r}'
