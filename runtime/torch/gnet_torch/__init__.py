"""gnet's PyTorch runtime: the layers generated modules (`gnet compile --target torch`) are built
from, weight conversion to and from gnet's layouts, and gnet's initialisers.
Needs only torch (>= 1.13), numpy and the standard library."""
import torch

from .gauss import Gauss, gauss_kernels
from .layers import (Activation, Add, AvgPool, BatchNorm, Concat, Conv2d, ConvTranspose2d, Crop, Dense, Depthwise,
                     Dropout, FeatureRandomEnhance, Flatten, GlobalPool, MaxPool, Multiply, SqueezeExcite, Upsample, tie)
from .norm import GroupNorm

__version__ = '1'


def constrain(module, meta=None):
    """Clamps every weight that has a minimum (gauss sigma >= 0.2); call it after each optimiser step."""
    meta = meta if meta is not None else module.META
    tensors = {**dict(module.named_parameters()), **dict(module.named_buffers())}
    with torch.no_grad():
        for weight in meta['weights']:
            if weight.get('minValue') is not None:
                tensors[weight['torch']].clamp_(min=weight['minValue'])


def load_module(path):
    """Imports a generated module file and returns (its network class, its META)."""
    import importlib.util
    import os
    import sys

    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = f'gnet_generated_{abs(hash(os.path.abspath(path)))}'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, module.META['class']), module.META
