/**
 * The graph tab: the picked network as boxes (its blocks at the chosen depth) joined by arrows
 * labelled with the shapes that flow along them, skips as brackets on the right. Each box is a
 * button: a click, Enter or Space puts the editor's cursor on the spec line it comes from. Drawn
 * only while the tab shows, and again when the box it sits in changes width.
 */
import { graphBoxes, graphDepth, type GraphBox } from '../../compiler/report/graph.js';
import { layoutGraph, shapeText } from './graph-layout.js';
import type { NetworkReport } from './protocol.js';

/** More boxes than this are not drawn (a deeper view of a huge network); the note says how many. */
const MAX_BOXES = 400;
const SVG = 'http://www.w3.org/2000/svg';

export class GraphView {
  private report: NetworkReport | undefined;
  private path = '';
  private depth: number | undefined;
  private shown = false;
  private drawn = '';
  private frame = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly tools: HTMLElement,
    private readonly jump: (offset: number) => void,
  ) {
    new ResizeObserver(() => this.later()).observe(root);
  }

  show(report: NetworkReport | undefined, path: string): void {
    if (report?.name !== this.report?.name) this.depth = undefined;
    this.report = report;
    this.path = path;
    this.later();
  }

  visible(shown: boolean): void {
    this.shown = shown;
    this.later();
  }

  private later(): void {
    if (this.frame || !this.shown) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const report = this.report;
    const width = this.root.clientWidth;
    if (!report || width === 0) return;
    const deepest = graphDepth(report.graph);
    const depth = Math.min(this.depth ?? firstUsefulDepth(report, deepest), deepest);
    const key = JSON.stringify([report.name, report.graph.length, report.json.totals, depth, width, this.path, report.graph.map((n) => n.span.start)]);
    if (key === this.drawn) return;
    this.drawn = key;
    const all = graphBoxes(report.graph, depth);
    const boxes = all.slice(0, MAX_BOXES);
    this.drawTools(report, depth, deepest, all);
    const layout = layoutGraph(boxes, width);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', String(layout.width));
    svg.setAttribute('height', String(layout.height));
    svg.setAttribute('aria-hidden', 'true');
    svg.innerHTML = `<defs><marker id="graph-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#64748b"/></marker></defs>`;
    for (const edge of layout.edges) {
      const line = document.createElementNS(SVG, 'path');
      line.setAttribute('d', edge.path);
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', edge.kind === 'skip' ? '#2563eb' : '#64748b');
      line.setAttribute('stroke-width', '1.5');
      line.setAttribute('marker-end', 'url(#graph-arrow)');
      line.dataset.from = String(edge.from);
      line.dataset.to = String(edge.to);
      line.dataset.kind = edge.kind;
      const label = document.createElementNS(SVG, 'text');
      label.textContent = edge.label;
      label.setAttribute('font-size', '10');
      label.setAttribute('font-family', 'ui-monospace, monospace');
      label.setAttribute('fill', edge.kind === 'skip' ? '#1d4ed8' : '#475569');
      const { x, y, vertical } = edge.labelAt;
      if (vertical) {
        label.setAttribute('transform', `translate(${x} ${y}) rotate(-90)`);
        label.setAttribute('text-anchor', 'middle');
      } else {
        label.setAttribute('x', String(x));
        label.setAttribute('y', String(y));
      }
      svg.append(line, label);
    }
    const buttons = boxes.map((box, i) => this.button(box, layout.boxes[i]!, boxes));
    this.root.style.height = `${layout.height}px`;
    this.root.replaceChildren(svg, ...buttons);
  }

  private button(box: GraphBox, rect: { x: number; y: number; width: number; height: number }, boxes: readonly GraphBox[]): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `graph-box ${box.kind}`;
    Object.assign(b.style, { left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    b.dataset.name = box.name;
    const name = Object.assign(document.createElement('span'), { className: 'name', textContent: box.label });
    const ops = Object.assign(document.createElement('span'), { className: 'ops', textContent: `${box.ops} → ${shapeText(box.shape)}` });
    b.append(name, ' ', ops);
    const from = box.inputs.map((e) => `${boxes[e.from]?.name ?? '?'} (${shapeText(e.shape)})`).join(', ');
    const here = box.span.file === this.path;
    b.title = `${box.name}: ${box.ops}, output ${shapeText(box.shape)}${from ? `; reads ${from}` : ''}; ${here ? 'click to go to its line' : `defined in ${box.span.file.replace(/^\/specs\//, '')}`}`;
    b.addEventListener('click', () => {
      if (here) this.jump(box.span.start);
      else this.note(`${box.name} comes from ${box.span.file.replace(/^\/specs\//, '')}, not the file in the editor`);
    });
    return b;
  }

  private drawTools(report: NetworkReport, depth: number, deepest: number, boxes: readonly GraphBox[]): void {
    const buttons = Array.from({ length: deepest }, (_, i) => {
      const d = i + 1;
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = d === 1 ? 'blocks' : d === deepest ? 'all nodes' : `depth ${d}`;
      b.setAttribute('aria-pressed', String(d === depth));
      b.addEventListener('click', () => {
        this.depth = d;
        this.later();
      });
      return b;
    });
    const skips = boxes.reduce((n, box, i) => n + box.inputs.filter((e) => e.from !== i - 1).length, 0);
    const cut = boxes.length > MAX_BOXES ? ` (the first ${MAX_BOXES} drawn: pick a smaller depth)` : '';
    const summary = document.createElement('span');
    summary.id = 'graph-summary';
    summary.textContent = `${report.name}: ${boxes.length} boxes, ${skips} skip${skips === 1 ? '' : 's'}${cut}; a box goes to its line in the spec.`;
    this.tools.replaceChildren('show ', ...buttons.flatMap((b) => [b, ' ']), summary);
  }

  private note(text: string): void {
    const summary = document.getElementById('graph-summary');
    if (summary) summary.textContent = text;
  }
}

/** Top-level blocks, or deeper while that gives fewer than 4 boxes (a network written as one pipeline). */
function firstUsefulDepth(report: NetworkReport, deepest: number): number {
  let depth = 1;
  while (depth < deepest && graphBoxes(report.graph, depth).length < 4) depth++;
  return depth;
}
