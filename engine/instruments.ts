// Instrument reference data laid out as parallel typed arrays indexed by a dense instrument number,
// so the per-tick valuation loop touches numbers, never objects or strings. Also owns the currency
// table (USD per unit of each currency, kept live by FX ticks) and the factor loadings (CSR).

import { expiryToMs, yearsToExpiry } from './blackscholes.js';
import { RisklineError } from '../errors/catalogue.js';
import type { AssetClass, Instrument } from './model.js';

/** The table is built from reference data: what it cannot index is a configuration error. */
function invalid(message: string): never {
  throw new RisklineError('CONFIG_INVALID', `instruments: ${message}`);
}

export const KIND_CODE: Record<AssetClass, number> = { equity: 0, etf: 1, future: 2, fx: 3, option: 4, bond: 5 };
export const KIND_FUTURE = 2;
export const KIND_OPTION = 4;

export interface FactorDef {
  id: string;
  vol: number;
}

export class InstrumentTable {
  readonly count: number;
  readonly ids: string[];
  readonly defs: Instrument[];
  private readonly indexById = new Map<string, number>();

  readonly kind: Uint8Array;
  readonly multiplier: Float64Array;
  readonly currency: Int32Array;
  /** Option underlying instrument, or -1. */
  readonly underlying: Int32Array;
  readonly strike: Float64Array;
  readonly expiryMs: Float64Array;
  readonly isCall: Uint8Array;
  readonly impliedVol: Float64Array;
  /** FX spot: the currency whose USD rate this instrument's price sets, and whether price is per USD. */
  readonly fxCurrency: Int32Array;
  readonly fxInverted: Uint8Array;
  /** Currency that carries the exposure: the pair's base for FX spot, else the quote currency. */
  readonly exposureCurrency: Int32Array;

  readonly currencies: string[] = [];
  private readonly currencyIndex = new Map<string, number>();
  /** USD per one unit of each currency; USD is 1. Live: FX ticks update it. */
  usdPer: Float64Array;
  readonly usd: number;

  readonly factors: FactorDef[];
  readonly factorIndex = new Map<string, number>();
  /** Loadings in CSR form: instrument i has loadings [loadStart[i], loadStart[i+1]). */
  readonly loadStart: Int32Array;
  readonly loadFactor: Int32Array;
  readonly loadValue: Float64Array;
  /** Annualised idiosyncratic volatility. */
  readonly idioVol: Float64Array;

  constructor(instruments: Instrument[], factors: FactorDef[] = []) {
    const n = instruments.length;
    this.count = n;
    this.defs = instruments;
    this.ids = instruments.map((i) => i.id);
    instruments.forEach((inst, i) => {
      if (this.indexById.has(inst.id)) invalid(`duplicate id ${inst.id}`);
      this.indexById.set(inst.id, i);
    });
    this.kind = new Uint8Array(n);
    this.multiplier = new Float64Array(n);
    this.currency = new Int32Array(n);
    this.underlying = new Int32Array(n).fill(-1);
    this.strike = new Float64Array(n);
    this.expiryMs = new Float64Array(n);
    this.isCall = new Uint8Array(n);
    this.impliedVol = new Float64Array(n);
    this.fxCurrency = new Int32Array(n).fill(-1);
    this.fxInverted = new Uint8Array(n);
    this.exposureCurrency = new Int32Array(n);
    this.idioVol = new Float64Array(n);

    this.usd = this.currencyId('USD');
    this.factors = factors;
    factors.forEach((f, k) => this.factorIndex.set(f.id, k));

    let loads = 0;
    for (const inst of instruments) loads += Object.keys(inst.factors).length;
    this.loadStart = new Int32Array(n + 1);
    this.loadFactor = new Int32Array(loads);
    this.loadValue = new Float64Array(loads);

    let l = 0;
    for (let i = 0; i < n; i++) {
      const inst = instruments[i];
      this.kind[i] = KIND_CODE[inst.kind];
      this.multiplier[i] = inst.multiplier;
      this.currency[i] = this.currencyId(inst.currency);
      this.exposureCurrency[i] = this.currency[i];
      this.idioVol[i] = inst.idioVol;
      if (inst.kind === 'option') {
        const u = this.indexById.get(inst.underlying);
        if (u === undefined || instruments[u].kind === 'option') {
          invalid(`${inst.id}: underlying: expected a non-option instrument, received "${inst.underlying}"`);
        }
        this.underlying[i] = u;
        this.strike[i] = inst.strike;
        this.expiryMs[i] = expiryToMs(inst.expiry);
        this.isCall[i] = inst.right === 'call' ? 1 : 0;
        this.impliedVol[i] = inst.impliedVol;
      } else if (inst.kind === 'fx') {
        const base = this.currencyId(inst.base);
        this.exposureCurrency[i] = base;
        // EURUSD prices USD per EUR: sets EUR. USDJPY prices JPY per USD: sets JPY, inverted.
        if (inst.currency === 'USD') this.fxCurrency[i] = base;
        else if (inst.base === 'USD') {
          this.fxCurrency[i] = this.currency[i];
          this.fxInverted[i] = 1;
        }
      }
      this.loadStart[i] = l;
      for (const [factor, loading] of Object.entries(inst.factors)) {
        const k = this.factorIndex.get(factor);
        if (k === undefined) {
          if (factors.length > 0) invalid(`${inst.id}: factors.${factor}: unknown factor`);
          continue;
        }
        this.loadFactor[l] = k;
        this.loadValue[l] = loading;
        l++;
      }
    }
    this.loadStart[n] = l;

    this.usdPer = new Float64Array(this.currencies.length).fill(1);
    for (let i = 0; i < n; i++) if (this.fxCurrency[i] >= 0) this.setFxFromPrice(i, instruments[i].price);
  }

  /** Dense index of a currency code, adding it on first sight. */
  currencyId(code: string): number {
    let c = this.currencyIndex.get(code);
    if (c === undefined) {
      c = this.currencies.length;
      this.currencies.push(code);
      this.currencyIndex.set(code, c);
      if (this.usdPer !== undefined) {
        const grown = new Float64Array(c + 1).fill(1);
        grown.set(this.usdPer);
        this.usdPer = grown;
      }
    }
    return c;
  }

  hasCurrency(code: string): boolean {
    return this.currencyIndex.has(code);
  }

  index(id: string): number {
    const i = this.indexById.get(id);
    return i === undefined ? -1 : i;
  }

  /** Applies an FX spot price to the USD rate table; returns the currency changed, or -1. */
  setFxFromPrice(i: number, price: number): number {
    const c = this.fxCurrency[i];
    if (c < 0 || !(price > 0)) return -1;
    this.usdPer[c] = this.fxInverted[i] ? 1 / price : price;
    return c;
  }

  /** Converts one unit of `from` into `to` at the live rates. */
  fx(from: number, to: number): number {
    return from === to ? 1 : this.usdPer[from] / this.usdPer[to];
  }

  /** Option time to expiry in years at event time `nowMs`. */
  yearsToExpiry(i: number, nowMs: number): number {
    return yearsToExpiry(this.expiryMs[i], nowMs);
  }
}
