/**
 * Line plots as inline SVG for the offline report.html: no installed package draws charts without a
 * browser or a canvas, and a self-contained report cannot load a charting script from a CDN.
 * Axes get "nice" 1-2-5 ticks; points that are not finite numbers are skipped.
 */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number | null])[];
}

export interface PlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` ticks at 1, 2 or 5 × 10^k spacing covering [low, high]. */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const step = (ratio < 1.5 ? 1 : ratio < 3 ? 2 : ratio < 7 ? 5 : 10) * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step - 1e-9) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The data range, widened when flat so a constant series still gets an axis. */
export function extent(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (high > low) return [low, high];
  const pad = Math.abs(low) * 0.1 || 1;
  return [low - pad, high + pad];
}

export function linePlot(options: PlotOptions): string {
  const width = options.width ?? 480;
  const height = options.height ?? 280;
  const finite = options.series.map((s) => s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]) && Number.isFinite(p[0])));
  const [x0, x1] = extent(finite.flat().map((p) => p[0]));
  const [y0, y1] = extent(finite.flat().map((p) => p[1]));
  const xTicks = niceTicks(x0, x1);
  const yTicks = niceTicks(y0, y1);
  const [xLow, xHigh] = [Math.min(x0, xTicks[0]!), Math.max(x1, xTicks.at(-1)!)];
  const [yLow, yHigh] = [Math.min(y0, yTicks[0]!), Math.max(y1, yTicks.at(-1)!)];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xLow) / (xHigh - xLow || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - yLow) / (yHigh - yLow || 1)) * plotH;
  const fmt = (n: number) => Number(n.toPrecision(4)).toString();
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`,
    ...xTicks.map((t) => `<line x1="${sx(t).toFixed(1)}" y1="${MARGIN.top}" x2="${sx(t).toFixed(1)}" y2="${MARGIN.top + plotH}" stroke="#eee"/><text x="${sx(t).toFixed(1)}" y="${MARGIN.top + plotH + 14}" text-anchor="middle">${fmt(t)}</text>`),
    ...yTicks.map((t) => `<line x1="${MARGIN.left}" y1="${sy(t).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${sy(t).toFixed(1)}" stroke="#eee"/><text x="${MARGIN.left - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`),
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(12 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    ...finite.map((points, i) => seriesMarkup(points, PALETTE[i % PALETTE.length]!, sx, sy)),
    ...options.series.map((s, i) => legendMarkup(s.name, PALETTE[i % PALETTE.length]!, MARGIN.left + 8, MARGIN.top + 14 + 14 * i)),
    finite.every((p) => p.length === 0) ? `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#999">no data yet</text>` : '',
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

function seriesMarkup(points: readonly [number, number][], color: string, sx: (x: number) => number, sy: (y: number) => number): string {
  const coords = points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
  const line = points.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="2" points="${coords.join(' ')}"/>` : '';
  const dots = coords.map((c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2.5" fill="${color}"/>`);
  return [line, ...dots].filter(Boolean).join('');
}

function legendMarkup(name: string, color: string, x: number, y: number): string {
  return `<line x1="${x}" y1="${y - 4}" x2="${x + 16}" y2="${y - 4}" stroke="${color}" stroke-width="2"/><text x="${x + 20}" y="${y}">${escapeXml(name)}</text>`;
}
