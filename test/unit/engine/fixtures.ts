// A small hand-made universe for engine tests: every asset class, three currencies.
import type { Execution, Instrument, PortfolioDef } from '../../../engine/model.js';
import type { Engine } from '../../../engine/engine.js';
import type { EngineOptions } from '../../../engine/engine.js';
import type { HistorySource } from '../../../engine/risk/risk-model.js';

type EngineSimulation = NonNullable<EngineOptions['simulation']>;
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { CounterRng } from '../../../maths/random.js';

const eq = (
  id: string,
  currency: string,
  price: number,
  factors: Record<string, number>,
  sector = 'Technology',
  country = 'US',
): Instrument => ({
  id,
  kind: 'equity',
  currency,
  sector,
  country,
  multiplier: 1,
  price,
  factors,
  idioVol: 0.25,
});

export const instruments: Instrument[] = [
  eq('AAPL', 'USD', 200, { EQ_US: 1.1 }),
  eq('MSFT', 'USD', 400, { EQ_US: 0.9 }),
  eq('SAP.DE', 'EUR', 150, { EQ_EU: 1.0 }, 'Technology', 'DE'),
  {
    id: 'SPY',
    kind: 'etf',
    currency: 'USD',
    sector: 'Index',
    country: 'US',
    multiplier: 1,
    price: 500,
    factors: { EQ_US: 1 },
    idioVol: 0.02,
  },
  {
    id: 'ES-2027H',
    kind: 'future',
    currency: 'USD',
    sector: 'Index',
    country: 'US',
    multiplier: 50,
    price: 5000,
    factors: { EQ_US: 1 },
    idioVol: 0.01,
    expiry: '2027-03-19',
  },
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
    id: 'AAPL-C-200',
    kind: 'option',
    underlying: 'AAPL',
    strike: 200,
    expiry: '2027-01-15',
    right: 'call',
    impliedVol: 0.3,
    currency: 'USD',
    sector: 'Technology',
    country: 'US',
    multiplier: 100,
    price: 20,
    factors: { EQ_US: 1.1 },
    idioVol: 0.25,
  },
  {
    id: 'UST-10Y',
    kind: 'bond',
    currency: 'USD',
    sector: 'Government',
    country: 'US',
    multiplier: 0.01,
    price: 98,
    factors: { RATES_USD: 8 / 7 },
    idioVol: 0.01,
    duration: 8,
    convexity: 80,
    rating: 'AA+',
    coupon: 0.04,
    maturity: '2035-11-15',
  },
  eq('TOYOTA', 'JPY', 3000, { EQ_US: 0.5 }, 'Consumer', 'JP'),
];

export const portfolios: PortfolioDef[] = [
  {
    id: 'P-USD',
    name: 'Dollar book',
    baseCurrency: 'USD',
    cash: { USD: 1_000_000 },
    holdings: [{ instrument: 'AAPL', qty: 100, price: 190 }],
  },
  { id: 'P-EUR', name: 'Euro book', baseCurrency: 'EUR', cash: { EUR: 500_000 }, holdings: [] },
];

export const factors = [
  { id: 'EQ_US', vol: 0.18 },
  { id: 'EQ_EU', vol: 0.2 },
  { id: 'RATES_USD', vol: 0.06 },
  { id: 'FX_EUR', vol: 0.08 },
  { id: 'FX_JPY', vol: 0.09 },
];
export const correlations = [
  [1, 0.7, -0.2, 0.1, 0],
  [0.7, 1, -0.2, 0.1, 0],
  [-0.2, -0.2, 1, 0, 0],
  [0.1, 0.1, 0, 1, 0.3],
  [0, 0, 0, 0.3, 1],
];

/** Event time the fixture book is valued at before its first input (seededInputs start here). */
export const T0 = Date.parse('2026-11-25T14:00:00Z');

export function engineOptions(over: Partial<EngineOptions> = {}): EngineOptions {
  return {
    valuationTime: T0,
    instruments,
    portfolios,
    market: { factors, correlations },
    limits: [],
    markSource: 'mid',
    conflationMs: 100,
    snapshotEveryMs: 10_000,
    risk: { confidence: [0.95, 0.99], horizonDays: 1, intervalMs: 1000, riskFreeRate: 0.03 },
    backend: tsBackend,
    ...over,
  };
}

export type Input = { tick: [string, number, number, number, number] } | { exec: Execution };

/** A seeded stream of ticks and executions on the fixture portfolios. */
export function seededInputs(o: {
  n: number;
  seed: number;
  execShare: number;
  maxStepMs: number;
  vol: number;
}): Input[] {
  const rng = new CounterRng(o.seed);
  const rnd = () => rng.uniform();
  const mark = new Map(instruments.map((i) => [i.id, i.price]));
  const out: Input[] = [];
  let ts = T0;
  for (let k = 0; k < o.n; k++) {
    ts += Math.floor(rnd() * o.maxStepMs);
    const inst = instruments[Math.floor(rnd() * instruments.length)];
    const m = mark.get(inst.id)! * Math.exp((rnd() - 0.5) * o.vol);
    mark.set(inst.id, m);
    if (rnd() < o.execShare) {
      const portfolio = rnd() < 0.5 ? 'P-USD' : 'P-EUR';
      const side = rnd() < 0.5 ? 'buy' : 'sell';
      out.push({
        exec: { id: `X${k}`, portfolio, instrument: inst.id, side, qty: 1 + Math.floor(rnd() * 40), price: m, ts },
      });
    } else out.push({ tick: [inst.id, ts, m * 0.9999, m * 1.0001, m] });
  }
  return out;
}

/** Applies inputs to an engine (only one portfolio's executions when `only` is given). */
export function applyInputs(engine: Engine, list: Input[], only?: string): void {
  for (const x of list) {
    if ('tick' in x) {
      const [id, ts, bid, ask, last] = x.tick;
      engine.tick(engine.instrumentIndex(id), ts, bid, ask, last);
    } else if (!only || x.exec.portfolio === only) engine.execute(x.exec);
  }
}

/** 300 days of independent normal factor returns at the factors' vols, ending the day before T0: a small history of our own. */
export function syntheticHistory(file = 'test-history.csv'): HistorySource {
  const day = 86_400_000;
  const k = factors.length;
  const days = 300;
  const rng = new CounterRng(7);
  const returns = new Float64Array(days * k);
  for (let d = 0; d < days; d++)
    for (let j = 0; j < k; j++) returns[d * k + j] = (factors[j].vol / Math.sqrt(252)) * rng.normal();
  const last = Math.floor(T0 / day) - 1;
  return {
    file,
    source: 'synthetic: test',
    synthetic: true,
    epochDays: Int32Array.from({ length: days }, (_, d) => last - days + 1 + d),
    factorReturns: returns,
    factors: factors.map((f) => f.id),
    instruments: new Map(),
  };
}

/** Historical and Monte Carlo risk (1 and 10 days, 95 and 99 %) on the synthetic history, with `scenarios` draws. */
export function simulationOptions(scenarios: number, stress: EngineSimulation['scenarios'] = []): EngineSimulation {
  return {
    settings: {
      methods: ['historical', 'monteCarlo'],
      horizons: [1, 10],
      confidence: [0.95, 0.99],
      monteCarlo: { scenarios, seed: 42, dof: 5 },
      reprice: { moveThreshold: 0.01, everyMs: 60_000 },
      riskFreeRate: 0.03,
      topComponents: 50,
      ewmaLambda: 0.94,
      window: 250,
      backtest: { confidence: 0.99, observations: 250 },
    },
    history: syntheticHistory(),
    scenarios: stress,
  };
}

/** Applies inputs in order, waiting whenever the engine holds them for a scenario build. */
export async function drive(engine: Engine, list: Input[]): Promise<void> {
  await engine.settled();
  for (const x of list) {
    if ('tick' in x) {
      const [id, ts, bid, ask, last] = x.tick;
      engine.tick(engine.instrumentIndex(id), ts, bid, ask, last);
    } else engine.execute(x.exec);
    if (engine.holding) await engine.settled();
  }
  await engine.settled();
}
