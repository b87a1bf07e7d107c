/**
 * The two node:path functions the compiler uses to resolve imports, for the browser bundle: the page
 * keeps its specs at absolute POSIX paths, so nothing else is needed.
 */
export function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function resolve(...paths: string[]): string {
  let joined = '';
  for (const p of paths) joined = p.startsWith('/') ? p : `${joined}/${p}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export default { dirname, resolve };
