"""Process group and device set-up from the standard variables (RANK, WORLD_SIZE, LOCAL_RANK,
MASTER_ADDR, MASTER_PORT), so one file runs under gnet's own launcher and under torchrun alike.
gloo on the CPU, NCCL on CUDA; the split of each global batch over the ranks lives here too."""
import datetime
import os

import torch
import torch.distributed as dist

from .errors import TrainerError


def _first(env, *names, default):
    for name in names:
        if env.get(name):
            return env[name]
    return default


class World:
    """This process's place among the workers: torchrun's variables, or Slurm's under srun."""

    def __init__(self, env=os.environ):
        self.rank = int(_first(env, 'RANK', 'SLURM_PROCID', default='0'))
        self.size = int(_first(env, 'WORLD_SIZE', 'SLURM_NTASKS', default='1'))
        self.local_rank = int(_first(env, 'LOCAL_RANK', 'SLURM_LOCALID', default='0'))
        # SLURM_NTASKS_PER_NODE may read "2(x3)"; its first number is this kind of node's count.
        self.local_size = int(_first(env, 'LOCAL_WORLD_SIZE', 'SLURM_NTASKS_PER_NODE', default=str(self.size)).split('(')[0])
        if self.size > 1 and 'SLURM_PROCID' in env and 'RANK' not in env:
            # srun starts every task on the nodes it holds; the first one (where the batch script runs) hosts rank 0.
            os.environ.setdefault('MASTER_ADDR', env.get('SLURM_LAUNCH_NODE_IPADDR', '127.0.0.1'))
            os.environ.setdefault('MASTER_PORT', str(29500 + int(env.get('SLURM_JOB_ID', '0')) % 1000))
        self.backend = None
        self.control = None

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

    def stop(self):
        if self.distributed and dist.is_initialized():
            dist.destroy_process_group()

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
    index = local_rank if name == 'cuda' else int(name.split(':', 1)[1]) + local_rank
    if index >= count:
        raise TrainerError('GN0933', f'--device {name} with local rank {local_rank} needs GPU {index}, but only {count} are visible; lower --workers or pick another device')
    torch.cuda.set_device(index)
    return torch.device('cuda', index)
