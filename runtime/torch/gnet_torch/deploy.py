"""Deployment: every gauss layer of a module frozen into a plain torch convolution, so the module's
TorchScript and ONNX hold only torch's own operators and load without gnet's code."""
from .gauss import Gauss
from .gauss3d import Gauss3d


def deploy(module):
    """Replaces, in place, every gauss layer of `module` by the nn.Conv2d or nn.Conv3d (behind a padding layer where
    TensorFlow pads asymmetrically) computing what it computes now; returns `module`. The gauss
    weights are gone afterwards: deploy a trained module for inference and export, keep the original
    for training and for gnet's weight files."""
    targets = [(parent, name, child) for parent in module.modules() for name, child in parent.named_children() if isinstance(child, (Gauss, Gauss3d))]
    for parent, name, child in targets:
        setattr(parent, name, child.deployed())
    return module
