/**
 * The live report: the table of `gnet report` with frames folded and unfolded by a click (in a box
 * that scrolls inside itself, its header kept in view), the totals, the budgets with pass / fail,
 * and two networks side by side.
 */
import { HEADERS } from '../../compiler/report/cells.js';
import type { NetworkReport, PageComparison, PageRow } from './protocol.js';

const BUDGET_LINE = /^[✓✗?] budget /;
const RIGHT_ALIGNED = new Set(['Params (train / fixed)', 'Share', 'MACs', 'Activations']);

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const groupDigits = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

export class ReportView {
  /** Frames the user folded, by full name; kept across edits. */
  private readonly folded = new Set<string>();
  private report: NetworkReport | undefined;

  constructor(private readonly root: HTMLElement) {}

  show(report: NetworkReport): void {
    const first = this.report === undefined || this.report.name !== report.name;
    this.report = report;
    // A large network opens with its top-level blocks folded, as `gnet report --depth 1` would show it.
    if (first && report.rows.length > 120) this.foldAll();
    else this.render();
  }

  foldAll(): void {
    for (const row of this.report?.rows ?? []) if (row.kind !== 'node') this.folded.add(row.name);
    this.render();
  }

  unfoldAll(): void {
    this.folded.clear();
    this.render();
  }

  private render(): void {
    const report = this.report;
    if (!report) return;
    const t = report.json.totals;
    const figure = (label: string, id: string, value: string) => element('div', {}, [element('dt', {}, [label]), element('dd', { id }, [value])]);
    const totals = element('dl', { id: 'totals', className: 'totals' }, [
      figure('Trainable', 'total-trainable', groupDigits(t.trainable)),
      figure('Non-trainable', 'total-non-trainable', groupDigits(t.nonTrainable)),
      figure('Multiply-adds', 'total-macs', groupDigits(t.macs)),
      figure('Activations (batch 1)', 'total-activations', `${groupDigits(t.activationBytes)} B`),
    ]);
    Object.assign(totals.dataset, { trainable: String(t.trainable), nonTrainable: String(t.nonTrainable), macs: String(t.macs), activationBytes: String(t.activationBytes) });
    // summaryLines writes one line per budget, in the order of the JSON's budgets.
    const budgetLines = report.summary.filter((s) => BUDGET_LINE.test(s));
    const budgets = element('ul', { id: 'budgets', className: 'budgets' },
      report.json.budgets.map((b, i) => {
        const line = budgetLines[i] ?? `budget ${b.metric} ${b.op} ${b.limit}`;
        const item = element('li', { className: `budget ${b.status}` }, [line]);
        item.dataset.status = b.status;
        item.dataset.index = String(i);
        return item;
      }));
    const summary = element('ul', { className: 'summary' }, report.summary.filter((s) => !BUDGET_LINE.test(s)).map((s) => element('li', {}, [s])));
    const tools = element('p', { className: 'table-tools' }, [
      button('Fold all', () => this.foldAll()), ' ', button('Unfold all', () => this.unfoldAll()),
    ]);
    const scroller = element('div', { className: 'table-scroll', tabIndex: 0 }, [this.table(report)]);
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', `report table of ${report.name}`);
    // Folding redraws the table: keep its scroll position.
    const before = this.root.querySelector('.table-scroll');
    const [top, left] = [before?.scrollTop ?? 0, before?.scrollLeft ?? 0];
    this.root.replaceChildren(
      element('p', { className: 'report-header' }, [report.header.join(' — ')]),
      totals,
      budgets,
      summary,
      tools,
      scroller,
    );
    Object.assign(scroller, { scrollTop: top, scrollLeft: left });
  }

  private table(report: NetworkReport): HTMLTableElement {
    const head = element('thead', {}, [element('tr', {}, HEADERS.map((h) => element('th', { className: RIGHT_ALIGNED.has(h) ? 'num' : '' }, [h])))]);
    const body = element('tbody');
    let hiddenBelow = Infinity;
    for (const row of report.rows) {
      if (row.depth > hiddenBelow) continue;
      hiddenBelow = Infinity;
      const folded = row.kind !== 'node' && this.folded.has(row.name);
      if (folded) hiddenBelow = row.depth;
      body.append(this.row(row, folded));
    }
    const total = element('tr', { className: 'total' }, report.total.map((c, i) => element('td', { className: RIGHT_ALIGNED.has(HEADERS[i]!) ? 'num' : '' }, [c])));
    return element('table', { id: 'report-table', className: 'report' }, [head, body, element('tfoot', {}, [total])]);
  }

  private row(row: PageRow, folded: boolean): HTMLTableRowElement {
    const tr = element('tr', { className: row.kind === 'node' ? 'node' : 'frame' });
    tr.dataset.name = row.name;
    tr.dataset.depth = String(row.depth);
    row.cells.forEach((cell, i) => {
      const td = element('td', { className: RIGHT_ALIGNED.has(HEADERS[i]!) ? 'num' : '' });
      if (i === 0) {
        td.style.paddingLeft = `${0.4 + row.depth * 1.1}rem`;
        if (row.kind === 'node') td.append(cell);
        else {
          // rowCells marks frames ▾ / ▸ by `gnet report`'s depth; the page marks them by its own folding.
          const label = cell.replace(/^[▾▸] /, '');
          const fold = button(`${folded ? '▸' : '▾'} ${label}`, () => this.toggle(row.name), 'fold');
          fold.setAttribute('aria-expanded', String(!folded));
          td.append(fold);
          tr.dataset.folded = String(folded);
        }
      } else td.append(cell);
      tr.append(td);
    });
    return tr;
  }

  private toggle(name: string): void {
    if (!this.folded.delete(name)) this.folded.add(name);
    this.render();
    // The redrawn button takes the focus the clicked one had.
    (this.root.querySelector(`tr[data-name="${CSS.escape(name)}"] button.fold`) as HTMLElement | null)?.focus();
  }
}

function button(text: string, onClick: () => void, className = ''): HTMLButtonElement {
  const b = element('button', { type: 'button', className }, [text]);
  b.addEventListener('click', onClick);
  return b;
}

/** Two networks side by side: the totals of `gnet report a b`, then parameters and MACs by op. */
export function renderComparison(root: HTMLElement, comparison: PageComparison | undefined): void {
  if (!comparison) {
    root.replaceChildren();
    return;
  }
  const head = element('thead', {}, [element('tr', {}, ['', ...comparison.networks].map((n) => element('th', {}, [n])))]);
  const rows = [
    ...comparison.totals.map((r) => element('tr', {}, [element('th', {}, [r.label]), ...r.values.map((v) => element('td', { className: 'num' }, [v]))])),
    element('tr', { className: 'section' }, [element('th', { colSpan: comparison.networks.length + 1 }, ['By op'])]),
    ...comparison.kinds.map((k) => element('tr', {}, [element('th', {}, [k.op]), ...k.cells.map((v) => element('td', { className: 'num' }, [v]))])),
  ];
  root.replaceChildren(element('table', { id: 'comparison-table', className: 'report' }, [head, element('tbody', {}, rows)]));
}
