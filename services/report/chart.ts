// P&L against VaR over the day as an inline SVG, written by hand (no script, no fonts to fetch): the
// P&L line inside the −VaR and −ES lines, as the terminal's chart draws it, with a zero line, a few
// round ticks on the value axis and the day's first and last times. At most one point per pixel
// column is drawn (every k-th, the last always kept).

import { clock, esc, fixed } from './format.js';
import type { PnlPoint } from './model.js';

const W = 680;
const H = 220;
const M = { left: 84, right: 12, top: 10, bottom: 22 };

/** Every k-th point so at most `max` are drawn, always keeping the last. */
export function thin(points: readonly PnlPoint[], max: number): PnlPoint[] {
  if (points.length <= max) return [...points];
  const k = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % k === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1)!);
  return out;
}

/** About `count` round values (1, 2 or 5 × 10^n apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  // Multiples of the step written to 12 significant digits: 3 × 0.1 is 0.3, not 0.30000000000000004.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)) || 0);
  return out;
}

const linear =
  (d0: number, d1: number, r0: number, r1: number) =>
  (v: number): number =>
    d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

function pathOf(
  pts: readonly PnlPoint[],
  x: (p: PnlPoint) => number,
  y: (v: number) => number,
  f: (p: PnlPoint) => number,
) {
  let d = '';
  let pen = false;
  for (const p of pts) {
    const v = f(p);
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** The chart's SVG; fewer than two points give none (the caller says why). */
export function pnlChartSvg(points: readonly PnlPoint[], label: string): string | null {
  if (points.length < 2) return null;
  const pts = thin(points, W - M.left - M.right);
  const lows = pts.map((p) => -(Number.isFinite(p.es) ? p.es : p.var));
  const pnls = pts.map((p) => p.pnl).filter(Number.isFinite);
  const lo = Math.min(0, ...lows, ...pnls);
  const hi = Math.max(0, ...pnls);
  const ticks = niceTicks(lo, hi, 4);
  const y = linear(Math.min(lo, ticks[0]), Math.max(hi, ticks.at(-1)!), H - M.bottom, M.top);
  const t0 = pts[0].asOf;
  const t1 = pts.at(-1)!.asOf;
  const x = (p: PnlPoint) => linear(t0, t1, M.left, W - M.right)(p.asOf);
  const grid = ticks
    .map(
      (v) =>
        `<line class="grid${v === 0 ? ' zero' : ''}" x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>` +
        `<text class="tick" x="${M.left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${esc(fixed(v, 0))}</text>`,
    )
    .join('');
  const line = (cls: string, f: (p: PnlPoint) => number) => `<path class="${cls}" d="${pathOf(pts, x, y, f)}"/>`;
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">` +
    grid +
    line('es', (p) => -p.es) +
    line('var', (p) => -p.var) +
    line('pnl', (p) => p.pnl) +
    `<text class="tick" x="${M.left}" y="${H - 6}">${clock(t0)}</text>` +
    `<text class="tick" x="${W - M.right}" y="${H - 6}" text-anchor="end">${clock(t1)} UTC</text>` +
    '</svg>'
  );
}
