import { badValue, type SectionValue } from './config-values.js';

/**
 * Command-line values written as in the train section: `adam`, `cosine(alpha = 0.1, steps = 500)`,
 * and lists `crossentropy, dice(weight = 0.5)` or `accuracy,miou`. They become the same plain data a
 * spec's section gives, so one set of readers checks both.
 */

/** One item or a comma-separated list of them (commas inside parentheses belong to the call). */
export function parseFlagList(text: string, flag: string): SectionValue[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if ((c === ',' && depth === 0) || i === text.length) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
    if (depth < 0) break;
  }
  if (depth !== 0 || items.some((item) => item === '')) throw badValue(flag, 'a name, a call such as `name(arg = 1)`, or a comma-separated list of them', text);
  return items.map((item) => parseFlagCall(item, flag));
}

/** `name` → 'name'; `name(a = 1, b = true, c = "x")` → { name, a: 1, b: true, c: 'x' }. */
export function parseFlagCall(text: string, flag: string): SectionValue {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/s.exec(text.trim());
  if (!m) throw badValue(flag, 'a name such as `cosine` or a call such as `cosine(alpha = 0.1)`', text);
  const [, name, args] = m;
  if (args === undefined) return name!;
  const call: Record<string, SectionValue> = { name: name! };
  for (const part of args.split(',').map((p) => p.trim()).filter(Boolean)) {
    const arg = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(part);
    if (!arg) throw badValue(flag, 'named arguments such as `alpha = 0.1`', part);
    call[arg[1]!] = literal(arg[2]!.trim());
  }
  return call;
}

function literal(text: string): SectionValue {
  if (text === 'true' || text === 'false') return text === 'true';
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2]!;
  const n = Number(text.replace(/_/g, ''));
  return Number.isFinite(n) && text !== '' ? n : text;
}
