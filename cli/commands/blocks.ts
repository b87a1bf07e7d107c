import Table from 'cli-table3';
import { BLOCKS } from '../../compiler/blocks/index.js';
import type { ArgSpec, BlockDef } from '../../compiler/blocks/block.js';
import { closestName } from '../../compiler/util/closest.js';

const describeDefault = (a: ArgSpec) => (a.default === undefined ? 'required' : JSON.stringify(a.default));

/** `gnet blocks [kind]`: the built-in blocks, or one block's arguments. */
export async function blocks(kind?: string): Promise<number> {
  const all = BLOCKS as Record<string, BlockDef>;
  if (kind === undefined) {
    const table = new Table({ head: ['block', 'positional', 'summary'], wordWrap: true, colWidths: [18, 20, 70], style: { head: [], border: [] } });
    for (const def of Object.values(all)) table.push([def.kind, def.positional.join(', '), def.summary]);
    process.stdout.write(table.toString() + '\n');
    return 0;
  }
  const def = all[kind];
  if (!def) {
    const suggestion = closestName(kind, Object.keys(all));
    process.stderr.write(`gnet: no built-in block \`${kind}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; \`gnet blocks\` lists them\n`);
    return 1;
  }
  process.stdout.write(`${def.kind}: ${def.summary}\n`);
  const table = new Table({ head: ['argument', 'type', 'default', 'meaning'], wordWrap: true, colWidths: [16, 10, 14, 60], style: { head: [], border: [] } });
  for (const [name, a] of Object.entries(def.args)) table.push([name, a.values ? a.values.join(' | ') : a.type, describeDefault(a), a.doc]);
  process.stdout.write(table.toString() + '\n');
  return 0;
}
