// Return attribution over one period (a UTC day) built from its sampling intervals: each interval
// adds, per holding, weight at the interval's start × the instrument's return in the base
// currency over it (= the P&L of the holding then held, over NAV then), by asset class and sector;
// the cash's FX translation the same way; and what the interval's return leaves unexplained.

/** Base-currency value of one unit: a future is worth its gain over cost (it is settled in cash), anything else its mark. */
export function unitValue(mark: number, futureCost: number, multiplier: number, fx: number): number {
  return (mark - futureCost) * multiplier * fx;
}

/** The period's running sums (plain arrays so a checkpoint carries them as they are). */
export interface AttributionState {
  from: number;
  /** By asset class code and by sector index; null for a group not held at any interval's start. */
  byAssetClass: (number | null)[];
  bySector: (number | null)[];
  cash: number;
  trading: number;
  /** Intervals observed, Σ of their returns and Π(1 + r) over them. */
  intervals: number;
  sumReturns: number;
  growth: number;
}

export function openAttribution(from: number, assetClasses: number, sectors: number): AttributionState {
  return {
    from,
    byAssetClass: new Array<number | null>(assetClasses).fill(null),
    bySector: new Array<number | null>(sectors).fill(null),
    cash: 0,
    trading: 0,
    intervals: 0,
    sumReturns: 0,
    growth: 1,
  };
}

/** One interval's contributions, added as they are found; `close` folds in the interval's return. */
export class IntervalAttribution {
  private explained = 0;
  constructor(private readonly s: AttributionState) {}

  holding(assetClass: number, sector: number, contribution: number): void {
    this.s.byAssetClass[assetClass] = (this.s.byAssetClass[assetClass] ?? 0) + contribution;
    this.s.bySector[sector] = (this.s.bySector[sector] ?? 0) + contribution;
    this.explained += contribution;
  }

  cash(contribution: number): void {
    this.s.cash += contribution;
    this.explained += contribution;
  }

  close(r: number): void {
    this.s.trading += r - this.explained;
    this.s.intervals++;
    this.s.sumReturns += r;
    this.s.growth *= 1 + r;
  }
}

/** The groups held in the period, by name. */
export function named(values: readonly (number | null)[], names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  values.forEach((v, k) => {
    if (v !== null) out[names[k]] = v;
  });
  return out;
}

/** Named sums back to the dense layout (a checkpoint's), names not known here refused by the caller. */
export function dense(pairs: readonly [string, number][], names: readonly string[]): (number | null)[] {
  const out = new Array<number | null>(names.length).fill(null);
  for (const [name, v] of pairs) {
    const k = names.indexOf(name);
    if (k >= 0) out[k] = v;
  }
  return out;
}
