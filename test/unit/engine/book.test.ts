import t from 'tap';
import { Book, DIMS } from '../../../engine/book.js';
import { InstrumentTable } from '../../../engine/instruments.js';
import type { Execution } from '../../../engine/model.js';
import { bsDelta, expiryToMs, yearsToExpiry } from '../../../engine/blackscholes.js';
import { instruments, portfolios, factors } from './fixtures.js';
import { CounterRng } from '../../../maths/random.js';

const T0 = Date.parse('2026-11-25T14:00:00Z');
const close = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const newBook = (markSource: 'mid' | 'last' = 'mid') =>
  new Book(new InstrumentTable(instruments, factors), portfolios, {
    markSource,
    riskFreeRate: 0.03,
    valuationTime: T0,
  });
let n = 0;
const exec = (
  portfolio: string,
  instrument: string,
  side: 'buy' | 'sell',
  qty: number,
  price: number,
  fees = 0,
): Execution => ({
  id: `E${++n}`,
  portfolio,
  instrument,
  side,
  qty,
  price,
  fees,
  ts: T0 + n,
});
const pos = (b: Book, port: string, inst: string) => b.position(b.portfolio(port), b.t.index(inst));

t.test('opening book: bought out of opening cash, valued at the reference price', async (t) => {
  const b = newBook();
  const usd = b.portfolio('P-USD');
  const p = pos(b, 'P-USD', 'AAPL');
  t.equal(b.pQty[p], 100);
  t.equal(b.pAvg[p], 190);
  t.equal(b.cashBase(usd), 1_000_000 - 19_000);
  t.equal(b.marketValue(usd), 20_000);
  t.equal(b.unrealizedPnl(usd), 1_000);
  t.equal(b.nav(usd), 1_001_000);
});

t.test('marks: mid by default, last when configured', async (t) => {
  const b = newBook();
  b.tick(b.t.index('AAPL'), T0, 209, 211, 212);
  t.equal(b.mark[b.t.index('AAPL')], 210);
  const l = newBook('last');
  l.tick(l.t.index('AAPL'), T0, 209, 211, 212);
  t.equal(l.mark[l.t.index('AAPL')], 212);
});

t.test('FX: base-currency values follow live FX, both quote directions', async (t) => {
  const b = newBook();
  const eur = b.portfolio('P-EUR');
  b.execute(exec('P-EUR', 'AAPL', 'buy', 100, 200));
  const p = pos(b, 'P-EUR', 'AAPL');
  t.ok(close(b.pMv[p] * b.fxOf(p), 20_000 / 1.1), 'USD stock in a EUR book at 1.10');
  t.ok(close(b.cashBase(eur), 500_000 - 20_000 / 1.1), 'USD cash spent, seen in EUR');
  const nav0 = b.nav(eur);
  t.ok(close(nav0, 500_000), 'buying at the mark leaves NAV unchanged');
  b.tick(b.t.index('EURUSD'), T0 + 1, 1.2, 1.2, 1.2);
  t.ok(close(b.pMv[p] * b.fxOf(p), 20_000 / 1.2), 'revalued when EURUSD moves');
  t.ok(close(b.nav(eur), 500_000), 'stock and the short USD cash offset');
  b.execute(exec('P-EUR', 'TOYOTA', 'buy', 1000, 3000));
  const toyota = pos(b, 'P-EUR', 'TOYOTA');
  t.ok(close(b.pMv[toyota] * b.fxOf(toyota), 3_000_000 / 150 / 1.2), 'JPY stock via USDJPY (inverted) and EURUSD');
  b.tick(b.t.index('USDJPY'), T0 + 2, 160, 160, 160);
  t.ok(close(b.pMv[toyota] * b.fxOf(toyota), 3_000_000 / 160 / 1.2));
});

t.test('futures: exposure is notional, NAV carries only P&L, realised P&L settles in cash', async (t) => {
  const b = newBook();
  const usd = b.portfolio('P-USD');
  const nav0 = b.nav(usd);
  b.execute(exec('P-USD', 'ES-2027H', 'buy', 2, 5000));
  const p = pos(b, 'P-USD', 'ES-2027H');
  t.equal(b.pExp[p], 2 * 5000 * 50);
  t.equal(b.pMv[p], 0);
  t.ok(close(b.nav(usd), nav0));
  b.tick(b.t.index('ES-2027H'), T0 + 10, 5010, 5010, 5010);
  t.equal(b.pUpnl[p], 2 * 10 * 50);
  t.ok(close(b.nav(usd), nav0 + 1000));
  b.execute(exec('P-USD', 'ES-2027H', 'sell', 2, 5020, 5));
  t.equal(b.pQty[p], 0);
  t.equal(b.pRpnl[p], 2 * 20 * 50 - 5);
  t.ok(close(b.nav(usd), nav0 + 2000 - 5));
});

t.test('options: exposure is delta-adjusted and follows the underlying', async (t) => {
  const b = newBook();
  b.tick(b.t.index('AAPL'), T0, 200, 200, 200);
  b.execute(exec('P-USD', 'AAPL-C-200', 'buy', 10, 20));
  const p = pos(b, 'P-USD', 'AAPL-C-200');
  const years = yearsToExpiry(expiryToMs('2027-01-15'), b.now);
  const d = bsDelta(200, 200, years, 0.3, 0.03, true);
  t.ok(close(b.pExp[p], d * 10 * 100 * 200));
  t.ok(d > 0.5 && d < 0.65);
  b.tick(b.t.index('AAPL'), b.now, 220, 220, 220);
  const d2 = bsDelta(220, 200, yearsToExpiry(expiryToMs('2027-01-15'), b.now), 0.3, 0.03, true);
  t.ok(close(b.pExp[p], d2 * 10 * 100 * 220), 'underlying tick revalues the option position');
  t.equal(b.pMv[p], 10 * 100 * 20, 'market value uses the option mark');
});

t.test('bonds are valued per 100 of face', async (t) => {
  const b = newBook();
  b.execute(exec('P-USD', 'UST-10Y', 'buy', 1_000_000, 98));
  t.equal(b.pMv[pos(b, 'P-USD', 'UST-10Y')], 980_000);
});

t.test('an execution id applies once', async (t) => {
  const b = newBook();
  const e = exec('P-USD', 'MSFT', 'buy', 10, 400);
  t.equal(b.execute(e), true);
  t.equal(b.execute({ ...e }), false);
  t.equal(b.pQty[pos(b, 'P-USD', 'MSFT')], 10);
});

t.test('unknown portfolio or instrument is a catalogued error', async (t) => {
  const b = newBook();
  t.throws(() => b.execute(exec('NOPE', 'MSFT', 'buy', 1, 1)), { code: 'UNKNOWN_PORTFOLIO' });
  t.throws(() => b.execute(exec('P-USD', 'NOPE', 'buy', 1, 1)), { code: 'UNKNOWN_INSTRUMENT' });
});

t.test('a tick touches only the positions valued off its instrument', async (t) => {
  const b = newBook();
  b.execute(exec('P-USD', 'MSFT', 'buy', 10, 400));
  b.execute(exec('P-EUR', 'MSFT', 'buy', 10, 400));
  b.execute(exec('P-USD', 'AAPL-C-200', 'buy', 1, 20));
  for (let port = 0; port < 2; port++) b.clearDirty(port);
  b.tick(b.t.index('AAPL'), b.now, 201, 202, 201);
  const touched = b.dirtyPositions
    .flat()
    .map((p) => `${b.portfolioIds[b.pPort[p]]}/${b.t.ids[b.pInst[p]]}`)
    .sort();
  t.same(touched, ['P-USD/AAPL', 'P-USD/AAPL-C-200']);
});

t.test('incremental exposure buckets equal a recomputation from positions', async (t) => {
  const b = newBook();
  const rng = new CounterRng(7);
  const rnd = () => rng.uniform();
  const ids = instruments.map((i) => i.id);
  for (let k = 0; k < 3000; k++) {
    const inst = ids[Math.floor(rnd() * ids.length)];
    const i = b.t.index(inst);
    if (rnd() < 0.3) {
      const port = rnd() < 0.5 ? 'P-USD' : 'P-EUR';
      b.execute(exec(port, inst, rnd() < 0.5 ? 'buy' : 'sell', Math.ceil(rnd() * 100), b.mark[i]));
    } else {
      const m = b.mark[i] * (1 + (rnd() - 0.5) * 0.01);
      b.tick(i, b.now + 1, m * 0.9999, m * 1.0001, m);
    }
  }
  const want = new Map<number, [number, number]>();
  const mv = new Float64Array(2);
  for (let p = 0; p < b.positions; p++) {
    const e = b.pExp[p] * b.fxOf(p);
    for (let d = 0; d < DIMS; d++) {
      const bucket = Math.floor(b.pSlot[p * DIMS + d] / b.nc);
      const cell = want.get(bucket) ?? [0, 0];
      if (e > 0) cell[0] += e;
      else cell[1] += e;
      want.set(bucket, cell);
    }
    mv[b.pPort[p]] += b.pMv[p] * b.fxOf(p);
  }
  const got = new Float64Array(2);
  for (const [bucket, [long, short]] of want) {
    b.bucketValue(bucket, got);
    t.ok(Math.abs(got[0] - long) < 1e-6, `long ${b.bKey[bucket]}: ${got[0]} vs ${long}`);
    t.ok(Math.abs(got[1] - short) < 1e-6, `short ${b.bKey[bucket]}: ${got[1]} vs ${short}`);
  }
  t.ok(close(b.marketValue(0), mv[0], 1e-9));
  t.ok(close(b.marketValue(1), mv[1], 1e-9));
});

t.test('an FX tick costs O(1); the next publication re-reads what the currency touches', async (t) => {
  const b = newBook();
  b.execute(exec('P-EUR', 'AAPL', 'buy', 10, 200));
  b.execute(exec('P-USD', 'MSFT', 'buy', 10, 400));
  b.execute(exec('P-USD', 'SAP.DE', 'buy', 10, 150));
  for (let port = 0; port < 2; port++) b.clearDirty(port);
  b.tick(b.t.index('EURUSD'), b.now + 1, 1.15, 1.15, 1.15);
  t.same(b.dirtyPositions.flat(), [], 'no position revalued by the FX tick itself');
  for (let port = 0; port < 2; port++) b.expandFxMoves(port);
  const touched = b.dirtyPositions
    .flat()
    .map((p) => `${b.portfolioIds[b.pPort[p]]}/${b.t.ids[b.pInst[p]]}`)
    .sort();
  t.same(touched, ['P-EUR/AAPL', 'P-USD/SAP.DE'], 'EUR book (base moved) and the EUR stock in the USD book');
});
