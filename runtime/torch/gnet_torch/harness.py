"""Runs generated modules on given weights and inputs and writes outputs and gradients back, all in
gnet's layouts (NHWC maps, HWIO kernels), for equivalence tests against other engines and debugging.

    python3 -m gnet_torch.harness JOBS.json

JOBS.json: {"jobs": [{"module": "Net.py", "weights": "w.bin", "inputs": "x.bin", "out": "y.bin",
"training": false, "state": {"seed": 0, "epoch": 0, "step": 0}, "float64": false}]}. Files are tensor files (see
tensorfile.py). `inputs` holds every input by name and, for each output O, a tensor "loss:O"; the
loss is sum over outputs of sum(O * loss:O). `out` receives "output:O" for every output, "grad:W" for
every trainable weight and "weight:W" for every weight after the pass (batch-norm statistics move
while training). "float64": true runs the module in double precision (a reference for rounding
questions); results are written as float32 all the same. A job that fails writes {"error": message} instead; the others still run.
"""
import json
import sys
import traceback

import numpy as np
import torch

from . import load_module, named_outputs
from .tensorfile import read_tensors, write_tensors
from .weights import gnet_grads, gnet_weights, load_gnet_weights


def to_torch_layout(array):
    """An NHWC (NDHWC) batch as NCHW (NCDHW); vectors stay as they are."""
    return np.ascontiguousarray(np.moveaxis(array, -1, 1)) if array.ndim >= 4 else array


def to_gnet_layout(tensor):
    array = tensor.detach().cpu().float().numpy()
    return np.ascontiguousarray(np.moveaxis(array, 1, -1)) if array.ndim >= 4 else array


def run_job(job):
    network, meta = load_module(job['module'])
    dtype = torch.float64 if job.get('float64') else torch.float32
    model = network().to(dtype)
    _, weights = read_tensors(job['weights'])
    load_gnet_weights(model, meta, weights)
    _, arrays = read_tensors(job['inputs'])
    model.train(job.get('training', False))
    inputs = {i['name']: torch.from_numpy(to_torch_layout(arrays[i['name']])).to(dtype) for i in meta['inputs']}
    outputs = named_outputs(meta, model(inputs, job.get('state')))
    loss = sum((to_torch_layout_tensor(outputs[o['name']]) * torch.from_numpy(arrays['loss:' + o['name']]).to(dtype)).sum() for o in meta['outputs'])
    loss.backward()
    result = {'output:' + name: to_gnet_layout(t) for name, t in outputs.items()}
    result.update({'grad:' + name: g for name, g in gnet_grads(model, meta).items()})
    result.update({'weight:' + name: w for name, w in gnet_weights(model, meta).items()})
    write_tensors(job['out'], result, {'loss': float(loss)})


def to_torch_layout_tensor(t):
    """An output tensor in NHWC order, to meet the loss weights written in gnet's layout."""
    return t.permute(0, *range(2, t.dim()), 1) if t.dim() >= 4 else t


def main(argv):
    torch.set_num_threads(1)
    with open(argv[0]) as f:
        jobs = json.load(f)['jobs']
    failed = 0
    for job in jobs:
        try:
            run_job(job)
        except Exception as error:  # noqa: BLE001 - reported per job, the others still run
            failed += 1
            write_tensors(job['out'], {}, {'error': f'{type(error).__name__}: {error}', 'trace': traceback.format_exc()})
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
