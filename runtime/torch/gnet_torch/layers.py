"""The layers generated PyTorch modules are built from, one per gnet block kind. Feature maps are
NCHW, vectors [N, C]. Every layer registers its weights under gnet's weight names (kernel, bias,
gamma, ...) in torch's native layouts; non-trainable ones (batch-norm statistics, frozen gauss
parameters) are buffers. Padding is always explicit (top, bottom, left, right), computed by the
compiler as TensorFlow pads ('same' puts the smaller half first), so every engine agrees."""
import torch
import torch.nn.functional as F
from torch import nn

from .rng import Rng, hash_key
from .sync import batch_moments


def pad2d(x, padding, value=0.0):
    """Pads an NCHW map by (top, bottom, left, right); the result is always in contiguous NCHW memory."""
    top, bottom, left, right = padding
    if top == bottom == left == right == 0:
        return dense_nchw(x)
    return dense_nchw(F.pad(x, (left, right, top, bottom), value=value))


def dense_nchw(x):
    """x in contiguous NCHW memory. Views with other strides (crops, mixes computed by einsum) can make
    torch pick another convolution path, and some (PyTorch 1.13's CPU weight gradient with a strided
    window that leaves rows over) compute wrong gradients."""
    return x.contiguous(memory_format=torch.contiguous_format)


def channel_axis(x):
    """Channels: axis 1 of an NCHW map, the last axis of anything else."""
    return 1 if x.dim() == 4 else x.dim() - 1


def per_channel(values, x):
    """A [C] tensor shaped to broadcast over x's channel axis."""
    shape = [1] * x.dim()
    shape[channel_axis(x)] = -1
    return values.view(shape)


class GnetLayer(nn.Module):
    """A layer whose weights carry gnet's names: trainable ones are parameters, the others buffers."""

    def add_weight(self, name, shape, trainable=True):
        value = torch.zeros(shape)
        if trainable:
            self.register_parameter(name, nn.Parameter(value))
        else:
            self.register_buffer(name, value)


def tie(layer, owner):
    """`layer` computing with `owner`'s weights (the same tensors): a shared block used where it needs
    another layer, e.g. other padding for another input size."""
    for name, parameter in owner.named_parameters(recurse=False):
        setattr(layer, name, parameter)
    for name, buffer in owner.named_buffers(recurse=False):
        layer._buffers[name] = buffer
    return layer


class Conv2d(GnetLayer):
    """conv: kernel [out, in/groups, kh, kw] (gnet's [kh, kw, in/groups, out] transposed)."""

    def __init__(self, in_channels, filters, size, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), groups=1, bias=True):
        super().__init__()
        self.stride, self.padding, self.dilation, self.groups = tuple(stride), tuple(padding), tuple(dilation), groups
        self.add_weight('kernel', (filters, in_channels // groups, size[0], size[1]))
        if bias:
            self.add_weight('bias', (filters,))
        else:
            self.bias = None

    def forward(self, x):
        return F.conv2d(pad2d(x, self.padding), self.kernel, self.bias, self.stride, 0, self.dilation, self.groups)


class Depthwise(Conv2d):
    """depthwise: kernel [C*m, 1, kh, kw] (gnet's [kh, kw, C, m]); output channel c*m + j reads channel c."""

    def __init__(self, channels, multiplier, size, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), bias=True):
        super().__init__(channels, channels * multiplier, size, stride, padding, dilation, groups=channels, bias=bias)


class ConvTranspose2d(GnetLayer):
    """conv_transpose: kernel [in, out, kh, kw] (gnet's [kh, kw, out, in]). Output pixel o gathers input
    i through tap t where o = i*stride + t - pad_before, as TensorFlow's conv2dTranspose."""

    def __init__(self, in_channels, filters, size, stride, pad_before, out_size, bias=True):
        super().__init__()
        self.stride, self.pad_before, self.out_size = tuple(stride), tuple(pad_before), tuple(out_size)
        self.add_weight('kernel', (in_channels, filters, size[0], size[1]))
        if bias:
            self.add_weight('bias', (filters,))
        else:
            self.bias = None

    def forward(self, x):
        full = F.conv_transpose2d(dense_nchw(x), self.kernel, None, self.stride)
        (top, left), (h, w) = self.pad_before, self.out_size
        window = full[:, :, top:top + h, left:left + w]
        out = F.pad(window, (0, w - window.shape[3], 0, h - window.shape[2]))
        return out if self.bias is None else out + self.bias.view(1, -1, 1, 1)


class Dense(GnetLayer):
    """dense: kernel [out, in] (gnet's [in, out]); on an NCHW map it acts per pixel."""

    def __init__(self, in_features, units, bias=True):
        super().__init__()
        self.add_weight('kernel', (units, in_features))
        if bias:
            self.add_weight('bias', (units,))
        else:
            self.bias = None

    def forward(self, x):
        if x.dim() == 4:
            return F.conv2d(dense_nchw(x), self.kernel[:, :, None, None], self.bias)
        return F.linear(x, self.kernel, self.bias)


class BatchNorm(GnetLayer):
    """Batch normalisation over the channel axis with Keras semantics: training normalises with the
    batch's mean and biased variance and updates moving = moving*momentum + batch*(1 - momentum)
    (torch's momentum is 1 - this one); inference uses the moving statistics. scale=False: no gamma
    weight (1). fixed_statistics=True: training normalises with the moving statistics too and never
    updates them. The run's step warms the moving statistics up: the share kept is
    min(momentum, step / (step + 1)), so the first batch replaces the initial 0 and 1 (as the
    TypeScript runtime's batchNorm does)."""

    def __init__(self, channels, momentum=0.9, epsilon=1e-3, scale=True, fixed_statistics=False):
        super().__init__()
        self.momentum, self.epsilon, self.fixed_statistics = momentum, epsilon, fixed_statistics
        if scale:
            self.add_weight('gamma', (channels,))
        else:
            self.gamma = None
        self.add_weight('beta', (channels,))
        self.add_weight('moving_mean', (channels,), trainable=False)
        self.add_weight('moving_variance', (channels,), trainable=False)

    def forward(self, x, state=None):
        axis = channel_axis(x)
        if not self.training or self.fixed_statistics:
            mean, variance = per_channel(self.moving_mean, x), per_channel(self.moving_variance, x)
            return self.scale_and_shift((x - mean) * torch.rsqrt(variance + self.epsilon), x)
        axes = [a for a in range(x.dim()) if a != axis]
        mean, variance = batch_moments(x, axes)
        step = default_state(state)['step']
        kept = self.momentum if self.momentum >= 1 else min(self.momentum, step / (step + 1))
        with torch.no_grad():
            self.moving_mean.mul_(kept).add_(mean.reshape(-1) * (1 - kept))
            self.moving_variance.mul_(kept).add_(variance.reshape(-1) * (1 - kept))
        return self.scale_and_shift((x - mean) * torch.rsqrt(variance + self.epsilon), x)

    def scale_and_shift(self, normalised, x):
        scaled = normalised if self.gamma is None else normalised * per_channel(self.gamma, x)
        return scaled + per_channel(self.beta, x)


class MaxPool(nn.Module):
    """maxpool: padded cells never win."""

    def __init__(self, size, stride, padding=(0, 0, 0, 0)):
        super().__init__()
        self.size, self.stride, self.padding = tuple(size), tuple(stride), tuple(padding)

    def forward(self, x):
        return F.max_pool2d(pad2d(x, self.padding, float('-inf')), self.size, self.stride)


class AvgPool(nn.Module):
    """avgpool: padded cells are left out of the average (TensorFlow semantics)."""

    def __init__(self, size, stride, padding=(0, 0, 0, 0)):
        super().__init__()
        self.size, self.stride, self.padding = tuple(size), tuple(stride), tuple(padding)

    def forward(self, x):
        if not any(self.padding):
            return F.avg_pool2d(x, self.size, self.stride)
        sums = F.avg_pool2d(pad2d(x, self.padding), self.size, self.stride)
        ones = x.new_ones((1, 1, x.shape[2], x.shape[3]))
        counts = F.avg_pool2d(pad2d(ones, self.padding), self.size, self.stride)
        return sums / counts


class GlobalPool(nn.Module):
    """global_avgpool / global_maxpool over H and W: [N, C] or, keeping the axes, [N, C, 1, 1]."""

    def __init__(self, op, keepdims=False):
        super().__init__()
        self.op, self.keepdims = op, keepdims

    def forward(self, x):
        if self.op == 'mean':
            return x.mean(dim=(2, 3), keepdim=self.keepdims)
        return torch.amax(x, dim=(2, 3), keepdim=self.keepdims)


def _bilinear_taps(size, factor, device, dtype):
    """Source position s = (out + 1/2)/factor - 1/2 between two neighbours, clamped at the borders."""
    out = torch.arange(size * factor, dtype=torch.float64)
    source = (out + 0.5) / factor - 0.5
    below = torch.floor(source)
    fraction = (source - below).to(dtype=dtype, device=device)
    low = below.clamp(0, size - 1).long().to(device)
    high = (below + 1).clamp(0, size - 1).long().to(device)
    return low, high, fraction


class Upsample(nn.Module):
    """upsample by integer factors: nearest repeats pixels; bilinear uses half-pixel centres (Keras
    UpSampling2D / tf.image.resize without corner alignment)."""

    def __init__(self, factor, mode='nearest'):
        super().__init__()
        self.factor, self.mode = tuple(factor), mode

    def forward(self, x):
        fh, fw = self.factor
        if self.mode == 'nearest':
            return x.repeat_interleave(fh, dim=2).repeat_interleave(fw, dim=3)
        return self._resize(self._resize(x, 2, fh), 3, fw)

    @staticmethod
    def _resize(x, axis, factor):
        if factor == 1:
            return x
        low, high, fraction = _bilinear_taps(x.shape[axis], factor, x.device, x.dtype)
        shape = [1] * x.dim()
        shape[axis] = -1
        fraction = fraction.view(shape)
        return x.index_select(axis, low) * (1 - fraction) + x.index_select(axis, high) * fraction


class Crop(nn.Module):
    """crop: the [h, w] window whose top-left corner is at (top, left)."""

    def __init__(self, offset, size):
        super().__init__()
        self.offset, self.size = tuple(offset), tuple(size)

    def forward(self, x):
        (top, left), (h, w) = self.offset, self.size
        return x[:, :, top:top + h, left:left + w]


class SqueezeExcite(GnetLayer):
    """se: global average pool -> dense C/r (relu) -> dense C (sigmoid) -> channel scale. w1 [C/r, C], w2 [C, C/r]."""

    def __init__(self, channels, width):
        super().__init__()
        self.add_weight('w1', (width, channels))
        self.add_weight('b1', (width,))
        self.add_weight('w2', (channels, width))
        self.add_weight('b2', (channels,))

    def forward(self, x):
        squeezed = x.mean(dim=(2, 3))
        gates = torch.sigmoid(F.linear(torch.relu(F.linear(squeezed, self.w1, self.b1)), self.w2, self.b2))
        return x * gates[:, :, None, None]


def default_state(state):
    return state if state is not None else {'epoch': 0, 'seed': 0, 'step': 0}


def choose_channels(channels, count, rng):
    """`count` distinct channels, uniformly (partial Fisher-Yates), as gnet's TypeScript runtime."""
    order = list(range(channels))
    for i in range(count):
        j = i + rng.int(channels - i)
        order[i], order[j] = order[j], order[i]
    return order[:count]


class FeatureRandomEnhance(nn.Module):
    """fre (Ando & Hotta 2021): while training, `count` random channels are multiplied by `factor`; the
    choice is drawn from (seed, node key, epoch) exactly as the TypeScript runtime draws it."""

    def __init__(self, count, factor, key):
        super().__init__()
        self.count, self.factor, self.key = count, factor, key

    def forward(self, x, state=None):
        if not self.training:
            return x
        state = default_state(state)
        channels = x.shape[channel_axis(x)]
        scale = [1.0] * channels
        for channel in choose_channels(channels, self.count, Rng(state['seed'], f"{self.key}/fre@{state['epoch']}")):
            scale[channel] = self.factor
        return x * per_channel(x.new_tensor(scale), x)


class Dropout(nn.Module):
    """Inverted dropout while training (mask drawn from seed, node key, epoch and step), identity otherwise."""

    def __init__(self, rate, key):
        super().__init__()
        self.rate, self.key = rate, key

    def forward(self, x, state=None):
        if not self.training or self.rate == 0:
            return x
        state = default_state(state)
        generator = torch.Generator(device=x.device)
        generator.manual_seed(hash_key(state['seed'], f"{self.key}/dropout@{state['epoch']}:{state['step']}"))
        keep = torch.rand(x.shape, generator=generator, device=x.device) >= self.rate
        return x * keep / (1 - self.rate)


# SELU's constants (Klambauer et al. 2017), as tfjs and torch use them.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _elu(x):
    # expm1, not exp(x) - 1 as torch's float32 kernel computes it: near zero that loses most digits.
    return torch.where(x > 0, x, torch.expm1(torch.clamp(x, max=0)))


_ACTIVATIONS = {
    'relu': torch.relu,
    'relu6': lambda x: torch.clamp(x, 0, 6),
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'elu': _elu,
    'selu': lambda x: _SELU_SCALE * torch.where(x > 0, x, _SELU_ALPHA * torch.expm1(torch.clamp(x, max=0))),
    'gelu': F.gelu,
    'swish': lambda x: x * torch.sigmoid(x),
    'softplus': F.softplus,
    'linear': lambda x: x,
}


class Activation(nn.Module):
    """An elementwise nonlinearity by gnet name; softmax normalises over the channel axis."""

    def __init__(self, kind, alpha=None):
        super().__init__()
        self.kind, self.alpha = kind, alpha

    def forward(self, x):
        if self.kind == 'softmax':
            return torch.softmax(x, dim=channel_axis(x))
        if self.kind == 'leaky_relu':
            return F.leaky_relu(x, self.alpha)
        return _ACTIVATIONS[self.kind](x)

    def extra_repr(self):
        return self.kind if self.alpha is None else f'{self.kind}, alpha={self.alpha}'


class Add(nn.Module):
    def forward(self, *xs):
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return total


class Multiply(nn.Module):
    def forward(self, *xs):
        product = xs[0]
        for x in xs[1:]:
            product = product * x
        return product


class Concat(nn.Module):
    """Joins along the channel axis."""

    def forward(self, *xs):
        return torch.cat(xs, dim=channel_axis(xs[0]))


class Flatten(nn.Module):
    """H*W*C vector in gnet's (NHWC, row-major) order, so a following dense kernel only transposes."""

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        return x.reshape(x.shape[0], -1)
