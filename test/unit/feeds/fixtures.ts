// A small market shared by the feed tests: three correlated factors, equities loading on them
// (B moves with A, C against it), an FX pair, a bond, and options on A.

import { RisklineError } from '../../../errors/catalogue.js';
import type { Instrument, PortfolioDef } from '../../../engine/model.js';
import type { MarketModel, SimulatorOptions } from '../../../feeds/simulator.js';

export const START = Date.UTC(2025, 10, 24, 14, 30);

export const market: MarketModel = {
  factors: [
    { id: 'EQ', vol: 0.2 },
    { id: 'RATES', vol: 0.05 },
    { id: 'EURUSD', vol: 0.08 },
  ],
  correlations: [
    [1, -0.3, 0.2],
    [-0.3, 1, 0.1],
    [0.2, 0.1, 1],
  ],
};

const base = { currency: 'USD', sector: 'Tech', country: 'US', multiplier: 1 };

export const instruments: Instrument[] = [
  { ...base, id: 'A', kind: 'equity', price: 100, factors: { EQ: 1.0 }, idioVol: 0.03 },
  { ...base, id: 'B', kind: 'equity', price: 50, factors: { EQ: 1.2 }, idioVol: 0.03 },
  { ...base, id: 'C', kind: 'etf', price: 20, factors: { EQ: -1.0 }, idioVol: 0.03 },
  { ...base, id: 'EURUSD', kind: 'fx', base: 'EUR', price: 1.08, factors: { EURUSD: 1 }, idioVol: 0.01 },
  {
    ...base,
    id: 'UST10',
    kind: 'bond',
    multiplier: 0.01,
    price: 98.5,
    factors: { RATES: -7.5 },
    idioVol: 0.005,
    duration: 7.5,
    convexity: 60,
    rating: 'AAA',
    coupon: 0.04,
    maturity: '2035-11-15',
  },
  {
    ...base,
    id: 'A-C100',
    kind: 'option',
    multiplier: 100,
    price: 5,
    factors: {},
    idioVol: 0,
    underlying: 'A',
    strike: 100,
    expiry: '2026-06-19',
    right: 'call',
    impliedVol: 0.25,
  },
  {
    ...base,
    id: 'A-P95',
    kind: 'option',
    multiplier: 100,
    price: 3,
    factors: {},
    idioVol: 0,
    underlying: 'A',
    strike: 95,
    expiry: '2026-03-20',
    right: 'put',
    impliedVol: 0.3,
  },
];

export function simOptions(over: Partial<SimulatorOptions> = {}): SimulatorOptions {
  return {
    instruments,
    market,
    seed: 42,
    startTime: START,
    ticksPerSecond: 1000,
    factorStepMs: 50,
    jumpIntensityPerYear: 4,
    jumpMean: 0,
    jumpVol: 0.03,
    spreadBps: { equity: 2, etf: 1, future: 0.5, fx: 0.2, option: 50, bond: 5 },
    riskFreeRate: 0.04,
    ...over,
  };
}

export const portfolios: PortfolioDef[] = [
  {
    id: 'P1',
    name: 'Equity long/short',
    baseCurrency: 'USD',
    cash: { USD: 1e6 },
    holdings: [
      { instrument: 'A', qty: 1000, price: 100 },
      { instrument: 'C', qty: -500, price: 20 },
    ],
  },
  { id: 'P2', name: 'Empty', baseCurrency: 'EUR', cash: {}, holdings: [] },
  {
    id: 'P3',
    name: 'Macro',
    baseCurrency: 'GBP',
    cash: {},
    holdings: [
      { instrument: 'EURUSD', qty: 2_000_000, price: 1.08 },
      { instrument: 'UST10', qty: 0.5, price: 98.5 },
    ],
  },
];

/** The code and message of the RisklineError that fn throws, for exact comparison; null if it does not throw. */
export function caught(fn: () => unknown): { code: string; message: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    return describeError(err);
  }
}

export async function caughtAsync(fn: () => Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await fn();
    return null;
  } catch (err) {
    return describeError(err);
  }
}

function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof RisklineError) return { code: err.code, message: err.message };
  return { code: `not a RisklineError: ${(err as Error)?.name}`, message: String((err as Error)?.message ?? err) };
}
