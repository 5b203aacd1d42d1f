// The live book: marks, positions, cash, P&L and exposure buckets, kept current tick by tick.
//
// Invariants that make it fast and correct:
// - Positions live in parallel typed arrays; a price tick revalues only the positions indexed
//   under its instrument (its own, and options on it). Nothing per tick scans the book.
// - Every amount is held in the currency it is priced in (the instrument's quote currency);
//   conversion to a portfolio's base currency happens when a value is read, through the live USD
//   rate table. An FX tick therefore revalues nothing: it updates one rate and sets the currency's
//   moved flag in each portfolio's row (one byte store per portfolio); the next publication
//   re-reads what that currency touches.
// - Aggregates (market value, unrealised P&L, long/short per exposure bucket) are maintained per
//   (portfolio, currency) slot by adding the change of the position that moved, so each equals the
//   sum over its positions; a side whose last contributor leaves is reset to exactly 0.
// - Each position feeds five exposure buckets (portfolio total, asset class, sector, currency,
//   country); its own exposure is the by-instrument cell. net = long + short, gross = long − short.
// - What changed since the last publication is tracked in dirty lists and flags. Positions are
//   grouped in publication units of UNIT_SIZE positions of one portfolio, so a large portfolio's
//   changes go out as several small frames at different moments rather than one long stall.

import { bsDelta } from './blackscholes.js';
import { grow } from './typed-arrays.js';
import { RisklineError } from '../errors/catalogue.js';
import { InstrumentTable, KIND_FUTURE, KIND_OPTION } from './instruments.js';
import type { AssetClass, Execution, PortfolioDef } from './model.js';
import { ExecutionWindow } from './executions.js';
import { applyFill, type FillResult } from './positions.js';

/** Aggregated dimensions, in bucket-slot order. The instrument dimension is the position itself. */
export const DIMENSIONS = ['total', 'assetClass', 'sector', 'currency', 'country'] as const;
export const DIMS = DIMENSIONS.length;
/** Positions per publication unit. */
export const UNIT_SIZE = 128;
export const DEFAULT_DEDUPE_WINDOW = 10_000;
const KINDS: AssetClass[] = ['equity', 'etf', 'future', 'fx', 'option', 'bond'];

export interface BookOptions {
  markSource: 'mid' | 'last';
  riskFreeRate: number;
  /** Execution ids remembered per portfolio for idempotence (see ExecutionWindow). */
  dedupeWindow?: number;
  /** Event time before the first input (see EngineOptions.valuationTime). */
  valuationTime: number;
}

export class Book {
  readonly t: InstrumentTable;
  private readonly markMid: boolean;
  private readonly rate: number;
  /** Number of currencies: the width of every per-currency slot row. */
  readonly nc: number;

  // Marks, by instrument.
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly last: Float64Array;
  readonly mark: Float64Array;
  /** Event time of each instrument's newest tick (0: the opening price). */
  readonly markTs: Float64Array;
  /** Event time of the newest input applied, or the valuation time before any. */
  now: number;

  // Portfolios; per-currency rows are [port * nc + currency].
  readonly portfolioIds: string[];
  private readonly portfolioIndex = new Map<string, number>();
  readonly base: Int32Array;
  readonly cash: Float64Array;
  readonly mvLocal: Float64Array;
  readonly upnlLocal: Float64Array;
  /** Realised P&L in base currency, converted at each execution's FX. */
  readonly realized: Float64Array;
  /** Set when a portfolio's totals changed since the last publication, and since the last risk run. */
  readonly portDirty: Uint8Array;
  /** Portfolios revalued since the last limit check. */
  readonly limitDirty: PortfolioSet;
  readonly riskDirty: Uint8Array;
  /** Currencies whose USD rate moved since each portfolio's last publication: [port * nc + ccy]. */
  readonly fxMoved: Uint8Array;

  // Positions (parallel arrays, grown by doubling). Amounts in the instrument's currency.
  positions = 0;
  pPort = new Int32Array(1024);
  pInst = new Int32Array(1024);
  pQty = new Float64Array(1024);
  pAvg = new Float64Array(1024);
  pRpnl = new Float64Array(1024);
  pMv = new Float64Array(1024);
  pUpnl = new Float64Array(1024);
  pExp = new Float64Array(1024);
  /** Bucket slot (bucket × nc + currency) of each aggregated dimension: pSlot[p * DIMS + d]. */
  pSlot = new Int32Array(1024 * DIMS);
  pDirty = new Uint8Array(1024);
  private readonly positionIndex = new Map<string, number>();
  /** Positions valued off each instrument (their own, and options on it). */
  readonly byInstrument: number[][];
  readonly portfolioPositions: number[][];

  // Exposure buckets: (portfolio, dimension, key), each with one slot per currency.
  buckets = 0;
  bPort = new Int32Array(256);
  bDim = new Uint8Array(256);
  bDirty = new Uint8Array(256);
  readonly bKey: string[] = [];
  sLong: Float64Array;
  sShort: Float64Array;
  /** Contributors per slot side, so an emptied side is exactly 0 despite rounding. */
  sLongN: Int32Array;
  sShortN: Int32Array;
  /** Slots changed since the last publication (turned into dirty buckets when publishing). */
  sDirty: Uint8Array;
  private readonly bucketIndex = new Map<string, number>();
  readonly portfolioBuckets: number[][];

  /** Publication units: the portfolio of each, the units of each portfolio, each position's unit. */
  readonly unitPort: number[] = [];
  readonly portfolioUnits: number[][];
  pUnit = new Int32Array(1024);
  /** Changed positions since their unit's last publication, per unit. */
  readonly dirtyPositions: number[][] = [];
  /** Changed slots and buckets since the portfolio's last exposure publication, per portfolio. */
  readonly dirtySlots: number[][];
  readonly dirtyBuckets: number[][];
  /** Per portfolio: execution ids already applied. */
  readonly executed: ExecutionWindow[];
  private readonly fill: FillResult = { qty: 0, avgCost: 0, realized: 0, closed: 0 };

  constructor(instruments: InstrumentTable, portfolios: PortfolioDef[], options: BookOptions) {
    this.t = instruments;
    this.markMid = options.markSource === 'mid';
    this.rate = options.riskFreeRate;
    // Set before the opening holdings are valued: an option's delta depends on time to expiry.
    this.now = options.valuationTime;
    const n = instruments.count;
    this.bid = new Float64Array(n);
    this.ask = new Float64Array(n);
    this.last = new Float64Array(n);
    this.mark = new Float64Array(n);
    this.markTs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = instruments.defs[i].price;
      this.bid[i] = this.ask[i] = this.last[i] = this.mark[i] = p;
    }
    this.byInstrument = Array.from({ length: n }, () => []);

    const np = portfolios.length;
    this.portfolioIds = portfolios.map((p) => p.id);
    this.base = new Int32Array(np);
    this.executed = portfolios.map(() => new ExecutionWindow(options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW));
    portfolios.forEach((p, k) => {
      this.portfolioIndex.set(p.id, k);
      this.base[k] = instruments.currencyId(p.baseCurrency);
      for (const c of Object.keys(p.cash)) instruments.currencyId(c);
    });
    const nc = (this.nc = instruments.currencies.length);
    this.cash = new Float64Array(np * nc);
    this.mvLocal = new Float64Array(np * nc);
    this.upnlLocal = new Float64Array(np * nc);
    this.realized = new Float64Array(np);
    this.portDirty = new Uint8Array(np).fill(1);
    this.limitDirty = new PortfolioSet(np);
    this.riskDirty = new Uint8Array(np).fill(1);
    this.fxMoved = new Uint8Array(np * nc);
    this.portfolioUnits = Array.from({ length: np }, () => []);
    this.dirtySlots = Array.from({ length: np }, () => []);
    this.dirtyBuckets = Array.from({ length: np }, () => []);
    this.sLong = new Float64Array(256 * nc);
    this.sShort = new Float64Array(256 * nc);
    this.sLongN = new Int32Array(256 * nc);
    this.sShortN = new Int32Array(256 * nc);
    this.sDirty = new Uint8Array(256 * nc);
    this.portfolioPositions = Array.from({ length: np }, () => []);
    this.portfolioBuckets = Array.from({ length: np }, () => []);
    portfolios.forEach((p, k) => {
      // Every portfolio has a first unit, even empty: it carries totals, snapshots and risk.
      this.addUnit(k);
      this.bucket(k, 0, '');
      for (const [c, amount] of Object.entries(p.cash)) this.cash[k * nc + instruments.currencyId(c)] += amount;
      for (const h of p.holdings) {
        // The opening book is bought out of the opening cash at the holding's price, like an
        // execution without an id; lots of one instrument merge into one position.
        const i = this.instrumentOf(h.instrument);
        const pos = this.position(k, i);
        const f = applyFill(this.pQty[pos], this.pAvg[pos], h.qty, h.price, this.fill);
        this.pQty[pos] = f.qty;
        this.pAvg[pos] = f.avgCost;
        if (instruments.kind[i] !== KIND_FUTURE)
          this.cash[k * nc + instruments.currency[i]] -= h.qty * h.price * instruments.multiplier[i];
        this.revalue(pos);
      }
    });
  }

  portfolio(id: string): number {
    const k = this.portfolioIndex.get(id);
    return k === undefined ? -1 : k;
  }

  /** Units portfolio `port` holds of instrument `i` (0 when it has no position); creates nothing. */
  held(port: number, i: number): number {
    const p = this.positionIndex.get(`${port}|${i}`);
    return p === undefined ? 0 : this.pQty[p];
  }

  private readonly pair = new Float64Array(2);

  /** Gross exposure of portfolio `port` in its base currency (0 before its first position). */
  grossExposure(port: number): number {
    const b = this.bucketIndex.get(`${port}\u00000\u0000`);
    if (b === undefined) return 0;
    const [long, short] = this.bucketValue(b, this.pair);
    return long - short;
  }

  /** Dense index of an instrument id; an unknown one is an UNKNOWN_INSTRUMENT error naming `context`. */
  instrumentOf(id: string, context = ''): number {
    const i = this.t.index(id);
    if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `${context}unknown instrument ${JSON.stringify(id)}`);
    return i;
  }

  /** Applies a validated tick to instrument i and revalues what depends on its price. */
  tick(i: number, ts: number, bid: number, ask: number, last: number): void {
    if (ts > this.now) this.now = ts;
    this.markTs[i] = ts;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.last[i] = last;
    const m = this.markMid ? (bid + ask) * 0.5 : last;
    this.mark[i] = m;
    const c = this.t.setFxFromPrice(i, m);
    if (c >= 0) for (let row = c; row < this.fxMoved.length; row += this.nc) this.fxMoved[row] = 1;
    const list = this.byInstrument[i];
    for (let k = 0; k < list.length; k++) this.revalue(list[k]);
  }

  /** Applies an execution once; a repeated execution id changes nothing. Returns false for a duplicate. */
  execute(e: Execution): boolean {
    const port = this.portfolio(e.portfolio);
    if (port < 0) {
      throw new RisklineError(
        'UNKNOWN_PORTFOLIO',
        `execution ${e.id}: unknown portfolio ${JSON.stringify(e.portfolio)}`,
      );
    }
    const i = this.instrumentOf(e.instrument, `execution ${e.id}: `);
    if (!this.executed[port].add(e.id)) return false;
    if (e.ts > this.now) this.now = e.ts;

    const t = this.t;
    const p = this.position(port, i);
    const signed = e.side === 'buy' ? e.qty : -e.qty;
    const f = applyFill(this.pQty[p], this.pAvg[p], signed, e.price, this.fill);
    const ccy = t.currency[i];
    const mult = t.multiplier[i];
    const fees = e.fees ?? 0;
    const realized = f.realized * mult - fees;
    const inBase = realized * t.fx(ccy, this.base[port]);
    this.pRpnl[p] += inBase;
    this.realized[port] += inBase;
    // Futures settle P&L in cash; everything else exchanges the full consideration.
    this.cash[port * this.nc + ccy] += t.kind[i] === KIND_FUTURE ? realized : -signed * e.price * mult - fees;
    this.pQty[p] = f.qty;
    this.pAvg[p] = f.avgCost;
    this.revalue(p);
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
    const c = t.currency[i];
    const s = p * DIMS;
    this.pSlot[s] = this.bucket(port, 0, '') * this.nc + c;
    this.pSlot[s + 1] = this.bucket(port, 1, KINDS[t.kind[i]]) * this.nc + c;
    this.pSlot[s + 2] = this.bucket(port, 2, def.sector) * this.nc + c;
    this.pSlot[s + 3] = this.bucket(port, 3, t.currencies[t.exposureCurrency[i]]) * this.nc + c;
    this.pSlot[s + 4] = this.bucket(port, 4, def.country) * this.nc + c;
    this.byInstrument[i].push(p);
    if (t.underlying[i] >= 0) this.byInstrument[t.underlying[i]].push(p);
    const ordinal = this.portfolioPositions[port].push(p) - 1;
    const units = this.portfolioUnits[port];
    if (ordinal >= units.length * UNIT_SIZE) this.addUnit(port);
    this.pUnit[p] = units[units.length - 1];
    return p;
  }

  private addUnit(port: number): void {
    this.portfolioUnits[port].push(this.unitPort.length);
    this.unitPort.push(port);
    this.dirtyPositions.push([]);
  }

  /**
   * Re-marks position p at the live marks and folds the change into every aggregate. The hottest
   * loop of the engine: arrays are read into locals once so V8 keeps them in registers.
   */
  revalue(p: number): void {
    const t = this.t;
    const i = this.pInst[p];
    const port = this.pPort[p];
    const m = this.mark[i];
    const qm = this.pQty[p] * t.multiplier[i];
    const upnl = qm * (m - this.pAvg[p]);
    let mv = qm * m;
    let exp = mv;
    const kind = t.kind[i];
    if (kind === KIND_FUTURE) mv = upnl;
    else if (kind === KIND_OPTION) exp = this.optionExposure(i, qm);
    const row = port * this.nc + t.currency[i];
    this.mvLocal[row] += mv - this.pMv[p];
    this.upnlLocal[row] += upnl - this.pUpnl[p];
    this.pMv[p] = mv;
    this.pUpnl[p] = upnl;
    const old = this.pExp[p];
    if (exp !== old) {
      this.pExp[p] = exp;
      const dl = (exp > 0 ? exp : 0) - (old > 0 ? old : 0);
      const ds = (exp < 0 ? exp : 0) - (old < 0 ? old : 0);
      // Contributors per side change only when the exposure changes side (or leaves zero).
      const dln = (exp > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
      const dsn = (exp < 0 ? 1 : 0) - (old < 0 ? 1 : 0);
      const slots = this.pSlot;
      const sLong = this.sLong;
      const sShort = this.sShort;
      const sDirty = this.sDirty;
      for (let d = p * DIMS, end = d + DIMS; d < end; d++) {
        const s = slots[d];
        sLong[s] += dl;
        sShort[s] += ds;
        if (dln !== 0 && (this.sLongN[s] += dln) === 0) sLong[s] = 0;
        if (dsn !== 0 && (this.sShortN[s] += dsn) === 0) sShort[s] = 0;
        if (sDirty[s] === 0) {
          sDirty[s] = 1;
          this.dirtySlots[port].push(s);
        }
      }
    }
    if (this.pDirty[p] === 0) {
      this.pDirty[p] = 1;
      this.dirtyPositions[this.pUnit[p]].push(p);
    }
    this.portDirty[port] = 1;
    this.riskDirty[port] = 1;
    this.limitDirty.add(port);
  }

  /** Delta-adjusted exposure: delta × quantity × multiplier × underlying price (local currency). */
  private optionExposure(i: number, qm: number): number {
    const t = this.t;
    const s = this.mark[t.underlying[i]];
    const delta = bsDelta(s, t.strike[i], t.yearsToExpiry(i, this.now), t.impliedVol[i], this.rate, t.isCall[i] === 1);
    return delta * qm * s;
  }

  // ---- Reading in base currency (conversion at the live rates) ----

  /** Factor from position p's currency to its portfolio's base currency. */
  fxOf(p: number): number {
    return this.t.fx(this.t.currency[this.pInst[p]], this.base[this.pPort[p]]);
  }

  /** Σ over currencies of row[port * nc + c] converted to the base currency. */
  private inBase(row: Float64Array, port: number): number {
    const t = this.t;
    const o = port * this.nc;
    const base = t.usdPer[this.base[port]];
    let sum = 0;
    for (let c = 0; c < this.nc; c++) if (row[o + c] !== 0) sum += (row[o + c] * t.usdPer[c]) / base;
    return sum;
  }

  cashBase(port: number): number {
    return this.inBase(this.cash, port);
  }
  marketValue(port: number): number {
    return this.inBase(this.mvLocal, port);
  }
  unrealizedPnl(port: number): number {
    return this.inBase(this.upnlLocal, port);
  }
  nav(port: number): number {
    return this.cashBase(port) + this.marketValue(port);
  }

  /** Long and short of bucket b in its portfolio's base currency, written to out[0], out[1]. */
  bucketValue(b: number, out: Float64Array): Float64Array {
    const t = this.t;
    const base = t.usdPer[this.base[this.bPort[b]]];
    let long = 0;
    let short = 0;
    const o = b * this.nc;
    for (let c = 0; c < this.nc; c++) {
      const f = t.usdPer[c] / base;
      long += this.sLong[o + c] * f;
      short += this.sShort[o + c] * f;
    }
    out[0] = long;
    out[1] = short;
    return out;
  }

  /** Folds a portfolio's changed slots into changed buckets; call before reading dirtyBuckets. */
  collectDirtyBuckets(port: number): void {
    const slots = this.dirtySlots[port];
    for (const s of slots) {
      this.sDirty[s] = 0;
      this.markBucket(port, (s / this.nc) | 0);
    }
    slots.length = 0;
  }

  private markBucket(port: number, b: number): void {
    if (this.bDirty[b] === 0) {
      this.bDirty[b] = 1;
      this.dirtyBuckets[port].push(b);
    }
  }

  /**
   * Turns FX moves since the portfolio's last publication into dirty state: its positions priced
   * in a moved currency (all of them but base-currency ones if its base moved) and all its buckets.
   */
  expandFxMoves(port: number): void {
    const o = port * this.nc;
    let any = false;
    for (let c = 0; c < this.nc; c++) any ||= this.fxMoved[o + c] === 1;
    if (!any) return;
    const t = this.t;
    const base = this.base[port];
    const baseMoved = this.fxMoved[o + base] === 1;
    for (const p of this.portfolioPositions[port]) {
      const c = t.currency[this.pInst[p]];
      if (c === base || (!baseMoved && this.fxMoved[o + c] === 0)) continue;
      if (this.pDirty[p] === 0) {
        this.pDirty[p] = 1;
        this.dirtyPositions[this.pUnit[p]].push(p);
      }
    }
    this.portDirty[port] = 1;
    this.riskDirty[port] = 1;
    for (const b of this.portfolioBuckets[port]) this.markBucket(port, b);
    this.fxMoved.fill(0, o, o + this.nc);
  }

  /** Bucket index for (portfolio, dimension, key), created on first use. */
  private bucket(port: number, dim: number, key: string): number {
    const k = `${port}\u0000${dim}\u0000${key}`;
    const found = this.bucketIndex.get(k);
    if (found !== undefined) return found;
    const b = this.buckets++;
    if (b >= this.bPort.length) this.growBuckets();
    this.bucketIndex.set(k, b);
    this.bPort[b] = port;
    this.bDim[b] = dim;
    this.bKey[b] = key;
    this.portfolioBuckets[port].push(b);
    return b;
  }

  private growPositions(): void {
    const n = this.pPort.length * 2;
    this.pPort = grow(this.pPort, n);
    this.pInst = grow(this.pInst, n);
    this.pQty = grow(this.pQty, n);
    this.pAvg = grow(this.pAvg, n);
    this.pRpnl = grow(this.pRpnl, n);
    this.pMv = grow(this.pMv, n);
    this.pUpnl = grow(this.pUpnl, n);
    this.pExp = grow(this.pExp, n);
    this.pSlot = grow(this.pSlot, n * DIMS);
    this.pDirty = grow(this.pDirty, n);
    this.pUnit = grow(this.pUnit, n);
  }

  private growBuckets(): void {
    const n = this.bPort.length * 2;
    this.bPort = grow(this.bPort, n);
    this.bDim = grow(this.bDim, n);
    this.bDirty = grow(this.bDirty, n);
    this.sLong = grow(this.sLong, n * this.nc);
    this.sShort = grow(this.sShort, n * this.nc);
    this.sLongN = grow(this.sLongN, n * this.nc);
    this.sShortN = grow(this.sShortN, n * this.nc);
    this.sDirty = grow(this.sDirty, n * this.nc);
  }

  /** Forgets the changed positions of a publication unit (after it is published). */
  clearUnit(unit: number): void {
    const list = this.dirtyPositions[unit];
    for (const p of list) this.pDirty[p] = 0;
    list.length = 0;
  }

  /** Forgets a portfolio's changed totals and buckets (after they are published). */
  clearPortfolio(port: number): void {
    for (const s of this.dirtySlots[port]) this.sDirty[s] = 0;
    for (const b of this.dirtyBuckets[port]) this.bDirty[b] = 0;
    this.dirtySlots[port].length = 0;
    this.dirtyBuckets[port].length = 0;
    this.portDirty[port] = 0;
  }

  /** Forgets everything that changed in a portfolio (after a full snapshot). */
  clearDirty(port: number): void {
    for (const u of this.portfolioUnits[port]) this.clearUnit(u);
    this.clearPortfolio(port);
  }
}

/** A set of portfolio indexes, each once, in the order added: a flag per portfolio and a list, drained whole. */
export class PortfolioSet {
  private readonly flag: Uint8Array;
  private readonly list: number[] = [];
  constructor(portfolios: number) {
    this.flag = new Uint8Array(portfolios);
  }
  add(port: number): void {
    if (this.flag[port] === 1) return;
    this.flag[port] = 1;
    this.list.push(port);
  }
  /** Calls `each` for every member, oldest first, and empties the set. */
  drain(each: (port: number) => unknown): void {
    const list = this.list;
    for (let k = 0; k < list.length; k++) {
      this.flag[list[k]] = 0;
      each(list[k]);
    }
    list.length = 0;
  }
}
