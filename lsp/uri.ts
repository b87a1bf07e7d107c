/** Document URIs ↔ the absolute paths the compiler's spans carry. */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const uriToPath = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : resolve(uri));

export const pathToUri = (path: string): string => pathToFileURL(path).href;
