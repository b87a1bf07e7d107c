import { GnetError } from '../errors.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/**
 * Codes of `gnet export` (GN086x): a network that cannot be written in the format asked for. The
 * run's own formats (`gnet`, `deployed`) hold every network; the message names the one that works.
 */
export const EXPORT_ERRORS = {
  /** A block whose inference ops have no equivalent in the chosen format. */
  unsupportedOp: 'GN0861',
  /** A network whose ops depend on the batch size in a way the format cannot express. */
  fixedBatch: 'GN0862',
} as const satisfies Record<string, GnCode>;

export type ExportErrorCode = (typeof EXPORT_ERRORS)[keyof typeof EXPORT_ERRORS];

export function exportError(code: ExportErrorCode, message: string): GnetError {
  return new GnetError(code, message);
}
