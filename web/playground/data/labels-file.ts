/**
 * A labels file beside a folder of images: one line per image, `name,class` (comma, tab or
 * semicolon), an optional header line, `#` comments. Classes are names (or whole numbers); their
 * order is a `classes.txt` (one name per line) when there is one, else the sorted names.
 */
import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';

export interface LabelLine {
  readonly image: string;
  readonly label: string;
  readonly line: number;
}

const HEADER = /^(file|filename|image|name|path)$/i;

export function parseLabels(text: string, source: string): LabelLine[] {
  const lines: LabelLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(/\s*[,;\t]\s*/);
    if (cells.length !== 2 || cells[0] === '' || cells[1] === '') {
      throw dataError(DATA_ERRORS.folderLayout, `${source} line ${i + 1} (“${line}”) is not “image,class”; write one image name and its class per line`);
    }
    if (lines.length === 0 && HEADER.test(cells[0]!)) return;
    lines.push({ image: cells[0]!, label: cells[1]!, line: i + 1 });
  });
  if (lines.length === 0) throw dataError(DATA_ERRORS.folderLayout, `${source} lists no images; write one “image,class” line per image`);
  return lines;
}

/** Class names from classes.txt, one per line. */
export function parseClassNames(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Each line's class index. With class names given, a label must be one of them (or its index);
 * without, the distinct labels sorted are the classes, and there must not be more than the network has.
 */
export function classIndices(lines: readonly LabelLine[], known: readonly string[] | undefined, classes: number, source: string): { indices: number[]; names: string[] } {
  if (!known && lines.every((l) => /^\d+$/.test(l.label))) return numericIndices(lines, classes, source);
  const names = known ? [...known] : [...new Set(lines.map((l) => l.label))].sort();
  if (names.length > classes) {
    const what = known ? 'classes.txt names' : `${source} uses`;
    throw dataError(DATA_ERRORS.folderLayout, `${what} ${names.length} classes (${names.join(', ')}) but the network has ${classes}; give the network ${names.length} classes or drop the extra ones`);
  }
  const index = new Map(names.map((name, i) => [name, i]));
  const indices = lines.map((l) => {
    const found = index.get(l.label) ?? (known && /^\d+$/.test(l.label) && Number(l.label) < names.length ? Number(l.label) : undefined);
    if (found === undefined) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `${source} line ${l.line}: class “${l.label}” of ${l.image} is not one of the classes in classes.txt (${names.join(', ')}); fix the label or add the class`);
    }
    return found;
  });
  return { indices, names };
}

/** Labels that are all whole numbers are class indices themselves. */
function numericIndices(lines: readonly LabelLine[], classes: number, source: string): { indices: number[]; names: string[] } {
  const indices = lines.map((l) => {
    const value = Number(l.label);
    if (value >= classes) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `${source} line ${l.line}: class ${value} of ${l.image} is outside 0..${classes - 1}; the network has ${classes} classes`);
    }
    return value;
  });
  return { indices, names: Array.from({ length: classes }, (_, c) => String(c)) };
}
