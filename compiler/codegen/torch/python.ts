/**
 * Spec text written into Python: identifiers are sanitised and kept off keywords and the names the
 * module and torch.nn.Module use; strings are escaped literals holding only printable ASCII; comment
 * and docstring text is neutralised so it cannot end its comment or string. A spec can never become code.
 */
import { pyNumber, pyString } from '../../blocks/torch-util.js';

const KEYWORDS = [
  ...['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif'],
  ...['else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or'],
  ...['pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_'],
];

/** Attributes every torch.nn.Module has: a layer named like one would break the module. */
export const MODULE_ATTRIBUTES = [
  ...['T_destination', 'add_module', 'apply', 'bfloat16', 'buffers', 'call_super_init', 'children', 'cpu', 'cuda', 'double'],
  ...['dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state', 'get_parameter', 'get_submodule'],
  ...['half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers', 'named_children', 'named_modules', 'named_parameters'],
  ...['parameters', 'register_backward_hook', 'register_buffer', 'register_forward_hook', 'register_forward_pre_hook'],
  ...['register_full_backward_hook', 'register_full_backward_pre_hook', 'register_load_state_dict_post_hook', 'register_module'],
  ...['register_parameter', 'register_state_dict_pre_hook', 'requires_grad_', 'set_extra_state', 'share_memory', 'state_dict'],
  ...['to', 'to_empty', 'train', 'training', 'type', 'xpu', 'zero_grad', 'META', 'deploy'],
];

/** A valid, readable Python identifier: `e1.conv_0` → `e1_conv_0`, `2x` → `_2x`, `class` → `class_`, `__x` → `n__x` (no name mangling). */
export function pythonIdentifier(name: string, reserved: ReadonlySet<string>): string {
  const word = name.replace(/[^A-Za-z0-9_]/g, '_') || '_';
  const leading = /^[0-9]/.test(word) ? `_${word}` : word.startsWith('__') ? `n${word}` : word;
  return KEYWORDS.includes(leading) || reserved.has(leading) ? `${leading}_` : leading;
}

/** Hands out unique Python identifiers in call order, none of them in `reserved`. */
export class PythonNamePool {
  private readonly used = new Set<string>();
  private readonly reserved: ReadonlySet<string>;

  constructor(reserved: Iterable<string>) {
    this.reserved = new Set(reserved);
  }

  claim(name: string): string {
    const base = pythonIdentifier(name, this.reserved);
    let candidate = base;
    for (let n = 2; this.used.has(candidate) || this.reserved.has(candidate); n++) candidate = `${base}_${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

export type PyData = string | number | boolean | null | undefined | readonly PyData[] | { readonly [key: string]: PyData };

/** Plain data as a Python literal on one line: dicts, lists, escaped strings, True/False/None (undefined too). */
export function pyData(value: PyData): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyData).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: PyData });
  return `{${entries.map(([key, member]) => `${pyString(key)}: ${pyData(member)}`).join(', ')}}`;
}

/** Text for a `#` comment: control characters, line and paragraph separators and lone surrogates become spaces. */
export function pyCommentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ');
}

/** The body of a """docstring""": backslashes and quotes escaped, control characters as escapes, newlines kept. */
export function pyDocText(text: string): string {
  const escaped = text.replace(/\r\n?/g, '\n').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return escaped.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    const unit = c.charCodeAt(0);
    return unit < 0x100 ? `\\x${unit.toString(16).padStart(2, '0')}` : `\\u${unit.toString(16).padStart(4, '0')}`;
  });
}
