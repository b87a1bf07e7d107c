import { BLOCKS } from '../blocks/index.js';
import type { BlockDef } from '../blocks/block.js';
import { error, type Accept, type Span } from '../diagnostics/diagnostic.js';
import type { Budget, BudgetMetric, IRGraph, IRInput, IROutput, TrainingSection } from '../ir/ir.js';
import type { BlockDecl, Expr, NetworkDecl, Pipeline, Stage, Stmt } from '../syntax/ast.js';
import { closestName } from '../util/closest.js';
import { bindBuiltinArgs, type EvaluatedArg } from './bind-args.js';
import { Frame, GraphBuilder } from './builder.js';
import { evaluate, expectInt, numberOperand, type EvalContext } from './evaluate.js';
import { Scope } from './scope.js';
import { trainValue } from './train-section.js';
import type { UseLog } from './uses.js';
import { ERROR, POISONED_TENSOR, describeValue, isPoisoned, type Value } from './values.js';

/** Block calls nested deeper than this are almost certainly unintended (and would exhaust the stack). */
export const MAX_CALL_DEPTH = 64;
const MAX_DIM = 1 << 20;
const METRICS: readonly BudgetMetric[] = ['params', 'trainable', 'macs', 'memory', 'receptive'];

interface Network {
  readonly builder: GraphBuilder;
  readonly inputs: IRInput[];
  readonly outputs: IROutput[];
  readonly budgets: Budget[];
  training: TrainingSection | null;
}

interface Body {
  readonly kind: 'network' | 'block';
  readonly scope: Scope;
  readonly frame: Frame;
  /** Names bound later in the same body, for "used before its definition". */
  readonly later: Map<string, Span>;
  /** Inside a `for` body: names owned by these scopes may be rebound. */
  readonly loopCarried?: Scope;
  /** The declaration has a syntax error: names recovery may have dropped are not reported as unknown. */
  readonly tainted?: boolean;
}

/** AST → IR for one network: blocks expanded, names resolved, arguments checked. */
export class Elaborator {
  private readonly callStack: string[] = [];
  /** `loss … on = "name"` arguments, checked against the outputs once the whole body is read. */
  private readonly lossTargets: { readonly name: string; readonly span: Span }[] = [];
  private reportedTooLarge = false;

  constructor(
    private readonly accept: Accept,
    private readonly net: Network = { builder: new GraphBuilder(), inputs: [], outputs: [], budgets: [], training: null },
    private readonly uses?: UseLog,
    /** Expand blocks whose header did not parse too (CompileOptions.lenient). */
    private readonly lenient = false,
  ) {}

  network(decl: NetworkDecl, fileScope: Scope, overrides: ReadonlyMap<string, number | string>): IRGraph {
    const scope = new Scope(fileScope);
    this.bindParams(decl.params, [], scope, decl.nameSpan, overrides);
    const frame = new Frame([]);
    this.body(decl.body, { kind: 'network', scope, frame, later: new Map(), tainted: decl.broken !== undefined }, undefined);
    // A syntax error may have swallowed the input or output statement: that error is the one to fix.
    if (decl.broken) return this.graph(decl);
    this.checkLossTargets();
    if (!decl.body.some((st) => st.kind === 'input')) this.accept(error('GN0206', `network \`${decl.name}\` has no input`, decl.nameSpan, { help: 'declare one: `input image: 28 x 28 x 1`' }));
    if (!decl.body.some((st) => st.kind === 'output')) this.accept(error('GN0206', `network \`${decl.name}\` has no output`, decl.nameSpan, { help: 'declare one: `output logits = x -> dense(10)`' }));
    return this.graph(decl);
  }

  private graph(decl: NetworkDecl): IRGraph {
    return {
      name: decl.name,
      doc: decl.doc,
      file: decl.span.file,
      nodes: this.net.builder.nodes,
      inputs: this.net.inputs,
      outputs: this.net.outputs,
      budgets: this.net.budgets,
      training: this.net.training,
      span: decl.span,
    };
  }

  private evalCtx(body: Body): EvalContext {
    return {
      scope: body.scope,
      accept: this.accept,
      uses: this.uses,
      unknownName: (name, span) => {
        if (body.tainted) return true;
        const later = body.later.get(name);
        if (!later) return false;
        this.accept(error('GN0202', `\`${name}\` is used before its definition`, span, {
          secondary: [{ span: later, label: 'defined here, later' }],
          help: 'values are defined in order: move this statement below the definition (a value cannot depend on itself)',
        }));
        return true;
      },
    };
  }

  /** Runs statements; returns the value of the last one (a block's output). */
  private body(stmts: readonly Stmt[], body: Body, incoming: Value | undefined): Value | undefined {
    const later = new Map(body.later);
    for (const s of stmts) for (const [n, span] of assignedNames(s)) if (!later.has(n)) later.set(n, span);
    let current = incoming;
    for (const s of stmts) {
      for (const [n] of assignedNames(s)) later.delete(n);
      const value = this.statement(s, { ...body, later }, current);
      // Only block bodies chain statements; in a network every pipeline names its input.
      if (body.kind === 'block') current = value ?? current;
    }
    return current;
  }

  private statement(s: Stmt, body: Body, current: Value | undefined): Value | undefined {
    const ctx = this.evalCtx(body);
    if (s.broken) {
      // Its syntax error is reported; what recovery kept of it would only add guesses.
      for (const [name, span] of assignedNames(s)) if (!body.scope.hasOwn(name)) body.scope.define(name, { kind: 'value', value: POISONED_TENSOR, span });
      return POISONED_TENSOR;
    }
    switch (s.kind) {
      case 'input': return this.input(s, body, ctx);
      case 'assign': {
        const v = this.pipeline(s.pipeline, body, current, s.name);
        this.bindValue(s.name, s.nameSpan, v, body);
        return v;
      }
      case 'pipe': return this.pipeline(s.pipeline, body, current);
      case 'output': {
        if (body.kind !== 'network') return this.misplaced('output', s.span);
        const v = s.pipeline ? this.pipeline(s.pipeline, body, current, s.name) : this.lookupValue(s.name, s.nameSpan, body);
        if (s.pipeline) this.bindValue(s.name, s.nameSpan, v, body);
        if (v.kind === 'tensor' && v.node !== null) this.net.outputs.push({ name: s.name, node: v.node, span: s.span });
        else if (!isPoisoned(v)) this.accept(error('GN0104', `output \`${s.name}\` must be a tensor, got ${describeValue(v)}`, s.span));
        return v;
      }
      case 'budget': {
        if (body.kind !== 'network') return this.misplaced('budget', s.span);
        this.budget(s, ctx);
        return undefined;
      }
      case 'shared': {
        if (this.defined(s.name, s.nameSpan, body)) body.scope.define(s.name, { kind: 'shared', stage: s.stage, scope: body.scope, key: [...body.frame.path, s.name].join('.'), span: s.nameSpan });
        return undefined;
      }
      case 'block': {
        if (this.defined(s.decl.name, s.decl.nameSpan, body)) body.scope.define(s.decl.name, { kind: 'block', decl: s.decl, scope: body.scope });
        return undefined;
      }
      case 'let': {
        const v = evaluate(s.value, ctx);
        if (v.kind === 'tensor') {
          if (!isPoisoned(v)) this.accept(error('GN0104', `\`let\` names a number, a word or a list; \`${s.name}\` would be a tensor`, s.value.span, { help: `name a tensor without \`let\`: \`${s.name} = …\`` }));
          this.bindValue(s.name, s.nameSpan, POISONED_TENSOR, body);
          return undefined;
        }
        this.bindValue(s.name, s.nameSpan, v, body);
        return undefined;
      }
      case 'for': return this.forLoop(s, body, current, ctx);
      case 'if': {
        const cond = evaluate(s.condition, ctx);
        if (cond.kind !== 'bool') {
          if (!isPoisoned(cond)) this.accept(error('GN0104', `an \`if\` condition must be true or false, got ${describeValue(cond)}`, s.condition.span, { help: 'compare it, e.g. `if depth > 1 { … }`' }));
          for (const [name, span] of assignedNames(s)) if (!body.scope.hasOwn(name)) body.scope.define(name, { kind: 'value', value: POISONED_TENSOR, span });
          return undefined;
        }
        return this.body(cond.value ? s.then : s.otherwise, body, current);
      }
      case 'train': {
        if (body.kind !== 'network') return this.misplaced('train', s.span);
        const section: Record<string, ReturnType<typeof trainValue>> = {};
        for (const e of s.entries) {
          if (e.bySize) {
            ctx.accept(error('GN0726', `\`${e.key}\` per training-set size is an experiment's setting, not a network's`, e.bySize.span, {
              label: 'a table per training-set size',
              help: `write one value here (\`${e.key} = …\`), and the table in an \`experiment { … }\` section`,
            }));
            continue;
          }
          section[e.key] = trainValue(evaluate(e.value, ctx), e.value.span, ctx);
        }
        for (const e of s.entries) if (e.key === 'loss') this.lossTargets.push(...lossTargets(e.value));
        this.net.training = section as TrainingSection;
        return undefined;
      }
    }
  }

  /** A loss term trains a named output: the name must be one. */
  private checkLossTargets(): void {
    const outputs = this.net.outputs.map((o) => o.name);
    for (const t of this.lossTargets) {
      if (outputs.includes(t.name)) continue;
      const suggestion = closestName(t.name, outputs);
      this.accept(error('GN0701', `the loss term trains output \`${t.name}\`, and the network has no such output`, t.span, {
        label: 'not an output',
        help: suggestion ? `did you mean \`${suggestion}\`?` : `its outputs: ${outputs.join(', ') || 'none'}`,
      }));
    }
  }

  private misplaced(what: string, span: Span): undefined {
    this.accept(error('GN0214', `\`${what}\` belongs in a network, not in a block`, span, { help: `move it into the network that calls this block` }));
    return undefined;
  }

  private input(s: Stmt & { kind: 'input' }, body: Body, ctx: EvalContext): Value | undefined {
    if (body.kind !== 'network') return this.misplaced('input', s.span);
    const dims = s.dims.map((d) => expectInt(evaluate(d, ctx), d.span, ctx, 'an input dimension', 1));
    if (dims.some((d) => d === undefined)) return this.bindValue(s.name, s.nameSpan, POISONED_TENSOR, body);
    if (dims.length < 1 || dims.length > 4) {
      this.accept(error('GN0104', `an input shape has 1 to 4 dimensions (height x width x channels, or depth x height x width x channels), got ${dims.length}`, s.span));
      return this.bindValue(s.name, s.nameSpan, POISONED_TENSOR, body);
    }
    const big = dims.find((d) => d! > MAX_DIM);
    if (big) {
      this.accept(error('GN0109', `input dimension ${big} is too large (at most ${MAX_DIM})`, s.span));
      return this.bindValue(s.name, s.nameSpan, POISONED_TENSOR, body);
    }
    const shape = dims as number[];
    const node = this.net.builder.add('input', { shape }, [], s.span, body.frame, s.name);
    this.net.inputs.push({ name: s.name, node, shape });
    return this.bindValue(s.name, s.nameSpan, { kind: 'tensor', node }, body);
  }

  private budget(s: Stmt & { kind: 'budget' }, ctx: EvalContext): void {
    const metric = s.metric as BudgetMetric;
    if (!METRICS.includes(metric)) {
      const suggestion = closestName(s.metric, METRICS);
      this.accept(error('GN0502', `unknown budget metric \`${s.metric}\``, s.metricSpan, {
        help: suggestion ? `did you mean \`${suggestion}\`?` : `one of ${METRICS.join(', ')}`,
      }));
      return;
    }
    let limit = numberOperand(evaluate(s.limit, ctx), s.limit.span, ctx);
    if (limit !== undefined && !(Math.abs(limit) <= Number.MAX_SAFE_INTEGER)) {
      this.accept(error('GN0109', `budget limit ${Number.isFinite(limit) ? limit : '(beyond any finite number)'} is too large`, s.limit.span, { help: 'counts are exact only below 2^53 (9 007 199 254 740 992): use a smaller limit' }));
      limit = undefined;
    }
    const batch = s.batch ? expectInt(evaluate(s.batch, ctx), s.batch.span, ctx, 'the batch size', 1) : 1;
    if (limit === undefined || batch === undefined) return;
    this.net.budgets.push({ metric, op: s.op, limit, batch, span: s.span });
  }

  private forLoop(s: Stmt & { kind: 'for' }, body: Body, current: Value | undefined, ctx: EvalContext): Value | undefined {
    const from = expectInt(evaluate(s.from, ctx), s.from.span, ctx, 'a loop bound', -Infinity);
    const to = expectInt(evaluate(s.to, ctx), s.to.span, ctx, 'a loop bound', -Infinity);
    if (from === undefined || to === undefined) return undefined;
    let result = current;
    for (let i = from; i < to && !this.tooLarge(s.span); i++) {
      const scope = new Scope(body.scope);
      scope.define(s.variable, { kind: 'value', value: { kind: 'number', value: i }, span: s.variableSpan });
      result = this.body(s.body, { ...body, scope, loopCarried: body.scope }, result) ?? result;
    }
    return result;
  }

  private tooLarge(span: Span): boolean {
    if (!this.net.builder.full) return false;
    if (!this.reportedTooLarge) {
      this.reportedTooLarge = true;
      this.accept(error('GN0209', `the network expands to more than ${this.net.builder.nodes.length} blocks`, span, { help: 'check loop bounds and `* n` repetitions' }));
    }
    return true;
  }

  /** A name may be bound once per scope; inside a loop, names from outside it may be rebound (`x = x -> …`). */
  private defined(name: string, span: Span, body: Body): boolean {
    const owner = body.scope.owner(name);
    if (!owner || (body.loopCarried && owner !== body.scope)) return true;
    if (owner !== body.scope) return true;
    const previous = owner.lookup(name)!;
    this.accept(error('GN0203', `\`${name}\` is already defined`, span, {
      secondary: 'span' in previous ? [{ span: previous.span, label: 'first defined here' }] : previous.kind === 'block' ? [{ span: previous.decl.nameSpan, label: 'first defined here' }] : [],
      help: 'pick another name (values are immutable; only a `for` loop may rebind a name from outside it)',
    }));
    return false;
  }

  private bindValue(name: string, span: Span, value: Value, body: Body): Value {
    if (!this.defined(name, span, body)) return value;
    const owner = body.loopCarried ? body.scope.owner(name) : undefined;
    (owner ?? body.scope).define(name, { kind: 'value', value, span });
    return value;
  }

  private lookupValue(name: string, span: Span, body: Body): Value {
    const b = body.scope.lookup(name);
    this.uses?.record(span, b);
    if (b?.kind === 'value') return b.value;
    if (b) {
      this.accept(error('GN0204', `\`${name}\` is a block, not a value`, span));
      return ERROR;
    }
    const ctx = this.evalCtx(body);
    if (!ctx.unknownName!(name, span)) {
      const suggestion = closestName(name, body.scope.names());
      this.accept(error('GN0201', `unknown name \`${name}\``, span, { help: suggestion ? `did you mean \`${suggestion}\`?` : undefined }));
    }
    return ERROR;
  }

  /** `a -> b -> c`: each stage consumes the previous one's value; the first stage may take the body's current value. */
  pipeline(p: Pipeline, body: Body, current: Value | undefined, assignedTo?: string): Value {
    const calls = p.stages.filter((s) => body.scope.lookup(s.name)?.kind !== 'value');
    const singleName = assignedTo && calls.length === 1 && !calls[0]!.repeat ? assignedTo : undefined;
    const frame = assignedTo && !singleName && calls.length > 0 ? body.frame.child(assignedTo) : body.frame;
    const inner: Body = { ...body, frame };
    let value: Value | undefined;
    p.stages.forEach((stage, i) => {
      const first = i === 0;
      const incoming = first ? (this.takesImplicitInput(stage, body) ? current : undefined) : value;
      const times = stage.repeat ? expectInt(evaluate(stage.repeat, this.evalCtx(body)), stage.repeat.span, this.evalCtx(body), 'a repetition count', 1) : 1;
      if (times === undefined) {
        value = ERROR;
        return;
      }
      let v = incoming;
      for (let r = 0; r < times && !this.tooLarge(stage.span); r++) v = this.stage(stage, inner, v, first && r === 0, singleName);
      value = v;
    });
    return value ?? ERROR;
  }

  /** A leading block call continues from the current value unless its tensor inputs are all given (`add(a, b)`). */
  private takesImplicitInput(stage: Stage, body: Body): boolean {
    if (body.scope.lookup(stage.name)?.kind === 'value') return false;
    const scope = body.scope;
    return !(stage.args ?? []).some((a) => !a.name && a.value.kind === 'ref' && scope.lookup(a.value.name)?.kind === 'value' && (scope.lookup(a.value.name) as { value: Value }).value.kind === 'tensor');
  }

  private stage(stage: Stage, body: Body, incoming: Value | undefined, first: boolean, nodeName?: string): Value {
    const binding = body.scope.lookup(stage.name);
    this.uses?.record(stage.nameSpan, binding);
    if (incoming && isPoisoned(incoming)) return POISONED_TENSOR;
    if (binding?.kind === 'value') {
      if (isPoisoned(binding.value)) return POISONED_TENSOR;
      if (!first || stage.args) {
        this.accept(error('GN0204', `\`${stage.name}\` is a value, not a block`, stage.nameSpan, {
          help: first ? 'values take no arguments' : `to combine it with the pipeline use \`add(${stage.name})\` or \`concat(${stage.name})\``,
        }));
        return ERROR;
      }
      if (binding.value.kind !== 'tensor' && !isPoisoned(binding.value)) {
        this.accept(error('GN0104', `a pipeline starts with a tensor; \`${stage.name}\` is ${describeValue(binding.value)}`, stage.nameSpan, {
          help: 'to name a number, write `let name = …` (e.g. `let w = planes * 2`)',
        }));
        return ERROR;
      }
      return binding.value;
    }
    const args = (stage.args ?? []).map((arg) => ({ arg, value: evaluate(arg.value, this.evalCtx(body)) }));
    if (binding?.kind === 'shared') {
      if (stage.args?.length) {
        this.accept(error('GN0106', `shared instance \`${stage.name}\` takes no arguments`, stage.span, { help: 'its arguments are fixed where it is declared' }));
        return ERROR;
      }
      const sharedBody: Body = { ...body, scope: binding.scope };
      const sharedArgs = (binding.stage.args ?? []).map((arg) => ({ arg, value: evaluate(arg.value, this.evalCtx(sharedBody)) }));
      return this.call(binding.stage, sharedArgs, body, incoming, nodeName ?? stage.name, binding.key, stage.span);
    }
    if (binding?.kind === 'block') return this.userBlock(binding.decl, binding.scope, stage, args, body, incoming, nodeName);
    return this.call(stage, args, body, incoming, nodeName);
  }

  /** A built-in block or a user block named by `stage`. */
  private call(stage: Stage, args: EvaluatedArg[], body: Body, incoming: Value | undefined, nodeName?: string, sharedKey?: string, span = stage.span): Value {
    const binding = body.scope.lookup(stage.name);
    if (binding?.kind === 'block') return this.userBlock(binding.decl, binding.scope, stage, args, body, incoming, nodeName ?? stage.name, sharedKey);
    const def = (BLOCKS as Record<string, BlockDef>)[stage.name];
    if (!def) return this.unknownBlock(stage, body);
    const bound = bindBuiltinArgs(def, args, stage.span, this.evalCtx(body));
    const tensors = incoming ? [incoming, ...bound.tensors] : bound.tensors;
    if (bound.poisoned || tensors.some(isPoisoned)) return POISONED_TENSOR;
    const bad = tensors.find((t) => t.kind !== 'tensor');
    if (bad) {
      this.accept(error('GN0104', `\`${stage.name}\` takes tensors as inputs, got ${describeValue(bad)}`, stage.span));
      return ERROR;
    }
    if (tensors.length < def.inputs.min || tensors.length > def.inputs.max) {
      this.accept(this.arityError(def, tensors.length, stage));
      return ERROR;
    }
    const node = this.net.builder.add(def.kind, bound.attrs, tensors.map((t) => (t as { node: number }).node), span, body.frame, nodeName ?? def.kind, sharedKey);
    return { kind: 'tensor', node };
  }

  private arityError(def: BlockDef, got: number, stage: Stage) {
    if (got === 0) {
      return error('GN0205', `\`${def.kind}\` has no input`, stage.span, {
        help: `start the pipeline with a value: \`x -> ${def.kind}${stage.args ? '(…)' : ''}\``,
      });
    }
    const want = def.inputs.max === def.inputs.min ? `${def.inputs.min}` : def.inputs.max === Infinity ? `at least ${def.inputs.min}` : `${def.inputs.min} to ${def.inputs.max}`;
    return error('GN0108', `\`${def.kind}\` takes ${want} input${def.inputs.max === 1 ? '' : 's'}, got ${got}`, stage.span, {
      help: def.inputs.min > 1 ? `e.g. \`x -> ${def.kind}(other)\` or \`${def.kind}(a, b)\`` : 'it consumes the incoming value only',
    });
  }

  private unknownBlock(stage: Stage, body: Body): Value {
    const span = stage.nameSpan;
    // A failed whole-file import already explained why its blocks are missing.
    if (body.scope.incomplete) return POISONED_TENSOR;
    if (this.evalCtx(body).unknownName!(stage.name, span)) return ERROR;
    const candidates = [...Object.keys(BLOCKS), ...body.scope.names()];
    const suggestion = closestName(stage.name, candidates);
    this.accept(error('GN0101', `unknown block or value \`${stage.name}\``, span, {
      label: 'not a built-in block, a block of this file or a value in scope',
      help: suggestion ? `did you mean \`${suggestion}\`?` : 'run `gnet blocks` for the built-in blocks, or import a file that defines it',
    }));
    return ERROR;
  }

  private userBlock(decl: BlockDecl, closure: Scope, stage: Stage, args: EvaluatedArg[], body: Body, incoming: Value | undefined, nodeName?: string, sharedKey?: string): Value {
    if (this.callStack.includes(decl.name) || this.callStack.length >= MAX_CALL_DEPTH) {
      const cycle = [...this.callStack.slice(this.callStack.indexOf(decl.name)), decl.name].join(' → ');
      this.accept(this.callStack.includes(decl.name)
        ? error('GN0207', `block \`${decl.name}\` calls itself (${cycle})`, stage.span, { help: 'blocks cannot be recursive; repeat with `* n` or a `for` loop' })
        : error('GN0208', `block calls nested more than ${MAX_CALL_DEPTH} deep`, stage.span));
      return POISONED_TENSOR;
    }
    // Its header has a syntax error (already reported): its parameters are not known, so neither is the call.
    if (decl.broken === 'header' && !this.lenient) return POISONED_TENSOR;
    const scope = new Scope(closure);
    if (!this.bindParams(decl.params, args, scope, stage.span, undefined, decl.name)) return POISONED_TENSOR;
    if (incoming) scope.define('in', { kind: 'value', value: incoming, span: stage.span, implicit: true });
    const frame = sharedKey
      ? body.frame.child(nodeName ?? decl.name, { key: sharedKey, depth: body.frame.path.length + 1 }, stage.span)
      : body.frame.child(nodeName ?? decl.name, undefined, stage.span);
    this.callStack.push(decl.name);
    try {
      const out = this.body(decl.body, { kind: 'block', scope, frame, later: new Map(), tainted: decl.broken !== undefined }, incoming);
      if (!out) {
        this.accept(error('GN0206', `block \`${decl.name}\` produces no value`, decl.nameSpan, { help: 'end its body with a pipeline' }));
        return ERROR;
      }
      return out;
    } finally {
      this.callStack.pop();
    }
  }

  /** Binds call arguments (or network overrides) to declared parameters; defaults see earlier parameters. */
  private bindParams(
    params: BlockDecl['params'],
    args: readonly EvaluatedArg[],
    scope: Scope,
    callSpan: Span,
    overrides?: ReadonlyMap<string, number | string>,
    blockName?: string,
  ): boolean {
    let ok = true;
    const given = new Map<string, Value>();
    let positional = 0;
    for (const { arg, value } of args) {
      const name = arg.name ?? params[positional++]?.name;
      const param = params.find((p) => p.name === name);
      if (!param || name === undefined) {
        const suggestion = arg.name ? closestName(arg.name, params.map((p) => p.name)) : undefined;
        this.accept(arg.name
          ? error('GN0102', `block \`${blockName}\` has no parameter \`${arg.name}\``, arg.nameSpan ?? arg.span, { help: suggestion ? `did you mean \`${suggestion}\`?` : `its parameters: ${params.map((p) => p.name).join(', ') || 'none'}` })
          : error('GN0106', `block \`${blockName}\` takes ${params.length} argument${params.length === 1 ? '' : 's'}`, arg.span));
        ok = false;
        continue;
      }
      if (given.has(name)) {
        this.accept(error('GN0105', `argument \`${name}\` is given twice`, arg.span));
        ok = false;
        continue;
      }
      given.set(name, value);
    }
    for (const [name, v] of overrides ?? []) given.set(name, typeof v === 'number' ? { kind: 'number', value: v } : { kind: 'word', value: v, span: callSpan });
    for (const p of params) {
      let v = given.get(p.name);
      if (v === undefined) {
        if (!p.default) {
          this.accept(error('GN0103', `${blockName ? `block \`${blockName}\`` : 'the network'} needs the argument \`${p.name}\``, callSpan, {
            secondary: [{ span: p.span, label: 'declared here' }],
            help: blockName ? undefined : `give it a default (\`${p.name} = 16\`) or pass \`--param ${p.name}=16\``,
          }));
          ok = false;
          scope.define(p.name, { kind: 'value', value: ERROR, span: p.span });
          continue;
        }
        v = evaluate(p.default, { scope, accept: this.accept, uses: this.uses });
      }
      if (v.kind === 'word') v = { kind: 'string', value: v.value };
      scope.define(p.name, { kind: 'value', value: v, span: p.span });
    }
    return ok;
  }
}

/** The `on = "name"` arguments of a loss (`crossentropy(on = "aux")`, or a list of terms). */
function lossTargets(e: Expr): { name: string; span: Span }[] {
  if (e.kind === 'list') return e.items.flatMap(lossTargets);
  if (e.kind !== 'call') return [];
  return e.args.flatMap((a) => (a.name === 'on' && a.value.kind === 'string' ? [{ name: a.value.value, span: a.value.span }] : []));
}

/** Names a statement binds in its body (assignments, outputs, shared instances, nested blocks, inside `if`). */
function assignedNames(s: Stmt): [string, Span][] {
  switch (s.kind) {
    case 'assign':
    case 'input':
    case 'shared':
    case 'let':
      return [[s.name, s.nameSpan]];
    case 'output':
      return s.pipeline ? [[s.name, s.nameSpan]] : [];
    case 'block':
      return [[s.decl.name, s.decl.nameSpan]];
    case 'if':
      return [...s.then, ...s.otherwise].flatMap(assignedNames);
    default:
      return [];
  }
}
