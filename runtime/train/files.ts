import * as fs from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { GnetError } from '../errors.js';
import { TRAIN_ERRORS, trainError } from './codes.js';

/**
 * File writes that never leave a half-written file under the final name: write a temporary file
 * in the same folder, fsync it, rename it over the target, fsync the folder. A crash at any moment
 * leaves either the old file or the new one. Failures become one-line GnetErrors.
 */
export type FileSystem = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'readFileSync' | 'readdirSync' | 'existsSync' | 'appendFileSync' | 'linkSync'>;

export const NODE_FS: FileSystem = fs;

/** Prefix of temporary files, so a later write can sweep the ones a killed process left. */
export const TEMP_MARK = '.tmp-';

export function writeFileAtomic(path: string, data: string | Uint8Array, io: FileSystem = NODE_FS): void {
  const temp = join(dirname(path), `${basename(path)}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}`);
  try {
    const fd = io.openSync(temp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let written = 0; written < bytes.length; ) written += io.writeSync(fd, bytes, written, bytes.length - written);
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    io.renameSync(temp, path);
    syncFolder(dirname(path), io);
  } catch (error) {
    removeQuietly(temp, io);
    throw fileError(error, `write ${path}`);
  }
}

/** Appends one line and flushes it to the disk (the log survives a kill after each epoch). */
export function appendLine(path: string, line: string, io: FileSystem = NODE_FS): void {
  try {
    const fd = io.openSync(path, 'a');
    try {
      io.writeSync(fd, Buffer.from(`${line}\n`, 'utf8'));
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
  } catch (error) {
    throw fileError(error, `append to ${path}`);
  }
}

export function makeFolder(path: string, io: FileSystem = NODE_FS): void {
  try {
    io.mkdirSync(path, { recursive: true });
  } catch (error) {
    throw fileError(error, `create the folder ${path}`);
  }
}

export function removeQuietly(path: string, io: FileSystem = NODE_FS): void {
  try {
    io.unlinkSync(path);
  } catch {
    // Already gone, or never created: nothing to clean up.
  }
}

function syncFolder(folder: string, io: FileSystem): void {
  const fd = io.openSync(folder, 'r');
  try {
    io.fsyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST']);

/** A file-system failure as a GnetError that says what was being done and what to do. */
export function fileError(error: unknown, doing: string): Error {
  if (error instanceof GnetError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const reason = (error as Error)?.message?.split('\n')[0] ?? String(error);
  if (DISK_FULL.has(code)) {
    return trainError(TRAIN_ERRORS.diskFull, `the disk is full: could not ${doing} (${code}); free some space and run again — files written before are kept`);
  }
  if (NOT_WRITABLE.has(code)) {
    return trainError(TRAIN_ERRORS.unwritable, `could not ${doing} (${reason}); choose a run directory you can write to with --out`);
  }
  return trainError(TRAIN_ERRORS.unwritable, `could not ${doing}: ${reason}`);
}
