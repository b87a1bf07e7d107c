import { PALETTE, escapeXml, extent, niceTicks, tickLabels } from '../train/svg-plot.js';

/**
 * The metric against the training-set size as inline SVG: one line per network, error bars of ±
 * one standard deviation, the size axis logarithmic (sizes such as 100, 1 000 and 60 000 spread out
 * evenly). Points without a value are skipped.
 */
export interface SizeSeries {
  readonly name: string;
  /** [training images, mean, std or null]. */
  readonly points: readonly (readonly [number, number | null, number | null])[];
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 40 };
const LEGEND_ROW = 16;
const CHAR_WIDTH = 6.2;
const INSET = 10;

export function sizePlot(options: { title: string; yLabel: string; series: readonly SizeSeries[]; width?: number; height?: number }): string {
  const width = options.width ?? 560;
  const height = options.height ?? 320;
  const rows = legendRows(options.series.map((s) => s.name), width - MARGIN.left - MARGIN.right);
  const top = MARGIN.top + rows.count * LEGEND_ROW;
  const series = options.series.map((s) => s.points.filter((p): p is [number, number, number | null] => p[1] !== null && Number.isFinite(p[1]) && p[0] > 0));
  const xs = [...new Set(series.flat().map((p) => p[0]))].sort((a, b) => a - b);
  const ys = series.flat().flatMap(([, m, s]) => (s === null ? [m] : [m - s, m + s]));
  const [lx0, lx1] = extent(xs.map(Math.log10));
  const [y0, y1] = extent(ys);
  const yTicks = niceTicks(y0, y1);
  const [yLow, yHigh] = [Math.min(y0, yTicks[0]!), Math.max(y1, yTicks.at(-1)!)];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + INSET + ((Math.log10(x) - lx0) / (lx1 - lx0 || 1)) * (plotW - 2 * INSET);
  const sy = (y: number) => top + plotH - INSET - ((y - yLow) / (yHigh - yLow || 1)) * (plotH - 2 * INSET);
  const colour = (i: number) => PALETTE[i % PALETTE.length]!;
  const yLabels = tickLabels(yTicks);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`,
    // Every size of the grid is a tick: the x values are few and chosen by the user.
    ...xs.map((x) => `<line x1="${sx(x).toFixed(1)}" y1="${top}" x2="${sx(x).toFixed(1)}" y2="${top + plotH}" stroke="#eee"/><text x="${sx(x).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${x.toLocaleString('en-US').replace(/,/g, ' ')}</text>`),
    ...yTicks.map((t, i) => `<line x1="${MARGIN.left}" y1="${sy(t).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${sy(t).toFixed(1)}" stroke="#eee"/><text x="${MARGIN.left - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${yLabels[i]}</text>`),
    `<rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">training images (log scale)</text>`,
    `<text transform="translate(12 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    // Each network's points sit a few pixels apart, so equal values do not hide each other's error bars.
    ...series.map((points, i) => seriesMarkup(points, colour(i), (x) => sx(x) + (i - (series.length - 1) / 2) * 4, sy)),
    ...options.series.map((s, i) => {
      const [x, y] = [MARGIN.left + rows.at[i]!.x, MARGIN.top + rows.at[i]!.row * LEGEND_ROW + 10];
      return `<line x1="${x}" y1="${y - 4}" x2="${x + 16}" y2="${y - 4}" stroke="${colour(i)}" stroke-width="2"/><text x="${x + 20}" y="${y}">${escapeXml(s.name)}</text>`;
    }),
    xs.length === 0 ? `<text x="${MARGIN.left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#999">no results yet</text>` : '',
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

function seriesMarkup(points: readonly [number, number, number | null][], color: string, sx: (x: number) => number, sy: (y: number) => number): string {
  const line = points.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([x, m]) => `${sx(x).toFixed(1)},${sy(m).toFixed(1)}`).join(' ')}"/>` : '';
  const marks = points.map(([x, m, s]) => {
    const cx = sx(x).toFixed(1);
    const bar = s === null ? '' : `<line class="error-bar" x1="${cx}" y1="${sy(m - s).toFixed(1)}" x2="${cx}" y2="${sy(m + s).toFixed(1)}" stroke="${color}"/><line x1="${(sx(x) - 4).toFixed(1)}" y1="${sy(m - s).toFixed(1)}" x2="${(sx(x) + 4).toFixed(1)}" y2="${sy(m - s).toFixed(1)}" stroke="${color}"/><line x1="${(sx(x) - 4).toFixed(1)}" y1="${sy(m + s).toFixed(1)}" x2="${(sx(x) + 4).toFixed(1)}" y2="${sy(m + s).toFixed(1)}" stroke="${color}"/>`;
    return `${bar}<circle cx="${cx}" cy="${sy(m).toFixed(1)}" r="3" fill="${color}"/>`;
  });
  return [line, ...marks].join('');
}

function legendRows(names: readonly string[], width: number): { count: number; at: { x: number; row: number }[] } {
  const at: { x: number; row: number }[] = [];
  let [x, row] = [0, 0];
  for (const name of names) {
    const entry = Math.ceil(20 + name.length * CHAR_WIDTH + 14);
    if (x > 0 && x + entry > width) [x, row] = [0, row + 1];
    at.push({ x, row });
    x += entry;
  }
  return { count: names.length === 0 ? 0 : row + 1, at };
}
