/** Every `.gnet` file under specs/, as paths relative to the repository root, sorted (shared by the tests that walk them). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export function specFiles(dir = 'specs'): string[] {
  return readdirSync(join(REPO_ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(REPO_ROOT, path)).isDirectory()) return specFiles(path);
    return name.endsWith('.gnet') ? [path] : [];
  }).sort();
}
