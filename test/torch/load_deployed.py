"""Loads TorchScript modules (FOLDER/NAME.pt) with torch and numpy alone (run it with python3 -I from a
folder without gnet code) and prints, per file, the worst relative error of its outputs on
FOLDER/inputs.npz against FOLDER/expected.npz (what the gnet module computed), and whether gnet_torch
could have been imported at all."""
import importlib.util
import json
import os
import sys

import numpy as np
import torch

torch.set_num_threads(1)
errors = {}
for path in sys.argv[1:]:
    folder = os.path.dirname(path)
    inputs, expected = np.load(f'{folder}/inputs.npz'), np.load(f'{folder}/expected.npz')
    model = torch.jit.load(path)
    xs = {name: torch.from_numpy(inputs[name]) for name in inputs.files}
    with torch.no_grad():
        out = model(next(iter(xs.values())) if len(xs) == 1 else xs)
    got = out if isinstance(out, dict) else {expected.files[0]: out}
    errors[path] = max(float(np.abs(got[n].numpy() - expected[n]).max() / max(np.abs(expected[n]).max(), 1e-30)) for n in expected.files)
print(json.dumps({'gnetImportable': importlib.util.find_spec('gnet_torch') is not None, 'loaded': sorted(m for m in sys.modules if 'gnet' in m), 'errors': errors}))
