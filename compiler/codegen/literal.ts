/**
 * Data and free text written into generated code. Every string goes through JSON.stringify and every
 * key through propertyName(), so spec text can never become code; comment text is neutralised so it
 * cannot end its comment.
 */
import { propertyName } from './identifiers.js';

export type Data = string | number | boolean | null | readonly Data[] | { readonly [key: string]: Data | undefined };

/** A TypeScript literal for plain data, on one line (undefined object members are left out). */
export function literal(value: Data): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const members = Object.entries(value as { readonly [key: string]: Data | undefined })
    .filter((entry): entry is [string, Data] => entry[1] !== undefined)
    .map(([key, member]) => `${propertyName(key)}: ${literal(member)}`);
  return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
}

/** Text for a `//` comment: every line terminator (including U+2028/9) becomes a space. */
export function lineCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/** Text for a block or JSDoc comment: a star followed by a slash would close it early, so the slash is escaped. */
export function blockCommentText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** A JSDoc comment for `text` (one line when it fits on one), ending in a newline. */
export function docComment(text: string): string {
  const lines = blockCommentText(text).split(/\r\n|[\r\n\u2028\u2029]/);
  if (lines.length === 1) return `/** ${lines[0]} */\n`;
  return `/**\n${lines.map((line) => ` * ${line}`.trimEnd()).join('\n')}\n */\n`;
}
