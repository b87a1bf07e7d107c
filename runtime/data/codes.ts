import { GnetError } from '../errors.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/** Stable codes of data-loading errors (GN7xxx), one per kind of fix the user has to make. */
export const DATA_ERRORS = {
  /** A data file or folder does not exist. */
  missingFile: 'GN7001',
  /** A file exists but cannot be decoded (truncated IDX, bad magic, broken gzip or PNG). */
  corruptFile: 'GN7002',
  /** Image and label files disagree on the number of samples. */
  countMismatch: 'GN7003',
  /** A class label or mask value is not below the number of classes. */
  labelOutOfRange: 'GN7004',
  /** The data source string is not one of the known forms. */
  unknownSource: 'GN7005',
  /** The images do not fit the network input (too large, wrong channels, sizes differ). */
  shapeMismatch: 'GN7006',
  /** A folder dataset is laid out wrongly (no classes, image without mask, ...). */
  folderLayout: 'GN7007',
  /** Options that contradict each other or the data (subset too large, wrong task, ...). */
  badOption: 'GN7008',
} as const satisfies Record<string, GnCode>;

export type DataErrorCode = (typeof DATA_ERRORS)[keyof typeof DATA_ERRORS];

export function dataError(code: DataErrorCode, message: string): GnetError {
  return new GnetError(code, message);
}
