import type { GnCode } from '../compiler/diagnostics/codes.js';
/**
 * Stable codes of what the language server itself reports (compile diagnostics keep the compiler's
 * codes). GN0016–GN0017: what it does not analyse or show; GN0230–GN0235: why a rename is refused.
 */
export const LSP_CODES = {
  /** A file larger than the `maxFileSize` setting: one diagnostic, no analysis. */
  tooLarge: 'GN0016',
  /** More diagnostics in a file than are shown: one summary entry says how many more. */
  moreDiagnostics: 'GN0017',
  /** The new name is already bound where the renamed symbol is. */
  renameClash: 'GN0230',
  /** After the rename some name would mean something else (captured, or hiding a block). */
  renameCapture: 'GN0231',
  /** `in`, a built-in block, a keyword or an import path: nothing to rename. */
  notRenamable: 'GN0232',
  /** The rename would edit a file that is not open in the editor. */
  renameUnopened: 'GN0233',
  /** The new name is not a name (letters, digits and `_`, not a keyword). */
  badName: 'GN0234',
  /** The compiler bound a use to another definition than the editor's name resolution: refused rather than guessed. */
  renameInconsistent: 'GN0235',
} as const satisfies Record<string, GnCode>;

/** `GN0230: message`: how the codes reach the user in a response error. */
export const coded = (code: string, message: string): string => `${code}: ${message}`;
