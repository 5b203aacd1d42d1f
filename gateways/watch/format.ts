// How `riskline watch` writes numbers and times: thousands separators, fixed decimals per kind of
// figure, a minus sign on negatives (never "-0"), "—" for what is not there, and short ages.

/** What a cell shows when the figure is missing (no frame yet, or a field the frame lacks). */
export const MISSING = '—';

/** Amounts at or past this size are written compactly (1.23T): a full figure would not fit a column. */
const COMPACT_FROM = 1e12;

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fixed4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const upTo2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Formats with `fmt`, without the "-0" a small negative rounds to. */
function signed(v: number, fmt: Intl.NumberFormat): string {
  const s = fmt.format(v);
  return s.startsWith('-') && /^-[0.,]+$/.test(s) ? s.slice(1) : s;
}

/** Trillions with two decimals ("1.50T"), past COMPACT_FROM; below it, `fmt`. */
function sized(v: number, fmt: Intl.NumberFormat): string {
  return Math.abs(v) >= COMPACT_FROM ? `${signed(v / COMPACT_FROM, fixed2)}T` : signed(v, fmt);
}

/** An amount in the portfolio's base currency: whole units, thousands separators. */
export function amount(v: unknown): string {
  if (!isNumber(v)) return MISSING;
  return sized(v, whole);
}

/** A signed quantity: whole units, or up to two decimals when fractional. */
export function quantity(v: unknown): string {
  if (!isNumber(v)) return MISSING;
  return sized(v, upTo2);
}

/** A price in the instrument's currency: four decimals below 10 (FX), two from there. */
export function price(v: unknown): string {
  if (!isNumber(v)) return MISSING;
  return Math.abs(v) < 10 ? signed(v, fixed4) : sized(v, fixed2);
}

/** A count (frames, positions, inputSeq): whole, thousands separators. */
export function count(v: unknown): string {
  return isNumber(v) ? whole.format(v) : MISSING;
}

/** A rate with one decimal (frames per second). */
export function rate(v: number): string {
  return isNumber(v) ? v.toFixed(1) : MISSING;
}

/** 0.99 → "99%", 0.975 → "97.5%". */
export function confidenceLabel(c: unknown): string {
  return isNumber(c) ? `${Math.round(c * 1000) / 10}%` : MISSING;
}

/** 1 → "1d". */
export function horizonLabel(days: unknown): string {
  return isNumber(days) ? `${days}d` : MISSING;
}

/** A duration, short: "0.4s", "12.3s", "5m03s", "2h05m", "3d04h". */
export function duration(ms: number): string {
  if (!isNumber(ms)) return MISSING;
  const s = Math.abs(ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad((s % 86_400) / 3600)}h`;
}

/** How old event time `asOf` is at wall time `now`: "1.2s ago", or "3.0s ahead" for a clock that runs fast (a simulation). */
export function age(asOf: unknown, now: number): string {
  if (!isNumber(asOf)) return MISSING;
  const d = now - asOf;
  return d >= 0 ? `${duration(d)} ago` : `${duration(d)} ahead`;
}

/** Event time in UTC: the time of day on `now`'s day, the date too otherwise. */
export function clockTime(ts: unknown, now: number): string {
  if (!isNumber(ts)) return MISSING;
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return MISSING;
  const iso = d.toISOString();
  return iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10)
    ? `${iso.slice(11, 23)}Z`
    : `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
