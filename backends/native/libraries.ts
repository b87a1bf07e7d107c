/**
 * Finding shared libraries the way the Linux dynamic loader would (LD_LIBRARY_PATH, then its
 * cache), without loading them: probing must not change the process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where CUDA installs put their libraries when they are not in the loader's cache. */
const USUAL_FOLDERS = ['/usr/local/cuda/lib64', '/usr/local/cuda/targets/x86_64-linux/lib'];

let cache: string | undefined;

/** `ldconfig -p`, read once; /sbin is often not on a user's PATH. */
function loaderCache(): string {
  if (cache !== undefined) return cache;
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    try {
      return (cache = execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      // try the next location
    }
  }
  return (cache = '');
}

/** The path of the library with this soname (e.g. libcudart.so.11.0), or undefined when the loader would not find it. */
export function findSharedLibrary(soname: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...USUAL_FOLDERS];
  const direct = folders.map((folder) => join(folder, soname)).find((path) => existsSync(path));
  if (direct !== undefined) return direct;
  const line = loaderCache()
    .split('\n')
    .find((entry) => entry.trim().startsWith(`${soname} `));
  return line?.split('=> ')[1]?.trim();
}
