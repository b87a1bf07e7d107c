"""Seeded random numbers identical to gnet's TypeScript runtime (runtime/rng.ts): a stream depends
only on (seed, key), so initial weights and feature random enhancement draw the same values here
as under TensorFlow.js. mulberry32 is counter-based, so whole streams are computed with numpy."""
import math

import numpy as np

_MASK = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & _MASK


def _int32_bits(value):
    """ToInt32 of a JavaScript number, as unsigned bits."""
    return int(math.trunc(value)) & _MASK


def hash_key(seed, key):
    """32-bit hash of (seed, key), as runtime/rng.ts hashKey (UTF-16 code units of the key)."""
    h = (_int32_bits(seed) ^ 0x9E3779B9) & _MASK
    h = _imul(h ^ _int32_bits(seed / 2**32), 0x85EBCA6B)
    units = key.encode('utf-16-le', 'surrogatepass')
    for i in range(0, len(units), 2):
        h = _imul(h ^ (units[i] | (units[i + 1] << 8)), 0x5BD1E995)
        h ^= h >> 13
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h & _MASK


_CHUNK = 1 << 14


def _mulberry(states, out):
    """mulberry32's output for each state (uint32: products wrap as Math.imul's) as uniforms in [0, 1),
    written into `out`; in chunks, so the temporaries stay in cache."""
    for at in range(0, states.size, _CHUNK):
        t = states[at:at + _CHUNK]
        t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))
        t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
        np.multiply(t ^ (t >> np.uint32(14)), 1.0 / 4294967296.0, out=out[at:at + _CHUNK])
    return out


class Rng:
    """The stream of createRng(seed, key): uniform(), normal() and int(n), one value at a time or in bulk."""

    def __init__(self, seed, key):
        self._start = hash_key(seed, key)
        self._drawn = 0

    def uniforms(self, count):
        """The next `count` uniforms of the stream."""
        # Step numbers mod 2^32 suffice: the state is (start + step * 0x6D2B79F5) mod 2^32.
        steps = np.arange(count, dtype=np.uint32) + np.uint32((self._drawn + 1) & _MASK)
        self._drawn += count
        states = np.uint32(self._start) + steps * np.uint32(0x6D2B79F5)
        return _mulberry(states, np.empty(count))

    def uniform(self):
        return float(self.uniforms(1)[0])

    def normals(self, count):
        """Box-Muller, two uniforms per value, as createRng's normal()."""
        u = self.uniforms(2 * count).reshape(count, 2)
        return np.sqrt(-2.0 * np.log(1.0 - u[:, 0])) * np.cos(2.0 * math.pi * u[:, 1])

    def normal(self):
        return float(self.normals(1)[0])

    def int(self, n):
        return int(math.floor(self.uniform() * n))
