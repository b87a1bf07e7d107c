"""Confusion matrices and the metrics computed from them (runtime/train/metrics.ts)."""
import numpy as np
import torch


def predicted_classes(output_nhwc, activation):
    """Flat predicted class per image or pixel: argmax, or a threshold for one channel."""
    if output_nhwc.shape[-1] == 1:
        return (output_nhwc > (0 if activation == 'none' else 0.5)).reshape(-1).long()
    return output_nhwc.argmax(dim=-1).reshape(-1)


def confusion(truth, predicted, classes):
    """classes x classes counts (row = true class), as a float64 tensor on the predictions' device (no host sync), so ranks can sum it."""
    index = truth.long().reshape(-1) * classes + predicted.long().reshape(-1)
    return torch.bincount(index, minlength=classes * classes).double()


def _ratio(n, d):
    return None if d == 0 else n / d


def _mean(values):
    defined = [v for v in values if v is not None]
    return 0 if not defined else sum(defined) / len(defined)


def compute_metrics(names, counts, classes, segmentation):
    counts = np.asarray(counts, dtype=np.float64).reshape(classes, classes)
    tp = np.diag(counts)
    fp = counts.sum(axis=0) - tp
    fn = counts.sum(axis=1) - tp
    iou = [_ratio(float(tp[c]), float(tp[c] + fp[c] + fn[c])) for c in range(classes)]
    dice = [_ratio(float(2 * tp[c]), float(2 * tp[c] + fp[c] + fn[c])) for c in range(classes)]
    values = {}
    for name in names:
        if name == 'accuracy':
            total = counts.sum()
            values['accuracy'] = 0 if total == 0 else float(tp.sum() / total)
        elif name == 'iou':
            values['iou'] = iou
        elif name == 'miou':
            values['miou'] = _mean(iou)
        elif name == 'dice':
            values['dice'] = _mean(dice[1:] if segmentation and classes > 1 else dice)
    return values


def headline(values):
    for name, value in values.items():
        if isinstance(value, (int, float)):
            return {'name': name, 'value': value}
    return None
