"""Learning-rate schedules, as runtime/train/schedules.ts computes them, for the step about to run."""
import math


def learning_rate_at(schedule, base, step, epoch, total_steps):
    kind = schedule['kind']
    if kind == 'constant':
        return base
    if kind == 'step':
        return base * schedule['factor'] ** (epoch // schedule['every'])
    if kind in ('cosine', 'cosine_paper'):
        horizon = max(1, schedule.get('steps') or total_steps)
        k = min(step, horizon)
        alpha = schedule['alpha']
        if kind == 'cosine':
            # Standard cosine decay: lr0 at step 0, alpha * lr0 from step K on.
            return base * (alpha + (1 - alpha) * 0.5 * (1 + math.cos(math.pi * k / horizon)))
        # The paper's rule as written: starts at (2 - alpha) lr0, falls to alpha lr0 at K/2, rises back.
        return base * (alpha + (1 - alpha) * (1 + math.cos(2 * math.pi * k / horizon)))
    raise ValueError(f'unknown schedule {kind!r}')
