"""For each generated module: torch.jit.script (saved and loaded back, and given a dict), torch.jit.trace,
torch.onnx.export (opset 17, batch axis dynamic) and gnet_torch.deploy (scripted, and exported when the
network has gauss layers), each run against the module itself; writes the files the test's onnxruntime and a gnet-free Python process
read. Batch-norm statistics and biases are made random first, so they matter.

    python3 export_check.py JOBS.json   (JOBS.json: [{"module": "Net.py", "out": "folder"}, ...])

Prints {out: report} as JSON; a job that fails reports {"error": message} and the others still run."""
import copy
import io
import json
import sys
import traceback

import numpy as np
import torch

import gnet_torch as gt
from gnet_torch import load_module, named_outputs
from gnet_torch.tensorfile import write_tensors


def nchw(shape, batch):
    """A random batch of gnet input `shape` (H, W, C or D, H, W, C) in torch's channels-first order."""
    return torch.rand(batch, *([shape[-1], *shape[:-1]] if len(shape) >= 3 else shape))


def relative(got, want):
    """max |got - want| / max |want| over every output."""
    return max(float((got[k] - want[k]).abs().max() / max(float(want[k].abs().max()), 1e-30)) for k in want)


def enliven(model):
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith(('running_var', '.weight')) and tensor.dim() == 1:
                tensor.uniform_(0.5, 1.5)
            elif name.endswith(('running_mean', 'bias', '.b1', '.b2')):
                tensor.uniform_(-0.3, 0.3)


def check(path, out):
    Net, META = load_module(path)
    model = Net(0)
    enliven(model)
    model.eval()
    names = [i['name'] for i in META['inputs']]
    outputs = [o['name'] for o in META['outputs']]
    batch = {i['name']: nchw(i['shape'], 2) for i in META['inputs']}
    larger = {i['name']: nchw(i['shape'], 3) for i in META['inputs']}
    one = len(names) == 1

    def run(m, xs):
        return named_outputs(META, m(xs[names[0]] if one else xs))

    report = {}
    with torch.no_grad():
        want = run(model, batch)
        saved = io.BytesIO()
        torch.jit.save(torch.jit.script(model), saved)
        saved.seek(0)
        scripted = torch.jit.load(saved)
        report['script'] = relative(run(scripted, batch), want)
        if one:
            report['scriptDict'] = relative(named_outputs(META, scripted(batch)), want)
        args = (batch[names[0]],) if one else (batch, {})
        report['trace'] = relative(run(torch.jit.trace(model, args[:1], strict=False), batch), want)
        axes = {n: {0: 'batch'} for n in names + outputs}
        torch.onnx.export(model, args, f'{out}/model.onnx', opset_version=17, input_names=names, output_names=outputs, dynamic_axes=axes)
        report['gauss'] = sum(isinstance(m, gt.Gauss) for m in model.modules())
        # Without gauss layers deploy() changes nothing: no copy of the largest networks.
        deployed = gt.deploy(copy.deepcopy(model) if report['gauss'] > 0 else model)
        report['gaussLeft'] = sum(isinstance(m, gt.Gauss) for m in deployed.modules())
        report['deployed'] = relative(run(deployed, batch), want)
        deployed_script = torch.jit.script(deployed)
        # The gauss kernels' operators (rotation, basis mix) left in the deployed graph: none, they were computed once.
        report['kernelOpsLeft'] = [op for op in ('aten::cos', 'aten::einsum') if op in str(deployed_script.inlined_graph)]
        deployed_script.save(f'{out}/deployed.pt')
        if report['gauss'] > 0:  # else the deployed module is the module
            torch.onnx.export(deployed, args, f'{out}/deployed.onnx', opset_version=17, input_names=names, output_names=outputs, dynamic_axes=axes)
        expected = run(model, larger)
    write_tensors(f'{out}/inputs.bin', {n: t.numpy() for n, t in larger.items()})
    write_tensors(f'{out}/expected.bin', {n: t.numpy() for n, t in expected.items()})
    np.savez(f'{out}/inputs.npz', **{n: t.numpy() for n, t in larger.items()})
    np.savez(f'{out}/expected.npz', **{n: t.numpy() for n, t in expected.items()})
    return report


def main(argv):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    with open(argv[0]) as f:
        jobs = json.load(f)
    reports = {}
    for job in jobs:
        try:
            reports[job['out']] = check(job['module'], job['out'])
        except Exception as error:  # noqa: BLE001 - reported per job, the others still run
            reports[job['out']] = {'error': f'{type(error).__name__}: {error}\n{traceback.format_exc()}'}
    print(json.dumps(reports))


if __name__ == '__main__':
    main(sys.argv[1:])
