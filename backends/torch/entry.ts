import { join } from 'node:path';
import { type FileSystem, NODE_FS, writeFileAtomic } from '../../runtime/train/files.js';

/** JOBDIR/serve.py: the thin entry of a torch engine worker, beside the generated module and gnet_torch. */
const SERVE_ENTRY = `"""A torch engine worker for gnet's training driver: python3 serve.py --job job.json (gnet starts it)."""
import json
import os
import sys

try:
    import numpy  # noqa: F401
    import torch  # noqa: F401
except Exception as error:  # noqa: BLE001 - gnet's light probe found torch without importing it
    message = f'{sys.executable} cannot import torch and numpy ({type(error).__name__}: {error}); install torch: apt-get install python3-torch (Debian), or pip install torch; or point GNET_PYTHON at a Python that has it'
    sys.stderr.write(json.dumps({'event': 'error', 'code': 'GN0931', 'message': message}) + '\\n')
    sys.exit(1)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gnet_torch.serve import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
`;

export function writeServeEntry(dir: string, io: FileSystem = NODE_FS): string {
  const path = join(dir, 'serve.py');
  writeFileAtomic(path, SERVE_ENTRY, io);
  return path;
}
