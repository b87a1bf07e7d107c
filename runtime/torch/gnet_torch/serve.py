"""A worker of the torch engine under gnet's training driver: `python3 serve.py --job JOB.json`, one
process per worker, started by `gnet train --backend torch` (or `gnet eval`) with RANK, WORLD_SIZE,
LOCAL_RANK, MASTER_ADDR and MASTER_PORT set as torchrun sets them.

Rank 0 reads one JSON command per line on stdin and passes each to every rank; every rank executes
it (gnet_torch/engine.py) and rank 0 answers on stdout, one JSON object per line:

  {"op": "start", "state": FILE|null}            -> {}
  {"op": "steps", "orders": [{epoch, index, step, lr}, ...]}
                                                  -> {"results": [{lossSum, images, counts}, ...]}
  {"op": "evaluate", "split": "validation"|"test"|"train"}
                                                  -> {lossSum, images, counts, seconds}
  {"op": "save", "file": FILE}                    -> {"file": FILE}
  {"op": "close"}                                 -> the workers leave

Answers are {"event": "reply", "id": ID, "ok": {...}} or, instead of "ok", "diverged" (a step whose
loss or weights are not finite; nothing of it was applied past the check) or "error" ({code,
message}). A failure that is not a gnet error ends the worker with one coded line on stderr; the end
of stdin (gnet has gone) ends every worker.
"""
import argparse
import json
import os
import signal
import sys
import traceback

import torch

from .dist import World, choose_device
from .engine import Diverged, Engine, read_state
from .errors import TrainerError

MIN_TORCH = (1, 13)


def write_event(event, **fields):
    sys.stdout.write(json.dumps({'event': event, **fields}) + '\n')
    sys.stdout.flush()


def report_error(code, message):
    sys.stderr.write(json.dumps({'event': 'error', 'code': code, 'message': message}) + '\n')
    sys.stderr.flush()


def check_torch():
    version = tuple(int(p) for p in torch.__version__.split('+')[0].split('.')[:2] if p.isdigit())
    if version < MIN_TORCH:
        raise TrainerError('GN0932', f'torch {torch.__version__} is too old; gnet needs torch >= 1.13 (apt-get install python3-torch, or pip install --upgrade torch)')


def start(engine, command, world):
    """Rank 0 reads the state gnet handed over, beside its own job (which other machines may not see), and passes it to every rank."""
    shared = None
    if world.main and command.get('state'):
        try:
            shared = ('state', read_state(command['state']))
        except Exception as error:  # noqa: BLE001 - every rank must hear of it, or the others wait forever
            shared = ('failed', f"cannot read the training state gnet handed over ({command['state']}: {error})")
    shared = world.broadcast(shared)
    if shared and shared[0] == 'failed':
        raise TrainerError('GN0936', shared[1])
    return engine.start(shared[1] if shared else None)


OPS = {
    'start': start,
    'steps': lambda engine, c, world: engine.steps(c['orders']),
    'evaluate': lambda engine, c, world: engine.evaluate(c['split']),
    'save': lambda engine, c, world: engine.save(c['file']),
}


def read_command():
    line = sys.stdin.readline()
    return json.loads(line) if line.strip() else None


def serve(engine, world):
    while True:
        command = world.broadcast(read_command() if world.main else None)
        if command is None or command['op'] == 'close':
            return
        reply = {'id': command.get('id')}
        try:
            reply['ok'] = OPS[command['op']](engine, command, world)
        except Diverged as diverged:
            reply['diverged'] = diverged.fields
        except TrainerError as error:
            reply['error'] = {'code': error.code, 'message': error.message}
        if world.main:
            write_event('reply', **reply)


def ignore_stop_signals():
    """gnet's driver stops the workers: on SIGINT, SIGTERM or SIGHUP it finishes the step, saves a
    checkpoint and closes them. Slurm (scancel, a time limit, pre-emption) signals every process of a
    step, workers too; one that died of it would leave the driver an error instead of a checkpoint.
    A worker whose gnet is gone still leaves: rank 0 reads the end of its input, the others hear it."""
    for name in ('SIGINT', 'SIGTERM', 'SIGHUP'):
        signal.signal(getattr(signal, name), signal.SIG_IGN)


def main(argv=None):
    parser = argparse.ArgumentParser(description="a torch engine worker for gnet's training driver (started by gnet train --backend torch)")
    parser.add_argument('--job', required=True, help='job.json written by gnet')
    args = parser.parse_args(argv)
    ignore_stop_signals()
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
        engine = Engine(job, world, device, os.path.dirname(os.path.abspath(args.job)))
        if world.main:
            write_event('ready', device=str(device), worldSize=world.size, distBackend=world.backend, threads=torch.get_num_threads(), torch=torch.__version__)
        serve(engine, world)
        status = 0
    except TrainerError as error:
        report_error(error.code, error.message)
    except Exception as error:  # noqa: BLE001 - one coded line instead of a stack trace
        traceback.print_exc(file=sys.stderr)
        report_error('GN0936', f'the torch engine failed on worker rank {world.rank}: {type(error).__name__}: {error}')
    return world.leave(status)


if __name__ == '__main__':
    sys.exit(main())
