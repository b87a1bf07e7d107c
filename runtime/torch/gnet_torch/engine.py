"""The torch engine: what gnet's training driver asks of it, executed on one worker of a world of
workers (rank 0 answers). It takes optimiser steps on the batches gnet's data loader defines, with the
learning rate it is given, evaluates splits and hands its state over; it never decides when to stop,
validate or save (runtime/train/driver.ts does, and gnet_torch/run.py for a job trained away from gnet).

Distributed: each global batch of `batch` samples is split over the ranks in contiguous parts whose
sizes differ by at most one; every rank's mean loss is scaled by world * n_rank / n before
DistributedDataParallel averages the gradients, so the update is that of the whole batch on one
process, whether or not the world size divides the batch. Batch norm reduces its statistics over the
ranks the same way (sync.py). Per step one all-reduce carries the loss, the image count, the
confusion counts and which ranks saw a non-finite loss; the update waits for it.
"""
import math
import os
import time

import torch

from . import constrain, load_module, named_outputs
from .data import Samples
from .losses import primary_truth, to_nhwc, total_loss
from .metrics import confusion, predicted_classes
from .optim import Optimizer
from .sync import batch_share
from .rundir import disk_error
from .tensorfile import read_tensors, write_tensors
from .weights import from_gnet, gnet_weights, load_gnet_weights, to_gnet

NONFINITE = {1: 'NaN', 2: 'Infinity', 3: '-Infinity'}


class Diverged(Exception):
    """A step whose loss (on some rank) or updated weight is not finite; `fields` says which."""

    def __init__(self, fields):
        super().__init__(str(fields))
        self.fields = fields


def read_state(path):
    """A state handed over by gnet's driver as a tensor file (weights, optimizer/<slot>, learningRate)."""
    header, arrays = read_tensors(path)
    slots = [(e['name'][len('optimizer/'):], arrays[e['name']]) for e in header['tensors'] if e['name'].startswith('optimizer/')]
    return {'weights': {n: a for n, a in arrays.items() if not n.startswith('optimizer/')}, 'slots': slots, 'learningRate': header.get('learningRate')}


class Engine:
    def __init__(self, job, world, device, folder):
        self.job, self.world, self.device = job, world, device
        self.config = job['config']
        self.task = job['task']
        self.classes = self.task['classes']
        network, self.meta = load_module(os.path.join(folder, job['module']))
        # float64 only where a test checks an update exactly (job key `dtype`); float32 otherwise.
        self.dtype = torch.float64 if job.get('dtype') == 'float64' else torch.float32
        # The constructor draws gnet's initial weights from the run's seed (createWeights(seed)).
        self.module = network(self.config['seed']).to(device=device, dtype=self.dtype)
        self.samples = Samples(os.path.join(folder, job['data']))
        self.net = None
        self.optimizer = None
        self.params = None
        self.fault = Fault(world.rank)

    # -- state ----------------------------------------------------------------------------------------
    def start(self, state=None):
        """Weights from the run's seed, or a state (weights by gnet name, optimiser slots in tfjs' order, rate)."""
        tensors = {**dict(self.module.named_parameters()), **dict(self.module.named_buffers())}
        self.params = [(w['name'], tensors[w['torch']], bool(w.get('decays'))) for w in self.meta['weights'] if w['trainable']]
        self.checked = [(w['name'], tensors[w['torch']]) for w in self.meta['weights']]
        self.optimizer = Optimizer(self.config['optimizer'], self.config, self.params)
        if state:
            self._restore(state)
        self.net = self.module
        if self.world.distributed:
            from torch.nn.parallel import DistributedDataParallel
            ids = [self.device.index] if self.device.type == 'cuda' else None
            # Outputs no loss term reads leave weights without gradients; only then must DDP look for them.
            supervised = {o['name'] for o in self.task['termOutputs']}
            unused = any(o['name'] not in supervised for o in self.meta['outputs'])
            self.net = DistributedDataParallel(self.module, device_ids=ids, find_unused_parameters=unused, broadcast_buffers=False)
        return {}

    def _restore(self, state):
        load_gnet_weights(self.module, self.meta, state['weights'])
        slots = []
        for name, value in state['slots']:
            if name == 'iterations':
                slots.append((name, torch.tensor(value)))
            else:
                weight = name.rsplit('/', 1)[0]
                slots.append((name, torch.from_numpy(from_gnet(self.meta, weight, value)).to(self.device)))
        self.optimizer.load_state(slots)
        if state.get('learningRate') is not None:
            self.optimizer.lr = state['learningRate']

    def state(self):
        """(weights [(gnet name, array)] in META order, slots [(name, array)] iterations first, learning rate)."""
        weights = list(gnet_weights(self.module, self.meta).items())
        slots = []
        for name, tensor in self.optimizer.state():
            value = tensor.detach().cpu().float().numpy()
            slots.append((name, value if name == 'iterations' else to_gnet(self.meta, name.rsplit('/', 1)[0], value)))
        return weights, slots, self.optimizer.lr

    def save(self, path):
        """Rank 0 writes weights and optimiser slots in gnet layout (atomically); a full disk is GN0802."""
        if not self.world.main:
            return {}
        weights, slots, lr = self.state()
        arrays = {**dict(weights), **{'optimizer/' + name: value for name, value in slots}}
        temporary = path + '.partial'
        try:
            write_tensors(temporary, arrays, {'learningRate': lr})
            with open(temporary, 'rb+') as f:
                os.fsync(f.fileno())
            os.replace(temporary, path)
        except OSError as error:
            try:
                os.remove(temporary)
            except OSError:
                pass
            raise disk_error(error, f'write the training state to {path}') from error
        return {'file': path}

    # -- training -------------------------------------------------------------------------------------
    def steps(self, orders):
        """Takes the steps in order; the results of those before a diverged one are not needed."""
        return {'results': [self.step(order) for order in orders]}

    def step(self, order):
        batch = self.config['batch']
        epoch, index, step = order['epoch'], order['index'], order['step']
        start = index * batch
        count = min(batch, len(self.samples.train) - start)
        x, y, n = self._local_batch(epoch, start, count)
        self.fault.before(step)
        self.optimizer.lr = order['lr']
        self.module.train()
        for _, p, _ in self.params:
            p.grad = None
        with batch_share(n):
            outputs = self._forward(self.net, x, {'seed': self.config['seed'], 'epoch': epoch, 'step': step})
        loss = total_loss(self.config['loss'], self.task, outputs, y).to(self.dtype)
        if self.fault.at(step, 'nan'):
            loss = loss * float('nan')
        (loss * (self.world.size * n / count)).backward()
        with torch.no_grad():
            primary = self.task['primary']
            predicted = predicted_classes(to_nhwc(outputs[primary['name']].detach()), primary['activation'])
            truth = primary_truth(y, primary)
            kept = truth.numel() if n else 0
            counts = confusion(truth[:kept], predicted[:kept], self.classes)
            flags = torch.zeros(self.world.size, dtype=torch.float64)
            value = loss.detach().double().cpu()
            flags[self.world.rank] = 0 if torch.isfinite(value) else 1 if torch.isnan(value) else 2 if value > 0 else 3
            local = torch.cat([torch.stack([value * n if n else torch.zeros((), dtype=torch.float64), torch.tensor(float(n), dtype=torch.float64)]), flags, counts])
        summed = self.world.sum_tensor(local, self.device).tolist()
        codes = summed[2:2 + self.world.size]
        if any(codes):
            ranks = [r for r, c in enumerate(codes) if c]
            raise Diverged({'kind': 'loss', 'value': NONFINITE[int(round(codes[ranks[0]]))], 'ranks': ranks if self.world.distributed else None})
        self.optimizer.step([p.grad for _, p, _ in self.params])
        constrain(self.module, self.meta)
        self._check_weights()
        return {'lossSum': summed[0], 'images': int(round(summed[1])), 'counts': [int(round(c)) for c in summed[2 + self.world.size:]]}

    def _check_weights(self):
        """Every weight (META order, batch-norm statistics included) after the update, as the TypeScript engine checks."""
        finite = torch.stack([torch.isfinite(p).all() for _, p in self.checked]).all()
        if bool(finite):
            return
        for name, p in self.checked:
            bad = ~torch.isfinite(p)
            if bad.any():
                first = float(p[bad].reshape(-1)[0])
                raise Diverged({'kind': 'weight', 'name': name, 'value': 'NaN' if math.isnan(first) else 'Infinity' if first > 0 else '-Infinity',
                                'count': int(bad.sum()), 'size': p.numel(), 'ranks': None})

    def _local_batch(self, epoch, start, count):
        """This rank's part of positions [start, start + count) of the epoch's order."""
        lo, hi = self.world.share(count)
        n = hi - lo
        if n == 0:
            # Fewer samples than ranks (a last small batch): one sample with zero weight keeps the
            # collective gradient exchange going.
            lo, hi = 0, 1
        x, y = self.samples.training_batch(epoch, start + lo, start + hi)
        return torch.from_numpy(x).to(device=self.device, dtype=self.dtype), torch.from_numpy(y).to(self.device), n

    def _forward(self, net, x, state):
        nchw = x.permute(0, 3, 1, 2).contiguous()
        return named_outputs(self.meta, net({self.task['input']['name']: nchw}, state))

    # -- evaluation -----------------------------------------------------------------------------------
    @torch.no_grad()
    def evaluate(self, split):
        """Inference mode over this rank's share of a split, summed over the ranks."""
        began = time.perf_counter()
        self.module.eval()
        indices = self.samples.split(split)
        lo, hi = self.world.share(len(indices))
        mine = indices[lo:hi]
        loss_sum = torch.zeros((), dtype=torch.float64)
        counts = torch.zeros(self.classes * self.classes, dtype=torch.float64)
        batch = self.config['batch']
        primary = self.task['primary']
        for start in range(0, len(mine), batch):
            part = mine[start:start + batch]
            x, y = self.samples.centred_batch(part, split)
            x, y = torch.from_numpy(x).to(device=self.device, dtype=self.dtype), torch.from_numpy(y).to(self.device)
            outputs = self._forward(self.module, x, None)
            loss_sum += total_loss(self.config['loss'], self.task, outputs, y).double().cpu() * len(part)
            counts += confusion(primary_truth(y, primary), predicted_classes(to_nhwc(outputs[primary['name']]), primary['activation']), self.classes)
        summed = self.world.sum_tensor(torch.cat([torch.stack([loss_sum, torch.tensor(float(hi - lo), dtype=torch.float64)]), counts]), self.device).tolist()
        return {'lossSum': summed[0], 'images': int(round(summed[1])), 'counts': [int(round(c)) for c in summed[2:]], 'seconds': time.perf_counter() - began}


class Fault:
    """Test hook: GNET_TORCH_FAULT=kind:rank:step (kind nan, exit or kill) injects a fault at a global step."""

    def __init__(self, rank):
        spec = os.environ.get('GNET_TORCH_FAULT', '')
        parts = spec.split(':') if spec else []
        self.kind = parts[0] if len(parts) == 3 and int(parts[1]) == rank else None
        self.step = int(parts[2]) if self.kind else -1

    def at(self, step, kind):
        return self.kind == kind and step == self.step

    def before(self, step):
        if self.at(step, 'kill'):
            import signal
            os.kill(os.getpid(), signal.SIGKILL)
        if self.at(step, 'exit'):
            raise RuntimeError('injected worker failure (GNET_TORCH_FAULT)')

