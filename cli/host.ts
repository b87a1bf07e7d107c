import { readFileSync, statSync } from 'node:fs';
import type { Host } from '../compiler/program.js';

/** Files over this size are not specs; refusing them keeps a stray `gnet check big.bin` from hanging. */
const MAX_SPEC_BYTES = 8 * 1024 * 1024;

export const fileHost: Host = {
  readFile(path) {
    try {
      if (!statSync(path).isFile() || statSync(path).size > MAX_SPEC_BYTES) return undefined;
      const text = readFileSync(path, 'utf8');
      // A byte-order mark is not part of the text: columns on line 1 count from the first real character.
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      return undefined;
    }
  },
};
