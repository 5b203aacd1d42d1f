import t from 'tap';
import { bsPrice, bsVega, expiryToMs, MS_PER_YEAR } from '../../../../engine/blackscholes.js';
import { Book } from '../../../../engine/book.js';
import { InstrumentTable } from '../../../../engine/instruments.js';
import type { Instrument } from '../../../../engine/model.js';
import {
  compileScenario,
  evaluateStress,
  stressBook,
  type StressPositions,
  type StressScenarioInput,
  type StressShocks,
} from '../../../../engine/risk/stress.js';
import { loadConfig } from '../../../../config/load.js';
import type { ScenarioDef } from '../../../../config/schema.js';

// The config's scenarios are accepted as they are.
const _assignable: StressScenarioInput = {} as ScenarioDef;
void _assignable;

const FACTORS = ['EQ_US', 'EQ_EU', 'SEC_TECH', 'RATES_USD', 'RATES_EUR', 'FX_EUR', 'FX_JPY'].map((id) => ({
  id,
  vol: 0.1,
}));
const base = { sector: 'Technology', country: 'US', currency: 'USD', multiplier: 1, idioVol: 0.2 };
const EXPIRY = '2027-06-18';
const NOW = expiryToMs(EXPIRY) - 0.5 * MS_PER_YEAR; // half a year to expiry, as Hull's example
const INSTRUMENTS: Instrument[] = [
  { ...base, id: 'TECH', kind: 'equity', price: 50, factors: { EQ_US: 1.3, SEC_TECH: 0.4 } },
  { ...base, id: 'SAP', kind: 'equity', currency: 'EUR', country: 'DE', price: 40, factors: { EQ_EU: 1.1 } },
  { ...base, id: 'EURUSD', kind: 'fx', base: 'EUR', sector: 'Currency', price: 1.08, factors: { FX_EUR: 1 } },
  {
    ...base,
    id: 'USDJPY',
    kind: 'fx',
    base: 'USD',
    currency: 'JPY',
    sector: 'Currency',
    price: 150,
    factors: { FX_JPY: -1 },
  },
  { ...base, id: 'UND', kind: 'equity', price: 52.5, factors: { EQ_US: 1 } },
  {
    ...base,
    id: 'UND-C',
    kind: 'option',
    underlying: 'UND',
    strike: 40,
    expiry: EXPIRY,
    right: 'call',
    impliedVol: 0.2,
    multiplier: 100,
    price: 13,
    factors: { EQ_US: 1 },
  },
  {
    ...base,
    id: 'UND-ATM',
    kind: 'option',
    underlying: 'UND',
    strike: 52.5,
    expiry: EXPIRY,
    right: 'call',
    impliedVol: 0.2,
    multiplier: 100,
    price: 4,
    factors: { EQ_US: 1 },
  },
  {
    ...base,
    id: 'UST-10Y',
    kind: 'bond',
    sector: 'Government',
    price: 99.941,
    multiplier: 0.01,
    duration: 7.912,
    convexity: 77.79,
    rating: 'AA+',
    coupon: 4.5,
    maturity: '2036-02-15',
    factors: { RATES_USD: 1.13 },
  },
  {
    ...base,
    id: 'CORP',
    kind: 'bond',
    sector: 'Financials',
    price: 100,
    multiplier: 0.01,
    duration: 6.366,
    convexity: 51.06,
    rating: 'A-',
    coupon: 5.375,
    maturity: '2034-04-22',
    factors: { RATES_USD: 0.909 },
  },
  {
    ...base,
    id: 'BTP',
    kind: 'bond',
    sector: 'Government',
    country: 'IT',
    currency: 'EUR',
    price: 100,
    multiplier: 0.01,
    duration: 8.588,
    convexity: 87.95,
    rating: 'BBB',
    coupon: 2.875,
    maturity: '2036-08-01',
    factors: { RATES_EUR: 1.227 },
  },
  { ...base, id: 'ES', kind: 'future', price: 6000, multiplier: 50, expiry: '2027-03-19', factors: { EQ_US: 1 } },
];
const RATE = 0.1;

const empty = (): StressShocks => ({
  equity: {},
  sector: {},
  ratesBp: {},
  creditBp: {},
  sovereignBp: {},
  fx: {},
  vol: {},
  factors: {},
});
const scenario = (shocks: Partial<StressShocks>): StressScenarioInput => ({
  id: 'T',
  name: 'test',
  shocks: { ...empty(), ...shocks },
});

function setup() {
  const table = new InstrumentTable(INSTRUMENTS, FACTORS);
  const usd = table.currencyId('USD');
  const mark = Float64Array.from(INSTRUMENTS, (i) => i.price);
  return { table, usd, market: { mark, now: NOW, rate: RATE } };
}

/** One position of `qty` in `id`, in a book of base currency `baseCcy`. */
function one(table: InstrumentTable, id: string, qty: number, baseCcy = 'USD'): StressPositions {
  const i = table.index(id);
  const b = table.currencyId(baseCcy);
  return {
    count: 1,
    inst: Int32Array.of(i),
    qty: Float64Array.of(qty),
    toBase: Float64Array.of(table.fx(table.currency[i], b)),
    base: b,
    cash: null,
  };
}

t.test('an equity market shock reaches a stock through its beta: loss = beta × shock × value', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ equity: { US: -0.2 } }), table);
  t.equal(c.factorReturns[table.factorIndex.get('EQ_US') as number], -0.2);
  const r = evaluateStress(c, table, market, one(table, 'TECH', 100));
  t.ok(Math.abs(r.total - 1.3 * -0.2 * 100 * 50) < 1e-9, `${r.total} = 1.3 × -0.2 × 5,000 = -1,300`);
  const sec = evaluateStress(
    compileScenario(scenario({ sector: { TECH: -0.1 } }), table),
    table,
    market,
    one(table, 'TECH', 100),
  );
  t.ok(Math.abs(sec.total - 0.4 * -0.1 * 5000) < 1e-9, 'a sector shock is additive through the sector loading: -200');
});

t.test('one FX move per currency: a EUR position in a USD book loses once', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ fx: { EUR: -0.1 } }), table);
  t.equal(c.factorReturns[table.factorIndex.get('FX_EUR') as number], -0.1, 'the FX factor');
  t.equal(c.fxMove[table.currencyId('EUR')], -0.1, 'the translation move');
  t.ok(Math.abs(c.returns[table.index('EURUSD')] + 0.1) < 1e-15, 'EURUSD -10%');
  t.equal(c.returns[table.index('SAP')], 0, 'the EUR stock does not move in EUR');
  const value = 100 * 40 * 1.08; // 4,320 USD
  const r = evaluateStress(c, table, market, one(table, 'SAP', 100));
  t.ok(Math.abs(r.total - -432) < 1e-9, `${r.total} = -10% of 4,320 USD once (twice would be -820.8)`);
  t.ok(Math.abs(r.total - value * -0.1) < 1e-9);
  const raw = compileScenario(scenario({ factors: { FX_EUR: -0.1 } }), table);
  t.equal(
    evaluateStress(raw, table, market, one(table, 'SAP', 100)).total,
    r.total,
    'factors.FX_EUR is the same one move',
  );
  const inEur = evaluateStress(c, table, market, one(table, 'TECH', 100, 'EUR'));
  const eurValue = 5000 / 1.08;
  t.ok(
    Math.abs(inEur.total - eurValue * (1 / 0.9 - 1)) < 1e-9,
    'a USD stock in a EUR book gains 11.1% when EUR falls 10%',
  );
  t.ok(
    Math.abs(evaluateStress(c, table, market, one(table, 'SAP', 100, 'EUR')).total) < 1e-12,
    'no FX P&L in its own base',
  );
});

t.test('an FX pair quoted against the yen moves by the exact cross, so USD held in a USD book is flat', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ fx: { JPY: 0.1 } }), table);
  t.ok(Math.abs(c.returns[table.index('USDJPY')] - (1 / 1.1 - 1)) < 1e-15, 'USDJPY 150 → 136.36');
  const r = evaluateStress(c, table, market, one(table, 'USDJPY', 1_000_000));
  t.ok(Math.abs(r.total) < 1e-6, `long 1M USD via USDJPY in a USD book: ${r.total}`);
});

t.test('a long bond under +100 bp loses D·1% − ½C·(1%)² of its value, with its own duration', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ ratesBp: { USD: 100 } }), table);
  t.ok(Math.abs(c.factorReturns[table.factorIndex.get('RATES_USD') as number] + 0.07) < 1e-15, 'factor return -7 × 1%');
  const value = 1_000_000 * 99.941 * 0.01;
  const expected = -value * (7.912 * 0.01 - 0.5 * 77.79 * 0.01 * 0.01); // -75,186.11
  const r = evaluateStress(c, table, market, one(table, 'UST-10Y', 1_000_000));
  t.ok(Math.abs(r.total - expected) < 1e-6, `${r.total} ≈ ${expected}`);
  t.ok(Math.abs(expected - -75186.11) < 0.01, 'hand value: 999,410 × (7.912% − 0.38895%)');
  const wide = compileScenario(scenario({ ratesBp: { USD: 100 }, creditBp: { A: 50 } }), table);
  t.ok(Math.abs(wide.yieldMove[table.index('CORP')] - 0.015) < 1e-15, 'an A- corporate: +100 bp rates +50 bp spread');
  t.ok(Math.abs(wide.yieldMove[table.index('UST-10Y')] - 0.01) < 1e-15, 'credit spreads leave governments alone');
  const corp = evaluateStress(wide, table, market, one(table, 'CORP', 1_000_000));
  t.ok(Math.abs(corp.total - -1_000_000 * (6.366 * 0.015 - 0.5 * 51.06 * 0.015 * 0.015)) < 1e-6, 'corporate loss');
  const it = compileScenario(scenario({ sovereignBp: { IT: 200 } }), table);
  t.ok(Math.abs(it.returns[table.index('BTP')] - -8.588 * 0.02) < 1e-15, 'Italian government spread +200 bp');
});

t.test('an option under a -20% underlying shock moves by BSM(0.8 S) − BSM(S) exactly', async (t) => {
  const { table, market } = setup();
  // Hull, Options, Futures and Other Derivatives, Example 15.6: S 42, K 40, r 10%, σ 20%, T 0.5 → call 4.76.
  t.equal(Math.round(bsPrice(42, 40, 0.5, 0.2, 0.1, true) * 100) / 100, 4.76);
  const c = compileScenario(scenario({ equity: { US: -0.2 } }), table);
  const r = evaluateStress(c, table, market, one(table, 'UND-C', 3));
  const expected = 3 * 100 * (bsPrice(52.5 * 0.8, 40, 0.5, 0.2, RATE, true) - bsPrice(52.5, 40, 0.5, 0.2, RATE, true));
  t.ok(Math.abs(r.total - expected) < 1e-9, `${r.total} = ${expected}`);
});

t.test('a long call under a vol shift gains about vega × shift', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ vol: { equity: 0.02 } }), table);
  t.equal(c.volShift[table.index('UND-ATM')], 0.02);
  t.equal(c.volShift[table.index('TECH')], 0, 'only options');
  const r = evaluateStress(c, table, market, one(table, 'UND-ATM', 1));
  const vega = 100 * bsVega(52.5, 52.5, 0.5, 0.2, RATE);
  t.ok(
    r.total > 0 && Math.abs(r.total - vega * 0.02) < 0.02 * vega * 0.02,
    `${r.total} ≈ vega ${vega} × 0.02 (at the money)`,
  );
  const exact = 100 * (bsPrice(52.5, 52.5, 0.5, 0.22, RATE, true) - bsPrice(52.5, 52.5, 0.5, 0.2, RATE, true));
  t.ok(Math.abs(r.total - exact) < 1e-9, 'and exactly the repricing at the shifted vol');
  const byMarket = compileScenario(scenario({ vol: { equity: 0.02, US: 0.05 } }), table);
  t.equal(byMarket.volShift[table.index('UND-C')], 0.05, "the underlying's market wins over the class");
});

t.test('futures carry no principal: only the price move is translated', async (t) => {
  const { table, market } = setup();
  const c = compileScenario(scenario({ equity: { US: -0.1 } }), table);
  const r = evaluateStress(c, table, market, one(table, 'ES', 2, 'EUR'));
  t.ok(Math.abs(r.total - (2 * 50 * 6000 * -0.1) / 1.08) < 1e-9);
});

t.test('an unknown market is a one-line error naming the scenario and field', async (t) => {
  const { table } = setup();
  t.throws(() => compileScenario(scenario({ equity: { MOON: -0.5 } }), table), {
    code: 'CONFIG_INVALID',
    message: 'scenario "T": equity.MOON: no factor EQ_MOON in the factor model',
  });
});

t.test('stressBook reads a Book portfolio: positions in its order, cash only when asked', async (t) => {
  const { table } = setup();
  const book = new Book(
    table,
    [
      {
        id: 'P',
        name: 'p',
        baseCurrency: 'USD',
        cash: { USD: 1_000_000, EUR: 10_000 },
        holdings: [
          { instrument: 'TECH', qty: 100, price: 50 },
          { instrument: 'SAP', qty: 100, price: 40 },
        ],
      },
    ],
    { markSource: 'mid', riskFreeRate: RATE, valuationTime: NOW },
  );
  const c = compileScenario(scenario({ equity: { US: -0.2 }, fx: { EUR: -0.1 } }), table);
  const r = stressBook(book, 0, c, RATE);
  t.same(
    Array.from(r.pnl),
    [-1300, -432].map((x, j) => r.pnl[j] + 0 * x),
  ); // shape
  t.ok(Math.abs(r.pnl[0] - -1300) < 1e-9 && Math.abs(r.pnl[1] - -432) < 1e-9, 'per position');
  t.ok(Math.abs(r.total - -1732) < 1e-9 && r.cash === 0);
  const withCash = stressBook(book, 0, c, RATE, true);
  // EUR cash: 10,000 opening less 4,000 paid for SAP = 6,000 EUR = 6,480 USD, -10%.
  t.ok(Math.abs(withCash.cash - -648) < 1e-9, `cash ${withCash.cash}`);
  t.ok(Math.abs(withCash.total - (-1732 - 648)) < 1e-9);
});

t.test('every default scenario compiles against the demo universe', async (t) => {
  const cfg = loadConfig({ env: {} });
  const table = new InstrumentTable(cfg.instruments, cfg.market.factors);
  for (const s of cfg.scenarios) {
    const c = compileScenario(s, table);
    t.ok(c.returns.every(Number.isFinite) && c.returns.every((r) => r > -1), `${s.id}: finite returns above -100%`);
  }
  const rates = compileScenario(cfg.scenarios.find((s) => s.id === 'RATES-2022') as ScenarioDef, table);
  t.ok(Math.abs(rates.returns[table.index('UST-10Y')] - -7.912 * 0.0236) < 1e-12, 'UST-10Y by its own duration');
  const covid = compileScenario(cfg.scenarios.find((s) => s.id === 'COVID-2020') as ScenarioDef, table);
  t.ok(Math.abs(covid.returns[table.index('SPY')] - -0.3392) < 1e-12, 'SPY (beta 1) moves with the S&P 500');
});
