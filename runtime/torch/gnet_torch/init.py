"""Initial weights drawn as gnet's TypeScript runtime draws them (runtime/init.ts): the same
(seed, weight name) streams, so a module initialised here holds the values createWeights(seed) makes."""
import math

import numpy as np
import torch

from .rng import Rng
from .weights import load_gnet_weights

# Keras' truncated normal keeps |z| <= 2 and rescales so the kept variance matches the target.
_TRUNCATED_NORMAL_STD = 0.87962566103423978


def compute_fans(shape):
    """Keras compute_fans: [in, out] -> (in, out); [..., in, out] -> (in*rf, out*rf)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def _truncated_normals(rng, count):
    kept, total = [], 0
    while total < count:
        z = rng.normals(max(count - total, 16))
        # Rejection keeps the stream's order; draw more until enough values are kept.
        z = z[np.abs(z) <= 2]
        kept.append(z)
        total += z.size
    # Values drawn past the last kept one are not consumed by the TypeScript sampler, which stops there.
    return np.concatenate(kept)[:count]


def init_array(init, shape, seed, key):
    """A float32 array of gnet shape `shape` drawn from `init`, as runtime/init.ts initTensor."""
    shape = tuple(shape)
    size = int(np.prod(shape)) if shape else 1
    kind = init['kind']
    if kind == 'zeros':
        values = np.zeros(size)
    elif kind == 'ones':
        values = np.ones(size)
    elif kind == 'constant':
        values = np.full(size, init['value'], dtype=np.float64)
    elif kind == 'uniform':
        values = init['min'] + (init['max'] - init['min']) * Rng(seed, key).uniforms(size)
    elif kind == 'normal':
        values = init.get('mean', 0) + init['std'] * Rng(seed, key).normals(size)
    elif kind == 'glorotUniform':
        fan_in, fan_out = compute_fans(shape)
        values = math.sqrt(6 / (fan_in + fan_out)) * (2 * Rng(seed, key).uniforms(size) - 1)
    elif kind == 'heNormal':
        std = math.sqrt(2 / compute_fans(shape)[0]) / _TRUNCATED_NORMAL_STD
        values = std * _truncated_normals(Rng(seed, key), size)
    else:
        raise ValueError(f"unknown initialiser {kind!r}; use zeros, ones, constant, uniform, normal, glorotUniform or heNormal")
    return values.astype(np.float32).reshape(shape)


def initial_weights(meta, seed=0):
    """Every weight's initial value in gnet's layout, clamped to its minValue, by gnet name."""
    arrays = {}
    for w in meta['weights']:
        value = init_array(w['init'], w['shape'], seed, w['name'])
        if w.get('minValue') is not None:
            value = np.maximum(value, np.float32(w['minValue']))
        arrays[w['name']] = value
    return arrays


def initialise(module, meta, seed=0):
    """Draws every weight of `module` from its initialiser (the same values as gnet's createWeights(seed))."""
    load_gnet_weights(module, meta, initial_weights(meta, seed))
    return module
