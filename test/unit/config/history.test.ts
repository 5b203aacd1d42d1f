// The history loader (every error form: code and one line naming file, line and field), and the
// synthetic demo history: the committed file is what the generator writes, labelled synthetic, and
// the generator is the stated GARCH model.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { RisklineError } from '../../../errors/catalogue.js';
import { loadHistory, parseHistory, historyFormat, type HistoryOptions } from '../../../config/history.js';
import {
  DEMO_HISTORY,
  HISTORY_FILE,
  businessDays,
  demoHistoryCsv,
  readDemoMarket,
  simulateFactorReturns,
} from '../../../config/generate-history.js';
import { defaultConfigDir } from '../../../config/load.js';
import { epochDayOf } from '../../../engine/risk/history.js';

const DIR = defaultConfigDir();
const OPTS: HistoryOptions = { factors: ['EQ_US', 'FX_EUR'], instruments: ['AAPL', 'SPY'] };

/** The CONFIG_INVALID message parseHistory throws for `text`, checked to be one line. */
function failure(t: Test, text: string, format: 'csv' | 'ndjson' = 'csv', opts = OPTS): string {
  try {
    parseHistory(text, 'h.csv', format, opts);
  } catch (err) {
    t.ok(err instanceof RisklineError, 'a RisklineError');
    t.equal((err as RisklineError).code, 'CONFIG_INVALID');
    t.notMatch((err as Error).message, /\n/, 'one line');
    return (err as Error).message;
  }
  t.fail('expected a failure');
  return '';
}

t.test('CSV returns: provenance, columns in any order, instrument gaps, CRLF and BOM', async (t) => {
  const text =
    '\uFEFF# source: Example Data Ltd, closes 16:00 NY\r\n# generator: export.py v2\r\ndate,FX_EUR,AAPL,EQ_US\r\n' +
    '2024-01-02,0.001,0.02,-0.01\r\n2024-01-03,-0.002,,0.005\r\n';
  const h = parseHistory(text, 'h.csv', 'csv', OPTS);
  t.match(h, {
    source: 'Example Data Ltd, closes 16:00 NY',
    synthetic: false,
    generator: 'export.py v2',
    kind: 'returns',
  });
  t.match(h, { file: 'h.csv', from: '2024-01-02', to: '2024-01-03', days: 2, dates: ['2024-01-02', '2024-01-03'] });
  t.same([...h.epochDays], [epochDayOf('2024-01-02'), epochDayOf('2024-01-03')]);
  t.same([...h.factorReturns], [-0.01, 0.001, 0.005, -0.002], 'days × factors in the given factor order');
  t.same([...(h.instruments.get('AAPL') as Float64Array)], [0.02, NaN], 'an empty instrument cell: no return that day');
  t.notOk(h.instruments.has('SPY'));
});

t.test('CSV prices: returns derived from consecutive closes', async (t) => {
  const text =
    '# kind: prices\ndate,EQ_US,FX_EUR,SPY\n2024-01-02,100,1.1,500\n2024-01-03,101,1.1,\n2024-01-04,99.99,1.21,510\n';
  const h = parseHistory(text, 'h.csv', 'csv', OPTS);
  t.match(h, { kind: 'prices', from: '2024-01-03', to: '2024-01-04', days: 2, source: null, synthetic: false });
  t.same([...h.factorReturns], [101 / 100 - 1, 0, 99.99 / 101 - 1, 1.21 / 1.1 - 1]);
  t.same([...(h.instruments.get('SPY') as Float64Array)], [NaN, NaN], 'a gap loses both days around it');
});

t.test('NDJSON returns and prices', async (t) => {
  const r = parseHistory(
    '# source: synthetic test\n{"date":"2024-01-02","returns":{"EQ_US":0.01,"FX_EUR":0}}\n' +
      '{"date":"2024-01-03","returns":{"EQ_US":-0.02,"FX_EUR":0.001,"AAPL":0.03}}\n',
    'h.ndjson',
    'ndjson',
    OPTS,
  );
  t.match(r, { synthetic: true, kind: 'returns', days: 2, format: 'ndjson' });
  t.same([...r.factorReturns], [0.01, 0, -0.02, 0.001]);
  t.same([...(r.instruments.get('AAPL') as Float64Array)], [NaN, 0.03]);
  const p = parseHistory(
    '{"date":"2024-01-02","prices":{"EQ_US":200,"FX_EUR":1}}\n{"date":"2024-01-05","prices":{"EQ_US":190,"FX_EUR":1.5}}\n',
    'h.ndjson',
    'ndjson',
    OPTS,
  );
  t.same([...p.factorReturns], [190 / 200 - 1, 1.5 / 1 - 1]);
  t.same(p.dates, ['2024-01-05']);
});

t.test('CSV errors: one line naming file, line and column', async (t) => {
  const head = 'date,EQ_US,FX_EUR\n';
  const cases: [string, string][] = [
    [head + '2024-01-02,abc,0\n', 'history h.csv line 2, column EQ_US: expected a number, received "abc"'],
    [
      head + '2024-01-02,0,Infinity\n',
      'history h.csv line 2, column FX_EUR: expected a finite number, received "Infinity"',
    ],
    [head + '2024-01-02,1e999,0\n', 'history h.csv line 2, column EQ_US: expected a finite number, received "1e999"'],
    [head + '2024-01-02,NaN,0\n', 'history h.csv line 2, column EQ_US: expected a finite number, received "NaN"'],
    [head + '2024-01-02,,0\n', 'history h.csv line 2, column EQ_US: expected a number, received ""'],
    [
      head + '2024-02-30,0,0\n',
      'history h.csv line 2, column date: expected an ISO date YYYY-MM-DD, received "2024-02-30"',
    ],
    [
      head + '2024-01-03,0,0\n\n2024-01-02,0,0\n',
      'history h.csv line 4, column date: expected a date after 2024-01-03 (ascending, no repeats), received "2024-01-02"',
    ],
    [
      head + '2024-01-03,0,0\n2024-01-03,0,0\n',
      'history h.csv line 3, column date: expected a date after 2024-01-03 (ascending, no repeats), received "2024-01-03"',
    ],
    [head + '2024-01-02,-1,0\n', 'history h.csv line 2, column EQ_US: expected a return > -1, received -1'],
    [
      head + '2024-01-02,0\n',
      "history h.csv line 2, row: expected 3 comma-separated values (the header's), received 2",
    ],
    [
      '# c\ndate,EQ_US,GOLD\n',
      'history h.csv line 2, column 3: expected a factor id of market.json or an instrument id of instruments.json, received "GOLD"',
    ],
    ['date,EQ_US,EQ_US\n', 'history h.csv line 1, column 3: expected each series once, received "EQ_US" again'],
    ['day,EQ_US\n', 'history h.csv line 1, column 1: expected the header "date", received "day"'],
    [
      '\n# only comments\n',
      'history h.csv line 3, header: expected a header row date,<series>,…, received end of file',
    ],
    [
      '# x\ndate,EQ_US,AAPL\n2024-01-02,0,0\n',
      'history h.csv line 2, header: expected a series for every factor of market.json, received none for FX_EUR',
    ],
    [
      'date,AAPL\n',
      'history h.csv line 1, header: expected a series for every factor of market.json, received none for EQ_US (and 1 more)',
    ],
    [
      '# kind: prices\n' + head + '2024-01-02,1,0\n',
      'history h.csv line 3, column FX_EUR: expected a price > 0, received 0',
    ],
    ['# kind: levels\n' + head, 'history h.csv line 1, kind: expected returns or prices, received "levels"'],
    [head, 'history h.csv, days: expected at least 1 days of returns (the risk window), received 0'],
  ];
  for (const [text, want] of cases) t.equal(failure(t, text), want);
  const short = head + '2024-01-02,0,0\n2024-01-03,0,0\n';
  t.equal(
    failure(t, short, 'csv', { ...OPTS, minDays: 500 }),
    'history h.csv, days: expected at least 500 days of returns (the risk window), received 2',
  );
});

t.test('NDJSON errors', async (t) => {
  const ok = '{"date":"2024-01-02","returns":{"EQ_US":0,"FX_EUR":0}}\n';
  const cases: [string, string][] = [
    [ok + '{"date":"2024-01-03",\n', 'history h.csv line 2, json: expected a JSON object, received invalid JSON'],
    [ok + '[1]\n', 'history h.csv line 2, json: expected a JSON object, received an array of 1'],
    [
      '{"date":"2024-01-02","returns":{"EQ_US":"0.1","FX_EUR":0}}\n',
      'history h.csv line 1, field returns.EQ_US: expected a number, received "0.1"',
    ],
    [
      '{"date":"2024-01-02","returns":{"EQ_US":0}}\n',
      'history h.csv line 1, field returns.FX_EUR: expected a number for every factor, received nothing',
    ],
    [
      '{"date":"2024-01-02","returns":{"EQ_US":0,"FX_EUR":0,"GOLD":1}}\n',
      'history h.csv line 1, field returns.GOLD: expected a factor id of market.json or an instrument id of instruments.json, received "GOLD"',
    ],
    [
      '{"date":"2024-01-02","returns":{"EQ_US":0,"FX_EUR":null}}\n',
      'history h.csv line 1, field returns.FX_EUR: expected a number, received null',
    ],
    [
      '{"date":"2024-01-02","ret":{}}\n',
      'history h.csv line 1, field ret: expected date, returns or prices, received an unknown field',
    ],
    [
      ok + '{"date":"2024-01-03","prices":{"EQ_US":1,"FX_EUR":1}}\n',
      'history h.csv line 2, field prices: expected returns on every line, received prices',
    ],
    [
      ok + ok,
      'history h.csv line 2, column date: expected a date after 2024-01-02 (ascending, no repeats), received "2024-01-02"',
    ],
    [
      '{"returns":{"EQ_US":0,"FX_EUR":0}}\n',
      'history h.csv line 1, field date: expected an ISO date YYYY-MM-DD, received nothing',
    ],
    [
      '{"date":"2024-01-02","returns":{"EQ_US":-1.5,"FX_EUR":0}}\n',
      'history h.csv line 1, column EQ_US: expected a return > -1, received -1.5',
    ],
  ];
  for (const [text, want] of cases) t.equal(failure(t, text, 'ndjson'), want);
});

t.test('loadHistory: format from the file name, unreadable files', async (t) => {
  const dir = t.testdir({
    'a.jsonl': '{"date":"2024-01-02","returns":{"EQ_US":0,"FX_EUR":0}}\n',
    'bad.csv': 'date,EQ_US,FX_EUR\n2024-01-02,0,0\n2024-01-03,abc,0\n',
  });
  t.equal(loadHistory(path.join(dir, 'a.jsonl'), OPTS).format, 'ndjson');
  t.equal(historyFormat('x.CSV'), 'csv');
  t.throws(() => historyFormat('x.parquet'), {
    code: 'CONFIG_INVALID',
    message: 'history x.parquet, file name: expected a name ending .csv, .ndjson or .jsonl, received "x.parquet"',
  });
  const bad = path.join(dir, 'bad.csv');
  t.throws(() => loadHistory(bad, OPTS), {
    code: 'CONFIG_INVALID',
    message: `history ${path.relative(process.cwd(), bad)} line 3, column EQ_US: expected a number, received "abc"`,
  });
  const missing = path.join(dir, 'none.csv');
  t.throws(() => loadHistory(missing, OPTS), {
    code: 'CONFIG_INVALID',
    message: `history ${path.relative(process.cwd(), missing)}, file: expected a readable file, received ENOENT`,
  });
});

const market = readDemoMarket(DIR);
const factorIds = market.factors.map((f) => f.id);

t.test('the committed demo history is the generator output, labelled synthetic', async (t) => {
  const file = path.join(DIR, HISTORY_FILE);
  t.ok(readFileSync(file, 'utf8') === demoHistoryCsv(market), 'regenerating gives the committed file byte for byte');
  const h = loadHistory(file, { factors: factorIds, instruments: [], minDays: 500 });
  t.match(h, { synthetic: true, kind: 'returns', days: 756, from: '2024-01-08', to: '2026-11-30' });
  t.equal(h.source, 'synthetic: generated by config/generate-history.ts, seed 20261206; not market data');
  t.equal(h.generator, 'config/generate-history.ts seed=20261206');
  for (const d of h.epochDays) {
    const weekday = new Date(d * 86400000).getUTCDay();
    if (weekday === 0 || weekday === 6) t.fail(`weekend day ${d}`);
  }
  t.same(
    [...businessDays('2024-01-08', 3)],
    [epochDayOf('2024-01-04'), epochDayOf('2024-01-05'), epochDayOf('2024-01-08')],
  );
  // Volatility clustering: squared returns are autocorrelated (lag 1), on average over the factors.
  const k = factorIds.length;
  let acf = 0;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let d = 0; d < h.days; d++) mean += h.factorReturns[d * k + j] ** 2 / h.days;
    let num = 0;
    let den = 0;
    for (let d = 0; d < h.days; d++) {
      const x = h.factorReturns[d * k + j] ** 2 - mean;
      den += x * x;
      if (d > 0) num += x * (h.factorReturns[(d - 1) * k + j] ** 2 - mean);
    }
    acf += num / den / k;
  }
  t.ok(acf > 0.05, `mean lag-1 autocorrelation of squared returns ${acf.toFixed(3)} > 0.05`);
});

t.test('the generator is the stated model', async (t) => {
  const k = factorIds.length;
  // Same seed with α = β = 0: the same shocks e_t at constant variance σ² (same random streams), so
  // r_garch[t][k] = √(h_t / σ²) · r_iid[t][k], h_t recomputed here from r_garch by the GARCH recursion.
  const spec = { ...DEMO_HISTORY, days: 300 };
  const garch = simulateFactorReturns(market, spec);
  const iid = simulateFactorReturns(market, { ...spec, alpha: 0, beta: 0 });
  let worst = 0;
  for (let j = 0; j < k; j++) {
    const s2 = market.factors[j].vol ** 2 / 252;
    let h = s2;
    for (let d = 0; d < spec.days; d++) {
      if (d > 0) h = (1 - 0.08 - 0.9) * s2 + 0.08 * garch[(d - 1) * k + j] ** 2 + 0.9 * h;
      const want = Math.sqrt(h / s2) * iid[d * k + j];
      worst = Math.max(worst, Math.abs(garch[d * k + j] - want) / Math.abs(want));
    }
  }
  t.ok(worst < 1e-12, `GARCH(1,1) recursion holds (worst relative difference ${worst})`);
  // Constant variance, 20,000 days: unit-variance Student-t shocks give each factor's vol and
  // market.json's correlations. Sampling error: var(e²) = E[e⁴] − 1 = 3(ν−2)/(ν−4) − 1 = 8 for ν = 5, so
  // the variance ratio's standard error is √(8/20000) = 2 %; bound 8 %.
  const n = 20000;
  const r = simulateFactorReturns(market, { ...DEMO_HISTORY, days: n, alpha: 0, beta: 0 });
  const m2 = new Float64Array(k * k);
  for (let d = 0; d < n; d++) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m2[i * k + j] += (r[d * k + i] * r[d * k + j]) / n;
  }
  for (let i = 0; i < k; i++) {
    const ratio = m2[i * k + i] / (market.factors[i].vol ** 2 / 252);
    t.ok(Math.abs(ratio - 1) < 0.08, `${factorIds[i]}: variance ratio ${ratio.toFixed(3)}`);
  }
  let corrWorst = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const c = m2[i * k + j] / Math.sqrt(m2[i * k + i] * m2[j * k + j]);
      corrWorst = Math.max(corrWorst, Math.abs(c - market.correlations[i][j]));
    }
  }
  t.ok(corrWorst < 0.05, `sample correlations within 0.05 of market.json (worst ${corrWorst.toFixed(3)})`);
  // Fat tails: excess kurtosis of a Student-t(5) is 6; a normal's is 0.
  let m4 = 0;
  for (let d = 0; d < n; d++) m4 += r[d * k] ** 4 / n;
  const kurt = m4 / m2[0] ** 2;
  t.ok(kurt > 5, `EQ_US kurtosis ${kurt.toFixed(2)} > 5 (normal: 3, t(5): 9)`);
});
