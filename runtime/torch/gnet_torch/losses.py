"""The losses of runtime/train/losses.ts on NHWC-ordered predictions (the module's NCHW maps are
permuted first), with their targets built as runtime/train/targets.ts builds them."""
import torch
import torch.nn.functional as F

EPSILON = 1e-7


def to_nhwc(t):
    """Channels last: NCHW → NHWC, NCDHW → NDHWC; [N, C] stays."""
    return t.permute(0, *range(2, t.dim()), 1) if t.dim() >= 4 else t


def to_nchw(t):
    """Channels first: NHWC → NCHW, NDHWC → NCDHW."""
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1))


def _centre(source, target):
    """Slices of the centred window of `target` sizes in `source` sizes (runtime/train/targets.ts centreOffsets)."""
    return tuple(slice((s - t) // 2, (s - t) // 2 + t) for s, t in zip(source, target))


def target_for(labels, output, classes, primary):
    """One-hot (or the binary label for one channel), masks centre-cropped (primary) or resized (aux)."""
    channels = output['shape'][-1]
    encoded = labels.float().unsqueeze(-1) if channels == 1 else F.one_hot(labels.long(), classes).float()
    if len(output['shape']) == 1:
        return encoded
    spatial = tuple(output['shape'][:-1])
    source = tuple(encoded.shape[1:-1])
    if spatial == source:
        return encoded
    if primary:
        return encoded[(slice(None), *_centre(source, spatial))]
    return to_nhwc(F.interpolate(to_nchw(encoded), size=spatial, mode='nearest'))


def primary_truth(labels, primary):
    if len(primary['shape']) == 1:
        return labels.reshape(-1)
    return labels[(slice(None), *_centre(tuple(labels.shape[1:]), tuple(primary['shape'][:-1])))].reshape(-1)


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
