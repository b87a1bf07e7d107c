"""Weights between gnet's layouts (TensorFlow.js: NHWC maps, HWIO kernels) and torch's (NCHW, OIHW).
META['weights'] lists every weight with its gnet `name` and `shape`, its `torch` name in the module's
state_dict and the `layout` that converts one to the other:

    hwio  conv kernel      [kh, kw, in, out]  <-> [out, in, kh, kw]
    hwcm  depthwise kernel [kh, kw, C, m]     <-> [C*m, 1, kh, kw]
    hwoi  conv-transpose   [kh, kw, out, in]  <-> [in, out, kh, kw]
    io    dense kernel     [in, out]          <-> [out, in]
(On volumes the window has three axes, [kd, kh, kw, ...] <-> [..., kd, kh, kw], converted alike.)
    same  everything else (biases, batch norm, gauss parameters)
"""
import numpy as np
import torch


def _entry(meta, name):
    for weight in meta['weights']:
        if weight['name'] == name:
            return weight
    raise KeyError(f"no weight named {name!r} in META['weights'] of {meta['network']}; use the names META lists")


def _check_shape(array, shape, name, side):
    if tuple(array.shape) != tuple(shape):
        raise ValueError(f'weight {name!r} has shape {list(array.shape)}, expected the {side} shape {list(shape)}')


def from_gnet(meta, name, array):
    """The torch-layout array of gnet weight `name` (a numpy array in gnet's layout)."""
    entry = _entry(meta, name)
    array = np.asarray(array)
    _check_shape(array, entry['shape'], name, 'gnet')
    layout = entry['layout']
    if layout in ('hwio', 'hwoi'):
        # [*window, a, b] -> [b, a, *window]: 2-D and 3-D windows alike.
        k = array.ndim - 2
        return np.ascontiguousarray(array.transpose(k + 1, k, *range(k)))
    if layout == 'hwcm':
        *window, c, m = array.shape
        k = len(window)
        return np.ascontiguousarray(array.transpose(k, k + 1, *range(k)).reshape(c * m, 1, *window))
    if layout == 'io':
        return np.ascontiguousarray(array.T)
    return array.copy()


def to_gnet(meta, name, array):
    """The gnet-layout array of weight `name` from its torch-layout array."""
    entry = _entry(meta, name)
    array = np.asarray(array)
    shape = entry['shape']
    layout = entry['layout']
    if layout in ('hwio', 'hwoi'):
        k = len(shape) - 2
        _check_shape(array, (shape[k + 1], shape[k], *shape[:k]), name, 'torch')
        return np.ascontiguousarray(array.transpose(*range(2, k + 2), 1, 0))
    if layout == 'hwcm':
        *window, c, m = shape
        k = len(window)
        _check_shape(array, (c * m, 1, *window), name, 'torch')
        return np.ascontiguousarray(array.reshape(c, m, *window).transpose(*range(2, k + 2), 0, 1))
    if layout == 'io':
        _check_shape(array, (shape[1], shape[0]), name, 'torch')
        return np.ascontiguousarray(array.T)
    _check_shape(array, shape, name, 'torch')
    return array.copy()


def _tensors(module):
    return {**dict(module.named_parameters()), **dict(module.named_buffers())}


def load_gnet_weights(module, meta, arrays):
    """Copies every gnet-layout array of `arrays` (name -> ndarray) into the module; all must be given."""
    tensors = _tensors(module)
    missing = [w['name'] for w in meta['weights'] if w['name'] not in arrays]
    if missing:
        raise KeyError(f"missing weights {missing[:5]}{' ...' if len(missing) > 5 else ''}; pass every weight META lists")
    with torch.no_grad():
        for weight in meta['weights']:
            target = tensors[weight['torch']]
            value = torch.from_numpy(np.asarray(from_gnet(meta, weight['name'], arrays[weight['name']]), dtype=np.float32))
            target.copy_(value.to(target.device, target.dtype))


def gnet_weights(module, meta):
    """Every weight in gnet's layout, by gnet name, in META's order (float32 numpy arrays)."""
    tensors = _tensors(module)
    return {w['name']: to_gnet(meta, w['name'], tensors[w['torch']].detach().cpu().float().numpy()) for w in meta['weights']}


def gnet_grads(module, meta):
    """The gradient of every trainable weight in gnet's layout (zeros where none flowed)."""
    tensors = _tensors(module)
    grads = {}
    for w in meta['weights']:
        if not w['trainable']:
            continue
        t = tensors[w['torch']]
        g = t.grad if t.grad is not None else torch.zeros_like(t)
        grads[w['name']] = to_gnet(meta, w['name'], g.detach().cpu().float().numpy())
    return grads
