/**
 * Builds IRGraphs in tests with the real block registry: schema defaults applied the way the
 * elaborator applies them, and a fake source text with one line per node and budget so that spans
 * point at real lines (line = declaration order).
 */
import type { BlockDef } from '../../compiler/blocks/block.js';
import { BLOCKS } from '../../compiler/blocks/index.js';
import type { Span } from '../../compiler/diagnostics/diagnostic.js';
import type { AttrValue, Attrs, Budget, BudgetMetric, IRGraph, IRInput, IRNode, IROutput, Shape } from '../../compiler/ir/ir.js';

export interface NodeOptions {
  /** Frames down to the node; the name is the path joined with '.' (default: [`${op}_${id}`]). */
  readonly path?: readonly string[];
  /** Weight-sharing key (default: the node name). */
  readonly weights?: string;
}

export class TestGraph {
  private readonly nodes: IRNode[] = [];
  private readonly inputs: IRInput[] = [];
  private readonly outputs: IROutput[] = [];
  private readonly budgets: Budget[] = [];
  private text = '';

  constructor(
    readonly name = 'Net',
    readonly file = 'net.gnet',
    private readonly doc = '',
  ) {}

  input(name: string, shape: Shape): number {
    const id = this.nodes.length;
    this.nodes.push({ id, op: 'input', name, path: [name], attrs: {}, inputs: [], weights: name, span: this.line(`input ${name}: ${shape.join(' x ')}`) });
    this.inputs.push({ name, node: id, shape });
    return id;
  }

  /** Adds `op` fed by `inputs`, with schema defaults for every argument not given. */
  add(op: string, inputs: number | readonly number[], args: Record<string, AttrValue> = {}, options: NodeOptions = {}): number {
    const def = (BLOCKS as Record<string, BlockDef>)[op];
    if (!def) throw new Error(`test graph: unknown op ${op}`);
    const id = this.nodes.length;
    const path = options.path ?? [`${op}_${id}`];
    const name = path.join('.');
    const span = this.line(`${name} = ${op}(${JSON.stringify(args).slice(1, -1)})`);
    this.nodes.push({ id, op, name, path, attrs: withDefaults(def, args), inputs: typeof inputs === 'number' ? [inputs] : inputs, weights: options.weights ?? name, span });
    return id;
  }

  /** A pipeline of [op, args] stages from `from`; returns the last node. */
  chain(from: number, stages: readonly (readonly [string, Record<string, AttrValue>?])[], frame: readonly string[] = []): number {
    return stages.reduce((previous, [op, args]) => this.add(op, previous, args ?? {}, { path: [...frame, `${op}_${this.nodes.length}`] }), from);
  }

  output(name: string, node: number): this {
    this.outputs.push({ name, node, span: this.line(`output ${name}`) });
    return this;
  }

  budget(metric: BudgetMetric, op: Budget['op'], limit: number, batch = 1): this {
    this.budgets.push({ metric, op, limit, batch, span: this.line(`budget ${metric} ${op} ${limit} at batch ${batch}`) });
    return this;
  }

  graph(): IRGraph {
    const span = { file: this.file, start: 0, end: this.text.length };
    return { name: this.name, doc: this.doc, file: this.file, nodes: [...this.nodes], inputs: [...this.inputs], outputs: [...this.outputs], budgets: [...this.budgets], training: null, span };
  }

  source(): string {
    return this.text;
  }

  /** Appends one source line and returns the span of its text. */
  private line(text: string): Span {
    const start = this.text.length;
    this.text += `${text}\n`;
    return { file: this.file, start, end: start + text.length };
  }
}

/** Defaults applied, values stored as written, as the elaborator stores them. */
function withDefaults(def: BlockDef, args: Record<string, AttrValue>): Attrs {
  const attrs: Record<string, AttrValue> = {};
  for (const [name, spec] of Object.entries(def.args)) {
    if (spec.type === 'value') continue;
    const value = Object.hasOwn(args, name) ? args[name]! : spec.default;
    if (value === undefined) throw new Error(`test graph: ${def.kind} needs ${name}`);
    attrs[name] = value;
  }
  for (const name of Object.keys(args)) if (!Object.hasOwn(attrs, name)) throw new Error(`test graph: ${def.kind} has no argument ${name}`);
  return attrs;
}
