/** Text shared by hover, completion and signature help: block signatures, argument docs, report figures. */
import { BLOCKS } from '../../compiler/index.js';
import type { ArgSpec, BlockDef } from '../../compiler/blocks/block.js';
import { groupDigits } from '../../compiler/blocks/text.js';
import type { BlockJSON } from '../../compiler/report/index.js';
import type { BlockDecl, Expr, NetworkDecl } from '../../compiler/syntax/ast.js';
import type { Instance } from '../analysis.js';

export const builtin = (name: string): BlockDef | undefined => (BLOCKS as Record<string, BlockDef>)[name];

export function defaultText(spec: ArgSpec): string | undefined {
  if (spec.default === undefined) return undefined;
  if (spec.default === null) return 'none';
  if (Array.isArray(spec.default)) return spec.default.length === 2 && spec.default[0] === spec.default[1] ? `${spec.default[0]}` : `[${spec.default.join(', ')}]`;
  return String(spec.default);
}

export function typeText(spec: ArgSpec): string {
  return spec.type === 'enum' ? (spec.values ?? []).join(' | ') : spec.type;
}

/** `conv(filters, size = 3, stride = 1, …)`: required and positional arguments first, as calls are written. */
export function builtinSignature(def: BlockDef): { label: string; params: { label: string; doc: string }[] } {
  const names = [...def.positional, ...Object.keys(def.args).filter((n) => !def.positional.includes(n))];
  const params = names.map((name) => {
    const spec = def.args[name]!;
    const d = defaultText(spec);
    return { label: d === undefined ? name : `${name} = ${d}`, doc: `${typeText(spec)}: ${spec.doc}` };
  });
  return { label: `${def.kind}(${params.map((p) => p.label).join(', ')})`, params };
}

export function userSignature(decl: BlockDecl | NetworkDecl, text: string): { label: string; params: { label: string; doc: string }[] } {
  const params = decl.params.map((p) => ({ label: p.default ? `${p.name} = ${source(p.default, text)}` : p.name, doc: '' }));
  return { label: `${decl.kind === 'block' ? 'block' : 'network'} ${decl.name}(${params.map((p) => p.label).join(', ')})`, params };
}

export const source = (e: Expr, text: string): string => text.slice(e.span.start, e.span.end);

export function builtinDoc(def: BlockDef): string {
  const sig = builtinSignature(def);
  const args = Object.entries(def.args).map(([name, spec]) => `- \`${name}\` (${typeText(spec)}${defaultText(spec) === undefined ? ', required' : `, default ${defaultText(spec)}`}): ${spec.doc}`);
  return [codeBlock(sig.label), def.summary, '', ...args].join('\n');
}

export const codeBlock = (code: string): string => '```gnet\n' + code + '\n```';

const shape = (s: readonly number[] | null): string => (s ? s.join('×') : 'unknown');

function field(b: BlockJSON): string {
  const f = b.receptiveField;
  return f ? `${f.size.join('×')} (on \`${f.input}\`, jump ${f.jump.join('×')})` : 'none';
}

/** The figures of one expansion, as `gnet report --format json` gives them (summed over a user block's nodes). */
export function figures(instance: Instance, detailOf: (i: Instance) => string): string[] {
  const { blocks } = instance;
  const last = blocks[blocks.length - 1]!;
  const sum = (pick: (b: BlockJSON) => number) => blocks.reduce((t, b) => t + pick(b), 0);
  const lines = [
    `- output shape: **${shape(last.outputShape)}**`,
    `- trainable parameters: **${groupDigits(sum((b) => b.trainable))}**`,
    `- non-trainable parameters: **${groupDigits(sum((b) => b.nonTrainable))}**`,
    `- multiply-adds: **${groupDigits(sum((b) => b.macs))}**`,
    `- receptive field: ${field(last)}`,
  ];
  const detail = detailOf(instance);
  if (detail) lines.push(`- ${detail}`);
  return lines;
}
