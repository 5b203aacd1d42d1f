// The rolling window of daily returns: chronological contiguous scenarios through wrap-around,
// day order enforced, instrument series, loading a history, realised returns from closing levels.

import t from 'tap';
import { HistoryWindow, epochDayOf, isoOfEpochDay, realisedReturns } from '../../../../engine/risk/history.js';

/** Day d's returns for 2 factors: distinct values that name the day. */
const row = (d: number) => [d / 10000, -d / 10000];

t.test('day numbers and ISO dates', async (t) => {
  t.equal(epochDayOf('1970-01-01'), 0);
  t.equal(epochDayOf('2024-03-01'), 19783, '2024-03-01 is day 19783 (Python: date(2024,3,1) - date(1970,1,1))');
  t.equal(isoOfEpochDay(19783), '2024-03-01');
  for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-01', '20240101', '']) {
    t.ok(Number.isNaN(epochDayOf(bad)), `${JSON.stringify(bad)} is not a date`);
  }
  t.equal(epochDayOf('2024-02-29'), 19782, 'leap day');
});

t.test('window of 3: the last 3 days, oldest first, through every wrap position', async (t) => {
  const w = new HistoryWindow(2, 3);
  t.equal(w.length, 0);
  t.equal(w.scenarios().length, 0);
  for (let d = 1; d <= 8; d++) {
    w.append(100 + d, row(d));
    const first = Math.max(1, d - 2);
    const want: number[] = [];
    const wantDays: number[] = [];
    for (let e = first; e <= d; e++) {
      want.push(...row(e));
      wantDays.push(100 + e);
    }
    t.same([...w.scenarios()], want, `after day ${d}: days ${first}..${d}`);
    t.same([...w.epochDays()], wantDays);
    t.equal(w.length, Math.min(d, 3));
    t.equal(w.lastDay, 100 + d);
  }
});

t.test('the scenario matrix is a view: no copy per roll', async (t) => {
  const w = new HistoryWindow(2, 500);
  for (let d = 0; d < 1200; d++) w.append(d, row(d));
  const s = w.scenarios();
  t.equal(s.length, 1000);
  t.equal(s[0], 700 / 10000, 'oldest is day 700');
  t.equal(s[998], 1199 / 10000, 'newest is day 1199');
  t.equal(s.buffer, w.scenarios().buffer, 'same buffer');
});

t.test('instrument series: NaN where a day has none', async (t) => {
  const w = new HistoryWindow(2, 2, ['AAPL', 'SPY']);
  w.append(1, row(1), [0.01, NaN]);
  w.append(2, row(2));
  w.append(3, row(3), [0.03, 0.003]);
  t.same([...(w.instrumentSeries('AAPL') as Float64Array)], [NaN, 0.03]);
  t.same([...(w.instrumentSeries('SPY') as Float64Array)], [NaN, 0.003]);
  t.equal(w.instrumentSeries('MSFT'), null);
  t.throws(() => w.append(4, row(4), [0.1]), /expected 2 instrument returns/);
});

t.test('a day must follow the last; returns finite and > -1', async (t) => {
  const w = new HistoryWindow(2, 5);
  w.append(19783, row(1));
  t.throws(() => w.append(19783, row(2)), /day 2024-03-01 is not after the window's last day 2024-03-01/);
  t.throws(() => w.append(19782, row(2)), /not after/);
  t.throws(() => w.append(19784.5, row(2)), /integer/);
  t.throws(() => w.append(19784, [0.1]), /expected 2 factor returns/);
  t.throws(() => w.append(19784, [0.1, -1]), /factor 1: return must be finite and > -1/);
  t.throws(() => w.append(19784, [Infinity, 0]), /factor 0/);
  t.equal(w.length, 1, 'rejected days leave the window as it was');
  t.throws(() => new HistoryWindow(0), /factors/);
  t.throws(() => new HistoryWindow(2, 0), /window/);
});

t.test('load: the last W days of a history, then day rolls continue from it', async (t) => {
  const days = 6;
  const factorReturns = Float64Array.from({ length: days * 2 }, (_, i) => row(Math.floor(i / 2))[i % 2]);
  const history = {
    epochDays: Int32Array.from({ length: days }, (_, d) => 10 + d),
    factorReturns,
    factors: ['A', 'B'],
    instruments: new Map([['X', Float64Array.from([0, 1, 2, 3, 4, 5])]]),
  };
  const w = new HistoryWindow(2, 4, ['X']);
  w.load(history);
  t.same([...w.epochDays()], [12, 13, 14, 15]);
  t.same([...w.scenarios()], [...row(2), ...row(3), ...row(4), ...row(5)]);
  t.same([...(w.instrumentSeries('X') as Float64Array)], [2, 3, 4, 5]);
  w.append(16, row(6));
  t.same([...w.epochDays()], [13, 14, 15, 16]);
  t.throws(() => new HistoryWindow(3, 4).load(history), /2 factors, window 3/);
});

t.test('realised returns from two closes', async (t) => {
  const out = new Float64Array(3);
  realisedReturns([100, 50, 8], [101, 49, 8], out);
  t.same([...out], [101 / 100 - 1, 49 / 50 - 1, 0]);
  t.throws(() => realisedReturns([100, 0, 8], [1, 1, 1], out), /factor 1: closing levels must be finite and > 0/);
  t.throws(() => realisedReturns([1], [1, 1, 1], out), /lengths differ/);
});
