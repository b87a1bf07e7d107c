/**
 * Hover: on a block call its doc and the numbers `gnet report --format json` gives for it (output
 * shape, parameters, multiply-adds, receptive field, gauss lowering and compression); on a value the
 * same for the node that produces it; on a block or network definition its parameters.
 */
import type { Hover } from 'vscode-languageserver';
import type { FileAnalysis, Instance } from '../analysis.js';
import type { NameDef, NameRef, Target } from '../../compiler/elaborate/names.js';
import { hitAt } from './navigation.js';
import { groupDigits } from '../../compiler/blocks/text.js';
import type { Stage } from '../../compiler/syntax/ast.js';
import { experimentHover } from './experiment-section.js';
import { builtin, builtinDoc, codeBlock, defaultText, figures, typeText, userSignature } from './describe.js';

/** How many expansions of one call a hover lists. */
const MAX_INSTANCES = 4;

export function hover(file: FileAnalysis, offset: number, resolveImport: (t: Target) => { def: NameDef; file: FileAnalysis | undefined; text: string } | undefined): Hover | null {
  const hit = hitAt(file.names, offset);
  if (!hit) return experimentHover(file, offset);
  if (hit.kind === 'import-path') return markdown(file, hit.span, [`file \`${hit.target}\``]);
  if (hit.kind === 'def' && hit.def.kind === 'import') {
    const imported = resolveImport({ kind: 'def', def: hit.def });
    return markdown(file, hit.def.span, [...(imported ? blockHead(imported.def, imported.text) : []), `from \`${hit.def.importPath}\``]);
  }
  if (hit.kind === 'def') return markdown(file, hit.def.span, defHover(file, hit.def));
  const { ref } = hit;
  return markdown(file, ref.span, refHover(file, ref, resolveImport));
}

function markdown(file: FileAnalysis, span: { start: number; end: number }, lines: string[]): Hover | null {
  return lines.length ? { contents: { kind: 'markdown', value: lines.join('\n') }, range: file.lines.range(span) } : null;
}

function refHover(file: FileAnalysis, ref: NameRef, resolveImport: Parameters<typeof hover>[2]): string[] {
  if (ref.role === 'arg') {
    if (ref.callee?.kind === 'builtin') {
      const spec = builtin(ref.callee.name)?.args[ref.name];
      if (spec) return [codeBlock(`${ref.name}: ${typeText(spec)}${defaultText(spec) === undefined ? '' : ` = ${defaultText(spec)}`}`), spec.doc];
    }
    const param = ref.target.kind === 'param' ? ref.target.block.body?.defs.get(ref.name) : undefined;
    return param ? defHover(file, param) : [];
  }
  const target = ref.target;
  if (ref.role === 'call' && ref.stage) {
    const head = target.kind === 'builtin' ? [builtinDoc(builtin(target.name)!)] : userHead(file, target, resolveImport);
    return [...head, ...numbers(file, ref.stage, target)];
  }
  if (target.kind === 'def') return defHover(file, target.def);
  return [];
}

function userHead(file: FileAnalysis, target: Target, resolveImport: Parameters<typeof hover>[2]): string[] {
  if (target.kind === 'def' && target.def.decl) return blockHead(target.def, file.text);
  const imported = resolveImport(target);
  if (imported) return blockHead(imported.def, imported.text);
  return [];
}

function blockHead(def: NameDef, text: string): string[] {
  if (!def.decl) return [];
  return [codeBlock(userSignature(def.decl, text).label), ...(def.decl.doc ? [def.decl.doc] : [])];
}

function defHover(file: FileAnalysis, def: NameDef): string[] {
  switch (def.kind) {
    case 'block':
      return [...blockHead(def, file.text), '', ...paramLines(file, def)];
    case 'network': {
      const analysis = file.analyses.find((a) => a.graph.name === def.name);
      const totals = analysis
        ? [`- trainable parameters: **${groupDigits(analysis.totals.trainable)}**`, `- non-trainable parameters: **${groupDigits(analysis.totals.nonTrainable)}**`, `- multiply-adds: **${groupDigits(analysis.totals.macs)}**`]
        : [];
      return [...blockHead(def, file.text), '', ...paramLines(file, def), ...totals];
    }
    case 'param':
      if (def.implicit) return [codeBlock('in'), 'the value flowing into this block'];
      return [codeBlock(`parameter ${file.text.slice(def.whole.start, def.whole.end)}`)];
    case 'import':
      return [codeBlock(`import ${def.name}`), `from \`${def.importPath}\``];
    case 'loop':
      return [codeBlock(`loop variable ${def.name}`)];
    case 'shared':
      return [codeBlock(`shared ${def.name}`), 'one instance whose weights every use shares'];
    case 'value':
    case 'input': {
      const producer = producerOf(file, def);
      return [codeBlock(`${def.kind === 'input' ? 'input' : 'value'} ${def.name}`), ...(producer ? numbers(file, producer.stage, producer.target) : [])];
    }
  }
}

function paramLines(file: FileAnalysis, def: NameDef): string[] {
  const params = def.decl?.params ?? [];
  if (!params.length) return ['no parameters'];
  return ['parameters:', ...params.map((p) => `- \`${p.name}\`${p.default ? ` = \`${file.text.slice(p.default.span.start, p.default.span.end)}\`` : ' (required)'}`)];
}

/** The stage whose result a value names: the last stage of its pipeline (or the input statement). */
function producerOf(file: FileAnalysis, def: NameDef): { stage: Stage | { span: NameDef['whole'] }; target: Target } | undefined {
  const stmt = def.stmt;
  if (!stmt) return undefined;
  if (stmt.kind === 'input') return { stage: { span: stmt.span }, target: { kind: 'builtin', name: 'input' } };
  if ((stmt.kind === 'assign' || stmt.kind === 'output') && stmt.pipeline) {
    const last = stmt.pipeline.stages[stmt.pipeline.stages.length - 1]!;
    const ref = file.names.refs.find((r) => r.stage === last);
    if (ref?.role === 'value' && ref.target.kind === 'def' && ref.target.def !== def) return producerOf(file, ref.target.def);
    return ref ? { stage: last, target: ref.target } : undefined;
  }
  return undefined;
}

function numbers(file: FileAnalysis, stage: { span: Stage['span'] }, target: Target): string[] {
  const instances = target.kind === 'builtin' ? file.nodesOfStage(stage.span) : file.nodesOfCall(stage.span);
  if (!instances.length) return [];
  const detail = (i: Instance) => (target.kind === 'builtin' ? (i.analysis.rows[i.nodes[0]!]?.detail ?? '') : `${i.nodes.length} nodes`);
  if (instances.length === 1) return ['', `\`${label(instances[0]!)}\` (network \`${instances[0]!.analysis.graph.name}\`):`, ...figures(instances[0]!, detail)];
  const shown = instances.slice(0, MAX_INSTANCES).flatMap((i) => ['', `\`${label(i)}\` (network \`${i.analysis.graph.name}\`):`, ...figures(i, detail)]);
  return ['', `${instances.length} expansions${instances.length > MAX_INSTANCES ? `, the first ${MAX_INSTANCES}` : ''}:`, ...shown];
}

const label = (i: Instance): string => i.frame ?? i.blocks[0]!.name;
