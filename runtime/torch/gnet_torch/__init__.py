"""gnet's PyTorch runtime: the layers generated modules (`gnet compile --target torch`) are built
from, weight conversion to and from gnet's layouts, gnet's initialisers and deployment.
Needs only torch (>= 1.13), numpy and the standard library."""
import torch

from .activations import Activation
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d, KerasBatchNorm
from .dau import Dau
from .deploy import deploy
from .gauss import Gauss, gauss_kernels
from .gauss3d import Gauss3d
from .init import initialise
from .layers import (Add, AvgPool, AvgPool3d, Concat, Conv2d, Conv3d, ConvTranspose2d, ConvTranspose3d, Crop, Dense, Depthwise, Depthwise3d,
                     Flatten, GlobalPool, MaxPool, MaxPool3d, Multiply, SqueezeExcite, Upsample, tie)
from .stochastic import Dropout, FeatureRandomEnhance
from .norm import GroupNorm

__version__ = '2'


def constrain(module, meta=None):
    """Clamps every weight that has a minimum (gauss sigma >= 0.2), as gnet does after each optimiser
    step; optional in a plain loop (the gauss layer clamps sigma where it uses it)."""
    meta = meta if meta is not None else module.META
    tensors = {**dict(module.named_parameters()), **dict(module.named_buffers())}
    with torch.no_grad():
        for weight in meta['weights']:
            if weight.get('minValue') is not None:
                tensors[weight['torch']].clamp_(min=weight['minValue'])


def named_outputs(meta, outputs):
    """A module's outputs by name: a one-output module returns its tensor, a dict is kept."""
    return outputs if isinstance(outputs, dict) else {meta['outputs'][0]['name']: outputs}


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
