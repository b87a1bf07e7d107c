/**
 * IR graph + analysis → one readable, standalone PyTorch module: `META` (the network as data, as the
 * TypeScript module's `meta`, plus each weight's torch name and layout) and an nn.Module class with one
 * layer attribute per block, built from the Python runtime package `gnet_torch` (imported as `gt`),
 * whose forward() computes every IR node in order. Same graph, same text, byte for byte.
 */
import type { Analysis } from '../../analysis/index.js';
import { blockOf } from '../../analysis/lookup.js';
import type { TorchEmit } from '../../blocks/block.js';
import { pyString } from '../../blocks/torch-util.js';
import type { IRGraph, Shape } from '../../ir/ir.js';
import type { GenerateOptions } from '../generate.js';
import { planNodes, weightName, type NodePlan } from '../plan.js';
import { sourceLocator } from '../source-location.js';
import { metaLines, type TorchWeight } from './meta.js';
import { MODULE_ATTRIBUTES, PythonNamePool, pyCommentText, pyDocText } from './python.js';

export interface TorchModule {
  /** The class name, also the module's file name (`<network>.py`). */
  readonly network: string;
  readonly source: string;
}

/** Names the module itself defines or uses at top level, in __init__() and in forward(). */
const MODULE_NAMES = ['torch', 'gt', 'META', 'self', 'inputs', 'state', 'outputs', 'super', 'seed', 'Dict', 'Optional', 'Union', 'isinstance'];

interface NodeCode {
  readonly plan: NodePlan;
  /** Local variable holding the node's output in forward(). */
  readonly local: string;
  /** `self.<attribute>` layer, or null for inputs. */
  readonly attribute: string | null;
  /** The layer constructor, for the node that owns the layer (null for inputs and later uses of shared weights). */
  readonly emitted: TorchEmit | null;
  readonly call: TorchEmit | null;
}

/** Feature maps are NCHW inside the module; other shapes keep gnet's order. */
function torchShape(shape: Shape): string {
  const dims = shape.length === 3 ? [shape[2], shape[0], shape[1]] : shape;
  return `[N, ${dims.join(', ')}]`;
}

function nodeCode(graph: IRGraph, plans: readonly NodePlan[], className: string): NodeCode[] {
  const locals = new PythonNamePool([...MODULE_NAMES, className]);
  const attributes = new PythonNamePool([...MODULE_NAMES, ...MODULE_ATTRIBUTES, className]);
  const layerOf = new Map<string, { attribute: string; emitted: TorchEmit }>();
  return plans.map((plan) => {
    const { node } = plan;
    const local = locals.claim(node.name);
    if (node.op === 'input') return { plan, local, attribute: null, emitted: null, call: null };
    const def = blockOf(node.op)!;
    const emitted = def.emitTorch({ inputShapes: plan.inputShapes, outShape: plan.shape, attrs: node.attrs, key: pyString(node.name) });
    // Nodes sharing weights share one layer, named by their sharing key and built by the first. A use
    // that needs another layer (a window's padding depends on the input size) ties its weights to it.
    const shared = plan.weights.length > 0 ? layerOf.get(node.weights) : undefined;
    if (shared && shared.emitted.layer === emitted.layer) return { plan, local, attribute: shared.attribute, emitted: null, call: emitted };
    if (shared) {
      const tied = { ...emitted, layer: `gt.tie(${emitted.layer}, self.${shared.attribute})` };
      return { plan, local, attribute: attributes.claim(node.name), emitted: tied, call: tied };
    }
    const attribute = attributes.claim(plan.weights.length > 0 ? node.weights : node.name);
    if (plan.weights.length > 0) layerOf.set(node.weights, { attribute, emitted });
    return { plan, local, attribute, emitted, call: emitted };
  });
}

function comment(plan: NodePlan): string {
  const { node, source, shape } = plan;
  return `# ${pyCommentText(`${node.name} (${node.op}, ${shape.join('×')}) — ${source.file}:${source.line}:${source.column}`)}`;
}

function forwardLines(graph: IRGraph, codes: readonly NodeCode[]): { lines: string[]; statementOf: Map<number, number> } {
  const lines: string[] = [];
  const statementOf = new Map<number, number>();
  for (const code of codes) {
    const { node } = code.plan;
    lines.push(comment(code.plan));
    statementOf.set(node.id, lines.length);
    if (code.call === null) {
      const input = graph.inputs.find((i) => i.node === node.id);
      if (!input) throw new Error(`codegen: input node '${node.name}' is not one of the graph's inputs`);
      const byName = `inputs[${pyString(input.name)}]`;
      lines.push(`${code.local} = ${graph.inputs.length === 1 ? `inputs if isinstance(inputs, torch.Tensor) else ${byName}` : byName}`);
      continue;
    }
    const locals = node.inputs.slice(0, code.call.arity ?? node.inputs.length).map((id) => codes[id]!.local);
    const args = code.call.listInput ? [`[${locals.join(', ')}]`] : locals;
    if (code.call.usesState) args.push('state');
    lines.push(`${code.local} = self.${code.attribute}(${args.join(', ')})`);
  }
  const outputs = graph.outputs.map((o) => `${pyString(o.name)}: ${codes[o.node]!.local}`);
  lines.push(graph.outputs.length === 1 ? `return ${codes[graph.outputs[0]!.node]!.local}` : `return {${outputs.join(', ')}}`);
  return { lines, statementOf };
}

function torchWeights(codes: readonly NodeCode[]): TorchWeight[] {
  return codes
    .filter((code) => code.emitted !== null && code.plan.ownsWeights)
    .flatMap((code) =>
      code.plan.weights.map((spec) => ({
        plan: code.plan,
        spec,
        name: weightName(code.plan.node, spec),
        torch: `${code.attribute}.${code.emitted!.names?.[spec.name] ?? spec.name}`,
        layout: code.emitted!.layouts?.[spec.name] ?? 'same',
      })),
    );
}

function docstring(graph: IRGraph, plans: readonly NodePlan[]): string[] {
  const io = (items: readonly { name: string; node: number }[]) => items.map((i) => `${i.name} ${torchShape(plans[i.node]!.shape)}`).join(', ');
  const takes = graph.inputs.length === 1 ? 'a tensor (or a dict by name)' : 'a dict by name';
  const gives = graph.outputs.length === 1 ? 'a tensor' : 'a dict by name';
  const text = [
    ...(graph.doc ? [graph.doc, ''] : []),
    `Inputs (float32, NCHW maps): ${io(graph.inputs)}.`,
    `Outputs: ${io(graph.outputs)}.`,
    `The constructor's seed (default 0) draws the weights gnet's createWeights(seed) draws. forward(inputs, state=None)`,
    `takes ${takes} and returns ${gives}. Without a state, dropout and fre draw from torch's generator`,
    "and batch norm warms up by its own step count; gnet's state {'seed', 'epoch', 'step'} reproduces gnet's",
    'draws and warm-up exactly. deploy() freezes every gauss layer into a plain nn.Conv2d for inference and export.',
  ].join('\n');
  return `"""${pyDocText(text)}\n"""`.split('\n');
}

export function generateTorch(graph: IRGraph, analysis: Analysis, options: GenerateOptions): TorchModule {
  const locate = sourceLocator(options.sources, options.displayPath);
  const plans = planNodes(graph, analysis, locate);
  const sourceFile = locate(graph.span).file;
  const className = new PythonNamePool(MODULE_NAMES).claim(graph.name);
  const codes = nodeCode(graph, plans, className);
  const { lines: body, statementOf } = forwardLines(graph, codes);
  const layers = codes.flatMap((code) => (code.emitted === null ? [] : [comment(code.plan), `self.${code.attribute} = ${code.emitted.layer}`]));
  const inputType = graph.inputs.length === 1 ? 'Union[torch.Tensor, Dict[str, torch.Tensor]]' : 'Dict[str, torch.Tensor]';
  const outputType = graph.outputs.length === 1 ? 'torch.Tensor' : 'Dict[str, torch.Tensor]';
  const build = (generatedLines: ReadonlyMap<number, number>) => {
    const header = [
      `"""${pyDocText(`Generated by gnet from ${sourceFile} (network ${graph.name}).\nDo not edit: change the spec and compile it again.`)}`,
      '"""',
      'from typing import Dict, Optional, Union',
      '',
      'import torch',
      '',
      'import gnet_torch as gt',
      '',
      ...metaLines(graph, analysis, plans, { sourceFile, className, weights: torchWeights(codes), generatedLines }),
      '',
      '',
      `class ${className}(torch.nn.Module):`,
      ...docstring(graph, plans).map((line) => (line ? `    ${line}` : line)),
      '',
      '    META = META',
      '',
      '    def __init__(self, seed: int = 0):',
      '        super().__init__()',
      ...layers.map((line) => `        ${line}`),
      '        gt.initialise(self, META, seed)',
      '',
      '    def deploy(self):',
      '        """Freezes every gauss layer into a plain nn.Conv2d (gnet_torch.deploy); returns self."""',
      '        return gt.deploy(self)',
      '',
      `    def forward(self, inputs: ${inputType}, state: Optional[Dict[str, int]] = None) -> ${outputType}:`,
    ];
    // One entry per line, so the header's length is its line count.
    const headerLines = header.join('\n').split('\n');
    return { header: headerLines, lines: [...headerLines, ...body.map((line) => `        ${line}`)] };
  };
  // The source map names the line of each node's statement: the header's length does not depend on those numbers.
  const { header } = build(new Map());
  const generatedLines = new Map([...statementOf].map(([id, at]) => [id, header.length + at + 1]));
  return { network: className, source: `${build(generatedLines).lines.join('\n')}\n` };
}
