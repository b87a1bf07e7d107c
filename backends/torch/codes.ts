import { GnetError } from '../../runtime/errors.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/** Stable codes of the torch backend (GN093x), each message naming the fix. */
export const TORCH_ERRORS = {
  /** No Python interpreter: neither GNET_PYTHON nor python3 on PATH runs. */
  noPython: 'GN0930',
  /** Python runs but cannot import torch or numpy (or torch lacks torch.distributed). */
  noTorch: 'GN0931',
  /** torch is older than 1.13. */
  oldTorch: 'GN0932',
  /** --device asks for CUDA (or a GPU) that is not there. */
  noCuda: 'GN0933',
  /** A worker crashed, was killed, or the workers stopped talking to each other. */
  workerFailed: 'GN0934',
  /** --master-port is taken. */
  portInUse: 'GN0935',
  /** The trainer failed for another reason (its message says which). */
  trainerFailed: 'GN0936',
  /** --workers, --device or the node settings do not fit together. */
  badLaunch: 'GN0937',
  /** A warning: more worker threads than CPUs this process may use (training slows down). */
  oversubscribed: 'GN0938',
  /** `gnet job --out` names a folder that is not empty. */
  jobExists: 'GN0939',
} as const satisfies Record<string, GnCode>;

export type TorchErrorCode = (typeof TORCH_ERRORS)[keyof typeof TORCH_ERRORS];

export const torchError = (code: TorchErrorCode, message: string): GnetError => new GnetError(code, message);
