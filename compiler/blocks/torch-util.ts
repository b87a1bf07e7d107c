/**
 * Helpers for emitTorch(): Python literals for attribute values (every string escaped, so a value
 * can never become code) and the explicit padding every PyTorch layer takes.
 */
import type { AttrValue } from '../ir/ir.js';
import type { Axes } from './block.js';
import { windowAxes, type Window } from './window.js';

/** A Python string literal in single quotes holding only printable ASCII: everything else is an escape. */
export function pyString(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
      const point = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
      out += `\\U${point.toString(16).padStart(8, '0')}`;
      i++;
    } else if (unit === 0x5c || unit === 0x27) out += `\\${text[i]}`;
    else if (unit >= 0x20 && unit < 0x7f) out += text[i];
    else out += unit < 0x100 ? `\\x${unit.toString(16).padStart(2, '0')}` : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}'`;
}

/** A Python number; integers stay integers. */
export function pyNumber(value: number): string {
  if (Number.isNaN(value)) return "float('nan')";
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
  return String(value);
}

/** An attribute value as Python: numbers, True/False/None, escaped strings, lists as tuples. */
export type PyValue = AttrValue | readonly PyValue[];

export function py(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  const items = (value as readonly PyValue[]).map(py);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * Padding (before, after) per spatial axis, flattened — (top, bottom, left, right) on an image, (front,
 * back, top, bottom, left, right) on a volume — as the window rules apply it (TensorFlow's 'same' split,
 * ceil mode's extra).
 */
export function torchPadding(spatial: Axes, w: Window): string {
  return py(windowAxes(spatial, w).flatMap((a) => [...a.padding]));
}

/** torch's name for the kernel of its own layer classes (nn.Conv2d, nn.Linear), which gnet's conv, depthwise and dense subclass. */
export const TORCH_CONV_NAMES: Readonly<Record<string, string>> = { kernel: 'weight' };
