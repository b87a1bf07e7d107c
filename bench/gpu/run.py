"""GPU step times of gnet's PyTorch engine beside hand-written PyTorch twins, on a machine that has
only Python, PyTorch and a GPU. Prepare the folder here with `bench/gpu/prepare.sh DIR` (two `gnet job`
folders, this script and twin.py), copy DIR there and run:

    python3 DIR/run.py [--device cuda] [--steps 60]

For each job (reference/, gauss-unet/): gnet's torch engine on the job's own module and data,
asking for one step per request (a host sync after every step, as on a CPU) and for ten (the GPU
default: results read once per ten steps, batches prefetched and pinned); then the twin in a plain
loop (torch.optim.Adam, F.cross_entropy, one fixed batch already on the device, no sync). Prints
ms/step and images/s; only ratios on one machine in one run compare.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def engine_times(folder, device, steps, per_call):
    sys.path.insert(0, folder)
    import torch
    from gnet_torch.dist import World, choose_device
    from gnet_torch.engine import Engine
    with open(os.path.join(folder, 'job.json'), encoding='utf-8') as f:
        job = json.load(f)
    world = World()
    engine = Engine(job, world, choose_device(device, 0), folder)
    engine.start(None)
    lr = job['config']['optimizer']['lr']
    per_epoch = -(-len(engine.samples.train) // job['config']['batch'])

    def orders(first, count):
        return [{'epoch': s // per_epoch, 'index': s % per_epoch, 'step': s, 'lr': lr} for s in range(first, first + count)]

    engine.steps(orders(0, per_call))  # warm-up
    sync = torch.cuda.synchronize if engine.device.type == 'cuda' else (lambda: None)
    sync()
    began = time.perf_counter()
    done = per_call
    while done < per_call + steps:
        engine.steps(orders(done, per_call))
        done += per_call
    sync()
    sys.path.remove(folder)
    return (time.perf_counter() - began) * 1000 / (done - per_call), job['config']['batch']


def twin_time(name, device, batch, steps):
    import torch
    import torch.nn.functional as F
    sys.path.insert(0, HERE)
    import twin
    model = (twin.Reference() if name == 'reference' else twin.GaussUNet()).to(device)
    shape = (batch, 1, 28, 28) if name == 'reference' else (batch, 3, 128, 128)
    x = torch.rand(shape, device=device)
    y = torch.randint(0, 10 if name == 'reference' else 2, (batch,) if name == 'reference' else (batch, 128, 128), device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    step()
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    sync()
    began = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    return (time.perf_counter() - began) * 1000 / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--steps', type=int, default=60)
    args = parser.parse_args()
    import torch
    where = torch.cuda.get_device_name(0) if args.device.startswith('cuda') else 'CPU'
    print(f'torch {torch.__version__} on {where}')
    for name in ('reference', 'gauss-unet'):
        folder = os.path.join(HERE, name)
        if not os.path.exists(os.path.join(folder, 'job.json')):
            print(f'{name}: no job (run bench/gpu/prepare.sh)')
            continue
        one, batch = engine_times(folder, args.device, args.steps, 1)
        ten, _ = engine_times(folder, args.device, args.steps, 10)
        hand = twin_time(name, args.device, batch, args.steps)
        rate = lambda ms: f'{ms:.2f} ms/step ({batch * 1000 / ms:.0f} images/s)'  # noqa: E731
        print(f'{name}, batch {batch}: gnet engine, 1 step per request {rate(one)}; 10 per request {rate(ten)}; hand-written twin {rate(hand)}; '
              f'gnet / twin {ten / hand:.2f}×')


if __name__ == '__main__':
    main()
