// A portfolio's analytics as a checkpoint carries them (plain data; JSON-safe: no NaN, groups by
// name), and the check a checkpoint read off the bus passes before it is trusted.
import { RisklineError } from '../../errors/catalogue.js';
import { openFees, type FeeState } from './fees.js';

export interface AnalyticsState {
  /** The last sampling boundary (or the series' start), with the NAV and benchmark level then. */
  lastAt: number;
  nav: number;
  /** Benchmark level in the base currency at the last sample and at the day's start (null: none). */
  bench: number | null;
  benchDayOpen: number | null;
  intraday: number[];
  intradayBench: number[];
  daily: number[];
  dailyBench: number[];
  /** The day's attribution so far (engine/analytics/attribution.ts), groups by name. */
  attribution: {
    from: number;
    byAssetClass: [string, number][];
    bySector: [string, number][];
    cash: number;
    trading: number;
    intervals: number;
    sumReturns: number;
    growth: number;
  };
  /** Holdings at the last sample: [instrument, qty, future's cost (0 otherwise), unit value in base]. */
  holdings: [instrument: string, qty: number, cost: number, unitValue: number][];
  /** Cash at the last sample: [currency, amount, FX to base]. */
  cash: [currency: string, amount: number, fx: number][];
  fees: FeeState;
}

const FEE_KEYS = Object.keys(openFees(0, 0)) as (keyof FeeState)[];
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): boolean => v === null || isNum(v);
const numbers = (v: unknown): boolean => Array.isArray(v) && v.every(isNum);
const tuples = (v: unknown, head: 'string', width: number): boolean =>
  Array.isArray(v) &&
  v.every((x) => Array.isArray(x) && x.length === width && typeof x[0] === head && x.slice(1).every(isNum));

/** The checkpoint's analytics, or DECODE_FAILED naming the portfolio and the first bad field. */
export function checkAnalyticsState(v: unknown, where: string): AnalyticsState {
  const s = (v ?? {}) as Partial<AnalyticsState>;
  const a = (s.attribution ?? {}) as Partial<AnalyticsState['attribution']>;
  const checks: [field: string, ok: () => boolean][] = [
    ['lastAt', () => isNum(s.lastAt) && isNum(s.nav)],
    ['bench', () => numOrNull(s.bench) && numOrNull(s.benchDayOpen)],
    ['returns', () => [s.intraday, s.intradayBench, s.daily, s.dailyBench].every(numbers)],
    ['attribution', () => tuples(a.byAssetClass, 'string', 2) && tuples(a.bySector, 'string', 2)],
    ['attribution', () => [a.from, a.cash, a.trading, a.intervals, a.sumReturns, a.growth].every(isNum)],
    ['holdings', () => tuples(s.holdings, 'string', 4) && tuples(s.cash, 'string', 3)],
    ['fees', () => typeof s.fees === 'object' && s.fees !== null && FEE_KEYS.every((k) => isNum(s.fees![k]))],
  ];
  const bad = typeof v !== 'object' || v === null ? 'not an object' : checks.find(([, ok]) => !ok())?.[0];
  if (bad !== undefined) throw new RisklineError('DECODE_FAILED', `${where}: analytics: bad ${bad}`);
  return s as AnalyticsState;
}
