import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** DIR/train.py: the thin standalone entry next to the generated module and the gnet_torch package. */
export const TRAIN_ENTRY = `"""gnet's PyTorch trainer entry: python3 train.py --job JOB.json (gnet train --backend torch writes the job).
Runs unchanged under torchrun, which sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gnet_torch.train import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
`;

export function writeTrainEntry(dir: string): string {
  const path = join(dir, 'train.py');
  writeFileSync(path, TRAIN_ENTRY);
  return path;
}
