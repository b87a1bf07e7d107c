/** docs/blocks.md, rendered from the registry (scripts/gen-blocks-doc.ts writes it; a test keeps it in sync). */
import type { AttrValue } from '../ir/ir.js';
import type { ArgSpec, BlockDef } from './block.js';

const INTRO = `# Built-in blocks

Generated from \`compiler/blocks/\` by \`npx tsx scripts/gen-blocks-doc.ts\`; do not edit by hand.

Shapes are per example (batch implied): \`H×W×C\` feature maps, \`D×H×W×C\` volumes, or vectors; the
input's rank decides whether a block works in 2-D or 3-D. \`axes\` arguments take one integer (every
axis) or a list with one per axis: \`[height, width]\`, or \`[depth, height, width]\` on a volume.
Tensor-valued (\`value\`) arguments become extra inputs.

Counting conventions used by the reports:
- **params** come from each block's weight list; trainable and non-trainable are reported apart.
- **MACs** are multiply-adds with a weight operand, per example: conv = Ho·Wo·kh·kw·(Cin/groups)·Cout,
  conv_transpose = Hi·Wi·kh·kw·Cin·Cout, dense = inputs·units, batchnorm, groupnorm and instancenorm =
  one per element (not folded into the convolution), se = its two dense layers, gauss = the lowering it
  uses; on a volume the products run over the depth too. Pools, activations, merges, resampling and
  dropout count 0.
`;

const escape = (text: string): string => text.replace(/\|/g, '\\|');

function typeText(spec: ArgSpec): string {
  if (spec.type === 'enum') return (spec.values ?? []).join(' \\| ');
  const bounds =
    spec.min !== undefined && spec.below !== undefined
      ? ` ≥ ${spec.min}, < ${spec.below}`
      : spec.min !== undefined && spec.max !== undefined
      ? ` ${spec.min}..${spec.max}`
      : spec.min !== undefined
        ? ` ≥ ${spec.min}`
        : spec.max !== undefined
          ? ` ≤ ${spec.max}`
          : '';
  return `${spec.type}${bounds}`;
}

function defaultText(value: AttrValue | undefined): string {
  if (value === undefined) return '*required*';
  if (value === null) return '*omitted*';
  if (Array.isArray(value)) return value.length === 2 && value[0] === value[1] ? `${value[0]}` : `[${value.join(', ')}]`;
  return `${value}`;
}

function inputsText({ min, max }: BlockDef['inputs']): string {
  if (min === max) return `${min}`;
  return max === Infinity ? `${min} or more` : `${min} to ${max}`;
}

function blockSection(def: BlockDef): string {
  const lines = [`## ${def.kind}`, '', def.summary, ''];
  const positional = def.positional.length > 0 ? def.positional.join(', ') : 'none';
  lines.push(`Inputs: ${inputsText(def.inputs)}. Positional arguments: ${positional}. Categories: ${[...def.category].join(', ') || 'none'}.`, '');
  const args = Object.entries(def.args);
  if (args.length > 0) {
    lines.push('| argument | type | default | meaning |', '|---|---|---|---|');
    for (const [name, spec] of args) lines.push(`| ${name} | ${typeText(spec)} | ${defaultText(spec.default)} | ${escape(spec.doc)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderBlocksDoc(blocks: Readonly<Record<string, BlockDef>>): string {
  const index = Object.keys(blocks)
    .map((kind) => `[${kind}](#${kind})`)
    .join(' · ');
  return [INTRO, index, '', ...Object.values(blocks).map(blockSection)].join('\n');
}
