"""Process group and device set-up from the standard variables (RANK, WORLD_SIZE, LOCAL_RANK,
MASTER_ADDR, MASTER_PORT), so one file runs under gnet's own launcher and under torchrun alike.
gloo on the CPU, NCCL on CUDA; the split of each global batch over the ranks lives here too."""
import datetime
import os

import torch
import torch.distributed as dist

from .errors import TrainerError


class World:
    def __init__(self):
        self.rank = int(os.environ.get('RANK', '0'))
        self.size = int(os.environ.get('WORLD_SIZE', '1'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        self.backend = None

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
            raise TrainerError('GN0911', f'this torch {torch.__version__} was built without torch.distributed; install a build with it (pip install torch) or train with --workers 1')
        timeout = datetime.timedelta(seconds=float(os.environ.get('GNET_DIST_TIMEOUT', '300')))
        dist.init_process_group(self.backend, init_method='env://', rank=self.rank, world_size=self.size, timeout=timeout)

    def stop(self):
        if self.distributed and dist.is_initialized():
            dist.destroy_process_group()

    def sum(self, values, device):
        """Sums a list of floats over the ranks (float64 on CPU; NCCL needs the device)."""
        t = torch.tensor(values, dtype=torch.float64, device=device if self.backend == 'nccl' else 'cpu')
        if self.distributed:
            dist.all_reduce(t)
        return t.cpu().tolist()

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
        raise TrainerError('GN0913', f"unknown device '{name}'; use cpu, cuda or cuda:N")
    if not torch.cuda.is_available():
        build = f'built for CUDA {torch.version.cuda}' if torch.version.cuda else 'a CPU-only build'
        raise TrainerError('GN0913', f'--device {name} asks for CUDA, but torch {torch.__version__} ({build}) sees no CUDA device; '
                           'install the NVIDIA driver and a CUDA build of torch (pip install torch), or train with --device cpu')
    count = torch.cuda.device_count()
    index = local_rank if name == 'cuda' else int(name.split(':', 1)[1]) + local_rank
    if index >= count:
        raise TrainerError('GN0913', f'--device {name} with local rank {local_rank} needs GPU {index}, but only {count} are visible; lower --workers or pick another device')
    torch.cuda.set_device(index)
    return torch.device('cuda', index)
