"""gnet's elementwise nonlinearities by name, as one scriptable layer."""
import torch
import torch.nn.functional as F
from torch import nn

def _negative_expm1(x):
    """exp(x) - 1 for x <= 0 (0 above) to full precision near zero, as 2 tanh(x/2) / (1 - tanh(x/2)):
    torch's float32 elu computes exp(x) - 1, which loses most digits there, and ONNX has no expm1."""
    half = torch.tanh(torch.clamp(x, max=0.0) / 2)
    return 2 * half / (1 - half)


class Activation(nn.Module):
    """An elementwise nonlinearity by gnet name; softmax normalises over the channel axis (1)."""

    def __init__(self, kind, alpha=None):
        super().__init__()
        self.kind = kind
        self.alpha = 0.0 if alpha is None else float(alpha)

    def forward(self, x):
        kind = self.kind
        if kind == 'relu':
            return torch.relu(x)
        if kind == 'relu6':
            return torch.clamp(x, 0.0, 6.0)
        if kind == 'sigmoid':
            return torch.sigmoid(x)
        if kind == 'tanh':
            return torch.tanh(x)
        if kind == 'elu':
            return torch.where(x > 0, x, _negative_expm1(x))
        if kind == 'selu':
            # SELU's constants (Klambauer et al. 2017), as tfjs and torch use them.
            return 1.0507009873554804934193349852946 * torch.where(x > 0, x, 1.6732632423543772848170429916717 * _negative_expm1(x))
        if kind == 'gelu':
            return F.gelu(x)
        if kind == 'swish':
            return x * torch.sigmoid(x)
        if kind == 'softplus':
            return F.softplus(x)
        if kind == 'softmax':
            return torch.softmax(x, dim=1)
        if kind == 'leaky_relu':
            return F.leaky_relu(x, self.alpha)
        if kind == 'linear':
            return x
        raise ValueError('unknown activation ' + kind)

    def extra_repr(self):
        return f'{self.kind}, alpha={self.alpha}' if self.kind == 'leaky_relu' else self.kind
