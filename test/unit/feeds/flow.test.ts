import t from 'tap';
import { validateExecution } from '../../../engine/validate.js';
import { TradeFlow } from '../../../feeds/flow.js';
import { MarketSimulator } from '../../../feeds/simulator.js';
import type { TickTuple } from '../../../streams/envelope.js';
import { portfolios, simOptions } from './fixtures.js';

t.test('trade flow is deterministic for a seed and fills at the quote', async (t) => {
  const sim = new MarketSimulator(simOptions());
  const out: TickTuple[] = [];
  const a = new TradeFlow({ portfolios, prices: sim, seed: 42 });
  const b = new TradeFlow({ portfolios, prices: sim, seed: 42 });
  const c = new TradeFlow({ portfolios, prices: sim, seed: 43 });
  const seen = new Map<string, number>();
  let differs = 0;
  let bad = 0;
  for (let i = 0; i < 2000; i++) {
    sim.fill(out, 50);
    const x = a.next(sim.now);
    const y = b.next(sim.now);
    const z = c.next(sim.now);
    if (JSON.stringify(x) !== JSON.stringify(y)) bad++;
    if (z.instrument !== x.instrument || z.side !== x.side || z.qty !== x.qty) differs++;
    validateExecution(x);
    if (x.ts !== sim.now) bad++;
    if (x.price !== (x.side === 'buy' ? sim.ask(x.instrument) : sim.bid(x.instrument))) bad++;
    const holding = portfolios.find((p) => p.id === x.portfolio)!.holdings.find((h) => h.instrument === x.instrument)!;
    const size = Math.abs(holding.qty);
    const frac = x.qty / size;
    if (frac < 0.0099 || frac > 0.1001) bad++;
    if (size >= 100 && !Number.isInteger(x.qty)) bad++;
    const n = (seen.get(x.portfolio) ?? 0) + 1;
    seen.set(x.portfolio, n);
    if (x.id !== `${x.portfolio}-F${n}`) bad++;
  }
  t.equal(bad, 0, 'ids, prices, sizes and times');
  t.ok(differs > 1500, 'another seed trades differently');
  t.same([...seen.keys()].sort(), ['P1', 'P3'], 'portfolios without holdings do not trade');
  t.equal(a.count, 2000);
});

t.test('positions lean back towards the opening book', async (t) => {
  const quotes = { bid: () => 99, ask: () => 101 };
  const flow = new TradeFlow({
    portfolios: [portfolios[0]],
    prices: quotes,
    seed: 1,
    minFraction: 0.05,
    maxFraction: 0.05,
    runId: 'r7',
    feeBps: 10,
  });
  let pos = 1000;
  let maxDev = 0;
  let bad = 0;
  for (let i = 0; i < 5000; i++) {
    const e = flow.next(i);
    if (e.instrument !== 'A') continue;
    if (!/^P1-r7-F\d+$/.test(e.id)) bad++;
    if (e.fees !== (e.qty * e.price * 10) / 10000) bad++;
    pos += e.side === 'buy' ? e.qty : -e.qty;
    maxDev = Math.max(maxDev, Math.abs(pos - 1000));
  }
  t.equal(bad, 0, 'run ids and fees');
  t.ok(maxDev < 1000, `position stays within one opening size of it: max deviation ${maxDev}`);
});

t.test('unknown quotes fall back to the holding price; bad options are refused', async (t) => {
  const flow = new TradeFlow({ portfolios, prices: { bid: () => NaN, ask: () => NaN }, seed: 3 });
  const e = flow.next(0);
  const holding = portfolios.find((p) => p.id === e.portfolio)!.holdings.find((h) => h.instrument === e.instrument)!;
  t.equal(e.price, holding.price);
  t.throws(
    () => new TradeFlow({ portfolios: [portfolios[1]], prices: { bid: () => 1, ask: () => 1 }, seed: 1 }),
    { code: 'CONFIG_INVALID', message: /^simulator\.executionsPerSecond: .*no portfolio has any/ },
    'no holdings to trade: a configuration error naming the setting (exit 2 with one line)',
  );
  t.throws(
    () => new TradeFlow({ portfolios, prices: { bid: () => 1, ask: () => 1 }, seed: 1, minFraction: 0 }),
    RangeError,
  );
});
