// Text and numbers as the report prints them: every piece of text escaped for HTML, numbers with
// thousands separators and a fixed count of decimals per kind (as the terminal's format.ts), times
// in UTC. A value that is missing or not finite prints as an em dash, never as 0.

const formats = new Map<number, Intl.NumberFormat>();

/** `&`, `<`, `>`, `"` and `'` as entities: safe in element text and in quoted attributes. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const MISSING = '—';

/** A number with thousands separators and exactly `decimals` decimals (en-US: 1,234,567.89). */
export function fixed(v: number | null | undefined, decimals: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISSING;
  let f = formats.get(decimals);
  if (f === undefined)
    formats.set(
      decimals,
      (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })),
    );
  // A value that rounds to zero prints as 0.00, never as -0.00.
  return f.format(Math.abs(v) < 0.5 * 10 ** -decimals ? 0 : v);
}

/** Money in the portfolio's base currency: two decimals. */
export const money = (v: number | null | undefined): string => fixed(v, 2);

/** P&L with its sign: +1,234.50, -99.00. */
export function signed(v: number | null | undefined): string {
  const s = fixed(v, 2);
  return typeof v === 'number' && v > 0 ? `+${s}` : s;
}

/** A share as a percentage with one decimal (0.1234 → 12.3 %). */
export function percent(v: number | null | undefined): string {
  const s = fixed(typeof v === 'number' ? v * 100 : v, 1);
  return s === MISSING ? s : `${s} %`;
}

/** A confidence level as its label (0.99 → 99 %, 0.975 → 97.5 %). */
export function confidenceLabel(c: number): string {
  return `${Number((c * 100).toFixed(2))} %`;
}

/** Epoch ms as `2026-03-17 15:59:00.123 UTC`. */
export function utc(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return MISSING;
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** Epoch ms as `15:59:00` (UTC), for the chart's axis. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
