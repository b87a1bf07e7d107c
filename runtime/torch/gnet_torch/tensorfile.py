"""A simple tensor file both engines read and write: a 4-byte little-endian header length, a UTF-8
JSON header {"tensors": [{"name", "shape"}], ...} and then each tensor's float32 values,
little-endian, row-major, in header order."""
import json
import struct

import numpy as np


def read_tensors(path):
    """(header, {name: float32 ndarray}) from a tensor file."""
    with open(path, 'rb') as f:
        data = f.read()
    (length,) = struct.unpack_from('<I', data, 0)
    header = json.loads(data[4:4 + length].decode('utf-8'))
    arrays, at = {}, 4 + length
    for entry in header['tensors']:
        count = int(np.prod(entry['shape'])) if entry['shape'] else 1
        arrays[entry['name']] = np.frombuffer(data, dtype='<f4', count=count, offset=at).reshape(entry['shape']).copy()
        at += 4 * count
    return header, arrays


def write_tensors(path, arrays, extra=None):
    """Writes {name: array} (in dict order) with optional extra header fields."""
    header = dict(extra or {})
    header['tensors'] = [{'name': name, 'shape': list(np.shape(a))} for name, a in arrays.items()]
    encoded = json.dumps(header).encode('utf-8')
    with open(path, 'wb') as f:
        f.write(struct.pack('<I', len(encoded)))
        f.write(encoded)
        for a in arrays.values():
            f.write(np.ascontiguousarray(a, dtype='<f4').tobytes())
