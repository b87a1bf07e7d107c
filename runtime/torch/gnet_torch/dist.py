"""Process group and device set-up from the standard variables (RANK, WORLD_SIZE, LOCAL_RANK,
MASTER_ADDR, MASTER_PORT), so one file runs under gnet's own launcher and under torchrun alike.
gloo on the CPU, NCCL on CUDA; the split of each global batch over the ranks lives here too."""
import datetime
import os
import re
import sys

import torch
import torch.distributed as dist

from .errors import TrainerError


def _first(env, *names, default):
    for name in names:
        if env.get(name):
            return env[name]
    return default


def tasks_per_node(text):
    """Slurm's compressed tasks-per-node list, '2(x3),1' -> [2, 2, 2, 1]."""
    counts = []
    for part in text.split(','):
        match = re.fullmatch(r'\s*(\d+)(?:\(x(\d+)\))?\s*', part)
        if match:
            counts += [int(match.group(1))] * int(match.group(2) or 1)
    return counts


def first_host(nodelist):
    """The first host of a Slurm node list, where task 0 of a step runs: 'gpu[07-09,12],cpu3' -> 'gpu07'."""
    host, i = '', 0
    while i < len(nodelist) and nodelist[i] != ',':
        if nodelist[i] == '[':
            end = nodelist.index(']', i)
            host += re.split('[-,]', nodelist[i + 1:end])[0]
            i = end + 1
        else:
            host += nodelist[i]
            i += 1
    return host


class World:
    """This process's place among the workers: torchrun's variables, or Slurm's under srun."""

    def __init__(self, env=os.environ):
        self.rank = int(_first(env, 'RANK', 'SLURM_PROCID', default='0'))
        self.size = int(_first(env, 'WORLD_SIZE', 'SLURM_NTASKS', default='1'))
        self.local_rank = int(_first(env, 'LOCAL_RANK', 'SLURM_LOCALID', default='0'))
        self.local_size = int(env.get('LOCAL_WORLD_SIZE') or self._slurm_local_size(env) or self.size)
        if self.size > 1 and 'SLURM_PROCID' in env and 'RANK' not in env:
            # srun started every task: rank 0 runs on the step's first node; the port follows the job id
            # (as gnet train's own launcher under srun does), so every task agrees without talking.
            nodes = _first(env, 'SLURM_STEP_NODELIST', 'SLURM_JOB_NODELIST', default='')
            os.environ.setdefault('MASTER_ADDR', first_host(nodes) or env.get('SLURM_LAUNCH_NODE_IPADDR', '127.0.0.1'))
            os.environ.setdefault('MASTER_PORT', str(15000 + int(env.get('SLURM_JOB_ID', '0')) % 20000))
        self.backend = None
        self.control = None

    @staticmethod
    def _slurm_local_size(env):
        """Tasks of the step on this node (SLURM_STEP_TASKS_PER_NODE at SLURM_NODEID), or None outside srun."""
        counts = tasks_per_node(_first(env, 'SLURM_STEP_TASKS_PER_NODE', 'SLURM_TASKS_PER_NODE', default=''))
        node = int(env.get('SLURM_NODEID') or 0)
        return counts[node] if node < len(counts) else None

    @property
    def distributed(self):
        return self.size > 1

    @property
    def main(self):
        return self.rank == 0

    def start(self, device):
        if not self.distributed:
            return
        self.backend = 'nccl' if device.type == 'cuda' else 'gloo'
        if not dist.is_available():
            raise TrainerError('GN0931', f'this torch {torch.__version__} was built without torch.distributed; install a build with it (pip install torch) or train with --workers 1')
        timeout = datetime.timedelta(seconds=float(os.environ.get('GNET_DIST_TIMEOUT', '300')))
        dist.init_process_group(self.backend, init_method='env://', rank=self.rank, world_size=self.size, timeout=timeout)
        # Commands travel as pickled objects, which NCCL would have to stage on a GPU.
        self.control = dist.new_group(backend='gloo') if self.backend == 'nccl' else None

    def leave(self, status):
        """The exit status of a worker that is done; a distributed one ends here, its output flushed.
        Tearing the process group down (destroy_process_group, or the interpreter's own exit) can
        deadlock in torch 1.13 when DDP's reducer is released while a gloo thread waits for the GIL:
        rank 0 had left and its follower spun on forever (seen under srun, one task per worker)."""
        if self.distributed and dist.is_available() and dist.is_initialized():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        return status

    def sum_device(self, t, device):
        """A float64 vector summed over the ranks, left where the reduction ran (the GPU under NCCL: no host sync)."""
        if not self.distributed:
            return t
        t = t.to(device if self.backend == 'nccl' else 'cpu')
        dist.all_reduce(t)
        return t

    def sum_tensor(self, t, device):
        """A float64 vector summed over the ranks, on the CPU (NCCL reduces on the device)."""
        if not self.distributed:
            return t.cpu()
        t = t.to(device if self.backend == 'nccl' else 'cpu')
        dist.all_reduce(t)
        return t.cpu()

    def broadcast(self, value):
        """Rank 0's `value` (any picklable object) on every rank; the control group is gloo even under NCCL."""
        if not self.distributed:
            return value
        box = [value]
        dist.broadcast_object_list(box, src=0, group=self.control)
        return box[0]

    def share(self, count):
        """(start, stop) of this rank's part of `count` items: sizes differ by at most one."""
        base, extra = divmod(count, self.size)
        start = self.rank * base + min(self.rank, extra)
        return start, start + base + (1 if self.rank < extra else 0)


def gpu_index(name, local_rank, count, env=os.environ):
    """Which visible GPU a worker takes: that of its local rank, counted from cuda:N. A task of an srun
    step that sees exactly one GPU (srun --gpus-per-task=1 bound it) takes that one, whatever its local rank."""
    if name == 'cuda' and count == 1 and 'SLURM_STEP_ID' in env:
        return 0
    return (0 if name == 'cuda' else int(name.split(':', 1)[1])) + local_rank


def choose_device(name, local_rank):
    """torch.device for --device cpu | cuda | cuda:N; cuda gives each local rank its own GPU."""
    if name == 'cpu':
        return torch.device('cpu')
    if not name.startswith('cuda'):
        raise TrainerError('GN0933', f"unknown device '{name}'; use cpu, cuda or cuda:N")
    if not torch.cuda.is_available():
        build = f'built for CUDA {torch.version.cuda}' if torch.version.cuda else 'a CPU-only build'
        raise TrainerError('GN0933', f'--device {name} asks for CUDA, but torch {torch.__version__} ({build}) sees no CUDA device; '
                           'install the NVIDIA driver and a CUDA build of torch (pip install torch), or train with --device cpu')
    count = torch.cuda.device_count()
    index = gpu_index(name, local_rank, count)
    if index >= count:
        raise TrainerError('GN0933', f'--device {name} with local rank {local_rank} needs GPU {index}, but only {count} are visible; lower --workers or pick another device')
    torch.cuda.set_device(index)
    return torch.device('cuda', index)
