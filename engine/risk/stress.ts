// Stress tests: a scenario in the desk's grammar (docs/stress-scenarios.md) compiled against the
// factor model and instrument table, then a portfolio revalued under it — options by Black–Scholes
// on the shocked underlying and vol, bonds by duration and convexity, everything else linearly —
// and translated into the base currency with one FX move per currency. Pure: no clock, no I/O.

import { bsPrice } from '../blackscholes.js';
import type { Book } from '../book.js';
import { RisklineError } from '../../errors/catalogue.js';
import { type InstrumentTable, KIND_CODE, KIND_FUTURE, KIND_OPTION } from '../instruments.js';

/** Duration of the bond whose price return a RATES_<ccy> factor is (loading ≈ duration / 7). */
export const REFERENCE_DURATION = 7;
const KIND_BOND = KIND_CODE.bond;
const KIND_FX = KIND_CODE.fx;

/** A scenario's shocks (config/scenario-schema.ts ScenarioDef has this shape). */
export interface StressShocks {
  equity: Record<string, number>;
  sector: Record<string, number>;
  ratesBp: Record<string, number>;
  creditBp: Partial<Record<string, number>>;
  sovereignBp: Record<string, number>;
  fx: Record<string, number>;
  vol: Record<string, number>;
  factors: Record<string, number>;
}
export interface StressScenarioInput {
  id: string;
  name: string;
  shocks: StressShocks;
}

/** A scenario ready to apply: every array is indexed like the instrument table it was compiled on. */
export interface CompiledScenario {
  id: string;
  name: string;
  /** (a) Factor returns, one per factor of the table (K). */
  factorReturns: Float64Array;
  /** (b) Each instrument's return in its own currency (N): Σ loading × factor, with overrides. */
  returns: Float64Array;
  /** Bonds: yield move (decimal) = rates move of its currency + its credit or sovereign spread move. */
  yieldMove: Float64Array;
  /** (c) Options: absolute implied-vol shift (N; 0 for the rest). */
  volShift: Float64Array;
  /** (d) Move in USD of one unit of each table currency (USD 0): translation into any base. */
  fxMove: Float64Array;
}

function unknown(id: string, field: string, message: string): never {
  throw new RisklineError('CONFIG_INVALID', `scenario "${id}": ${field}: ${message}`);
}

/** Rating bucket of a rating: AA+ and AA- are AA; anything unrecognised has none. */
export function ratingBucket(rating: string): string {
  return rating.replace(/[+-]$/, '').toUpperCase();
}

/** Factor returns (a) and the one FX move per currency (d); a raw FX_ factor is that move too. */
function compileFactors(s: StressScenarioInput, t: InstrumentTable): { f: Float64Array; fx: Float64Array } {
  const f = new Float64Array(t.factors.length);
  const set = (field: string, factor: string, value: number) => {
    const k = t.factorIndex.get(factor);
    if (k === undefined) unknown(s.id, field, `no factor ${factor} in the factor model`);
    f[k] = value;
  };
  const { equity, sector, ratesBp, fx, factors } = s.shocks;
  for (const [m, v] of Object.entries(equity)) set(`equity.${m}`, `EQ_${m}`, v);
  for (const [m, v] of Object.entries(sector)) set(`sector.${m}`, `SEC_${m}`, v);
  // A parallel move Δy is the reference bond's price return −D_ref·Δy (linear: bonds add convexity).
  for (const [c, v] of Object.entries(ratesBp)) set(`ratesBp.${c}`, `RATES_${c}`, (-REFERENCE_DURATION * v) / 1e4);
  for (const [id, v] of Object.entries(factors)) set(`factors.${id}`, id, v);
  const move = new Float64Array(t.currencies.length);
  const fxOf = (c: string): number | undefined => fx[c] ?? factors[`FX_${c}`];
  for (const [c, v] of Object.entries(fx)) if (t.factorIndex.has(`FX_${c}`)) set(`fx.${c}`, `FX_${c}`, v);
  t.currencies.forEach((c, k) => (move[k] = c === 'USD' ? 0 : (fxOf(c) ?? 0)));
  return { f, fx: move };
}

/** The equity market (EQ_ suffix) an instrument loads most on, or ''. */
function marketOf(t: InstrumentTable, i: number): string {
  let best = '';
  let size = 0;
  for (let l = t.loadStart[i]; l < t.loadStart[i + 1]; l++) {
    const id = t.factors[t.loadFactor[l]].id;
    if (id.startsWith('EQ_') && Math.abs(t.loadValue[l]) > size) {
      size = Math.abs(t.loadValue[l]);
      best = id.slice(3);
    }
  }
  return best;
}

/** Compiles one scenario against the table's factors and instruments. */
export function compileScenario(s: StressScenarioInput, t: InstrumentTable): CompiledScenario {
  const { f, fx } = compileFactors(s, t);
  const n = t.count;
  const returns = new Float64Array(n);
  const yieldMove = new Float64Array(n);
  const volShift = new Float64Array(n);
  const { creditBp, sovereignBp, vol } = s.shocks;
  for (let i = 0; i < n; i++) {
    const def = t.defs[i];
    const kind = t.kind[i];
    let r = 0;
    let rates = 0;
    for (let l = t.loadStart[i]; l < t.loadStart[i + 1]; l++) {
      const x = t.loadValue[l] * f[t.loadFactor[l]];
      if (t.factors[t.loadFactor[l]].id.startsWith('RATES_')) rates += x;
      else r += x;
    }
    if (def.kind === 'bond') {
      // Its own duration, not the rounded loading: Δy of its currency's curve plus its spread.
      const k = t.factorIndex.get(`RATES_${def.currency}`);
      const dy = k === undefined ? 0 : -f[k] / REFERENCE_DURATION;
      const bpMove = def.sector === 'Government' ? sovereignBp[def.country] : creditBp[ratingBucket(def.rating)];
      yieldMove[i] = dy + (bpMove ?? 0) / 1e4;
      returns[i] = -def.duration * yieldMove[i] + r;
    } else if (kind === KIND_FX) {
      // Exact cross of the two currencies' USD moves (USDJPY falls 1/1.1 − 1 when JPY rises 10%).
      returns[i] = (1 + fx[t.exposureCurrency[i]]) / (1 + fx[t.currency[i]]) - 1;
    } else {
      returns[i] = r + rates;
    }
    if (kind === KIND_OPTION) {
      const u = t.underlying[i];
      const key = t.kind[u] === KIND_FX ? 'fx' : 'equity';
      volShift[i] = vol[marketOf(t, u)] ?? vol[key] ?? 0;
    }
  }
  return { id: s.id, name: s.name, factorReturns: f, returns, yieldMove, volShift, fxMove: fx };
}

/** Positions of one portfolio, as plain typed arrays (any source: a Book, a what-if, a test). */
export interface StressPositions {
  count: number;
  /** Instrument index in the table, quantity (units, contracts, face / 100 for bonds × multiplier). */
  inst: Int32Array;
  qty: Float64Array;
  /** Base-currency units per unit of the instrument's currency, at today's rates. */
  toBase: Float64Array;
  /** The portfolio's base currency (table currency index). */
  base: number;
  /** Cash per table currency in that currency, and its base rate; null leaves cash out. */
  cash: { amount: Float64Array; toBase: Float64Array } | null;
}

/** Today's market: marks per instrument, event time (ms), risk-free rate. */
export interface StressMarket {
  mark: Float64Array;
  now: number;
  rate: number;
}

export interface StressResult {
  /** Portfolio P&L in base currency (gains positive), and per position, in `inst` order. */
  total: number;
  pnl: Float64Array;
  /** P&L of translating cash balances (0 when cash is left out). */
  cash: number;
}

/** Change of one position's value in its own currency under the scenario (full revaluation). */
function localChange(c: CompiledScenario, t: InstrumentTable, m: StressMarket, i: number, units: number): number {
  const kind = t.kind[i];
  if (kind === KIND_OPTION) {
    const u = t.underlying[i];
    const s = m.mark[u];
    const s1 = s * (1 + Math.max(c.returns[u], -0.99));
    const tau = t.yearsToExpiry(i, m.now);
    const vol = t.impliedVol[i];
    const vol1 = Math.max(vol + c.volShift[i], 0.0001);
    const call = t.isCall[i] === 1;
    const k = t.strike[i];
    return units * (bsPrice(s1, k, tau, vol1, m.rate, call) - bsPrice(s, k, tau, vol, m.rate, call));
  }
  const r = c.returns[i];
  if (kind === KIND_BOND) {
    const def = t.defs[i] as { duration: number; convexity: number };
    const dy = def.duration > 0 ? -r / def.duration : 0;
    return units * m.mark[i] * (r + 0.5 * def.convexity * dy * dy);
  }
  return units * m.mark[i] * r;
}

/**
 * Revalues a portfolio under a compiled scenario. Each position's local value V (0 for futures,
 * settled daily) and change ΔV are translated once: P&L = toBase · ((V + ΔV) · g − V), with
 * g = (1 + fx_ccy) / (1 + fx_base) the scenario's move of the position's currency against the base.
 */
export function evaluateStress(
  c: CompiledScenario,
  t: InstrumentTable,
  m: StressMarket,
  pos: StressPositions,
  out: StressResult = { total: 0, pnl: new Float64Array(pos.count), cash: 0 },
): StressResult {
  if (c.fxMove.length !== t.currencies.length) {
    throw new RangeError(`scenario "${c.id}" was compiled before currencies were added: compile it after the Book`);
  }
  const baseMove = 1 + c.fxMove[pos.base];
  let total = 0;
  for (let p = 0; p < pos.count; p++) {
    const i = pos.inst[p];
    const units = pos.qty[p] * t.multiplier[i];
    const v = t.kind[i] === KIND_FUTURE ? 0 : units * m.mark[i];
    const dv = localChange(c, t, m, i, units);
    const g = (1 + c.fxMove[t.currency[i]]) / baseMove;
    const pnl = pos.toBase[p] * ((v + dv) * g - v);
    out.pnl[p] = pnl;
    total += pnl;
  }
  let cash = 0;
  if (pos.cash !== null) {
    for (let k = 0; k < pos.cash.amount.length; k++) {
      cash += pos.cash.amount[k] * pos.cash.toBase[k] * ((1 + c.fxMove[k]) / baseMove - 1);
    }
  }
  out.total = total + cash;
  out.cash = cash;
  return out;
}

/** One portfolio of a Book as StressPositions (read-only use of the Book). */
export function stressPositionsOf(book: Book, port: number, includeCash = false): StressPositions {
  const list = book.portfolioPositions[port];
  const pos: StressPositions = {
    count: list.length,
    inst: new Int32Array(list.length),
    qty: new Float64Array(list.length),
    toBase: new Float64Array(list.length),
    base: book.base[port],
    cash: null,
  };
  list.forEach((p, j) => {
    pos.inst[j] = book.pInst[p];
    pos.qty[j] = book.pQty[p];
    pos.toBase[j] = book.fxOf(p);
  });
  if (includeCash) {
    const t = book.t;
    const amount = book.cash.slice(port * book.nc, (port + 1) * book.nc);
    const toBase = Float64Array.from(t.currencies, (_c, k) => t.fx(k, book.base[port]));
    pos.cash = { amount, toBase };
  }
  return pos;
}

/**
 * The engine's call: a portfolio's stress P&L at the Book's live marks and event time. Per-position
 * P&L is in `book.portfolioPositions[port]` order. Cash is left out unless asked for, like VaR.
 */
export function stressBook(
  book: Book,
  port: number,
  c: CompiledScenario,
  riskFreeRate: number,
  includeCash = false,
): StressResult {
  const pos = stressPositionsOf(book, port, includeCash);
  return evaluateStress(c, book.t, { mark: book.mark, now: book.now, rate: riskFreeRate }, pos);
}
