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
from concurrent.futures import ThreadPoolExecutor

import torch

from . import constrain, load_module, named_outputs
from .data import open_samples
from .losses import primary_truth, to_nchw, to_nhwc, total_loss
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
        self.samples = open_samples(os.path.join(folder, job['data']))
        self.net = None
        self.optimizer = None
        self.params = None
        self.fault = Fault(world.rank)
        # One background thread builds the next batch while a step computes (numpy and torch release the GIL).
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix='gnet-batches')
        self._pending = None

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
        """Takes the steps in order. One step reads its result at once and refuses a non-finite loss before
        the update. Several steps (on a GPU) run without waiting for the host: each one's update is applied
        only while every step so far was finite (on the device), and the results are read once at the end;
        the first non-finite step is then reported as Diverged, with nothing after it applied."""
        deferred = len(orders) > 1
        ok = torch.ones((), dtype=torch.bool, device=self.device)
        rows = []
        for position, order in enumerate(orders):
            row, ok = self._step(order, ok, deferred)
            rows.append(row)
            if not deferred:
                self._raise_if_diverged(row.tolist(), order)
            self._prefetch(orders[position + 1] if position + 1 < len(orders) else self._following(order))
        table = torch.stack(rows).cpu().tolist() if deferred else [r.tolist() for r in rows]
        results = []
        for order, row in zip(orders, table):
            self._raise_if_diverged(row, order)
            world = self.world.size
            results.append({'lossSum': row[0], 'images': int(round(row[1])), 'counts': [int(round(c)) for c in row[3 + world:]]})
        return {'results': results}

    def _step(self, order, ok, deferred):
        """One update; returns [lossSum, images, non-finite code per rank..., weights finite, counts...] and the running `ok`."""
        epoch, step = order['epoch'], order['step']
        x, y, n, count = self._batch(order)
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
            value = loss.detach().double()
            code = torch.where(torch.isfinite(value), 0.0, torch.where(torch.isnan(value), 1.0, torch.where(value > 0, 2.0, 3.0)))
            flags = torch.zeros(self.world.size, dtype=torch.float64, device=value.device)
            flags[self.world.rank] = code
            loss_sum = torch.where(torch.isfinite(value), value, torch.zeros_like(value)) * n
            local = torch.cat([torch.stack([loss_sum, torch.full_like(value, float(n))]), flags,
                               confusion(truth[:kept], predicted[:kept], self.classes).to(value.device)])
            # The one reduction of the step: loss, images, which ranks saw a non-finite loss, the confusion counts.
            summed = self.world.sum_device(local, self.device)
            finite_loss = summed[2:2 + self.world.size].sum() == 0
        if not deferred:
            if not bool(finite_loss):
                return self._row(summed, torch.ones((), device=summed.device)), ok
            self._update()
            return self._row(summed, self._weights_finite()), ok
        keep = ok & finite_loss.to(ok.device)
        before = [t.detach().clone() for t in self._updated_tensors()]
        self._update()
        with torch.no_grad():
            for tensor, old in zip(self._updated_tensors(), before):
                tensor.copy_(torch.where(keep, tensor, old))
        weights_ok = self._weights_finite()
        return self._row(summed, weights_ok), keep & weights_ok.to(keep.device).bool()

    def _update(self):
        self.optimizer.step([p.grad for _, p, _ in self.params])
        constrain(self.module, self.meta)

    def _updated_tensors(self):
        """What an update changes: the trainable weights and the optimiser's slots."""
        return [p for _, p, _ in self.params] + [t for name, t in self.optimizer.state() if name != 'iterations']

    def _weights_finite(self):
        """1.0 when every weight (META order, batch-norm statistics included) is finite, on the device."""
        return torch.stack([torch.isfinite(p).all() for _, p in self.checked]).all().double()

    def _row(self, summed, weights_ok):
        w = self.world.size
        return torch.cat([summed[:2 + w], weights_ok.reshape(1).to(summed), summed[2 + w:]])

    def _raise_if_diverged(self, row, order):
        w = self.world.size
        codes = row[2:2 + w]
        if any(codes):
            ranks = [r for r, c in enumerate(codes) if c]
            raise Diverged({'kind': 'loss', 'value': NONFINITE[int(round(codes[ranks[0]]))], 'ranks': ranks if self.world.distributed else None, 'order': order})
        if not row[2 + w]:
            self._raise_weight(order)

    def _raise_weight(self, order):
        for name, p in self.checked:
            bad = ~torch.isfinite(p)
            if bad.any():
                first = float(p[bad].reshape(-1)[0])
                raise Diverged({'kind': 'weight', 'name': name, 'value': 'NaN' if math.isnan(first) else 'Infinity' if first > 0 else '-Infinity',
                                'count': int(bad.sum()), 'size': p.numel(), 'ranks': None, 'order': order})

    # -- batches --------------------------------------------------------------------------------------
    def _following(self, order):
        """The step a driver asks for next, when it trains on: the next batch of the epoch (or the next epoch's first)."""
        steps = math.ceil(len(self.samples.train) / self.config['batch'])
        return {'epoch': order['epoch'], 'index': order['index'] + 1} if order['index'] + 1 < steps else {'epoch': order['epoch'] + 1, 'index': 0}

    def _prefetch(self, order):
        """Starts building the batch of `order` in the background while the current step computes."""
        key = (order['epoch'], order['index'])
        if self._pending is None or self._pending[0] != key:
            self._pending = (key, self._pool.submit(self._make_batch, *key))

    def _batch(self, order):
        key = (order['epoch'], order['index'])
        if self._pending is not None and self._pending[0] == key:
            x, y, n, count = self._pending[1].result()
        else:
            x, y, n, count = self._make_batch(*key)
        self._pending = None
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True), n, count

    def _make_batch(self, epoch, index):
        """This rank's part of batch `index` of the epoch (read from the memory-mapped samples; pinned for a GPU)."""
        batch = self.config['batch']
        start = index * batch
        count = max(0, min(batch, len(self.samples.train) - start))
        lo, hi = self.world.share(count)
        n = hi - lo
        if n == 0:
            # Fewer samples than ranks (a last small batch): one sample with zero weight keeps the
            # collective gradient exchange going.
            lo, hi = 0, 1
        x, y = self.samples.training_batch(epoch, start + lo, start + hi)
        x, y = torch.from_numpy(x).to(self.dtype), torch.from_numpy(y)
        if self.device.type == 'cuda':
            x, y = x.pin_memory(), y.pin_memory()
        return x, y, n, max(count, 1)

    def _forward(self, net, x, state):
        nchw = to_nchw(x).contiguous()
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

