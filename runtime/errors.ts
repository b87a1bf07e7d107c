/**
 * Errors raised on the TensorFlow.js side. Codes GN90xx belong to the runtime blocks;
 * every message says what was wrong and how to fix it, on one line.
 */
export class GnetError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'GnetError';
    this.code = code;
  }
}
