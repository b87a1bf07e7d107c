/** Every `.gnet` file under specs/, as paths relative to the repository root, sorted (shared by the tests that walk them). */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export function specFiles(dir = 'specs'): string[] {
  return readdirSync(join(REPO_ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(REPO_ROOT, path)).isDirectory()) return specFiles(path);
    return name.endsWith('.gnet') ? [path] : [];
  }).sort();
}

/** The text of `file` (relative to the repository root) with its input shape `from` written as `to`: a network smaller than its spec, every block kept. */
export function specResized(file: string, from: string, to: string): string {
  return readFileSync(join(REPO_ROOT, file), 'utf8').replaceAll(from, to);
}
