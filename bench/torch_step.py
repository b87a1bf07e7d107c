"""Training-step speed of a generated PyTorch module (npm run bench): the step bench/train-step.ts
times on TensorFlow.js — training-mode forward, mean squared error against fixed random targets,
backward, gnet's Adam rule, the sigma clamp — as the median of `steps` after one warm-up."""
import json
import sys
import time

import torch

import gnet_torch
from gnet_torch.init import initialise
from gnet_torch.optim import Optimizer


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job['threads'])
    network, meta = gnet_torch.load_module(job['module'])
    module = network()
    initialise(module, meta, 1)
    module.train()
    tensors = {**dict(module.named_parameters()), **dict(module.named_buffers())}
    params = [(w['name'], tensors[w['torch']], False) for w in meta['weights'] if w['trainable']]
    optimizer = Optimizer({'name': 'adam', 'lr': 0.001, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-7}, {}, params)
    generator = torch.Generator().manual_seed(1)
    batch = job['batch']

    def nchw(shape):
        # Channels last in gnet, second in torch: images [H, W, C] and volumes [D, H, W, C].
        values = torch.rand([batch, *shape], generator=generator)
        return values.movedim(-1, 1).contiguous() if len(shape) >= 3 else values

    inputs = {i['name']: nchw(i['shape']) for i in meta['inputs']}
    targets = {o['name']: nchw(o['shape']) for o in meta['outputs']}
    times = []
    for step in range(job['steps'] + 1):
        began = time.perf_counter()
        for _, p, _ in params:
            p.grad = None
        outputs = gnet_torch.named_outputs(meta, module(inputs, {'seed': 7, 'epoch': 0, 'step': step}))
        loss = sum(torch.mean((outputs[name] - target) ** 2) for name, target in targets.items())
        loss.backward()
        optimizer.step([p.grad for _, p, _ in params])
        gnet_torch.constrain(module, meta)
        times.append(time.perf_counter() - began)
    times = sorted(times[1:])
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    print(json.dumps({'msPerStep': median * 1000, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main()
