"""The watched metric and early stopping of gnet's driver (runtime/train/watch.ts), for a job trained
away from gnet (run.py). The test test/torch/travel.test.ts trains the same job both ways and holds
the two to the same epochs, early stop, checkpoints and log."""
import math


def better_is_higher(metric):
    return metric != 'loss'


def watched_value(record, metric):
    """The epoch's value of `metric`: validation when there is a validation set, else training."""
    source = record.get('validation') or record
    value = source['loss'] if metric == 'loss' else source['metrics'].get(metric)
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def watched_name(record, metric):
    return f'val {metric}' if record and record.get('validation') else metric


def improves(value, best, metric, min_delta=0.0):
    """Whether `value` beats `best` by more than min_delta (a tie keeps the earlier epoch)."""
    if best is None:
        return True
    return value - min_delta > best if better_is_higher(metric) else value + min_delta < best


def early_stop_state(history, metric, min_delta):
    best_epoch, best, wait = 0, None, 0
    for record in history:
        value = watched_value(record, metric)
        if value is not None and improves(value, best, metric, min_delta):
            best_epoch, best, wait = record['epoch'], value, 0
        else:
            wait += 1
    return best_epoch, best, wait


def early_stop_reason(history, metric, patience, min_delta):
    """Why patience has run out, in the words gnet uses; None to train on."""
    best_epoch, best, wait = early_stop_state(history, metric, min_delta)
    if not history or wait < patience:
        return None
    name = watched_name(history[-1], metric)
    told = 'no finite value yet' if best is None else f'best {best:.4f} at epoch {best_epoch}'
    return f"{name} has not improved by more than {_number(min_delta)} for {wait} epoch{'' if wait == 1 else 's'} ({told}; patience {patience})"


def _number(x):
    """A number as JavaScript's String() writes it (10, not 10.0)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))
