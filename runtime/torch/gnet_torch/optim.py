"""The five optimisers with the update rules of gnet's TensorFlow.js runtime (runtime/train/optimizers.ts
and adadelta.ts), not torch.optim's: the formulas differ (epsilon inside or outside the square root,
Adagrad's initial accumulator, AdaDelta's order of updates, tfjs' centred RMSProp). Slots are kept per
weight and saved in tfjs' order (iterations, then one group of slots per kind, each in weight order),
so a checkpoint moves between the two engines.

Gradients first get weight decay (g + decay * w on kernel-like weights), then clipping by value, then
by global norm (scale min(1, limit / ||g||)), as regularise() does there.
"""
import math

import torch

# Float32 epsilon of tfjs backends (ENGINE.backend.epsilon()), used by Adagrad.
BACKEND_EPSILON = 1e-7

# Slot kinds per optimiser, in tfjs' getWeights order, and the suffix tfjs gives each.
SLOTS = {
    'sgd': [],
    'momentum': ['momentum'],
    'rmsprop': ['rms', 'momentum'],
    'rmsprop-centered': ['rms', 'momentum', 'mg'],
    'adam': ['m', 'v'],
    'adagrad': ['accumulator'],
    'adadelta': ['accum_grad', 'accum_var'],
}


def slot_kinds(config):
    name = config['name']
    if name == 'sgd':
        return SLOTS['momentum'] if config.get('momentum', 0) > 0 else SLOTS['sgd']
    if name == 'rmsprop':
        return SLOTS['rmsprop-centered'] if config.get('centered') else SLOTS['rmsprop']
    return SLOTS[name]


class Optimizer:
    """One optimiser over `params`: a list of (gnet name, torch tensor, decays) in META order."""

    def __init__(self, config, regularisation, params):
        self.config = dict(config)
        self.name = config['name']
        self.lr = float(config['lr'])
        self.weight_decay = float(regularisation.get('weightDecay') or 0)
        self.clip_norm = regularisation.get('clipNorm')
        self.clip_value = regularisation.get('clipValue')
        self.params = params
        self.iterations = 0
        self.kinds = slot_kinds(config)
        initial = float(config.get('initial_accumulator', 0)) if self.name == 'adagrad' else 0.0
        self.slots = {kind: [torch.full_like(p, initial) for _, p, _ in params] for kind in self.kinds}

    # -- gradients --------------------------------------------------------------------------------
    def regularise(self, grads):
        out = []
        for (_, p, decays), g in zip(self.params, grads):
            g = torch.zeros_like(p) if g is None else g
            if self.weight_decay > 0 and decays:
                g = g + p.detach() * self.weight_decay
            out.append(g)
        if self.clip_value is not None:
            out = [g.clamp(-self.clip_value, self.clip_value) for g in out]
        if self.clip_norm is not None:
            norm = torch.sqrt(sum((g * g).sum() for g in out)) if out else torch.tensor(0.0)
            scale = self.clip_norm / torch.clamp(norm, min=self.clip_norm)
            out = [g * scale for g in out]
        return out

    # -- one update ---------------------------------------------------------------------------------
    @torch.no_grad()
    def step(self, grads):
        """Regularises `grads` (one per param, None for none) and updates every param in place."""
        c = self.config
        lr = self.lr
        grads = self.regularise(grads)
        if self.name == 'adam':
            # tfjs keeps beta^t in variables multiplied after each step: 1 - beta^(t+1) at step t.
            one_minus_b1 = 1 - c['beta1'] ** (self.iterations + 1)
            one_minus_b2 = 1 - c['beta2'] ** (self.iterations + 1)
        for i, ((_, w, _), g) in enumerate(zip(self.params, grads)):
            if self.name == 'sgd':
                if not self.kinds:
                    w.add_(g, alpha=-lr)
                    continue
                acc = self.slots['momentum'][i]
                acc.mul_(c['momentum']).add_(g)
                if c.get('nesterov'):
                    w.add_((g + acc * c['momentum']) * -lr)
                else:
                    w.add_(acc * -lr)
            elif self.name == 'rmsprop':
                rho, eps = c['rho'], c['epsilon']
                ms, mom = self.slots['rms'][i], self.slots['momentum'][i]
                ms.mul_(rho).add_(g * g * (1 - rho))
                if c.get('centered'):
                    mg = self.slots['mg'][i]
                    mg.mul_(rho).add_(g * (1 - rho))
                    # tfjs subtracts epsilon here: sqrt(ms - (mg^2 + eps)); kept for identical numbers.
                    mom.mul_(c['momentum']).add_(g * lr / torch.sqrt(ms - (mg * mg + eps)))
                else:
                    mom.mul_(c['momentum']).add_(g * lr / torch.sqrt(ms + eps))
                w.sub_(mom)
            elif self.name == 'adam':
                m, v = self.slots['m'][i], self.slots['v'][i]
                m.mul_(c['beta1']).add_(g * (1 - c['beta1']))
                v.mul_(c['beta2']).add_(g * g * (1 - c['beta2']))
                w.add_((m / one_minus_b1) / (torch.sqrt(v / one_minus_b2) + c['epsilon']) * -lr)
            elif self.name == 'adagrad':
                acc = self.slots['accumulator'][i]
                acc.add_(g * g)
                w.add_(g / torch.sqrt(acc + BACKEND_EPSILON) * -lr)
            elif self.name == 'adadelta':
                rho, eps = c['rho'], c['epsilon']
                eg, ed = self.slots['accum_grad'][i], self.slots['accum_var'][i]
                eg.mul_(rho).add_(g * g * (1 - rho))
                update = torch.sqrt(ed + eps) / torch.sqrt(eg + eps) * g
                ed.mul_(rho).add_(update * update * (1 - rho))
                w.sub_(update * lr)
        self.iterations += 1

    # -- state in tfjs' order -----------------------------------------------------------------------
    def state(self):
        """[(name, tensor)]: iterations, then every slot of the first kind in param order, and so on."""
        out = [('iterations', torch.tensor(float(self.iterations)))]
        for kind in self.kinds:
            out += [(f'{name}/{kind}', self.slots[kind][i]) for i, (name, _, _) in enumerate(self.params)]
        return out

    def load_state(self, entries):
        """Restores what state() lists (tensors in torch layout); the names' last part is ignored."""
        if not entries:
            return
        self.iterations = int(round(float(entries[0][1].reshape(-1)[0])))
        rest = entries[1:]
        expected = len(self.kinds) * len(self.params)
        if len(rest) != expected:
            raise ValueError(f'the checkpoint holds {len(rest)} optimiser slots, {self.name} needs {expected}')
        with torch.no_grad():
            for k, kind in enumerate(self.kinds):
                for i in range(len(self.params)):
                    self.slots[kind][i].copy_(rest[k * len(self.params) + i][1])
