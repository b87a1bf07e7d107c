/**
 * Document URIs ↔ the keys the server and the compiler use: a file's absolute path (what spans
 * carry), or the URI itself for a document with no file (`untitled:Untitled-1`), so that its
 * diagnostics go back to that URI and never to a `file://` path of the same name.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `untitled:…`, `vscode-notebook-cell:…`: a scheme of two letters or more (one letter is a Windows drive). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

export const uriToPath = (uri: string): string => {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return SCHEME.test(uri) ? uri : resolve(uri);
};

export const pathToUri = (path: string): string => (isAbsolute(path) || !SCHEME.test(path) ? pathToFileURL(path).href : path);

/** A document of the file system (imports resolve next to it, rename may edit it). */
export const isFilePath = (path: string): boolean => !SCHEME.test(path) || isAbsolute(path);
