// Pre-trade checks worked by hand: each check passes at its limit and fails just past it, with the
// value and limit the client is shown; exposure counts a reducing trade as reducing; a market order
// is collared by the mark's existence; an unknown VaR impact refuses the order.
import t from 'tap';
import { pretrade, type PretradeLimits, type PretradeState } from '../../../engine/pretrade.js';

const limits: PretradeLimits = {
  restricted: new Set(['XYZ']),
  maxQuantity: 10_000,
  maxNotional: 2_000_000,
  collarPct: 0.05,
  maxPosition: 50_000,
  maxGross: 10_000_000,
  maxIncrementalVar: 50_000,
  maxVar: 1_000_000,
};
// AAPL at 200, 1 unit = 200 USD in a USD book; 20,000 held; gross 8,000,000; VaR 600k → 630k after.
const state: PretradeState = {
  mark: 200,
  unitValue: 200,
  position: 20_000,
  gross: 8_000_000,
  varBefore: 600_000,
  varAfter: 630_000,
};
const order = { portfolio: 'P', instrument: 'AAPL', qty: 5_000, price: 201 };
const failed = (r: ReturnType<typeof pretrade>) => r.checks.filter((c) => !c.ok).map((c) => c.name);

t.test('an order inside every limit passes, with each check shown', async (t) => {
  const r = pretrade(order, state, limits);
  t.ok(r.ok);
  t.same(
    r.checks.map((c) => c.name),
    ['restricted', 'quantity', 'notional', 'collar', 'position', 'gross', 'var'],
  );
  t.equal(r.checks[2].value, 5_000 * 201, 'notional at the limit price');
  t.equal(r.checks[3].value.toFixed(6), '0.005000', 'collar: 201 is 0.5 % from 200');
  t.equal(r.checks[5].value, 8_000_000 + 5_000 * 200, 'gross after: the added units at the mark');
  t.equal(r.incrementalVar, 30_000);
});

t.test('each limit: at it passes, past it fails with its reason', async (t) => {
  t.same(failed(pretrade({ ...order, instrument: 'XYZ' }, state, limits)), ['restricted']);
  t.same(
    failed(pretrade({ ...order, qty: 10_000, price: 200 }, state, limits)),
    [],
    'quantity 10,000 = the limit; notional 2,000,000 = the limit',
  );
  const big = pretrade({ ...order, qty: 10_001, price: 200 }, { ...state, gross: 0 }, limits);
  t.same(failed(big), ['quantity', 'notional']);
  t.match(big.checks[1].reason, /quantity 10001 is over the 10000 allowed/);
  t.same(failed(pretrade({ ...order, price: 210 }, state, limits)), [], '5 % from the mark is inside the collar');
  const far = pretrade({ ...order, qty: 100, price: 210.2 }, state, limits);
  t.same(failed(far), ['collar']);
  t.match(far.checks[3].reason, /5\.10 % from the mark 200, outside ±5\.00 %/);
  t.same(
    failed(pretrade({ ...order, qty: 9_000, price: 200 }, { ...state, position: 41_000, gross: 0 }, limits)),
    [],
    'position 50,000 = the limit',
  );
  t.same(failed(pretrade({ ...order, qty: 9_001, price: 200 }, { ...state, position: 41_000, gross: 0 }, limits)), [
    'position',
  ]);
  t.same(
    failed(pretrade({ ...order, qty: 1, price: 200 }, { ...state, gross: 9_999_800 }, limits)),
    [],
    'gross at the limit',
  );
  t.same(failed(pretrade({ ...order, qty: 2, price: 200 }, { ...state, gross: 9_999_800 }, limits)), ['gross']);
});

t.test('a reducing trade reduces exposure; a short counts by its size', async (t) => {
  const sell = pretrade({ ...order, qty: -5_000, price: 199 }, { ...state, gross: 10_000_000 }, limits);
  t.equal(sell.checks[5].value, 10_000_000 - 5_000 * 200, 'selling part of a long lowers gross');
  t.ok(sell.ok, 'so it passes at a gross already at the limit');
  const flip = pretrade(
    { ...order, qty: -30_000, price: 200 },
    { ...state, gross: 0 },
    { ...limits, maxQuantity: 1e9, maxNotional: 1e12 },
  );
  t.equal(flip.checks[4].value, 10_000, 'from +20,000 to −10,000: a position of 10,000');
  t.equal(flip.checks[5].value, (10_000 - 20_000) * 200, 'gross changes by |after| − |before|');
});

t.test('VaR: the order may add at most its limit, and the VaR after must fit the portfolio limit', async (t) => {
  t.same(failed(pretrade(order, { ...state, varAfter: 650_000 }, limits)), [], 'adds exactly 50,000');
  const adds = pretrade(order, { ...state, varAfter: 650_001 }, limits);
  t.same(failed(adds), ['var']);
  t.match(adds.checks[6].reason, /adds 50,001 of VaR, over 50000/);
  t.same(
    failed(pretrade(order, { ...state, varBefore: 990_000, varAfter: 1_000_001 }, limits)),
    ['var'],
    'over the VaR limit after',
  );
  const unknown = pretrade(order, { ...state, varBefore: null, varAfter: null }, limits);
  t.same(failed(unknown), ['var'], 'no what-if yet: refused, not waved through');
  t.match(unknown.checks[6].reason, /not available/);
});

t.test('a market order is judged at the mark; without a mark it is refused', async (t) => {
  const mkt = pretrade({ ...order, price: null }, state, limits);
  t.ok(mkt.ok);
  t.equal(mkt.checks[2].value, 5_000 * 200, 'notional at the mark');
  const none = pretrade({ ...order, price: null }, { ...state, mark: NaN, unitValue: NaN }, limits);
  t.same(failed(none), ['notional', 'collar', 'gross'], 'nothing valued without a mark');
  t.match(none.checks[3].reason, /no mark for AAPL yet/);
});
