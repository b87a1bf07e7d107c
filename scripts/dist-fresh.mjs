// Whether dist/ (the bundle users run) was built from the sources as they are now: no source file,
// spec or build script is newer than dist/cli.js. Tests start `gnet` from dist/ only when it is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Everything the bundle and its playground are built from (web/dist and the like are outputs, skipped).
const SOURCES = ['cli', 'compiler', 'runtime', 'backends', 'lsp', 'web', 'specs', 'scripts/build.mjs', 'scripts/build-web.mjs', 'package.json', 'package-lock.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => (name === 'dist' || name === 'node_modules' || name === '__pycache__' ? latest : Math.max(latest, newest(join(path, name)))), stat.mtimeMs);
}

/** True when dist/cli.js exists and nothing it is built from changed after it. */
export function distIsFresh(root = ROOT) {
  const bundle = join(root, 'dist', 'cli.js');
  if (!existsSync(bundle) || !existsSync(join(root, 'dist', 'playground', 'index.html'))) return false;
  const built = statSync(bundle).mtimeMs;
  return SOURCES.map((s) => join(root, s)).filter(existsSync).every((path) => newest(path) <= built);
}
