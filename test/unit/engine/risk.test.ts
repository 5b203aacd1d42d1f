import t from 'tap';
import { Book } from '../../../engine/book.js';
import { InstrumentTable } from '../../../engine/instruments.js';
import { ParametricRisk } from '../../../engine/risk/parametric.js';
import { normalQuantile } from '../../../engine/risk/normal.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { correlations, factors, instruments, T0 } from './fixtures.js';

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const setup = (holdings: { instrument: string; qty: number; price: number }[], baseCurrency = 'USD') => {
  const book = new Book(
    new InstrumentTable(instruments, factors),
    [{ id: 'P', name: 'P', baseCurrency, cash: {}, holdings }],
    {
      markSource: 'mid',
      riskFreeRate: 0.03,
      valuationTime: T0,
    },
  );
  const risk = new ParametricRisk(book, tsBackend, { factors, correlations, confidence: [0.95, 0.99], horizonDays: 1 });
  return { book, risk };
};

t.test('normal quantiles', async (t) => {
  t.ok(close(normalQuantile(0.95), 1.6448536269514722, 1e-8));
  t.ok(close(normalQuantile(0.99), 2.3263478740408408, 1e-8));
  t.ok(close(normalQuantile(0.5), 0, 1e-12));
  t.ok(close(normalQuantile(0.001), -3.090232306167813, 1e-8));
  t.throws(() => normalQuantile(1));
});

t.test('one position: σ from its factor and idiosyncratic vol, VaR and ES of a normal', async (t) => {
  const { risk } = setup([{ instrument: 'AAPL', qty: 1000, price: 200 }]);
  const r = risk.run(0, 1);
  const e = 200_000;
  const sigma = e * Math.sqrt(((1.1 * 0.18) ** 2 + 0.25 ** 2) / 252);
  t.ok(close(r.sigma, sigma));
  t.ok(close(r.var['99'], 2.3263478740408408 * sigma, 1e-8));
  t.ok(close(r.var['95'], 1.6448536269514722 * sigma, 1e-8));
  const z = 2.3263478740408408;
  t.ok(close(r.es['99'], (sigma * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI) / 0.01, 1e-7));
});

t.test('horizon scales by its square root', async (t) => {
  const { book } = setup([{ instrument: 'AAPL', qty: 1000, price: 200 }]);
  const r1 = new ParametricRisk(book, tsBackend, { factors, correlations, confidence: [0.99], horizonDays: 1 }).run(
    0,
    1,
  );
  const r10 = new ParametricRisk(book, tsBackend, { factors, correlations, confidence: [0.99], horizonDays: 10 }).run(
    0,
    1,
  );
  t.ok(close(r10.var['99'], r1.var['99'] * Math.sqrt(10)));
});

t.test('a hedge reduces risk; correlated factors combine by the covariance', async (t) => {
  const alone = setup([{ instrument: 'AAPL', qty: 1000, price: 200 }]).risk.run(0, 1);
  const hedged = setup([
    { instrument: 'AAPL', qty: 1000, price: 200 },
    { instrument: 'SPY', qty: -440, price: 500 },
  ]).risk.run(0, 1);
  t.ok(hedged.sigma < alone.sigma * 0.8, `hedged ${hedged.sigma} < unhedged ${alone.sigma}`);
});

t.test('a foreign stock adds the FX leg; the same stock in its own currency does not', async (t) => {
  const inUsd = setup([{ instrument: 'SAP.DE', qty: 1000, price: 150 }]).risk.run(0, 1);
  const inEur = setup([{ instrument: 'SAP.DE', qty: 1000, price: 150 }], 'EUR').risk.run(0, 1);
  const eurValue = 150_000;
  const local = eurValue * Math.sqrt((0.2 ** 2 + 0.25 ** 2) / 252);
  t.ok(close(inEur.sigma, local), 'EUR book: equity risk only');
  const e = eurValue * 1.1;
  const want = e * Math.sqrt((0.2 ** 2 + 0.08 ** 2 + 2 * 0.1 * 0.2 * 0.08 + 0.25 ** 2) / 252);
  t.ok(close(inUsd.sigma, want), 'USD book: equity + EUR FX with their correlation');
});
