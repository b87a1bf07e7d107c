"""The losses of runtime/train/losses.ts on NHWC-ordered predictions (the module's NCHW maps are
permuted first), with their targets built as runtime/train/targets.ts builds them."""
import torch
import torch.nn.functional as F

EPSILON = 1e-7


def to_nhwc(t):
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def target_for(labels, output, classes, primary):
    """One-hot (or the binary label for one channel), masks centre-cropped (primary) or resized (aux)."""
    channels = output['shape'][-1]
    encoded = labels.float().unsqueeze(-1) if channels == 1 else F.one_hot(labels.long(), classes).float()
    if len(output['shape']) == 1:
        return encoded
    h, w = output['shape'][0], output['shape'][1]
    H, W = encoded.shape[1], encoded.shape[2]
    if (h, w) == (H, W):
        return encoded
    if primary:
        top, left = (H - h) // 2, (W - w) // 2
        return encoded[:, top:top + h, left:left + w, :]
    return F.interpolate(encoded.permute(0, 3, 1, 2), size=(h, w), mode='nearest').permute(0, 2, 3, 1)


def primary_truth(labels, primary):
    if len(primary['shape']) == 1:
        return labels.reshape(-1)
    h, w = primary['shape'][0], primary['shape'][1]
    H, W = labels.shape[1], labels.shape[2]
    top, left = (H - h) // 2, (W - w) // 2
    return labels[:, top:top + h, left:left + w].reshape(-1)


def crossentropy(p, y, activation, term, segmentation):
    logp = F.log_softmax(p, dim=-1) if activation == 'none' else torch.log(p.clamp(EPSILON, 1 - EPSILON))
    return -(y * logp).sum(dim=-1).mean()


def binary_crossentropy(p, y, activation, term, segmentation):
    if activation == 'none':
        return (F.relu(p) - p * y + torch.log1p(torch.exp(-p.abs()))).mean()
    q = p.clamp(EPSILON, 1 - EPSILON)
    return -(y * torch.log(q) + (1 - y) * torch.log(1 - q)).mean()


def dice(p, y, activation, term, segmentation):
    if activation == 'none':
        p = torch.sigmoid(p) if p.shape[-1] == 1 else torch.softmax(p, dim=-1)
    channels = p.shape[-1]
    axes = list(range(p.dim() - 1))
    overlap = (p * y).sum(dim=axes)
    total = p.sum(dim=axes) + y.sum(dim=axes)
    per_class = (overlap * 2 + term['smooth']) / (total + term['smooth'])
    counted = per_class[1:] if segmentation and channels > 1 else per_class
    return 1 - counted.mean()


LOSSES = {'crossentropy': crossentropy, 'binary_crossentropy': binary_crossentropy, 'dice': dice}


def total_loss(terms, task, outputs, labels):
    """Sum of weight * loss over the terms; `outputs` maps output name -> module output (NCHW)."""
    segmentation = task['task'] == 'segmentation'
    parts = []
    for term, output in zip(terms, task['termOutputs']):
        primary = output['name'] == task['primary']['name']
        target = target_for(labels, output, task['classes'], primary)
        parts.append(LOSSES[term['kind']](to_nhwc(outputs[output['name']]), target, output['activation'], term, segmentation) * term['weight'])
    return sum(parts)
