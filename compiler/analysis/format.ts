/** Number and shape formatting shared by diagnostics and reports, so both print the same figures. */
import type { Shape } from '../ir/ir.js';

/** 41210 → "41 210" (space-grouped thousands, as in the docs); non-integers keep two decimals. */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole, fraction] = String(Math.round(Math.abs(n) * 100) / 100).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Three significant digits without trailing zeros: 2.3125 → "2.31", 16 → "16". */
function significant(n: number): string {
  return String(Number(n.toPrecision(3)));
}

/** Decimal prefixes for counts such as multiply-adds: 1 234 567 → "1.23 M". */
export function formatSI(n: number): string {
  const units = ['', ' k', ' M', ' G', ' T', ' P'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? groupDigits(value) : `${significant(value)}${units[unit]}`;
}

/** Binary prefixes for memory: 3 145 728 → "3 MiB". */
export function formatBytes(n: number): string {
  const units = [' B', ' KiB', ' MiB', ' GiB', ' TiB'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? groupDigits(value) : significant(value)}${units[unit]}`;
}

export function formatShape(shape: Shape | null): string {
  if (shape === null) return '?';
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** Share of a whole in whole percent ("137 %"); below one percent keeps one decimal. */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const pct = (100 * part) / whole;
  return `${pct > 0 && pct < 1 ? Number(pct.toFixed(1)) : Math.round(pct)} %`;
}
