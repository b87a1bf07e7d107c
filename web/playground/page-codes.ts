import type { GnCode } from '../../compiler/diagnostics/codes.js';

/**
 * Codes of failures only the playground has (GN095x–GN096x), in one place both the page and its
 * workers import: it imports nothing, so the page's own bundle stays free of TensorFlow.js.
 */
export const PAGE_ERRORS = {
  /** The wasm backend (or the browser) could not allocate the memory a step needs. */
  outOfMemory: 'GN0961',
  /** An error the worker did not foresee; its details are in the console. */
  unexpected: 'GN0962',
  /** Train was asked for while the editor's text has errors: the page trains the text in the editor, so it refuses. */
  specHasErrors: 'GN0963',
  /** Data files kept from an earlier visit that cannot be read again: moved, deleted, or permission refused. */
  keptFilesUnreadable: 'GN0964',
} as const satisfies Record<string, GnCode>;
