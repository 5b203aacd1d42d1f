// The rolling window of daily returns that historical simulation draws its scenarios from
// (docs/risk.md "Historical simulation"): the last W days of factor returns, and of the instruments
// that have a series of their own. Each day roll of event time appends the realised day and drops
// the oldest. Rows are kept twice in a double-length ring (row i at i and i + W), so the window in
// chronological order is always one contiguous subarray: no copy per roll, O(K) per append.

/** Days since 1970-01-01 (UTC) of an ISO date `YYYY-MM-DD`, or NaN when it is not a real date. */
export function epochDayOf(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return NaN;
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (!Number.isFinite(ms)) return NaN;
  const day = ms / 86_400_000;
  // Date.parse rolls 2024-02-30 over to March: a real date formats back to itself.
  return isoOfEpochDay(day) === iso ? day : NaN;
}

/** ISO date `YYYY-MM-DD` of a day number. */
export function isoOfEpochDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Daily returns in the layout the history loader produces (config/history.ts `History`). */
export interface DailyReturns {
  /** Day numbers, ascending, length `days`. */
  epochDays: Int32Array;
  /** Factor returns, days × factors, row-major. */
  factorReturns: Float64Array;
  factors: readonly string[];
  /** Instruments with a series of their own: simple returns per day, NaN where the file has none. */
  instruments: ReadonlyMap<string, Float64Array>;
}

export const DEFAULT_WINDOW = 500;

export class HistoryWindow {
  readonly capacity: number;
  readonly factorCount: number;
  /** Instrument ids with a series of their own, in the order `append` takes their returns. */
  readonly instrumentIds: readonly string[];
  private readonly rows: Float64Array;
  private readonly days: Int32Array;
  private readonly own: Float64Array[];
  /** Next slot to write, in [0, capacity). */
  private head = 0;
  private count = 0;
  private last = -Infinity;

  constructor(factorCount: number, capacity = DEFAULT_WINDOW, instrumentIds: readonly string[] = []) {
    if (!Number.isInteger(factorCount) || factorCount < 1)
      throw new RangeError(`factors must be ≥ 1, got ${factorCount}`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window must be ≥ 1 day, got ${capacity}`);
    this.capacity = capacity;
    this.factorCount = factorCount;
    this.instrumentIds = [...instrumentIds];
    this.rows = new Float64Array(2 * capacity * factorCount);
    this.days = new Int32Array(2 * capacity);
    this.own = this.instrumentIds.map(() => new Float64Array(2 * capacity).fill(NaN));
  }

  /** Days held (≤ capacity). */
  get length(): number {
    return this.count;
  }

  /** The newest day held, or -Infinity when empty. */
  get lastDay(): number {
    return this.last;
  }

  /**
   * Appends day `epochDay` (after the newest held) with its factor returns (length K, each finite
   * and > −1) and, optionally, the own returns of `instrumentIds` in order (NaN: none that day).
   */
  append(epochDay: number, factorReturns: ArrayLike<number>, instrumentReturns?: ArrayLike<number>): void {
    const k = this.factorCount;
    if (!Number.isInteger(epochDay)) throw new RangeError(`day must be an integer day number, got ${epochDay}`);
    if (!(epochDay > this.last)) {
      throw new RangeError(
        `day ${isoOfEpochDay(epochDay)} is not after the window's last day ${isoOfEpochDay(this.last)}`,
      );
    }
    if (factorReturns.length !== k) throw new RangeError(`expected ${k} factor returns, got ${factorReturns.length}`);
    for (let j = 0; j < k; j++) {
      const r = factorReturns[j];
      if (!(r > -1 && r < Infinity)) throw new RangeError(`factor ${j}: return must be finite and > -1, got ${r}`);
    }
    const n = this.own.length;
    if (instrumentReturns && instrumentReturns.length !== n) {
      throw new RangeError(`expected ${n} instrument returns, got ${instrumentReturns.length}`);
    }
    const a = this.head;
    const b = a + this.capacity;
    this.rows.set(factorReturns, a * k);
    this.rows.set(factorReturns, b * k);
    this.days[a] = epochDay;
    this.days[b] = epochDay;
    for (let i = 0; i < n; i++) {
      const r = instrumentReturns ? instrumentReturns[i] : NaN;
      this.own[i][a] = r;
      this.own[i][b] = r;
    }
    this.head = a + 1 === this.capacity ? 0 : a + 1;
    if (this.count < this.capacity) this.count++;
    this.last = epochDay;
  }

  /** Appends the last `capacity` days of a loaded history whose factors are this window's, in order. */
  load(history: DailyReturns): void {
    const k = this.factorCount;
    if (history.factors.length !== k)
      throw new RangeError(`history has ${history.factors.length} factors, window ${k}`);
    const days = history.epochDays.length;
    const series = this.instrumentIds.map((id) => history.instruments.get(id) ?? null);
    const own = new Float64Array(this.own.length);
    for (let d = Math.max(0, days - this.capacity); d < days; d++) {
      for (let i = 0; i < own.length; i++) own[i] = series[i] ? (series[i] as Float64Array)[d] : NaN;
      this.append(history.epochDays[d], history.factorReturns.subarray(d * k, (d + 1) * k), own);
    }
  }

  /** First ring slot of the chronological window. */
  private get start(): number {
    return this.count < this.capacity ? 0 : this.head;
  }

  /** The window's factor returns, scenarios × factors, oldest first: a view, valid until the next append. */
  scenarios(): Float64Array {
    const s = this.start;
    return this.rows.subarray(s * this.factorCount, (s + this.count) * this.factorCount);
  }

  /** The window's day numbers, oldest first (a view, valid until the next append). */
  epochDays(): Int32Array {
    const s = this.start;
    return this.days.subarray(s, s + this.count);
  }

  /** Instrument `id`'s own returns over the window, oldest first (NaN: none that day), or null. */
  instrumentSeries(id: string): Float64Array | null {
    const i = this.instrumentIds.indexOf(id);
    if (i < 0) return null;
    const s = this.start;
    return this.own[i].subarray(s, s + this.count);
  }
}

/**
 * A day's realised factor returns from two days' closing factor levels (the closes of each factor's
 * proxy): out_k = close_k / previous_k − 1. Levels must be finite and > 0.
 */
export function realisedReturns(
  previous: ArrayLike<number>,
  close: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  if (previous.length !== out.length || close.length !== out.length) {
    throw new RangeError(`levels and output lengths differ: ${previous.length}, ${close.length}, ${out.length}`);
  }
  for (let k = 0; k < out.length; k++) {
    const p = previous[k];
    const c = close[k];
    if (!(p > 0 && p < Infinity) || !(c > 0 && c < Infinity)) {
      throw new RangeError(`factor ${k}: closing levels must be finite and > 0, got ${p} and ${c}`);
    }
    out[k] = c / p - 1;
  }
  return out;
}
