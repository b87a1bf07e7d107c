import { error, type Accept, type Span } from '../diagnostics/diagnostic.js';
import { evaluate, MAX_INT, type EvalContext } from '../elaborate/evaluate.js';
import { Scope } from '../elaborate/scope.js';
import { trainValue } from '../elaborate/train-section.js';
import { describeValue, isPoisoned, type Value } from '../elaborate/values.js';
import type { TrainValue } from '../ir/ir.js';
import type { ExperimentDecl, Expr, SizeTable, TrainEntry } from '../syntax/ast.js';
import { closestName } from '../util/closest.js';
import type { Experiment } from './experiment.js';
import { ALL_EXPERIMENT_KEYS, EXPERIMENT_BACKENDS, EXPERIMENT_METRICS, EXPERIMENT_KEYS, PER_SIZE_KEYS, SET_PER_RUN, TRAIN_KEYS, type TrainKeyKind } from './keys.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Checks the experiment sections of one file against the networks it can name (its own and those
 * its imports name, each with the file declaring it): every key, value and network name, each
 * problem a diagnostic at its span. Returns the sections as plain data,
 * with what could not be read left out. A section with a syntax error is left to that error.
 */
export function checkExperiments(decls: readonly ExperimentDecl[], networks: ReadonlyMap<string, string>, accept: Accept, textDropped = false): Experiment[] {
  const names = new Map<string, Span>();
  const out: Experiment[] = [];
  for (const decl of decls) {
    if (decl.broken) continue;
    const first = names.get(decl.name);
    if (first) {
      const what = decl.name ? `experiment \`${decl.name}\` is` : 'an experiment without a name is';
      accept(error('GN0211', `${what} declared twice in this file`, decl.nameSpan, {
        secondary: [{ span: first, label: 'first declared here' }],
        help: decl.name ? 'rename one of them' : 'name them: `experiment Small { … }`, then pick one with `--experiment Small`',
      }));
    } else names.set(decl.name, decl.nameSpan);
    out.push(new SectionChecker(decl, networks, accept, textDropped).check());
  }
  return out;
}

class SectionChecker {
  private readonly ctx: EvalContext;
  private readonly result: Mutable<Experiment>;
  private readonly names: readonly string[];

  constructor(
    private readonly decl: ExperimentDecl,
    private readonly networks: ReadonlyMap<string, string>,
    private readonly accept: Accept,
    /** Part of the file did not parse: an unknown network may be declared there. */
    private readonly textDropped: boolean,
  ) {
    this.names = [...networks.keys()];
    // No names are in scope: a bare word (a network, `all`, `accuracy`) stays a word.
    this.ctx = { scope: new Scope(), accept };
    this.result = { name: decl.name, file: decl.span.file, span: decl.span, trainOverrides: {} };
  }

  check(): Experiment {
    const seen = new Map<string, Span>();
    const overrides: Record<string, TrainValue> = {};
    const tables: TrainEntry[] = [];
    for (const entry of this.decl.entries) {
      const { key, keySpan, value } = entry;
      const first = seen.get(key);
      if (first) {
        this.accept(error('GN0725', `\`${key}\` is set twice in this experiment`, keySpan, {
          label: 'set again here',
          secondary: [{ span: first, label: 'first set here' }],
          help: 'keep one of the two lines',
        }));
        continue;
      }
      seen.set(key, keySpan);
      if (entry.bySize) {
        if (this.perSizeKey(key, keySpan, entry.bySize)) tables.push(entry);
      } else if (Object.hasOwn(EXPERIMENT_KEYS, key)) this.own(key, value);
      else if (Object.hasOwn(SET_PER_RUN, key)) {
        this.accept(error('GN0721', `\`${key}\` cannot be set in an experiment`, keySpan, { label: 'set per run', help: SET_PER_RUN[key] }));
      } else if (Object.hasOwn(TRAIN_KEYS, key)) {
        const v = this.trainOverride(TRAIN_KEYS[key]!, key, value);
        if (v !== undefined) overrides[key] = v;
      } else this.unknownKey(key, keySpan);
    }
    this.result.trainOverrides = overrides;
    const bySize = Object.fromEntries(tables.flatMap((t) => {
      const values = this.sizeTable(t.key, t.bySize!);
      return values ? [[t.key, values]] : [];
    }));
    if (Object.keys(bySize).length > 0) this.result.trainBySize = bySize;
    return this.result;
  }

  /** Whether `key` may be written per training-set size; GN0726 when it may not. */
  private perSizeKey(key: string, span: Span, table: SizeTable): boolean {
    if ((PER_SIZE_KEYS as readonly string[]).includes(key)) return true;
    const why = Object.hasOwn(EXPERIMENT_KEYS, key) || Object.hasOwn(SET_PER_RUN, key)
      ? 'it is the same for every run of the experiment'
      : key === 'validation_split' ? 'the validation images are drawn once for every size, so that all sizes train on one pool' : 'only the training length and its watch vary per size';
    this.accept(error('GN0726', `\`${key}\` cannot be given per training-set size: ${why}`, table.span, {
      label: 'a table per training-set size',
      secondary: [{ span, label: 'this setting' }],
      help: `write one value (\`${key} = …\`); per size: ${PER_SIZE_KEYS.join(', ')}`,
    }));
    return false;
  }

  /**
   * A table's rows as size label → value, each size a training-set size of this experiment (when the
   * section lists them) and each of those sizes given: undefined after any problem.
   */
  private sizeTable(key: string, table: SizeTable): Record<string, TrainValue> | undefined {
    if (table.rows.length === 0) {
      this.accept(error('GN0727', `\`${key}\` has no value for any training-set size`, table.span, {
        label: 'no rows',
        help: `give a row per size (\`${key} = { 1000: …, all: … }\`), or one value for every size (\`${key} = …\`)`,
      }));
      return undefined;
    }
    const values: Record<string, TrainValue> = {};
    const spans = new Map<string, Span>();
    let ok = true;
    let unreadable = false;
    for (const row of table.rows) {
      const size = row.size === 'all' || (typeof row.size === 'number' && Number.isInteger(row.size) && row.size >= 1 && row.size <= MAX_INT) ? String(row.size) : undefined;
      if (size === undefined) {
        const near = typeof row.size === 'string' ? closestName(row.size, ['all']) : undefined;
        this.accept(error('GN0729', `\`${row.size}\` is not a training-set size`, row.sizeSpan, {
          label: 'not a size',
          help: near ? 'did you mean `all`?' : 'write a whole number of images ≥ 1, or `all`, before each `:`',
        }));
        ok = false;
        unreadable = true;
        continue;
      }
      const first = spans.get(size);
      if (first) {
        this.accept(error('GN0725', `training-set size ${size} is given twice in \`${key}\``, row.sizeSpan, { label: 'given again', secondary: [{ span: first, label: 'first given here' }], help: 'keep one of the two rows' }));
        ok = false;
        continue;
      }
      spans.set(size, row.sizeSpan);
      const value = this.trainOverride(TRAIN_KEYS[key]!, key, row.value);
      if (value === undefined) ok = false;
      else values[size] = value;
    }
    const sizes = this.result.trainSizes?.map(String);
    if (sizes === undefined) return ok ? values : undefined;
    for (const [size, span] of spans) {
      if (sizes.includes(size)) continue;
      const near = closestName(size, sizes);
      this.accept(error('GN0728', `\`${key}\` gives training-set size ${size}, which this experiment does not train`, span, {
        label: 'not in train_sizes',
        help: `${near ? `did you mean ${near}? ` : ''}the sizes are ${sizes.join(', ')}; remove the row, or add ${size} to \`train_sizes\``,
      }));
      ok = false;
    }
    // A row whose size could not be read may be the missing one: that error says enough.
    const missing = unreadable ? [] : sizes.filter((size) => !spans.has(size));
    if (missing.length > 0) {
      this.accept(error('GN0727', `\`${key}\` has no value for training-set size${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, table.span, {
        label: 'missing a size',
        help: `add ${missing.map((size) => `\`${size}: …\``).join(', ')}: every size of \`train_sizes\` needs its value`,
      }));
      ok = false;
    }
    return ok ? values : undefined;
  }

  private unknownKey(key: string, span: Span): void {
    const near = closestName(key, ALL_EXPERIMENT_KEYS);
    this.accept(error('GN0721', `unknown experiment setting \`${key}\``, span, {
      label: 'not a setting',
      help: near ? `did you mean \`${near}\`?` : `an experiment sets ${Object.keys(EXPERIMENT_KEYS).join(', ')}, or any key of a train section`,
    }));
  }

  private own(key: string, e: Expr): void {
    const r = this.result;
    switch (key) {
      case 'networks':
        r.networks = this.networkList(e);
        if (r.networks) r.networkFiles = Object.fromEntries(r.networks.map((n) => [n, this.networks.get(n)!]));
        break;
      case 'train_sizes': r.trainSizes = this.sizeList(e); break;
      case 'seeds': r.seeds = this.count(e, 'seeds', 'the number of seeds'); break;
      case 'jobs': r.jobs = this.count(e, 'jobs', 'the number of runs that train at once'); break;
      case 'workers': r.workers = this.count(e, 'workers', 'the number of torch processes per run'); break;
      case 'data': r.data = this.text(e, 'data', true); break;
      case 'out': r.out = this.text(e, 'out', false); break;
      case 'metric': r.metric = this.choice(e, 'metric', EXPERIMENT_METRICS); break;
      case 'backend': r.backend = this.choice(e, 'backend', EXPERIMENT_BACKENDS); break;
    }
  }

  /** A value of the wrong kind; silent when an earlier error already explains it. */
  private wrongType(key: string, expected: string, v: Value, span: Span, help?: string): undefined {
    if (!isPoisoned(v)) this.accept(error('GN0722', `\`${key}\` must be ${expected}, got ${describeValue(v)}`, span, { label: 'wrong type', ...(help ? { help } : {}) }));
    return undefined;
  }

  private outOfRange(key: string, message: string, span: Span, help: string): undefined {
    this.accept(error('GN0724', `\`${key}\`: ${message}`, span, { label: 'out of range', help }));
    return undefined;
  }

  /** One item or a list of items, each with its own span; an empty list is reported. */
  private items(e: Expr, key: string, example: string): readonly Expr[] | undefined {
    if (e.kind !== 'list') return [e];
    if (e.items.length === 0) return this.outOfRange(key, 'the list is empty', e.span, `list at least one, e.g. \`${key} = ${example}\``);
    return e.items;
  }

  private networkList(e: Expr): string[] | undefined {
    const items = this.items(e, 'networks', `[${this.names.slice(0, 2).join(', ') || 'Net'}]`);
    if (!items) return undefined;
    const names: string[] = [];
    const seen = new Map<string, Span>();
    for (const item of items) {
      if (item.kind !== 'ref') {
        const v = evaluate(item, this.ctx);
        const help = v.kind === 'string' && /^[A-Za-z_]\w*$/.test(v.value) ? `write the name without quotes: \`${v.value}\`` : undefined;
        this.wrongType('networks', 'network names', v, item.span, help);
        continue;
      }
      const first = seen.get(item.name);
      if (first) {
        this.accept(error('GN0725', `network \`${item.name}\` is listed twice`, item.span, { label: 'listed again', secondary: [{ span: first, label: 'first listed here' }], help: 'list each network once; `seeds` repeats its runs' }));
        continue;
      }
      seen.set(item.name, item.span);
      if (!this.networks.has(item.name)) {
        if (this.textDropped) continue;
        const near = closestName(item.name, this.names);
        this.accept(error('GN0723', `no network \`${item.name}\` in this file or its imports`, item.span, {
          label: 'unknown network',
          help: near ? `did you mean \`${near}\`?` : `networks here: ${this.names.join(', ') || 'none; declare one with `network Name { … }` or import one'}`,
        }));
        continue;
      }
      names.push(item.name);
    }
    return names.length === items.length ? names : undefined;
  }

  private sizeList(e: Expr): (number | 'all')[] | undefined {
    const items = this.items(e, 'train_sizes', '[1000, all]');
    if (!items) return undefined;
    const sizes: (number | 'all')[] = [];
    const seen = new Map<number | 'all', Span>();
    for (const item of items) {
      const size = this.size(item);
      if (size === undefined) continue;
      const first = seen.get(size);
      if (first) {
        this.accept(error('GN0725', `training-set size ${size} is listed twice`, item.span, { label: 'listed again', secondary: [{ span: first, label: 'first listed here' }], help: 'list each size once' }));
        continue;
      }
      seen.set(size, item.span);
      sizes.push(size);
    }
    return sizes.length === items.length ? sizes : undefined;
  }

  private size(item: Expr): number | 'all' | undefined {
    const v = evaluate(item, this.ctx);
    if (v.kind === 'word') {
      if (v.value === 'all') return 'all';
      return this.wrongType('train_sizes', 'numbers of images or `all`', v, item.span, closestName(v.value, ['all']) ? 'did you mean `all`?' : undefined);
    }
    if (v.kind !== 'number') return this.wrongType('train_sizes', 'numbers of images or `all`', v, item.span);
    if (!Number.isInteger(v.value) || v.value < 1 || v.value > MAX_INT) {
      return this.outOfRange('train_sizes', `a training-set size is a whole number of images ≥ 1, got ${v.value}`, item.span, 'write a positive whole number, or `all` for the whole training pool');
    }
    return v.value;
  }

  /** A positive integer: `seeds`, `jobs`, `workers`. */
  private count(e: Expr, key: string, what: string): number | undefined {
    const v = evaluate(e, this.ctx);
    if (v.kind !== 'number') return this.wrongType(key, 'a positive whole number', v, e.span);
    if (!Number.isInteger(v.value) || v.value < 1 || v.value > MAX_INT) {
      return this.outOfRange(key, `${what} is a whole number ≥ 1, got ${v.value}`, e.span, `write e.g. \`${key} = ${key === 'seeds' ? 3 : 2}\``);
    }
    return v.value;
  }

  /** A string (`data` also takes a bare word, as a train section does). */
  private text(e: Expr, key: string, wordToo: boolean): string | undefined {
    const v = evaluate(e, this.ctx);
    if ((v.kind === 'string' || (wordToo && v.kind === 'word')) && v.value.length > 0) return v.value;
    const example = key === 'data' ? '"fashion-mnist"' : '"runs/table1"';
    return this.wrongType(key, 'a non-empty string', v, e.span, `e.g. \`${key} = ${example}\``);
  }

  /** One of a few bare words (`metric = accuracy`); a string of one is accepted too. */
  private choice(e: Expr, key: string, valid: readonly string[]): string | undefined {
    const v = evaluate(e, this.ctx);
    if (v.kind !== 'word' && v.kind !== 'string') return this.wrongType(key, `one of ${valid.join(', ')}`, v, e.span);
    if (valid.includes(v.value)) return v.value;
    const near = closestName(v.value, valid);
    this.accept(error('GN0722', `\`${key}\` must be one of ${valid.join(', ')}, got \`${v.value}\``, e.span, {
      label: `unknown ${key}`,
      help: near ? `did you mean \`${near}\`?` : `write one of ${valid.join(', ')}`,
    }));
    return undefined;
  }

  /** A train-section key: kept as that section gives it, after the checks that need no training runtime. */
  private trainOverride(kind: TrainKeyKind, key: string, e: Expr): TrainValue | undefined {
    const v = evaluate(e, this.ctx);
    if (isPoisoned(v)) return undefined;
    switch (kind) {
      case 'bool':
        if (v.kind !== 'bool') return this.wrongType(key, '`true` or `false`', v, e.span);
        break;
      case 'number':
        if (v.kind !== 'number') return this.wrongType(key, 'a number', v, e.span);
        break;
      case 'positive-int':
      case 'non-negative-int': {
        if (v.kind !== 'number') return this.wrongType(key, 'a whole number', v, e.span);
        const min = kind === 'positive-int' ? 1 : 0;
        if (!Number.isInteger(v.value) || v.value < min || v.value > MAX_INT) {
          return this.outOfRange(key, `must be a whole number ≥ ${min}, got ${v.value}`, e.span, `write e.g. \`${key} = ${Math.max(min, 1) * 10}\``);
        }
        break;
      }
      case 'any':
        break;
    }
    return trainValue(v, e.span, this.ctx);
  }
}
