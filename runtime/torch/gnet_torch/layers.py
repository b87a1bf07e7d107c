"""The layers generated PyTorch modules are built from, one per gnet block kind (batch norm in
batchnorm.py, dropout and fre in stochastic.py, activations in activations.py, gauss in gauss.py).
Feature maps are NCHW, vectors [N, C]; the channel axis is always 1. Where torch has the layer
(convolution, dense) the class is torch's, subclassed; the others hold their weights under gnet's
names (kernel, bias, w1, ...) in torch's layouts. Paddings arrive as TensorFlow computes them
(top, bottom, left, right; 'same' puts the smaller half first): a symmetric one is the layer's own
padding, an asymmetric one an explicit F.pad, so every engine agrees. Every layer compiles with
torch.jit.script and exports to ONNX."""
from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def pad_list(padding):
    """(before, after) per axis, first axis first — (top, bottom, left, right), or (front, back, top,
    bottom, left, right) on a volume — as F.pad's list, last axis first; [] when there is none."""
    pairs = [list(padding[i:i + 2]) for i in range(0, len(padding), 2)]
    return [] if not any(padding) else [p for pair in reversed(pairs) for p in pair]


def split_padding(padding):
    """A symmetric padding as a convolution's own (one per axis) and no explicit padding; an
    asymmetric one as no padding of the convolution's own and the whole F.pad list."""
    befores, afters = tuple(padding[0::2]), tuple(padding[1::2])
    if befores == afters:
        return befores, []
    return tuple(0 for _ in befores), pad_list(padding)


def dense_nchw(x):
    """x in contiguous NCHW memory. Views with other strides (crops, mixes computed by einsum) can make
    torch pick another convolution path, and some (PyTorch 1.13's CPU weight gradient with a strided
    window that leaves rows over) compute wrong gradients."""
    return x.contiguous(memory_format=torch.contiguous_format)


def per_channel(values, x):
    """A [C] tensor shaped to broadcast over x's channel axis (1)."""
    shape = [1] * x.dim()
    shape[1] = -1
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


class Conv2d(nn.Conv2d):
    """conv: torch's Conv2d; weight [out, in/groups, kh, kw] is gnet's kernel [kh, kw, in/groups, out]
    transposed. TensorFlow's 'same' padding is the convolution's own when symmetric, else an explicit
    F.pad first (`tf_padding`, F.pad's order)."""

    tf_padding: List[int]

    def __init__(self, in_channels, filters, size, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), groups=1, bias=True):
        own, explicit = split_padding(padding)
        super().__init__(in_channels, filters, tuple(size), tuple(stride), own, tuple(dilation), groups, bias)
        self.tf_padding = explicit

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding)
        return self._conv_forward(dense_nchw(x), self.weight, self.bias)

    def extra_repr(self):
        extra = f', tf_padding={tuple(self.tf_padding)}' if self.tf_padding else ''
        return super().extra_repr() + extra


class Depthwise(Conv2d):
    """depthwise: weight [C*m, 1, kh, kw] (gnet's [kh, kw, C, m]); output channel c*m + j reads channel c."""

    def __init__(self, channels, multiplier, size, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), bias=True):
        super().__init__(channels, channels * multiplier, size, stride, padding, dilation, groups=channels, bias=bias)


class Conv3d(nn.Conv3d):
    """conv on NCDHW volumes: torch's Conv3d; weight [out, in/groups, kd, kh, kw] is gnet's kernel
    [kd, kh, kw, in/groups, out] transposed; TensorFlow's padding as in Conv2d."""

    tf_padding: List[int]

    def __init__(self, in_channels, filters, size, stride=(1, 1, 1), padding=(0, 0, 0, 0, 0, 0), dilation=(1, 1, 1), groups=1, bias=True):
        own, explicit = split_padding(padding)
        super().__init__(in_channels, filters, tuple(size), tuple(stride), own, tuple(dilation), groups, bias)
        self.tf_padding = explicit

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding)
        return self._conv_forward(x.contiguous(), self.weight, self.bias)

    def extra_repr(self):
        extra = f', tf_padding={tuple(self.tf_padding)}' if self.tf_padding else ''
        return super().extra_repr() + extra


class Depthwise3d(Conv3d):
    """depthwise on volumes: weight [C*m, 1, kd, kh, kw] (gnet's [kd, kh, kw, C, m])."""

    def __init__(self, channels, multiplier, size, stride=(1, 1, 1), padding=(0, 0, 0, 0, 0, 0), dilation=(1, 1, 1), bias=True):
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
        top, left = self.pad_before
        h, w = self.out_size
        window = full[:, :, top:top + h, left:left + w]
        out = F.pad(window, [0, w - window.shape[3], 0, h - window.shape[2]])
        bias = self.bias
        return out if bias is None else out + per_channel(bias, out)

    def extra_repr(self):
        i, o, kh, kw = self.kernel.shape
        return f'{i}, {o}, kernel_size={(kh, kw)}, stride={self.stride}, pad_before={self.pad_before}, out_size={self.out_size}, bias={self.bias is not None}'


class ConvTranspose3d(GnetLayer):
    """conv_transpose on volumes: kernel [in, out, kd, kh, kw] (gnet's [kd, kh, kw, out, in]); voxel o
    gathers input i through tap t where o = i*stride + t - pad_before, per axis."""

    def __init__(self, in_channels, filters, size, stride, pad_before, out_size, bias=True):
        super().__init__()
        self.stride, self.pad_before, self.out_size = tuple(stride), tuple(pad_before), tuple(out_size)
        self.add_weight('kernel', (in_channels, filters, size[0], size[1], size[2]))
        if bias:
            self.add_weight('bias', (filters,))
        else:
            self.bias = None

    def forward(self, x):
        full = F.conv_transpose3d(x.contiguous(), self.kernel, None, self.stride)
        front, top, left = self.pad_before
        d, h, w = self.out_size
        window = full[:, :, front:front + d, top:top + h, left:left + w]
        out = F.pad(window, [0, w - window.shape[4], 0, h - window.shape[3], 0, d - window.shape[2]])
        bias = self.bias
        return out if bias is None else out + per_channel(bias, out)

    def extra_repr(self):
        i, o, kd, kh, kw = self.kernel.shape
        return f'{i}, {o}, kernel_size={(kd, kh, kw)}, stride={self.stride}, pad_before={self.pad_before}, out_size={self.out_size}, bias={self.bias is not None}'


class Dense(nn.Linear):
    """dense: torch's Linear; weight [out, in] is gnet's kernel [in, out] transposed. On an NCHW map
    it acts per pixel (a 1x1 convolution)."""

    def forward(self, x):
        if x.dim() == 4:
            return F.conv2d(dense_nchw(x), self.weight[:, :, None, None], self.bias)
        if x.dim() == 5:
            return F.conv3d(x.contiguous(), self.weight[:, :, None, None, None], self.bias)
        return F.linear(x, self.weight, self.bias)


class Pool2d(nn.Module):
    """A pooling window: size, stride and TensorFlow's padding as an F.pad list."""

    tf_padding: List[int]

    def __init__(self, size, stride, padding=(0, 0, 0, 0)):
        super().__init__()
        self.size, self.stride, self.tf_padding = tuple(size), tuple(stride), pad_list(padding)

    def extra_repr(self):
        return f'size={self.size}, stride={self.stride}, tf_padding={tuple(self.tf_padding)}'


class MaxPool(Pool2d):
    """maxpool: padded cells never win."""

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding, value=float('-inf'))
        return F.max_pool2d(x, self.size, self.stride)


class AvgPool(Pool2d):
    """avgpool: padded cells are left out of the average (TensorFlow semantics)."""

    def forward(self, x):
        if len(self.tf_padding) == 0:
            return F.avg_pool2d(x, self.size, self.stride)
        sums = F.avg_pool2d(F.pad(x, self.tf_padding), self.size, self.stride)
        ones = x.new_ones((1, 1, x.shape[2], x.shape[3]))
        counts = F.avg_pool2d(F.pad(ones, self.tf_padding), self.size, self.stride)
        return sums / counts


class MaxPool3d(Pool2d):
    """maxpool on volumes: padded cells never win."""

    def forward(self, x):
        if len(self.tf_padding) > 0:
            x = F.pad(x, self.tf_padding, value=float('-inf'))
        return F.max_pool3d(x, self.size, self.stride)


class AvgPool3d(Pool2d):
    """avgpool on volumes: padded cells are left out of the average (TensorFlow semantics)."""

    def forward(self, x):
        if len(self.tf_padding) == 0:
            return F.avg_pool3d(x, self.size, self.stride)
        sums = F.avg_pool3d(F.pad(x, self.tf_padding), self.size, self.stride)
        ones = x.new_ones((1, 1, x.shape[2], x.shape[3], x.shape[4]))
        counts = F.avg_pool3d(F.pad(ones, self.tf_padding), self.size, self.stride)
        return sums / counts


class GlobalPool(nn.Module):
    """global_avgpool / global_maxpool over the spatial axes: [N, C] or, keeping them, [N, C, 1, 1]."""

    def __init__(self, op, keepdims=False):
        super().__init__()
        self.op, self.keepdims = op, keepdims

    def forward(self, x):
        axes = list(range(2, x.dim()))
        if self.op == 'mean':
            return torch.mean(x, dim=axes, keepdim=self.keepdims)
        return torch.amax(x, dim=axes, keepdim=self.keepdims)

    def extra_repr(self):
        return f'{self.op}, keepdims={self.keepdims}'


class Upsample(nn.Module):
    """upsample by integer factors: nearest repeats pixels (voxels); bilinear uses half-pixel centres
    (Keras UpSampling2D / tf.image.resize without corner alignment, torch's align_corners=False), on a
    volume trilinearly."""

    factor: List[int]

    def __init__(self, factor, mode='nearest'):
        super().__init__()
        self.factor, self.mode = list(factor), mode

    def forward(self, x):
        f = self.factor
        if self.mode == 'nearest':
            # Each pixel broadcast to a block (repeat_interleave's ONNX export fixes the batch size).
            if len(f) == 3:
                n, c, d, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4]
                blocks = x[:, :, :, None, :, None, :, None].expand(n, c, d, f[0], h, f[1], w, f[2])
                return blocks.reshape(n, c, d * f[0], h * f[1], w * f[2])
            n, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
            return x[:, :, :, None, :, None].expand(n, c, h, f[0], w, f[1]).reshape(n, c, h * f[0], w * f[1])
        scale = [float(v) for v in f]
        return F.interpolate(x, scale_factor=scale, mode='trilinear' if len(f) == 3 else 'bilinear', align_corners=False)

    def extra_repr(self):
        return f'factor={self.factor}, mode={self.mode}'


class Crop(nn.Module):
    """crop: the [h, w] (or [d, h, w]) window whose first corner is at `offset`."""

    offset: List[int]
    size: List[int]

    def __init__(self, offset, size):
        super().__init__()
        self.offset, self.size = list(offset), list(size)

    def forward(self, x):
        o, s = self.offset, self.size
        if len(o) == 3:
            return x[:, :, o[0]:o[0] + s[0], o[1]:o[1] + s[1], o[2]:o[2] + s[2]]
        return x[:, :, o[0]:o[0] + s[0], o[1]:o[1] + s[1]]

    def extra_repr(self):
        return f'offset={self.offset}, size={self.size}'


class SqueezeExcite(GnetLayer):
    """se: global average pool -> dense C/r (relu) -> dense C (sigmoid) -> channel scale. w1 [C/r, C], w2 [C, C/r]."""

    def __init__(self, channels, width):
        super().__init__()
        self.add_weight('w1', (width, channels))
        self.add_weight('b1', (width,))
        self.add_weight('w2', (channels, width))
        self.add_weight('b2', (channels,))

    def forward(self, x):
        squeezed = torch.mean(x, dim=list(range(2, x.dim())))
        gates = torch.sigmoid(F.linear(torch.relu(F.linear(squeezed, self.w1, self.b1)), self.w2, self.b2))
        return x * gates.reshape(list(gates.shape) + [1] * (x.dim() - 2))

    def extra_repr(self):
        width, channels = self.w1.shape
        return f'{channels} -> {width} -> {channels}'


class Add(nn.Module):
    """add: the elementwise sum of a list of tensors."""

    def forward(self, xs: List[torch.Tensor]):
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return total


class Multiply(nn.Module):
    """multiply: the elementwise product of a list of tensors."""

    def forward(self, xs: List[torch.Tensor]):
        product = xs[0]
        for x in xs[1:]:
            product = product * x
        return product


class Concat(nn.Module):
    """concat: a list of tensors joined along the channel axis."""

    def forward(self, xs: List[torch.Tensor]):
        return torch.cat(xs, dim=1)

    def extra_repr(self):
        return 'dim=1'


class Flatten(nn.Module):
    """flatten: a vector in gnet's channels-last (NHWC, row-major) order, so a following dense kernel only transposes."""

    def forward(self, x):
        if x.dim() > 2:
            x = x.movedim(1, -1)
        return x.reshape(x.shape[0], -1)

    def extra_repr(self):
        return 'channels last'
