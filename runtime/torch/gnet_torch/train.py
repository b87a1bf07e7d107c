"""gnet's PyTorch trainer: `python3 RUNDIR/torch/train.py --job RUNDIR/torch/job.json`, started by
`gnet train --backend torch` (one process per worker) or by torchrun. It trains the generated module
exactly as runtime/train/loop.ts does (same losses, optimiser rules, schedules, metrics, sample order
and augmentation draws) and streams one JSON object per line on stdout (rank 0 only):

  {"event": "start" | "step" | "epoch" | "checkpoint" | "nonfinite" | "done", ...}

Errors go to stderr as one JSON line {"event": "error", "code", "message"} from whichever rank hit
them. Checkpoints are tensor files (gnet layout, tfjs optimiser-slot order) written atomically into
the job's staging folder; gnet's Node side turns each into a gnet checkpoint.

Distributed: each global batch of `batch` samples (the order every backend uses) is split over the
ranks in contiguous parts whose sizes differ by at most one; every rank's mean loss is scaled by
world * n_rank / n before DistributedDataParallel averages the gradients, so the update is the one
of the whole batch on one process, whether or not the world size divides the batch.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch

from . import constrain, load_module, named_outputs
from .data import Samples
from .dist import World, choose_device
from .errors import TrainerError
from .init import initialise
from .losses import primary_truth, total_loss, to_nhwc
from .metrics import compute_metrics, confusion, headline, predicted_classes
from .optim import Optimizer
from .schedules import learning_rate_at
from .tensorfile import read_tensors, write_tensors
from .weights import from_gnet, gnet_weights, load_gnet_weights, to_gnet

MIN_TORCH = (1, 13)


def emit(world_, event, **fields):
    if world_.main:
        sys.stdout.write(json.dumps({'event': event, **fields}) + '\n')
        sys.stdout.flush()


def report_error(code, message):
    sys.stderr.write(json.dumps({'event': 'error', 'code': code, 'message': message}) + '\n')
    sys.stderr.flush()


class Stop:
    """Ctrl-C (SIGINT) or SIGTERM from the launcher: finish the step, save, leave."""

    def __init__(self):
        self.requested = False
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, signum, frame):
        self.requested = True


class Fault:
    """Test hook: GNET_TORCH_FAULT=kind:rank:step (kind nan, exit or kill) injects a fault."""

    def __init__(self, rank):
        spec = os.environ.get('GNET_TORCH_FAULT', '')
        parts = spec.split(':') if spec else []
        self.kind = parts[0] if len(parts) == 3 and int(parts[1]) == rank else None
        self.step = int(parts[2]) if self.kind else -1

    def at(self, step, kind):
        return self.kind == kind and step == self.step


def fresh_position():
    return {'epoch': 0, 'step': 0, 'stepInEpoch': 0, 'partial': None, 'history': []}


def fresh_partial(classes):
    return {'lossSum': 0.0, 'batches': 0, 'images': 0, 'seconds': 0.0, 'confusion': {'classes': classes, 'counts': [0] * (classes * classes)}}


class Trainer:
    def __init__(self, job, world, device):
        self.job, self.world, self.device = job, world, device
        self.config = job['config']
        self.task = job['task']
        self.classes = self.task['classes']
        self.segmentation = self.task['task'] == 'segmentation'
        network, self.meta = load_module(job['module'])
        self.module = network().to(device)
        initialise(self.module, self.meta, self.config['seed'])
        self.module.to(device)
        tensors = {**dict(self.module.named_parameters()), **dict(self.module.named_buffers())}
        by_name = {w['name']: w for w in self.meta['weights']}
        self.params = [(t['name'], tensors[by_name[t['name']]['torch']], t['decays']) for t in job['trainable']]
        self.optimizer = Optimizer(self.config['optimizer'], self.config, self.params)
        self.samples = Samples(job['data'])
        self.position = job.get('position') or fresh_position()
        if job.get('resume'):
            self.restore(job['resume'])
        self.net = self.module
        if world.distributed:
            from torch.nn.parallel import DistributedDataParallel
            ids = [device.index] if device.type == 'cuda' else None
            # Outputs no loss term reads leave weights without gradients; only then must DDP look for them.
            supervised = {o['name'] for o in self.task['termOutputs']}
            unused = any(o['name'] not in supervised for o in self.meta['outputs'])
            self.net = DistributedDataParallel(self.module, device_ids=ids, find_unused_parameters=unused)
        self.amp = bool(job.get('amp')) and device.type == 'cuda'
        self.stop = Stop()
        self.fault = Fault(world.rank)
        self.checkpoint_step = None
        self.saves = 0

    # -- checkpoints --------------------------------------------------------------------------------
    def restore(self, path):
        header, arrays = read_tensors(path)
        load_gnet_weights(self.module, self.meta, {w['name']: arrays[w['name']] for w in self.meta['weights']})
        slots = []
        for entry in header['tensors']:
            name = entry['name']
            if not name.startswith('optimizer/'):
                continue
            slot = name[len('optimizer/'):]
            if slot == 'iterations':
                slots.append((slot, torch.tensor(arrays[name])))
            else:
                weight = slot.rsplit('/', 1)[0]
                slots.append((slot, torch.from_numpy(from_gnet(self.meta, weight, arrays[name])).to(self.device)))
        self.optimizer.load_state(slots)
        if header.get('learningRate') is not None:
            self.optimizer.lr = header['learningRate']

    def save(self):
        """Rank 0 writes weights and optimiser slots in gnet layout; other ranks only wait for it."""
        if self.world.main:
            arrays = dict(gnet_weights(self.module, self.meta))
            for name, tensor in self.optimizer.state():
                value = tensor.detach().cpu().float().numpy()
                arrays['optimizer/' + name] = value if name == 'iterations' else to_gnet(self.meta, name.rsplit('/', 1)[0], value)
            folder = self.job['staging']
            os.makedirs(folder, exist_ok=True)
            self.saves += 1
            final = os.path.join(folder, f"checkpoint-{self.position['step']}-{self.saves}.tensors")
            temporary = final + '.partial'
            write_tensors(temporary, arrays, {'learningRate': self.optimizer.lr})
            with open(temporary, 'rb+') as f:
                os.fsync(f.fileno())
            os.replace(temporary, final)
            emit(self.world, 'checkpoint', file=final, position=self.position, learningRate=self.optimizer.lr, seed=self.config['seed'])
        self.checkpoint_step = self.position['step']

    # -- batches ------------------------------------------------------------------------------------
    def local_batch(self, epoch, start, count):
        """This rank's part of the global batch [start, start + count) of the epoch's order."""
        lo, hi = self.world.share(count)
        weight = 1.0
        if hi == lo:
            # Fewer samples than ranks (a last small batch): run one sample with zero weight so the
            # collective gradient exchange still happens.
            lo, hi, weight = 0, 1, 0.0
        positions = np.arange(start + lo, start + hi)
        order = self.samples.order(epoch)
        x, y = self.samples.batch(order[positions], self.samples.transforms(epoch, positions))
        n = (hi - lo) if weight else 0
        return torch.from_numpy(x).to(self.device), torch.from_numpy(y).to(self.device), n

    def forward(self, net, x, state):
        nchw = x.permute(0, 3, 1, 2).contiguous()
        with torch.autocast(device_type='cuda', enabled=self.amp) if self.amp else _Null():
            return named_outputs(self.meta, net({self.task['input']['name']: nchw}, state))

    # -- the loop -----------------------------------------------------------------------------------
    def run(self):
        batch, epochs = self.config['batch'], self.config['epochs']
        train_count = len(self.samples.train)
        steps_per_epoch = math.ceil(train_count / batch)
        if self.samples.epochs < epochs:
            raise TrainerError('GN0916', f'{self.job["data"]} holds sample orders for {self.samples.epochs} epochs, not {epochs}; let gnet train write it again')
        emit(self.world, 'start', epoch=self.position['epoch'], stepInEpoch=self.position['stepInEpoch'], epochs=epochs, stepsPerEpoch=steps_per_epoch,
             worldSize=self.world.size, distBackend=self.world.backend, device=str(self.device), torch=torch.__version__)
        for epoch in range(self.position['epoch'], epochs):
            if self.run_epoch(epoch, steps_per_epoch, train_count) == 'interrupted':
                return 'interrupted'
            record = self.close_epoch(epoch)
            self.position = {'epoch': epoch + 1, 'step': self.position['step'], 'stepInEpoch': 0, 'partial': None, 'history': self.position['history'] + [record]}
            self.save()
            emit(self.world, 'epoch', record=record)
            if self.stop_everywhere() and epoch + 1 < epochs:
                return 'interrupted'
        return 'completed'

    def stop_everywhere(self):
        return self.world.sum([1.0 if self.stop.requested else 0.0], self.device)[0] > 0

    def run_epoch(self, epoch, steps_per_epoch, train_count):
        config = self.config
        batch = config['batch']
        skip = self.position['stepInEpoch']
        partial = self.position['partial'] or fresh_partial(self.classes)
        total_steps = steps_per_epoch * config['epochs']
        self.module.train()
        for index in range(skip, steps_per_epoch):
            start = index * batch
            count = min(batch, train_count - start)
            step = self.position['step']
            self.optimizer.lr = learning_rate_at(config['schedule'], config['optimizer']['lr'], step, epoch, total_steps)
            began = time.perf_counter()
            x, y, n = self.local_batch(epoch, start, count)
            loss_value, counts = self.train_step(x, y, n, count, {'seed': config['seed'], 'epoch': epoch, 'step': step}, epoch, index + 1, steps_per_epoch)
            seconds = time.perf_counter() - began
            summed = self.world.sum([loss_value * n, float(n), 1.0 if self.stop.requested else 0.0] + counts, self.device)
            loss_sum, images, stop = summed[0], int(round(summed[1])), summed[2] > 0
            merged = [a + int(round(b)) for a, b in zip(partial['confusion']['counts'], summed[3:])]
            partial = {'lossSum': partial['lossSum'] + loss_sum, 'batches': partial['batches'] + 1, 'images': partial['images'] + images,
                       'seconds': partial['seconds'] + seconds, 'confusion': {'classes': self.classes, 'counts': merged}}
            self.position = {**self.position, 'step': step + 1, 'stepInEpoch': index + 1, 'partial': partial}
            metric = headline(compute_metrics(config['metrics'], merged, self.classes, self.segmentation))
            emit(self.world, 'step', epoch=epoch, stepInEpoch=index + 1, step=step + 1, loss=partial['lossSum'] / partial['images'], metric=metric,
                 imagesPerSecond=partial['images'] / max(partial['seconds'], 1e-9), lr=self.optimizer.lr)
            if stop:
                self.save()
                return 'interrupted'
            if config.get('checkpointEvery', 0) > 0 and (step + 1) % config['checkpointEvery'] == 0:
                self.save()
        self.position = {**self.position, 'partial': partial}
        return 'done'

    def train_step(self, x, y, n, count, state, epoch, index, steps_per_epoch):
        if self.fault.at(state['step'], 'kill'):
            os.kill(os.getpid(), signal.SIGKILL)
        if self.fault.at(state['step'], 'exit'):
            raise RuntimeError('injected worker failure (GNET_TORCH_FAULT)')
        for _, p, _ in self.params:
            p.grad = None
        outputs = self.forward(self.net, x, state)
        loss = total_loss(self.config['loss'], self.task, outputs, y).float()
        if self.fault.at(state['step'], 'nan'):
            loss = loss * float('nan')
        value = float(loss.detach())
        # Every rank learns which ranks saw NaN or ±inf, so all stop before the update, together.
        flags = [0.0] * (3 * self.world.size)
        if not math.isfinite(value):
            flags[3 * self.world.rank + (0 if math.isnan(value) else 1 if value > 0 else 2)] = 1.0
        flags = self.world.sum(flags, self.device)
        if any(flags):
            bad = [r for r in range(self.world.size) if any(flags[3 * r:3 * r + 3])]
            kind = ['nan', 'inf', '-inf'][next(k for k in range(3) if flags[3 * bad[0] + k])]
            raise NonFinite(kind, epoch, index, steps_per_epoch, state['step'] + 1, bad if self.world.distributed else None)
        scale = self.world.size * n / count
        (loss * scale).backward()
        self.optimizer.step([p.grad for _, p, _ in self.params])
        constrain(self.module, self.meta)
        with torch.no_grad():
            primary = self.task['primary']
            predicted = predicted_classes(to_nhwc(outputs[primary['name']].detach()), primary['activation'])
            truth = primary_truth(y, primary)
            counts = confusion(truth[: truth.numel() if n else 0], predicted[: predicted.numel() if n else 0], self.classes).tolist()
        return value if n else 0.0, counts

    @torch.no_grad()
    def close_epoch(self, epoch):
        config = self.config
        partial = self.position['partial'] or fresh_partial(self.classes)
        checked = self.evaluate() if len(self.samples.validation) > 0 else None
        self.module.train()
        return {
            'epoch': epoch + 1,
            'step': self.position['step'],
            'loss': partial['lossSum'] / max(partial['images'], 1),
            'metrics': compute_metrics(config['metrics'], partial['confusion']['counts'], self.classes, self.segmentation),
            'validation': checked and {'loss': checked['loss'], 'metrics': checked['metrics']},
            'lr': self.optimizer.lr,
            'seconds': partial['seconds'] + (checked['seconds'] if checked else 0),
            'imagesPerSecond': partial['images'] / max(partial['seconds'], 1e-9),
        }

    @torch.no_grad()
    def evaluate(self):
        """Inference mode over this rank's share of the validation samples, summed over the ranks."""
        began = time.perf_counter()
        self.module.eval()
        lo, hi = self.world.share(len(self.samples.validation))
        indices = self.samples.validation[lo:hi]
        centre = np.tile(np.array([*self.samples.centre, 0, 0, 0]), (1, 1))
        loss_sum, counts = 0.0, [0.0] * (self.classes * self.classes)
        batch = self.config['batch']
        for start in range(0, len(indices), batch):
            part = indices[start:start + batch]
            x, y = self.samples.batch(part, np.repeat(centre, len(part), axis=0))
            x, y = torch.from_numpy(x).to(self.device), torch.from_numpy(y).to(self.device)
            outputs = self.forward(self.module, x, None)
            loss_sum += float(total_loss(self.config['loss'], self.task, outputs, y)) * len(part)
            primary = self.task['primary']
            c = confusion(primary_truth(y, primary), predicted_classes(to_nhwc(outputs[primary['name']]), primary['activation']), self.classes).tolist()
            counts = [a + b for a, b in zip(counts, c)]
        summed = self.world.sum([loss_sum, float(hi - lo)] + counts, self.device)
        images = summed[1]
        merged = [int(round(v)) for v in summed[2:]]
        return {'loss': summed[0] / images if images else float('nan'), 'metrics': compute_metrics(self.config['metrics'], merged, self.classes, self.segmentation),
                'seconds': time.perf_counter() - began}


class NonFinite(Exception):
    def __init__(self, value, epoch, index, steps_per_epoch, step, ranks):
        super().__init__(f'loss is {value}')
        self.fields = {'value': str(value), 'epoch': epoch + 1, 'index': index, 'stepsPerEpoch': steps_per_epoch, 'step': step, 'ranks': ranks}


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def check_torch():
    version = tuple(int(p) for p in torch.__version__.split('+')[0].split('.')[:2] if p.isdigit())
    if version < MIN_TORCH:
        raise TrainerError('GN0912', f'torch {torch.__version__} is too old; gnet needs torch >= 1.13 (apt-get install python3-torch, or pip install --upgrade torch)')


def main(argv=None):
    parser = argparse.ArgumentParser(description="gnet's PyTorch trainer (started by `gnet train --backend torch`)")
    parser.add_argument('--job', required=True, help='job.json written by gnet train')
    parser.add_argument('--module', help='ignored: the job names the module')
    args = parser.parse_args(argv)
    world = World()
    status = 1
    try:
        check_torch()
        with open(args.job, encoding='utf-8') as f:
            job = json.load(f)
        if job.get('threads'):
            torch.set_num_threads(int(job['threads']))
        device = choose_device(job.get('device', 'cpu'), world.local_rank)
        world.start(device)
        outcome = Trainer(job, world, device).run()
        emit(world, 'done', status=outcome)
        status = 0 if outcome == 'completed' else 130
    except TrainerError as error:
        report_error(error.code, error.message)
    except NonFinite as error:
        emit(world, 'nonfinite', **error.fields)
        status = 3
    except Exception as error:  # noqa: BLE001 - one coded line instead of a stack trace
        import traceback
        traceback.print_exc(file=sys.stderr)
        report_error('GN0916', f'the torch trainer failed on rank {world.rank}: {type(error).__name__}: {error}')
    finally:
        try:
            world.stop()
        except Exception:  # noqa: BLE001
            pass
    return status


if __name__ == '__main__':
    sys.exit(main())
