"""A gnet run directory written from Python, in the formats gnet's own driver writes
(runtime/train/checkpoint.ts, log.ts, run-lock.ts), so a job trained away from gnet comes home as an
ordinary run: `gnet eval`, `predict`, `export`, `finish` and `train --resume` read it.

checkpoint/step-<step>-<stamp>.bin holds the weights (META order, float32) then the optimiser slots
(iterations int32, then float32), little-endian, one after another; step-<step>.json, written last and
atomically, names that file with its size and SHA-256. The newest K and the best by the watched metric
are kept. torch/step-<step>.pt beside holds the module's state_dict at the same steps.
"""
import datetime
import errno
import hashlib
import json
import os
import socket
import time

import numpy as np

from .errors import TrainerError

FORMAT, VERSION = 'gnet-checkpoint', 1
TEMP_MARK = '.tmp-'
DAMAGED = '.damaged'
LOCK_FILE = 'train.lock'


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def manifest_name(step):
    return f'step-{step:09d}.json'


def disk_error(error, doing):
    if getattr(error, 'errno', None) in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return TrainerError('GN0802', f'the disk is full: could not {doing} ({errno.errorcode[error.errno]}); free some space and run again — files written before are kept')
    return TrainerError('GN0801', f'could not {doing} ({getattr(error, "strerror", error)}); choose a run directory you can write to with --out')


def write_atomic(path, data):
    """Temporary file, fsync, rename, fsync of the folder: a crash leaves the old file or the new one."""
    temporary = f'{path}{TEMP_MARK}{os.getpid()}-{int(time.time() * 1000):x}'
    try:
        with open(temporary, 'wb') as f:
            f.write(data if isinstance(data, bytes) else data.encode('utf-8'))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
        folder = os.open(os.path.dirname(path) or '.', os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as error:
        _remove(temporary)
        raise disk_error(error, f'write {path}') from error


def append_line(path, line):
    try:
        with open(path, 'a', encoding='utf-8') as f:
            f.write(line + '\n')
            f.flush()
            os.fsync(f.fileno())
    except OSError as error:
        raise disk_error(error, f'append to {path}') from error


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def to_json(value):
    """JSON as JavaScript's JSON.stringify writes it (no spaces; NaN is not JSON, so it becomes null)."""
    return json.dumps(value, separators=(',', ':'), allow_nan=False, default=float)


class Lock:
    """RUNDIR/train.lock, taken atomically; a lock left by a dead process on this host is taken over, with a notice."""

    def __init__(self, root, notice):
        self.path = os.path.join(root, LOCK_FILE)
        me = {'pid': os.getpid(), 'host': socket.gethostname(), 'since': now()}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                holder = self._holder()
                if holder and holder.get('host') == me['host'] and not _alive(holder.get('pid')):
                    _remove(self.path)
                    notice(f"took over the lock of {root}, left by process {holder.get('pid')} on {holder.get('host')}, which is no longer running")
                    continue
                who = f"process {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}" if holder else 'another process'
                raise TrainerError('GN0810', f'{root} is in training by {who}; wait for it to end, or train into another --out')
            with os.fdopen(fd, 'w') as f:
                f.write(json.dumps(me))
            return
        raise TrainerError('GN0810', f'{root} is locked by another process; wait for it to end, or train into another --out')

    def _holder(self):
        try:
            with open(self.path, encoding='utf-8') as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def release(self):
        _remove(self.path)


def _alive(pid):
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, TypeError, ValueError):
        return False


class Checkpoints:
    """RUNDIR/checkpoint in gnet's format; `keep` newest plus the best by `watch`."""

    def __init__(self, root, meta, architecture, keep, watch):
        self.folder = os.path.join(root, 'checkpoint')
        self.pt_folder = os.path.join(root, 'torch')
        self.meta, self.architecture, self.keep, self.watch = meta, architecture, keep, watch

    def save(self, weights, slots, learning_rate, position, seed, state_dict):
        """weights: [(name, float32 array)] in META order; slots: [(name, array)] iterations first."""
        os.makedirs(self.folder, exist_ok=True)
        os.makedirs(self.pt_folder, exist_ok=True)
        for name in os.listdir(self.folder):
            if TEMP_MARK in name:
                _remove(os.path.join(self.folder, name))
        parts, specs = [], []
        for name, array in [*weights, *[('optimizer/' + n, a) for n, a in slots]]:
            dtype = 'int32' if name == 'optimizer/iterations' else 'float32'
            data = np.ascontiguousarray(np.asarray(array), dtype='<i4' if dtype == 'int32' else '<f4')
            parts.append(data.tobytes())
            specs.append({'name': name, 'shape': list(np.shape(array)), 'dtype': dtype})
        data = b''.join(parts)
        weights_file = f"step-{position['step']}-{int(time.time() * 1000):x}.bin"
        write_atomic(os.path.join(self.folder, weights_file), data)
        self._save_state_dict(state_dict, position['step'])
        manifest = {
            'format': FORMAT, 'version': VERSION, 'network': self.meta['network'], 'architecture': self.architecture,
            'savedAt': now(), 'position': position, 'rng': {'seed': seed, 'epoch': position['epoch'], 'step': position['step']},
            'learningRate': learning_rate, 'weightsFile': weights_file, 'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data),
            'weights': specs[:len(weights)],
            'optimizerSlots': [{**s, 'name': s['name'][len('optimizer/'):]} for s in specs[len(weights):]],
        }
        write_atomic(os.path.join(self.folder, manifest_name(position['step'])), json.dumps(manifest, indent=1, allow_nan=False))
        self._prune()
        return manifest

    def _save_state_dict(self, state_dict, step):
        import torch
        path = os.path.join(self.pt_folder, f'step-{step}.pt')
        temporary = f'{path}{TEMP_MARK}{os.getpid()}'
        try:
            torch.save(state_dict, temporary)
            os.replace(temporary, path)
        except OSError as error:
            _remove(temporary)
            raise disk_error(error, f'write {path}') from error

    def entries(self):
        """(step, manifest file, manifest or None, problem) newest first."""
        if not os.path.isdir(self.folder):
            return []
        out = []
        for name in os.listdir(self.folder):
            if not (name.startswith('step-') and name.endswith('.json')):
                continue
            try:
                with open(os.path.join(self.folder, name), encoding='utf-8') as f:
                    manifest = json.load(f)
                problem = None if manifest.get('format') == FORMAT and manifest.get('version') == VERSION else f'not a gnet checkpoint of version {VERSION}'
            except ValueError as error:
                manifest, problem = None, f'not valid JSON ({error})'
            out.append((int(name[5:-5]), name, manifest if problem is None else None, problem))
        return sorted(out, reverse=True)

    def newest_intact(self, notice):
        """The newest checkpoint whose .bin matches its manifest, damaged newer ones set aside as *.damaged (and named)."""
        skipped = []
        for step, name, manifest, problem in self.entries():
            problem = problem or self._weights_problem(manifest)
            if problem is None:
                if skipped:
                    notice(f"the newest checkpoint is damaged ({'; '.join(f'{f}: {p}' for f, p in skipped)}); set aside as *.damaged, falling back to {name}, the newest intact one")
                return name, manifest, self._decode(manifest)
            skipped.append((name, problem))
            for file in (name, (manifest or {}).get('weightsFile')):
                if file and os.path.exists(os.path.join(self.folder, file)):
                    os.replace(os.path.join(self.folder, file), os.path.join(self.folder, file + DAMAGED))
        if skipped:
            raise TrainerError('GN0805', f"no intact checkpoint in {self.folder} ({'; '.join(f'{f}: {p}' for f, p in skipped)}); move it aside to train again from the start")
        return None

    def _weights_problem(self, manifest):
        path = os.path.join(self.folder, manifest['weightsFile'])
        if not os.path.exists(path):
            return f"its weights file {manifest['weightsFile']} is missing"
        with open(path, 'rb') as f:
            data = f.read()
        if len(data) != manifest['bytes'] or hashlib.sha256(data).hexdigest() != manifest['sha256']:
            return f"{manifest['weightsFile']} is damaged (its size or SHA-256 differs from the manifest)"
        return None

    def _decode(self, manifest):
        with open(os.path.join(self.folder, manifest['weightsFile']), 'rb') as f:
            data = f.read()
        at, arrays = 0, []
        for spec in [*manifest['weights'], *manifest['optimizerSlots']]:
            count = int(np.prod(spec['shape'])) if spec['shape'] else 1
            dtype = '<i4' if spec.get('dtype') == 'int32' else '<f4'
            arrays.append((spec['name'], np.frombuffer(data, dtype=dtype, count=count, offset=at).reshape(spec['shape']).copy()))
            at += 4 * count
        n = len(manifest['weights'])
        return arrays[:n], arrays[n:]

    def _prune(self):
        entries = self.entries()
        best = self._best(entries) if self.watch else None
        kept = {e[1] for e in entries[:max(1, self.keep)]} | ({best} if best else set())
        named, steps = set(), set()
        for step, name, manifest, _ in entries:
            if name in kept:
                named.add((manifest or {}).get('weightsFile'))
                steps.add(step)
            else:
                _remove(os.path.join(self.folder, name))
        for name in os.listdir(self.folder):
            if name.endswith('.bin') and name.startswith('step-') and name not in named:
                _remove(os.path.join(self.folder, name))
        for name in os.listdir(self.pt_folder):
            if name.startswith('step-') and name.endswith('.pt') and int(name[5:-3]) not in steps:
                _remove(os.path.join(self.pt_folder, name))

    def _best(self, entries):
        from .policy import improves, watched_value
        best = None
        for step, name, manifest, _ in sorted(entries):
            if manifest is None:
                continue
            p = manifest['position']
            at_end = p['epoch'] > 0 and p['stepInEpoch'] == 0 and p['partial'] is None and len(p['history']) == p['epoch']
            value = watched_value(p['history'][-1], self.watch) if at_end else None
            if value is not None and improves(value, best and best[1], self.watch):
                best = (name, value)
        return best and best[0]
