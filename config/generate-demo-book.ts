// Generates the demo book — config/instruments.json, portfolios.json and market.json — from the
// tables in demo-universe.ts and a seeded generator, so the committed files can be reproduced
// exactly: `npm run build && node dist/config/generate-demo-book.js [OUT_DIR]`.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bond, EquityOption, Instrument, PortfolioDef } from '../engine/model.js';
import { correlationProblem } from '../engine/correlations.js';
import {
  BONDS,
  COUNTRIES,
  CURVES,
  ETFS,
  FACTORS,
  FUTURE_EXPIRY,
  FUTURES,
  FX_PAIRS,
  OPTION_EXPIRIES,
  OPTION_MONEYNESS,
  OPTION_UNDERLYINGS,
  PORTFOLIOS,
  PRICE_HINTS,
  SECTORS,
  SECTOR_DRIVERS,
  USD_PER,
  parseNames,
} from './demo-universe.js';
import { formatPath } from './issues.js';
import type { MarketConfig } from './schema.js';

export const DEMO_SEED = 20260102;
/** Valuation date for option prices and bond maturities: fixed, never the wall clock. */
export const REFERENCE_DATE = '2026-01-02';

export interface DemoBook {
  instruments: Instrument[];
  portfolios: PortfolioDef[];
  market: MarketConfig;
}

/** mulberry32: a tiny 32-bit seeded generator, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.uniform(Math.log(lo), Math.log(hi)));
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const roundPrice = (p: number) => round(p, p >= 1000 ? 1 : p >= 10 ? 2 : 4);
const yearsBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / (365.25 * 86400000);

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf), ample for demo option prices. */
function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function blackScholes(s: number, k: number, t: number, vol: number, r: number, right: 'call' | 'put'): number {
  const d1 = (Math.log(s / k) + (r + (vol * vol) / 2) * t) / (vol * Math.sqrt(t));
  const d2 = d1 - vol * Math.sqrt(t);
  const df = Math.exp(-r * t);
  return right === 'call' ? s * normCdf(d1) - k * df * normCdf(d2) : k * df * normCdf(-d2) - s * normCdf(-d1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function strikeStep(p: number): number {
  return p < 50 ? 1 : p < 200 ? 5 : p < 1000 ? 10 : 50;
}

function equities(rng: Rng): Instrument[] {
  const out: Instrument[] = [];
  for (const [country, spec] of Object.entries(COUNTRIES)) {
    for (const { id, name, sector } of parseNames(spec.names)) {
      const s = SECTORS[sector];
      const drawn = rng.logUniform(spec.price[0], spec.price[1]);
      out.push({
        id,
        kind: 'equity',
        name,
        currency: spec.currency,
        sector: s.name,
        country,
        multiplier: 1,
        price: roundPrice(PRICE_HINTS[id] ?? drawn),
        factors: { [spec.region]: round(rng.uniform(0.7, 1.3), 3), [s.factor]: round(rng.uniform(0.3, 0.8), 3) },
        idioVol: round(rng.uniform(0.15, 0.4), 3),
      });
    }
  }
  return out;
}

function options(rng: Rng, byId: Map<string, Instrument>): EquityOption[] {
  const out: EquityOption[] = [];
  for (const u of OPTION_UNDERLYINGS) {
    const under = byId.get(u);
    if (!under) throw new Error(`option underlying ${u} is not in the universe`);
    // A listed chain: five strikes around the money, calls and puts, three expiries.
    const step = strikeStep(under.price);
    const strikes = [
      ...new Set(OPTION_MONEYNESS.map((m) => Math.max(step, Math.round((under.price * m) / step) * step))),
    ];
    for (const expiry of OPTION_EXPIRIES) {
      for (const strike of strikes)
        for (const right of ['call', 'put'] as const) {
          const impliedVol = round(rng.uniform(0.2, 0.45), 3);
          const t = yearsBetween(REFERENCE_DATE, expiry);
          const price = Math.max(0.05, round(blackScholes(under.price, strike, t, impliedVol, 0.03, right), 2));
          const [yyyy, mm] = expiry.split('-');
          const month = MONTHS[Number(mm) - 1];
          out.push({
            id: `${u}-${yyyy}-${mm}-${right === 'call' ? 'C' : 'P'}-${strike}`,
            kind: 'option',
            name: `${u} ${month} ${yyyy} ${strike} ${right === 'call' ? 'Call' : 'Put'}`,
            currency: under.currency,
            sector: under.sector,
            country: under.country,
            multiplier: 100,
            price,
            underlying: u,
            strike,
            expiry,
            right,
            impliedVol,
            factors: { ...under.factors },
            idioVol: under.idioVol,
          });
        }
    }
  }
  return out;
}

const REGION_OF: Record<string, string> = { US: 'EQ_US', DE: 'EQ_EU', FR: 'EQ_EU', IT: 'EQ_EU', GB: 'EQ_UK' };

function bonds(rng: Rng): Bond[] {
  return BONDS.map(([id, name, ccy, country, sector, years, rating, spread, monthDay]): Bond => {
    const [a, b] = CURVES[ccy];
    const y = (a + b * (1 - Math.exp(-years / 5)) + spread) / 100 + rng.uniform(-0.0005, 0.0005);
    const coupon = Math.round(y * 800) / 8;
    let pv = 0;
    let weighted = 0;
    let convex = 0;
    for (let t = 1; t <= years; t++) {
      const cf = coupon + (t === years ? 100 : 0);
      const disc = cf / (1 + y) ** t;
      pv += disc;
      weighted += t * disc;
      convex += (t * (t + 1) * cf) / (1 + y) ** (t + 2);
    }
    const duration = weighted / pv / (1 + y);
    const corporate = sector !== 'Government';
    const factors: Record<string, number> = { [`RATES_${ccy}`]: round(duration / 7, 3) };
    if (corporate) factors[REGION_OF[country]] = 0.05;
    return {
      id,
      kind: 'bond',
      name: `${name} ${coupon}% ${2026 + years}`,
      currency: ccy,
      sector,
      country,
      multiplier: 0.01,
      price: round(pv, 3),
      duration: round(duration, 3),
      convexity: round(convex / pv, 2),
      rating,
      coupon,
      maturity: `${2026 + years}-${monthDay}`,
      factors,
      idioVol: round(corporate ? rng.uniform(0.02, 0.03) : rng.uniform(0.01, 0.015), 4),
    };
  });
}

function demoInstruments(rng: Rng): Instrument[] {
  const out = equities(rng);
  for (const [id, name, currency, country, sector, price, factors, idioVol] of ETFS) {
    out.push({ id, kind: 'etf', name, currency, sector, country, multiplier: 1, price, factors, idioVol });
  }
  for (const [root, name, currency, country, sector, price, multiplier, code, factors] of FUTURES) {
    const expiry = FUTURE_EXPIRY[code];
    const month = code === 'H' ? 'Mar' : 'Jun';
    const id = `${root}-2027${code}`;
    out.push({
      id,
      kind: 'future',
      name: `${name} ${month} 2027`,
      currency,
      sector,
      country,
      multiplier,
      price,
      expiry,
      factors,
      idioVol: 0.02,
    });
  }
  for (const [base, currency, price, factor, sign, country] of FX_PAIRS) {
    const id = `${base}${currency}`;
    out.push({
      id,
      kind: 'fx',
      name: `${base}/${currency}`,
      currency,
      base,
      sector: 'Currency',
      country,
      multiplier: 1,
      price,
      factors: { [factor]: sign },
      idioVol: 0.01,
    });
  }
  out.push(...options(rng, new Map(out.map((i) => [i.id, i]))));
  out.push(...bonds(rng));
  return out;
}

function demoMarket(): MarketConfig {
  const rows = FACTORS.map(([id, vol, drivers]) => ({ id, vol, b: { ...drivers, ...SECTOR_DRIVERS[id] } }));
  const dot = (x: Record<string, number>, y: Record<string, number>) =>
    Object.keys(x).reduce((s, k) => s + x[k] * (y[k] ?? 0), 0);
  // Covariance of unit-variance latent drivers plus a specific part, then scaled to unit diagonal:
  // positive definite by construction because every specific variance is at least 0.15.
  const diag = rows.map((r) => dot(r.b, r.b) + Math.max(1 - dot(r.b, r.b), 0.15));
  const correlations = rows.map((ri, i) =>
    rows.map((rj, j) => (i === j ? 1 : round(dot(ri.b, rj.b) / Math.sqrt(diag[i] * diag[j]), 4))),
  );
  // The rounding to 4 places could break that: check the rule the config loader applies.
  const problem = correlationProblem(correlations, rows.length);
  if (problem) throw new Error(`demo ${formatPath(['correlations', ...problem.path])}: ${problem.message}`);
  return { factors: rows.map((r) => ({ id: r.id, vol: r.vol })), correlations };
}

/** Distinct instruments held per portfolio (themed ones are bought in several lots). */
export const POSITIONS_PER_PORTFOLIO = [450, 700] as const;

function roundQty(inst: Instrument, q: number): number {
  if (inst.kind === 'bond' || inst.kind === 'fx') return Math.max(1000, Math.round(q / 1000) * 1000);
  const lot = inst.kind === 'equity' && inst.currency === 'JPY' ? 100 : 1;
  return Math.max(lot, Math.round(q / lot) * lot);
}

function demoPortfolios(rng: Rng, instruments: readonly Instrument[]): PortfolioDef[] {
  const byId = new Map(instruments.map((i) => [i.id, i]));
  return PORTFOLIOS.map((spec) => {
    const holdings: PortfolioDef['holdings'] = [];
    for (const inst of instruments) {
      const theme = spec.theme(inst);
      if (!theme && !rng.chance(0.85)) continue;
      const lots = theme ? rng.int(2, 3) : 1;
      const sign = rng.chance(inst.kind === 'fx' || inst.kind === 'option' ? 0.5 : spec.longBias) ? 1 : -1;
      // Options are sized on the underlying's notional, everything else on its own.
      const sizing = inst.kind === 'option' ? (byId.get(inst.underlying)?.price ?? inst.price) : inst.price;
      for (let k = 0; k < lots; k++) {
        const usd = rng.logUniform(0.2e6, 5e6);
        const qty = roundQty(inst, usd / (sizing * inst.multiplier * USD_PER[inst.currency]));
        const price = Math.max(0.01, roundPrice(inst.price * (1 + rng.uniform(-0.03, 0.03))));
        holdings.push({ instrument: inst.id, qty: sign * qty, price });
      }
    }
    const [lo, hi] = POSITIONS_PER_PORTFOLIO;
    const positions = new Set(holdings.map((h) => h.instrument)).size;
    if (positions < lo || positions > hi) {
      throw new Error(`${spec.id}: ${positions} positions, outside ${lo}..${hi}: retune the generator`);
    }
    // Opening cash pays for the book's net cost and leaves equity of a quarter of its gross value.
    let net = 0;
    let gross = 0;
    for (const h of holdings) {
      const inst = byId.get(h.instrument) as Instrument;
      const value = (h.qty * h.price * inst.multiplier * USD_PER[inst.currency]) / USD_PER[spec.base];
      net += value;
      gross += Math.abs(value);
    }
    const cash: Record<string, number> = { [spec.base]: Math.round((net + gross / 4) / 1e6) * 1e6 };
    if (spec.base !== 'USD') cash.USD = 2e6;
    return { id: spec.id, name: spec.name, baseCurrency: spec.base, cash, holdings };
  });
}

/** The whole demo book for a seed; the same seed always gives the same book. */
export function generateDemoBook(seed = DEMO_SEED): DemoBook {
  const rng = new Rng(seed);
  const instruments = demoInstruments(rng);
  const portfolios = demoPortfolios(rng, instruments);
  return { instruments, portfolios, market: demoMarket() };
}

// ---- writing -------------------------------------------------------------------------------

/** One instrument per line: compact, diffable, and still plain JSON. */
function instrumentsJson(instruments: readonly Instrument[]): string {
  return `[\n${instruments.map((i) => `  ${JSON.stringify(i)}`).join(',\n')}\n]\n`;
}

function portfoliosJson(portfolios: readonly PortfolioDef[]): string {
  const one = (p: PortfolioDef) => {
    const head = Object.entries(p)
      .filter(([k]) => k !== 'holdings')
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const holdings = p.holdings.map((h) => `      ${JSON.stringify(h)}`).join(',\n');
    return `  {\n${head.join(',\n')},\n    "holdings": [\n${holdings}\n    ]\n  }`;
  };
  return `[\n${portfolios.map(one).join(',\n')}\n]\n`;
}

/** Formats with the project's Prettier settings when Prettier is installed (a dev dependency). */
async function pretty(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}

export async function writeDemoBook(dir: string, book: DemoBook = generateDemoBook()): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['instruments.json', instrumentsJson(book.instruments)],
    ['portfolios.json', portfoliosJson(book.portfolios)],
    ['market.json', await pretty(`${JSON.stringify(book.market, null, 2)}\n`, path.join(dir, 'market.json'))],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From dist/config/ the sources live two levels up; from config/ they are right here.
  const defaultDir = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../../config') : here;
  const dir = path.resolve(process.argv[2] ?? defaultDir);
  const book = generateDemoBook();
  const files = await writeDemoBook(dir, book);
  const holdings = book.portfolios.reduce((n, p) => n + p.holdings.length, 0);
  console.log(`wrote ${files.join(', ')}: ${book.instruments.length} instruments, ${holdings} holdings`);
}
