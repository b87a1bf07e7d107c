import { InvalidArgumentError } from 'commander';

/** `--param base=16` (repeatable) → Map. */
export function collectParam(value: string, previous: Map<string, number | string> = new Map()): Map<string, number | string> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected NAME=VALUE, e.g. --param base=16');
  const n = Number(m[2]);
  previous.set(m[1]!, Number.isFinite(n) ? n : m[2]!);
  return previous;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

/** `--input 64x64x3` → [64, 64, 3]. */
export function shapeArg(value: string): number[] {
  const dims = value.split(/[x×,]/).map(Number);
  if (dims.length < 1 || dims.length > 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new InvalidArgumentError(`expected HxWxC, e.g. 128x128x3, got "${value}"`);
  }
  return dims;
}

export function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** `--port 8080`: 0 (any free port) to 65535. */
export function portArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}
