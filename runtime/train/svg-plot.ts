/**
 * Line plots as inline SVG for the offline report.html: no installed package draws charts without a
 * browser or a canvas, and a self-contained report cannot load a charting script from a CDN.
 * Axes get "nice" 1-2-5 ticks labelled with as many digits as their spacing needs; the legend sits
 * above the frame, never on the data; points that are not finite numbers are skipped.
 */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number | null])[];
  /** A dot on every point; by default only while there are few enough to tell apart. */
  readonly dots?: boolean;
}

/** A dashed vertical line across the frame at `x` (an epoch's end), labelled at its top. */
export interface PlotMarker {
  readonly x: number;
  readonly label: string;
}

export interface PlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
  /** Ticks on whole numbers only (epochs). */
  readonly integerX?: boolean;
  /** The x axis spans at least this range (a run's planned steps), not only the data so far. */
  readonly xRange?: readonly [number, number];
  readonly markers?: readonly PlotMarker[];
  /** What the plot shows in words: its accessible name (role="img"), for readers that cannot see it. */
  readonly description?: string;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const MARGIN = { left: 64, right: 16, top: 28, bottom: 40 };
/** The legend's rows sit between the title and the frame. */
const LEGEND_ROW = 16;
/** Rough width of one character at the plot's 11 px font, for laying out the legend. */
const CHAR_WIDTH = 6.2;
/** Data keeps this far inside the frame, so points at the ends of the range are not cut by it. */
const INSET = 6;
/** More points than this in a series and its dots would merge into a thick line. */
const MAX_DOTS = 60;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` ticks at 1, 2 or 5 × 10^k spacing covering [low, high]; `integer`: a spacing of at least 1. */
export function niceTicks(low: number, high: number, count = 5, integer = false): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const step = Math.max(integer ? 1 : 0, (ratio < 1.5 ? 1 : ratio < 3 ? 2 : ratio < 7 ? 5 : 10) * power);
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step - 1e-9) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Tick labels with the fewest digits that still tell neighbours apart (0.81, 0.82 rather than 0.8,
 * 0.8): fixed-point to the tick spacing's decimal, or exponents for very large or small values.
 */
export function tickLabels(ticks: readonly number[]): string[] {
  const distinct = (labels: string[]) => new Set(labels).size === labels.length;
  const largest = Math.max(...ticks.map(Math.abs));
  const spacing = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : largest || 1;
  if (largest < 1e5 && (largest >= 1e-3 || largest === 0)) {
    for (let decimals = Math.max(0, -Math.floor(Math.log10(spacing) + 1e-9)); decimals <= 12; decimals++) {
      const labels = ticks.map((t) => t.toFixed(decimals));
      if (distinct(labels)) return labels;
    }
  }
  for (let digits = 0; digits <= 12; digits++) {
    const labels = ticks.map((t) => (t === 0 ? '0' : t.toExponential(digits)));
    if (distinct(labels)) return labels;
  }
  return ticks.map(String);
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
  const legend = legendLayout(options.series.map((s) => s.name), width - MARGIN.left - MARGIN.right);
  const top = MARGIN.top + legend.rows * LEGEND_ROW;
  const finite = options.series.map((s) => s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]) && Number.isFinite(p[0])));
  const [x0, x1] = extent([...finite.flat().map((p) => p[0]), ...(options.xRange ?? [])]);
  const [y0, y1] = extent(finite.flat().map((p) => p[1]));
  const xTicks = niceTicks(x0, x1, 5, options.integerX);
  const yTicks = niceTicks(y0, y1);
  const [xLow, xHigh] = [Math.min(x0, xTicks[0]!), Math.max(x1, xTicks.at(-1)!)];
  const [yLow, yHigh] = [Math.min(y0, yTicks[0]!), Math.max(y1, yTicks.at(-1)!)];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + INSET + ((x - xLow) / (xHigh - xLow || 1)) * (plotW - 2 * INSET);
  const sy = (y: number) => top + plotH - INSET - ((y - yLow) / (yHigh - yLow || 1)) * (plotH - 2 * INSET);
  const [xLabels, yLabels] = [tickLabels(xTicks), tickLabels(yTicks)];
  const colour = (i: number) => PALETTE[i % PALETTE.length]!;
  const described = options.description === undefined ? '' : ` role="img" aria-label="${escapeXml(options.description)}"`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11"${described}>`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`,
    ...xTicks.map((t, i) => `<line x1="${sx(t).toFixed(1)}" y1="${top}" x2="${sx(t).toFixed(1)}" y2="${top + plotH}" stroke="#eee"/><text x="${sx(t).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${xLabels[i]}</text>`),
    ...yTicks.map((t, i) => `<line x1="${MARGIN.left}" y1="${sy(t).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${sy(t).toFixed(1)}" stroke="#eee"/><text x="${MARGIN.left - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${yLabels[i]}</text>`),
    `<rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(12 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    markersMarkup(options.markers ?? [], sx, top, plotH, [xLow, xHigh]),
    ...finite.map((points, i) => seriesMarkup(points, colour(i), sx, sy, options.series[i]!.dots ?? points.length <= MAX_DOTS)),
    ...options.series.map((s, i) => legendMarkup(s.name, colour(i), MARGIN.left + legend.at[i]!.x, MARGIN.top + legend.at[i]!.row * LEGEND_ROW + 10)),
    finite.every((p) => p.length === 0) ? `<text x="${MARGIN.left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#999">no data yet</text>` : '',
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

/** Legend entries left to right, wrapping onto a new row when `width` is used up. */
function legendLayout(names: readonly string[], width: number): { rows: number; at: { x: number; row: number }[] } {
  const at: { x: number; row: number }[] = [];
  let [x, row] = [0, 0];
  for (const name of names) {
    const entry = 20 + name.length * CHAR_WIDTH + 14;
    if (x > 0 && x + entry > width) [x, row] = [0, row + 1];
    at.push({ x, row });
    x += Math.ceil(entry);
  }
  return { rows: names.length === 0 ? 0 : row + 1, at };
}

function seriesMarkup(points: readonly [number, number][], color: string, sx: (x: number) => number, sy: (y: number) => number, withDots: boolean): string {
  const coords = points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
  const line = points.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="${withDots ? 2 : 1.5}" points="${coords.join(' ')}"/>` : '';
  // A lone point is drawn even without dots, or it would not show at all.
  const dots = withDots || points.length === 1 ? coords.map((c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2.5" fill="${color}"/>`) : [];
  return [line, ...dots].filter(Boolean).join('');
}

/** Dashed lines at the markers inside the x range; labels only where they do not run into the previous one. */
function markersMarkup(markers: readonly PlotMarker[], sx: (x: number) => number, top: number, plotH: number, [low, high]: readonly [number, number]): string {
  let labelledAt = MARGIN.left;
  return markers.filter((m) => m.x >= low && m.x <= high).map((m) => {
    const x = sx(m.x);
    const room = x - labelledAt > m.label.length * CHAR_WIDTH + 8;
    if (room) labelledAt = x;
    const label = room ? `<text x="${(x - 3).toFixed(1)}" y="${top + 11}" text-anchor="end" fill="#777" font-size="10">${escapeXml(m.label)}</text>` : '';
    return `<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${top + plotH}" stroke="#aaa" stroke-dasharray="3 3"/>${label}`;
  }).join('');
}

function legendMarkup(name: string, color: string, x: number, y: number): string {
  return `<line x1="${x}" y1="${y - 4}" x2="${x + 16}" y2="${y - 4}" stroke="${color}" stroke-width="2"/><text x="${x + 20}" y="${y}">${escapeXml(name)}</text>`;
}
