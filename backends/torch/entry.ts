import { join } from 'node:path';
import { type FileSystem, NODE_FS, writeFileAtomic } from '../../runtime/train/files.js';

/** JOBDIR/serve.py: the thin entry of a torch engine worker, beside the generated module and gnet_torch. */
const SERVE_ENTRY = `"""A torch engine worker for gnet's training driver: python3 serve.py --job job.json (gnet starts it)."""
import os
import sys

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
