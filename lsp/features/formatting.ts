/** Document formatting: the canonical layout of `gnet fmt`; a file that does not parse is left alone. */
import type { TextEdit } from 'vscode-languageserver';
import { formatSource } from '../../compiler/index.js';
import type { LineMap } from '../positions.js';

export function formatting(path: string, lines: LineMap): TextEdit[] {
  const result = formatSource(lines.text, { file: path });
  if (!result.ok || !result.changed) return [];
  return [{ range: lines.range({ start: 0, end: lines.text.length }), newText: result.text }];
}
