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
  /** A volume file is not NIfTI, or its data is shorter than its header declares. */
  notNifti: 'GN7010',
  /** A .nii.gz file whose gzip stream is damaged or cut short. */
  badGzip: 'GN7011',
  /** A volume that is not 3-D (X×Y×Z) or 4-D (X×Y×Z×C); a mask with channels. */
  badDimensions: 'GN7012',
  /** A NIfTI datatype gnet does not read (complex, RGB, 64-bit integers) or a big-endian file. */
  unsupportedDatatype: 'GN7013',
  /** A mask whose grid differs from its image's. */
  volumeShapeMismatch: 'GN7014',
  /** A mask whose affine (voxel → world placement) differs from its image's. */
  affineMismatch: 'GN7015',
  /** Volumes given to a network on images, images to a network on volumes, or channels that differ. */
  volumeInput: 'GN7016',
} as const satisfies Record<string, GnCode>;

export type DataErrorCode = (typeof DATA_ERRORS)[keyof typeof DATA_ERRORS];

export function dataError(code: DataErrorCode, message: string): GnetError {
  return new GnetError(code, message);
}
