/** Writes docs/blocks.md from the block registry: `npx tsx scripts/gen-blocks-doc.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderBlocksDoc } from '../compiler/blocks/blocks-doc.js';
import { BLOCKS } from '../compiler/blocks/index.js';

const target = fileURLToPath(new URL('../docs/blocks.md', import.meta.url));
writeFileSync(target, renderBlocksDoc(BLOCKS));
console.log(`wrote ${target}`);
