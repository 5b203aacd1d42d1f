// The desk's vocabulary: plain data shapes shared by every role. No behaviour lives here.

import type { AnalyticsSnapshot } from './analytics/model.js';

export type AssetClass = 'equity' | 'etf' | 'future' | 'fx' | 'option' | 'bond';
export const ASSET_CLASSES: readonly AssetClass[] = ['equity', 'etf', 'future', 'fx', 'option', 'bond'];

/** Exchange-listed or OTC instrument. Prices are quoted in `currency` per unit; value = qty × price × multiplier. */
export interface InstrumentBase {
  id: string;
  kind: AssetClass;
  name?: string;
  currency: string;
  sector: string;
  country: string;
  /** Contract multiplier (futures, options) or quote scaling (bonds quoted per 100 of face: 0.01). */
  multiplier: number;
  /** Reference price used to seed the simulator and as the mark before the first tick. */
  price: number;
  /** Factor loadings of the instrument's daily log return (factor model shared by simulator and risk). */
  factors: Record<string, number>;
  /** Annualised idiosyncratic volatility. */
  idioVol: number;
}
export interface Equity extends InstrumentBase {
  kind: 'equity' | 'etf';
}
export interface Future extends InstrumentBase {
  kind: 'future';
  underlying?: string;
  expiry: string;
}
export interface FxSpot extends InstrumentBase {
  kind: 'fx';
  /** EURUSD: base EUR, quote USD (= currency). Quantity is in base-currency units. */
  base: string;
}
export interface EquityOption extends InstrumentBase {
  kind: 'option';
  underlying: string;
  strike: number;
  /** ISO date; time to expiry is measured from event time, never the wall clock. */
  expiry: string;
  right: 'call' | 'put';
  /** Annualised implied volatility used for delta. */
  impliedVol: number;
}
export interface Bond extends InstrumentBase {
  kind: 'bond';
  /** Modified duration (years) and convexity, for rate sensitivities. */
  duration: number;
  convexity: number;
  rating: string;
  coupon: number;
  maturity: string;
}
export type Instrument = Equity | Future | FxSpot | EquityOption | Bond;

/** Normalised market-data tick. `ts` is event time in epoch milliseconds. */
export interface Tick {
  instrument: string;
  ts: number;
  bid: number;
  ask: number;
  last: number;
}

export type Side = 'buy' | 'sell';

export interface Order {
  id: string;
  portfolio: string;
  instrument: string;
  side: Side;
  qty: number;
  type: 'market' | 'limit';
  limitPrice?: number;
  venue?: string;
  ts: number;
}

/** A fill. `id` is unique per execution: applying the same id twice changes nothing. */
export interface Execution {
  id: string;
  orderId?: string;
  portfolio: string;
  instrument: string;
  side: Side;
  qty: number;
  price: number;
  fees?: number;
  venue?: string;
  ts: number;
}

export interface PortfolioDef {
  id: string;
  name: string;
  baseCurrency: string;
  /** Opening cash by currency, before the opening book is bought. */
  cash: Record<string, number>;
  /** Opening book, bought out of the opening cash at these prices (lots of one instrument merge). */
  holdings: { instrument: string; qty: number; price: number }[];
}

/** One row of a positions frame, values in the portfolio's base currency unless named otherwise. */
export interface PositionRow {
  instrument: string;
  qty: number;
  /** Average cost in the instrument's currency. */
  avgCost: number;
  mark: number;
  marketValue: number;
  unrealizedPnl: number;
  realizedPnl: number;
  exposure: number;
}

export interface ExposureCell {
  long: number;
  short: number;
  net: number;
  gross: number;
}

export type RiskMethod = 'parametric' | 'historical' | 'monteCarlo';

/** VaR and ES of one method, horizon and confidence, as positive losses in base currency. */
export interface RiskMeasure {
  method: RiskMethod;
  horizonDays: number;
  confidence: number;
  var: number;
  es: number;
  /** How a horizon without scenarios of its own was obtained ('sqrt-time': 1-day × √h). */
  scaling?: 'sqrt-time';
}

/** One position's Euler share of the portfolio's VaR and ES, and its VaR per unit bought. */
export interface RiskComponent {
  instrument: string;
  qty: number;
  componentVar: number;
  componentEs: number;
  marginalVar: number;
}

export interface StressResult {
  scenario: string;
  name: string;
  pnl: number;
  /** The positions that move the most, largest loss first. */
  worst: { instrument: string; pnl: number }[];
}

export interface BacktestSummary {
  method: RiskMethod;
  confidence: number;
  observations: number;
  /** Observations from the history backtest of the book at start (today's exposures on past days); the rest are live days. */
  fromHistory: number;
  exceptions: number;
  kupiec: { lr: number; pValue: number };
  christoffersen: { lr: number; pValue: number };
  conditionalCoverage: { lr: number; pValue: number };
  zone: 'green' | 'yellow' | 'red';
}

/** What produced a risk frame: enough to explain every number and reproduce it with `replay --verify`. */
export interface RiskProvenance {
  backend: string;
  backendDetail: string;
  threads: number;
  inputSeq: number;
  parametric: { covariance: string; lambda?: number };
  history?: {
    file: string;
    source: string;
    synthetic: boolean;
    from: string;
    to: string;
    days: number;
    /** Days of the window after the file's, from the store's bars (risk.history.fromStore). */
    stored?: { days: number; from: string; to: string };
  };
  /** One entry per scenario set: method, horizon, scenario count, seed and set number or window. */
  sets: Record<string, unknown>[];
  components?: { method: RiskMethod; horizonDays: number; confidence: number };
}

export interface RiskSnapshot {
  portfolio: string;
  /** The method of `var`, `es` and `sigma` below (the delta-normal figures limits are checked on). */
  method: 'parametric';
  backend: string;
  horizonDays: number;
  confidence: number[];
  var: Record<string, number>;
  es: Record<string, number>;
  /** Portfolio standard deviation of P&L over the horizon (base currency). */
  sigma: number;
  positions: number;
  /** Engine input sequence number this risk reflects. */
  inputSeq: number;
  asOf: number;
  /** Every method, horizon and confidence (docs/risk.md). */
  measures?: RiskMeasure[];
  /** Full revaluation minus delta-gamma VaR of the Monte Carlo 1-day set, per confidence ("99": …). */
  nonLinearity?: Record<string, number>;
  components?: RiskComponent[];
  stress?: StressResult[];
  backtest?: BacktestSummary[];
  provenance?: RiskProvenance;
  /** Returns, attribution and fees as of the last sampling boundary (engine/analytics/), when configured. */
  analytics?: AnalyticsSnapshot;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';
export interface Alert {
  /** Names the transition, the same in every engine process (see engine/limits.ts). */
  id: string;
  portfolio: string;
  limit: string;
  /** The limit's new status: past its warning line, breached, or back within (see engine/limits.ts). */
  state: 'warning' | 'breached' | 'cleared';
  severity: AlertSeverity;
  message: string;
  value: number;
  threshold: number;
  ts: number;
}
