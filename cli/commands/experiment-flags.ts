import type { TrainFlags } from '../../runtime/train/config.js';

/** Train-section overrides back to `gnet train` flags: `{ weightDecay: 0.1, augment: false }` → `--weight-decay 0.1 --no-augment`. */
export function flagArgs(flags: TrainFlags): string[] {
  return Object.entries(flags).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (typeof value === 'boolean') return [value ? flag : `--no-${flag.slice(2)}`];
    return [flag, String(value)];
  });
}
