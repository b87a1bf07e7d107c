import type { GnCode } from '../compiler/diagnostics/codes.js';

/**
 * Errors raised at run time (training, data, backends, the runtime's blocks), each with a code of the
 * one registry (compiler/diagnostics/codes.ts); every message says what was wrong and how to fix it,
 * on one line.
 */
export class GnetError extends Error {
  readonly code: GnCode;

  constructor(code: GnCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'GnetError';
    this.code = code;
  }
}
