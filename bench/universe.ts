// Synthetic books of a chosen size for the benchmarks: `instruments` equities spread over five
// currencies (plus the FX pairs that convert them), `positions` holdings spread evenly over the
// instruments and ten portfolios in different base currencies. Deterministic for a seed.

import type { EngineOptions } from '../engine/engine.js';
import type { Instrument, PortfolioDef } from '../engine/model.js';
import { tsBackend } from '../engine/risk/ts-backend.js';

const CCYS = ['USD', 'EUR', 'GBP', 'JPY', 'CHF'];
const FX: Instrument[] = [
  {
    id: 'EURUSD',
    kind: 'fx',
    base: 'EUR',
    currency: 'USD',
    sector: 'FX',
    country: 'EU',
    multiplier: 1,
    price: 1.1,
    factors: { FX_EUR: 1 },
    idioVol: 0.01,
  },
  {
    id: 'GBPUSD',
    kind: 'fx',
    base: 'GBP',
    currency: 'USD',
    sector: 'FX',
    country: 'GB',
    multiplier: 1,
    price: 1.3,
    factors: { FX_GBP: 1 },
    idioVol: 0.01,
  },
  {
    id: 'USDJPY',
    kind: 'fx',
    base: 'USD',
    currency: 'JPY',
    sector: 'FX',
    country: 'JP',
    multiplier: 1,
    price: 150,
    factors: { FX_JPY: -1 },
    idioVol: 0.01,
  },
  {
    id: 'USDCHF',
    kind: 'fx',
    base: 'USD',
    currency: 'CHF',
    sector: 'FX',
    country: 'CH',
    multiplier: 1,
    price: 0.9,
    factors: { FX_CHF: -1 },
    idioVol: 0.01,
  },
];
export const BENCH_FACTORS = [
  { id: 'EQ', vol: 0.18 },
  { id: 'FX_EUR', vol: 0.08 },
  { id: 'FX_GBP', vol: 0.08 },
  { id: 'FX_JPY', vol: 0.09 },
  { id: 'FX_CHF', vol: 0.08 },
];
export const BENCH_CORRELATIONS = BENCH_FACTORS.map((_, i) => BENCH_FACTORS.map((_, j) => (i === j ? 1 : 0.2)));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

export function benchUniverse(
  instruments: number,
  positions: number,
  seed = 1,
): { instruments: Instrument[]; portfolios: PortfolioDef[] } {
  const rnd = lcg(seed);
  const list: Instrument[] = [...FX];
  for (let i = list.length; i < instruments; i++) {
    list.push({
      id: `EQ${i}`,
      kind: 'equity',
      currency: CCYS[i % CCYS.length],
      sector: `S${i % 11}`,
      country: `C${i % 7}`,
      multiplier: 1,
      price: 10 + rnd() * 490,
      factors: { EQ: 0.7 + rnd() * 0.6 },
      idioVol: 0.2 + rnd() * 0.2,
    });
  }
  const portfolios: PortfolioDef[] = Array.from({ length: 10 }, (_, k) => ({
    id: `B${k}`,
    name: `Bench ${k}`,
    baseCurrency: CCYS[k % CCYS.length],
    cash: { [CCYS[k % CCYS.length]]: 1e8 },
    holdings: [],
  }));
  // Position j holds instrument j mod N in portfolio ⌊j / N⌋ mod 10: unique pairs, even spread.
  for (let j = 0; j < positions; j++) {
    const inst = list[j % list.length];
    const port = portfolios[Math.floor(j / list.length) % portfolios.length];
    port.holdings.push({ instrument: inst.id, qty: Math.round((rnd() - 0.3) * 2000) || 1, price: inst.price });
  }
  return { instruments: list, portfolios };
}

/** Event time every benchmark's book is valued at before its first tick. */
export const BENCH_START = Date.parse('2026-11-25T14:30:00Z');

/** Engine settings of every benchmark: the defaults of config/riskline.json on a bench book. */
export function benchEngineOptions(
  u: { instruments: Instrument[]; portfolios: PortfolioDef[] },
  valuationTime = BENCH_START,
): EngineOptions {
  return {
    valuationTime,
    instruments: u.instruments,
    portfolios: u.portfolios,
    market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
    limits: [],
    markSource: 'mid',
    conflationMs: 100,
    snapshotEveryMs: 10_000,
    risk: { confidence: [0.95, 0.99], horizonDays: 1, intervalMs: 1000, riskFreeRate: 0.03 },
    backend: tsBackend,
  };
}
