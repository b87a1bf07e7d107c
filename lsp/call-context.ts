/** Where the cursor is inside a block call `name(a, b = …, |)`: found by scanning back over the text, so it works while the call is still being typed. */

export interface CallContext {
  readonly name: string;
  /** Offset of the callee's name. */
  readonly nameStart: number;
  /** Index of the argument under the cursor. */
  readonly argIndex: number;
  /** Names already given as `name = …`. */
  readonly named: readonly string[];
  /** The argument under the cursor is `name = …` (then it is this name). */
  readonly currentName?: string;
  /** The cursor is where an argument name may be typed (start of an argument). */
  readonly atArgStart: boolean;
}

const LIMIT = 2000;

export function callContext(text: string, offset: number): CallContext | undefined {
  let depth = 0;
  let commas = 0;
  const segments: string[] = [];
  let segEnd = offset;
  for (let i = offset - 1; i >= Math.max(0, offset - LIMIT); i--) {
    const ch = text[i]!;
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '[') depth--;
    else if (ch === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(Math.max(0, i - 100), i));
      if (!before) return undefined;
      segments.push(text.slice(i + 1, segEnd));
      const current = segments[0]!;
      const named = segments.slice(1).flatMap((s) => /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(s)?.[1] ?? []);
      const currentName = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(current)?.[1];
      return { name: before[1]!, nameStart: i - before[0].length, argIndex: commas, named, currentName, atArgStart: /^\s*[A-Za-z_]*$/.test(current) };
    } else if (ch === '{' || ch === '}') return undefined;
    else if (ch === ',' && depth === 0) {
      segments.push(text.slice(i + 1, segEnd));
      segEnd = i;
      commas++;
    }
  }
  return undefined;
}
