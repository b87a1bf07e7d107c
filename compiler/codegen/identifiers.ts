/**
 * Local identifiers of a generated module, derived from IR names. Names are free text as far as the
 * generator is concerned: anything outside [A-Za-z0-9_] becomes `_`, so a name can never become code,
 * and `$` stays reserved for the helpers the blocks' emit() introduce (`x$`).
 */

/** Words that cannot (or should not) name a `const` inside an ES module function. */
const RESERVED = new Set([
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export'],
  ...['extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super'],
  ...['switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await'],
  ...['implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity'],
]);

/** A valid, readable identifier for `name`: `e1.conv_0` → `e1_conv_0`, `2x` → `_2x`, `class` → `class_`. */
export function sanitizeIdentifier(name: string): string {
  const word = name.replace(/[^A-Za-z0-9_]/g, '_') || '_';
  const leading = /^[0-9]/.test(word) ? `_${word}` : word;
  return RESERVED.has(leading) ? `${leading}_` : leading;
}

/** Hands out unique identifiers in call order; `taken` are names the module itself uses. */
export class IdentifierPool {
  private readonly used: Set<string>;

  constructor(taken: Iterable<string>) {
    this.used = new Set(taken);
  }

  claim(name: string): string {
    const base = sanitizeIdentifier(name);
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}_${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

const PLAIN_PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A property name in an object literal or type: bare when it is a plain word, else a JSON string; `__proto__` computed so it stays an own property. */
export function propertyName(name: string): string {
  if (name === '__proto__') return `[${JSON.stringify(name)}]`;
  return PLAIN_PROPERTY.test(name) ? name : JSON.stringify(name);
}

/** Reading property `name` of the object `target`: `inputs.image` or `inputs["odd name"]`. */
export function propertyAccess(target: string, name: string): string {
  return PLAIN_PROPERTY.test(name) && name !== '__proto__' ? `${target}.${name}` : `${target}[${JSON.stringify(name)}]`;
}
