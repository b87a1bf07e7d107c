"""Train a job `gnet job` prepared, anywhere PyTorch is, without gnet:

    python3 train.py [--device cpu|cuda|cuda:N] [--epochs E] [--out RUNDIR] [--resume] [--threads N]

One process trains alone; several are started by any launcher that sets RANK, WORLD_SIZE, LOCAL_RANK,
MASTER_ADDR and MASTER_PORT (torchrun, or a shell loop), or by Slurm's srun (SLURM_PROCID,
SLURM_NTASKS, SLURM_LOCALID). RUNDIR (default: run/ beside this job) becomes an ordinary gnet run
directory: config.json, sources.json, data.json, log.jsonl, checkpoint/ (gnet's format, the newest K
and the best) and torch/step-<step>.pt (the module's state_dict at the same steps). `gnet finish
RUNDIR` then writes the final model and report.html where gnet is installed; `gnet eval`, `predict`,
`export` and `train --resume` read the run.

The policy is gnet's driver's (runtime/train/driver.ts): the same epochs and batch order, schedule,
validation, early stopping, divergence stop, checkpoints and log, and a Ctrl-C or SIGTERM that
finishes the step, saves and exits 130 or 143. Errors print one `gnet: error[GNxxxx]: …` line.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import torch

from .dist import World, choose_device
from .engine import Diverged, Engine
from .errors import TrainerError
from .metrics import compute_metrics, headline
from .policy import early_stop_reason
from .rundir import Checkpoints, Lock, append_line, to_json, write_atomic
from .schedules import learning_rate_at

STOP_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Stop:
    """The first SIGINT or SIGTERM asks to stop after the step; a second one quits at once."""

    def __init__(self, main):
        self.signal, self.main = None, main
        for s in STOP_CODES:
            signal.signal(s, self._handle)

    def _handle(self, signum, frame):
        self.signal = signum
        for s in STOP_CODES:
            signal.signal(s, signal.SIG_DFL)
        if self.main:
            say(f'{signal.Signals(signum).name}: stopping after this step and saving a checkpoint ({signal.Signals(signum).name} again to quit at once)')


def say(message):
    sys.stderr.write(f'gnet: {message}\n')
    sys.stderr.flush()


def fresh_epoch(classes):
    return {'lossSum': 0.0, 'batches': 0, 'images': 0, 'seconds': 0.0, 'confusion': {'classes': classes, 'counts': [0] * (classes * classes)}}


class Run:
    def __init__(self, job, folder, args, world, engine):
        self.job, self.world, self.engine = job, world, engine
        self.config = {**job['config'], **({'epochs': args.epochs} if args.epochs else {})}
        self.classes = job['task']['classes']
        self.segmentation = job['task']['task'] == 'segmentation'
        self.root = os.path.abspath(args.out or os.path.join(folder, 'run'))
        self.log_path = os.path.join(self.root, 'log.jsonl')
        self.steps_per_epoch = math.ceil(len(engine.samples.train) / self.config['batch'])
        self.checkpoints = Checkpoints(self.root, engine.meta, job['architecture'], self.config.get('keepCheckpoints', 2), self.config.get('keepBest'))
        self.stop = Stop(world.main)
        self.lr = self.config['optimizer']['lr']

    # -- the run directory --------------------------------------------------------------------------
    def open(self, resume):
        """Rank 0 creates or reopens the run directory; every rank gets the state to start from."""
        state, position = None, fresh_position()
        if self.world.main:
            exists = os.path.exists(os.path.join(self.root, 'config.json'))
            if exists and not resume:
                raise TrainerError('GN0807', f'{self.root} already holds a run; continue it with --resume, or choose a new --out')
            if resume and not exists:
                raise TrainerError('GN0809', f'{self.root} holds no run to resume; leave out --resume to start one')
            os.makedirs(self.root, exist_ok=True)
            self.lock = Lock(self.root, say)
            if not exists:
                run = self.job['run']
                write_atomic(os.path.join(self.root, 'sources.json'), json.dumps(run['sources']))
                write_atomic(os.path.join(self.root, 'data.json'), json.dumps(run['data'], indent=2))
            record = {**self.job['run']['record'], 'train': self.config, 'device': str(self.engine.device)}
            write_atomic(os.path.join(self.root, 'config.json'), json.dumps(record, indent=2))
            found = self.checkpoints.newest_intact(say) if resume else None
            if found:
                name, manifest, (weights, slots) = found
                state = {'weights': dict(weights), 'slots': slots, 'learningRate': manifest['learningRate']}
                position = manifest['position']
                say(resume_line(name, manifest, self.config['epochs']))
            elif resume:
                say(f'{self.root} has no checkpoint (it stopped before its first one); starting it again from epoch 1 with its saved configuration')
            write_atomic(self.log_path, ''.join(to_json(r) + '\n' for r in position['history']))
        state, position = self.world.broadcast((state, position))
        if state:
            self.lr = state['learningRate']
        return state, position

    def save(self, position):
        if self.world.main:
            weights, slots, lr = self.engine.state()
            self.checkpoints.save(weights, slots, lr, position, self.config['seed'], self.engine.module.state_dict())
        self.checkpoint_step = position['step']

    # -- the loop -----------------------------------------------------------------------------------
    def train(self, position):
        config = self.config
        self.checkpoint_step = position['step'] if position['history'] or position['step'] else None
        stopped = self.early_stop(position['history']) if position['stepInEpoch'] == 0 else None
        if stopped:
            return 'completed', position, stopped
        for epoch in range(position['epoch'], config['epochs']):
            position = self.run_epoch(epoch, position)
            if position is None:
                return 'interrupted', self.position, None
            record = self.close_epoch(epoch, position)
            stopped = self.early_stop([*position['history'], record])
            if stopped:
                record = {**record, 'earlyStop': stopped['reason']}
            position = {'epoch': epoch + 1, 'step': position['step'], 'stepInEpoch': 0, 'partial': None, 'history': [*position['history'], record]}
            self.save(position)
            if self.world.main:
                append_line(self.log_path, to_json(record))
                say(epoch_line(record))
            if stopped:
                return 'completed', position, stopped
            if self.stop_asked() and epoch + 1 < config['epochs']:
                self.position = position
                return 'interrupted', position, None
        return 'completed', position, None

    def early_stop(self, history):
        patience = self.config.get('earlyStop')
        if patience is None:
            return None
        reason = early_stop_reason(history, self.config['keepBest'], patience, self.config.get('minDelta', 0))
        return reason and {'epoch': len(history), 'reason': reason}

    def stop_asked(self):
        flag = torch.tensor([1.0 if self.stop.signal else 0.0], dtype=torch.float64)
        return self.world.sum_tensor(flag, self.engine.device)[0].item() > 0

    def run_epoch(self, epoch, position):
        config = self.config
        partial = position['partial'] or fresh_epoch(self.classes)
        total = self.steps_per_epoch * config['epochs']
        shown = time.perf_counter()
        for index in range(position['stepInEpoch'], self.steps_per_epoch):
            step = position['step']
            lr = learning_rate_at(config['schedule'], config['optimizer']['lr'], step, epoch, total)
            began = time.perf_counter()
            try:
                outcome = self.engine.steps([{'epoch': epoch, 'index': index, 'step': step, 'lr': lr}])['results'][0]
            except Diverged as diverged:
                raise self.diverged(diverged.fields, epoch, index, step, lr) from None
            self.lr = lr
            counts = [a + b for a, b in zip(partial['confusion']['counts'], outcome['counts'])]
            partial = {'lossSum': partial['lossSum'] + outcome['lossSum'], 'batches': partial['batches'] + 1, 'images': partial['images'] + outcome['images'],
                       'seconds': partial['seconds'] + time.perf_counter() - began, 'confusion': {'classes': self.classes, 'counts': counts}}
            position = {**position, 'step': step + 1, 'stepInEpoch': index + 1, 'partial': partial}
            if self.world.main and time.perf_counter() - shown > 10:
                shown = time.perf_counter()
                metric = headline(compute_metrics(config['metrics'], counts, self.classes, self.segmentation))
                told = f" {metric['name']} {metric['value']:.4f}" if metric else ''
                say(f"epoch {epoch + 1}/{config['epochs']} step {index + 1}/{self.steps_per_epoch} loss {partial['lossSum'] / partial['images']:.4f}{told}")
            if self.stop_asked():
                self.save(position)
                self.position = position
                return None
            if config.get('checkpointEvery', 0) > 0 and (step + 1) % config['checkpointEvery'] == 0:
                self.save(position)
        return {**position, 'partial': partial}

    def diverged(self, fields, epoch, index, step, lr):
        where = f'epoch {epoch + 1}, step {index + 1} of {self.steps_per_epoch} (global step {step + 1})'
        if fields['kind'] == 'loss':
            what = f"the loss became {fields['value']}"
        else:
            share = 'all' if fields['count'] == fields['size'] else f"{fields['count']} of"
            what = f"weight {fields['name']} became {fields['value']} ({share} {fields['size']} values)"
        ranks = fields.get('ranks')
        on = f" on worker rank{'s' if len(ranks) > 1 else ''} {', '.join(map(str, ranks))}" if ranks else ''
        kept = f"the last finite checkpoint (step {self.checkpoint_step}) in {self.checkpoints.folder} is kept" if self.checkpoint_step is not None else 'no checkpoint had been written yet'
        lower = f'{lr / 10:.3g}'
        return TrainerError('GN0803', f'training diverged at {where}: {what}{on} at learning rate {lr}; training stopped, nothing of this step was saved and {kept}; lower the learning rate (e.g. --lr {lower}) or set clip_norm in the train section')

    def close_epoch(self, epoch, position):
        config = self.config
        partial = position['partial']
        checked = self.engine.evaluate('validation') if len(self.engine.samples.split('validation')) > 0 else None
        validation = checked and {'loss': checked['lossSum'] / checked['images'] if checked['images'] else float('nan'),
                                  'metrics': compute_metrics(config['metrics'], checked['counts'], self.classes, self.segmentation)}
        return {
            'epoch': epoch + 1, 'step': position['step'], 'loss': partial['lossSum'] / partial['images'],
            'metrics': compute_metrics(config['metrics'], partial['confusion']['counts'], self.classes, self.segmentation),
            'validation': validation, 'lr': self.lr, 'seconds': partial['seconds'] + (checked['seconds'] if checked else 0),
            'imagesPerSecond': partial['images'] / partial['seconds'],
        }


def fresh_position():
    return {'epoch': 0, 'step': 0, 'stepInEpoch': 0, 'partial': None, 'history': []}


def resume_line(name, manifest, epochs):
    p = manifest['position']
    where = f"epoch {p['epoch'] + 1}/{epochs} starts" if p['stepInEpoch'] == 0 else f"epoch {p['epoch'] + 1}/{epochs} continues after its step {p['stepInEpoch']}"
    done = f'all {epochs} epochs are done' if p['epoch'] >= epochs else where
    return f"resuming from {name} (saved {manifest['savedAt']}): {done} (global step {p['step']})"


def epoch_line(record):
    def metrics(values):
        return ' '.join(f'{k} {v:.4f}' for k, v in values.items() if isinstance(v, (int, float)))
    val = record.get('validation')
    told = f" | val loss {val['loss']:.4f} {metrics(val['metrics'])}" if val else ''
    return f"epoch {record['epoch']}: loss {record['loss']:.4f} {metrics(record['metrics'])}{told} | lr {record['lr']:.4f} | {record['seconds']:.1f} s"


def main(argv=None, job_path=None):
    parser = argparse.ArgumentParser(description='Train a gnet job (prepared by `gnet job`) with PyTorch; see README.md beside it.')
    parser.add_argument('--job', default=job_path, help='job.json (default: the one beside train.py)')
    parser.add_argument('--device', help="cpu, cuda or cuda:N (default: the job's)")
    parser.add_argument('--epochs', type=int, help="epochs in all (default: the job's)")
    parser.add_argument('--out', help='run directory (default: run/ beside the job)')
    parser.add_argument('--resume', action='store_true', help='continue the run in --out from its newest intact checkpoint')
    parser.add_argument('--threads', type=int, help='CPU threads per process (default: the CPUs this process may use, shared among the processes on this machine)')
    args = parser.parse_args(argv)
    world = World()
    return world.leave(train_job(args, world))


def train_job(args, world):
    run = None
    try:
        folder = os.path.dirname(os.path.abspath(args.job))
        with open(args.job, encoding='utf-8') as f:
            job = json.load(f)
        if job.get('format') != 'gnet-torch-job' or 'run' not in job:
            raise TrainerError('GN0809', f'{args.job} is not a job written by `gnet job`; prepare one with `gnet job SPEC --out DIR`')
        torch.set_num_threads(args.threads or max(1, len(os.sched_getaffinity(0)) // world.local_size))
        device = choose_device(args.device or job.get('device', 'cpu'), world.local_rank)
        world.start(device)
        engine = Engine(job, world, device, folder)
        run = Run(job, folder, args, world, engine)
        state, position = run.open(args.resume)
        engine.start(state)
        status, position, stopped = run.train(position)
        if status == 'interrupted':
            say(f"stopped at epoch {position['epoch'] + 1}/{run.config['epochs']}, step {position['step']}; checkpoint saved. Continue with: python3 train.py --resume --out {run.root}")
            return STOP_CODES.get(run.stop.signal, 130)
        if stopped:
            say(f"completed (early stop at epoch {stopped['epoch']}): {stopped['reason']}")
        say(f'done: {run.root}; bring it home with: gnet finish {run.root}')
        return 0
    except TrainerError as error:
        say(f'error[{error.code}]: {error.message}')
        return 1
    finally:
        if run is not None and hasattr(run, 'lock'):
            run.lock.release()
