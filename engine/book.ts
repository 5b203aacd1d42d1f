// The live book: marks, positions, cash, P&L and exposure buckets, kept current tick by tick.
//
// Invariants that make it fast and correct:
// - Positions live in parallel typed arrays; a tick revalues only the positions indexed under its
//   instrument (its own positions and options on it), an FX tick only those whose instrument or
//   portfolio base is in that currency. Nothing per tick is proportional to the whole book.
// - Every aggregate (market value, unrealised P&L, long/short per exposure bucket) is maintained by
//   adding the change of the position that moved, so it always equals the sum over positions
//   (up to floating-point rounding of the running sums).
// - Each position belongs to six exposure buckets (portfolio total, instrument, asset class, sector,
//   currency, country); a bucket keeps long and short; net = long + short, gross = long − short.
// - What changed since the last publication is tracked in dirty lists, so publishing is
//   proportional to what changed.

import { bsDelta } from './blackscholes.js';
import { RisklineError } from './errors.js';
import { InstrumentTable, KIND_FUTURE, KIND_OPTION } from './instruments.js';
import type { AssetClass, Execution, PortfolioDef } from './model.js';
import { applyFill, type FillResult } from './positions.js';

export const DIMENSIONS = ['total', 'instrument', 'assetClass', 'sector', 'currency', 'country'] as const;
export const DIMS = DIMENSIONS.length;
const KINDS: AssetClass[] = ['equity', 'etf', 'future', 'fx', 'option', 'bond'];

export interface BookOptions {
  markSource: 'mid' | 'last';
  riskFreeRate: number;
}

export class Book {
  readonly t: InstrumentTable;
  private readonly markMid: boolean;
  private readonly rate: number;

  // Marks, by instrument.
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly last: Float64Array;
  readonly mark: Float64Array;
  /** Event time of the newest input applied. */
  now = 0;

  // Portfolios.
  readonly portfolioIds: string[];
  readonly portfolioNames: string[];
  private readonly portfolioIndex = new Map<string, number>();
  readonly base: Int32Array;
  /** Cash per portfolio per currency: cash[port * currencies + ccy]. */
  readonly cash: Float64Array;
  private readonly ccyCount: number;
  readonly cashBase: Float64Array;
  readonly mvSum: Float64Array;
  readonly upnlSum: Float64Array;
  readonly rpnlSum: Float64Array;
  /** Set when a portfolio's totals changed since the last publication or risk run. */
  readonly portDirty: Uint8Array;
  readonly riskDirty: Uint8Array;

  // Positions (parallel arrays, grown by doubling).
  positions = 0;
  pPort = new Int32Array(1024);
  pInst = new Int32Array(1024);
  pQty = new Float64Array(1024);
  pAvg = new Float64Array(1024);
  pRpnl = new Float64Array(1024);
  pMv = new Float64Array(1024);
  pUpnl = new Float64Array(1024);
  pExp = new Float64Array(1024);
  pBucket = new Int32Array(1024 * DIMS);
  pDirty = new Uint8Array(1024);
  private readonly positionIndex = new Map<string, number>();
  /** Positions valued off each instrument (their own, and options on it). */
  readonly byInstrument: number[][];
  /** Positions whose instrument currency or portfolio base is each currency. */
  private readonly byCurrency: number[][];
  readonly portfolioPositions: number[][];

  // Exposure buckets.
  buckets = 0;
  bLong = new Float64Array(1024);
  bShort = new Float64Array(1024);
  /** Number of positions contributing to long and to short, so an emptied side is exactly 0. */
  bLongN = new Int32Array(1024);
  bShortN = new Int32Array(1024);
  bPort = new Int32Array(1024);
  bDim = new Uint8Array(1024);
  bDirty = new Uint8Array(1024);
  readonly bKey: string[] = [];
  private readonly bucketIndex = new Map<string, number>();
  readonly portfolioBuckets: number[][];

  readonly dirtyPositions: number[] = [];
  readonly dirtyBuckets: number[] = [];
  private readonly seenExecutions = new Set<string>();
  private readonly fill: FillResult = { qty: 0, avgCost: 0, realized: 0, closed: 0 };

  constructor(instruments: InstrumentTable, portfolios: PortfolioDef[], options: BookOptions) {
    this.t = instruments;
    this.markMid = options.markSource === 'mid';
    this.rate = options.riskFreeRate;
    const n = instruments.count;
    this.bid = new Float64Array(n);
    this.ask = new Float64Array(n);
    this.last = new Float64Array(n);
    this.mark = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = instruments.defs[i].price;
      this.bid[i] = this.ask[i] = this.last[i] = this.mark[i] = p;
    }
    this.byInstrument = Array.from({ length: n }, () => []);

    const np = portfolios.length;
    this.portfolioIds = portfolios.map((p) => p.id);
    this.portfolioNames = portfolios.map((p) => p.name);
    this.base = new Int32Array(np);
    portfolios.forEach((p, k) => {
      this.portfolioIndex.set(p.id, k);
      this.base[k] = instruments.currencyId(p.baseCurrency);
      for (const c of Object.keys(p.cash)) instruments.currencyId(c);
    });
    this.ccyCount = instruments.currencies.length;
    this.byCurrency = Array.from({ length: this.ccyCount }, () => []);
    this.cash = new Float64Array(np * this.ccyCount);
    this.cashBase = new Float64Array(np);
    this.mvSum = new Float64Array(np);
    this.upnlSum = new Float64Array(np);
    this.rpnlSum = new Float64Array(np);
    this.portDirty = new Uint8Array(np).fill(1);
    this.riskDirty = new Uint8Array(np).fill(1);
    this.portfolioPositions = Array.from({ length: np }, () => []);
    this.portfolioBuckets = Array.from({ length: np }, () => []);
    portfolios.forEach((p, k) => {
      this.bucket(k, 0, '');
      for (const [c, amount] of Object.entries(p.cash)) this.cash[k * this.ccyCount + instruments.currencyId(c)] += amount;
      for (const h of p.holdings) {
        const i = this.instrumentOf(h.instrument);
        // The opening book is already held: it sets quantity and cost but moves no cash.
        const pos = this.position(k, i);
        const f = applyFill(this.pQty[pos], this.pAvg[pos], h.qty, h.price, this.fill);
        this.pQty[pos] = f.qty;
        this.pAvg[pos] = f.avgCost;
        this.revalue(pos);
      }
      this.revalueCash(k);
    });
  }

  portfolio(id: string): number {
    const k = this.portfolioIndex.get(id);
    return k === undefined ? -1 : k;
  }

  private instrumentOf(id: string): number {
    const i = this.t.index(id);
    if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `unknown instrument ${JSON.stringify(id)}`);
    return i;
  }

  /** Applies a validated tick to instrument i and revalues what depends on it. */
  tick(i: number, ts: number, bid: number, ask: number, last: number): void {
    if (ts > this.now) this.now = ts;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.last[i] = last;
    const m = this.markMid ? (bid + ask) * 0.5 : last;
    this.mark[i] = m;
    const c = this.t.setFxFromPrice(i, m);
    if (c >= 0) this.fxMoved(c);
    const list = this.byInstrument[i];
    for (let k = 0; k < list.length; k++) this.revalue(list[k]);
  }

  private fxMoved(c: number): void {
    const list = this.byCurrency[c];
    for (let k = 0; k < list.length; k++) this.revalue(list[k]);
    for (let port = 0; port < this.base.length; port++) this.revalueCash(port);
  }

  /** Applies an execution once; a repeated execution id changes nothing. Returns false for a duplicate. */
  execute(e: Execution): boolean {
    const port = this.portfolio(e.portfolio);
    if (port < 0) throw new RisklineError('UNKNOWN_PORTFOLIO', `unknown portfolio ${JSON.stringify(e.portfolio)}`);
    const i = this.instrumentOf(e.instrument);
    if (this.seenExecutions.has(e.id)) return false;
    this.seenExecutions.add(e.id);
    if (e.ts > this.now) this.now = e.ts;

    const t = this.t;
    const p = this.position(port, i);
    const signed = e.side === 'buy' ? e.qty : -e.qty;
    const f = applyFill(this.pQty[p], this.pAvg[p], signed, e.price, this.fill);
    const ccy = t.currency[i];
    const mult = t.multiplier[i];
    const fees = e.fees ?? 0;
    const fx = t.fx(ccy, this.base[port]);
    const realized = f.realized * mult - fees;
    this.pRpnl[p] += realized * fx;
    this.rpnlSum[port] += realized * fx;
    // Futures settle P&L in cash; everything else exchanges the full consideration.
    this.cash[port * this.ccyCount + ccy] += t.kind[i] === KIND_FUTURE ? realized : -signed * e.price * mult - fees;
    this.pQty[p] = f.qty;
    this.pAvg[p] = f.avgCost;
    this.revalue(p);
    this.revalueCash(port);
    return true;
  }

  /** Index of the position of portfolio `port` in instrument `i`, created flat on first use. */
  position(port: number, i: number): number {
    const k = `${port}|${i}`;
    const found = this.positionIndex.get(k);
    if (found !== undefined) return found;
    const p = this.positions++;
    if (p >= this.pPort.length) this.growPositions();
    this.positionIndex.set(k, p);
    this.pPort[p] = port;
    this.pInst[p] = i;
    const t = this.t;
    const def = t.defs[i];
    const b = p * DIMS;
    this.pBucket[b] = this.bucket(port, 0, '');
    this.pBucket[b + 1] = this.bucket(port, 1, def.id);
    this.pBucket[b + 2] = this.bucket(port, 2, KINDS[t.kind[i]]);
    this.pBucket[b + 3] = this.bucket(port, 3, def.sector);
    this.pBucket[b + 4] = this.bucket(port, 4, t.currencies[t.exposureCurrency[i]]);
    this.pBucket[b + 5] = this.bucket(port, 5, def.country);
    this.byInstrument[i].push(p);
    if (t.underlying[i] >= 0) this.byInstrument[t.underlying[i]].push(p);
    this.byCurrency[t.currency[i]].push(p);
    if (this.base[port] !== t.currency[i]) this.byCurrency[this.base[port]].push(p);
    this.portfolioPositions[port].push(p);
    return p;
  }

  /** Re-marks position p at the live marks and FX and folds the change into every aggregate. */
  revalue(p: number): void {
    const t = this.t;
    const i = this.pInst[p];
    const port = this.pPort[p];
    const fx = t.usdPer[t.currency[i]] / t.usdPer[this.base[port]];
    const q = this.pQty[p];
    const m = this.mark[i];
    const scale = q * t.multiplier[i] * fx;
    const upnl = scale * (m - this.pAvg[p]);
    const kind = t.kind[i];
    let mv = scale * m;
    let exp = mv;
    if (kind === KIND_FUTURE) mv = upnl;
    else if (kind === KIND_OPTION) exp = this.optionExposure(i, scale);
    this.mvSum[port] += mv - this.pMv[p];
    this.upnlSum[port] += upnl - this.pUpnl[p];
    this.pMv[p] = mv;
    this.pUpnl[p] = upnl;
    const old = this.pExp[p];
    if (exp !== old) {
      this.pExp[p] = exp;
      const dl = (exp > 0 ? exp : 0) - (old > 0 ? old : 0);
      const ds = (exp < 0 ? exp : 0) - (old < 0 ? old : 0);
      const dln = (exp > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
      const dsn = (exp < 0 ? 1 : 0) - (old < 0 ? 1 : 0);
      const b0 = p * DIMS;
      for (let d = 0; d < DIMS; d++) {
        const b = this.pBucket[b0 + d];
        this.bLong[b] += dl;
        this.bShort[b] += ds;
        if (dln !== 0 && (this.bLongN[b] += dln) === 0) this.bLong[b] = 0;
        if (dsn !== 0 && (this.bShortN[b] += dsn) === 0) this.bShort[b] = 0;
        if (this.bDirty[b] === 0) {
          this.bDirty[b] = 1;
          this.dirtyBuckets.push(b);
        }
      }
    }
    if (this.pDirty[p] === 0) {
      this.pDirty[p] = 1;
      this.dirtyPositions.push(p);
    }
    this.portDirty[port] = 1;
    this.riskDirty[port] = 1;
  }

  /** Delta-adjusted exposure: delta × quantity × multiplier × underlying price, in base currency. */
  private optionExposure(i: number, scale: number): number {
    const t = this.t;
    const s = this.mark[t.underlying[i]];
    const years = t.yearsToExpiry(i, this.now);
    const delta = bsDelta(s, t.strike[i], years, t.impliedVol[i], this.rate, t.isCall[i] === 1);
    return delta * scale * s;
  }

  private revalueCash(port: number): void {
    const t = this.t;
    const base = t.usdPer[this.base[port]];
    let sum = 0;
    const o = port * this.ccyCount;
    for (let c = 0; c < this.ccyCount; c++) if (this.cash[o + c] !== 0) sum += (this.cash[o + c] * t.usdPer[c]) / base;
    if (sum !== this.cashBase[port]) {
      this.cashBase[port] = sum;
      this.portDirty[port] = 1;
    }
  }

  nav(port: number): number {
    return this.cashBase[port] + this.mvSum[port];
  }

  /** Bucket index for (portfolio, dimension, key), created on first use. */
  private bucket(port: number, dim: number, key: string): number {
    const k = `${port}\u0000${dim}\u0000${key}`;
    const found = this.bucketIndex.get(k);
    if (found !== undefined) return found;
    const b = this.buckets++;
    if (b >= this.bLong.length) this.growBuckets();
    this.bucketIndex.set(k, b);
    this.bPort[b] = port;
    this.bDim[b] = dim;
    this.bKey[b] = key;
    this.portfolioBuckets[port].push(b);
    return b;
  }

  private growPositions(): void {
    const n = this.pPort.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.pPort = grow(this.pPort, n);
    this.pInst = grow(this.pInst, n);
    this.pQty = grow(this.pQty, n);
    this.pAvg = grow(this.pAvg, n);
    this.pRpnl = grow(this.pRpnl, n);
    this.pMv = grow(this.pMv, n);
    this.pUpnl = grow(this.pUpnl, n);
    this.pExp = grow(this.pExp, n);
    this.pBucket = grow(this.pBucket, n * DIMS);
    this.pDirty = grow(this.pDirty, n);
  }

  private growBuckets(): void {
    const n = this.bLong.length * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.bLong = f(this.bLong);
    this.bShort = f(this.bShort);
    const ln = new Int32Array(n);
    ln.set(this.bLongN);
    this.bLongN = ln;
    const sn = new Int32Array(n);
    sn.set(this.bShortN);
    this.bShortN = sn;
    const port = new Int32Array(n);
    port.set(this.bPort);
    this.bPort = port;
    const dim = new Uint8Array(n);
    dim.set(this.bDim);
    this.bDim = dim;
    const dirty = new Uint8Array(n);
    dirty.set(this.bDirty);
    this.bDirty = dirty;
  }

  /** Forgets what changed (after a publication). */
  clearDirty(): void {
    for (const p of this.dirtyPositions) this.pDirty[p] = 0;
    for (const b of this.dirtyBuckets) this.bDirty[b] = 0;
    this.dirtyPositions.length = 0;
    this.dirtyBuckets.length = 0;
    this.portDirty.fill(0);
  }
}
