// The days a history file lacks, from the store's closes: closes made from known factor returns
// (each instrument moved by exactly its loadings times them) give those factor returns back, day by
// day after the file's last; a day missing an instrument counts its move when it is next seen; the
// file's own days and instrument series are left as they were.
import t from 'tap';
import { InstrumentTable } from '../../../../engine/instruments.js';
import { epochDayOf } from '../../../../engine/risk/history.js';
import type { HistorySource } from '../../../../engine/risk/risk-model.js';
import { withStoredDays, type StoredCloses } from '../../../../engine/risk/stored-days.js';
import { factors, instruments } from '../fixtures.js';

const table = new InstrumentTable(instruments, factors);
const k = factors.length;
const linear = instruments.filter((i) => i.kind !== 'option');

/** A file of two days ending 2026-11-30, with an own series for AAPL. */
const file: HistorySource = {
  epochDays: Int32Array.from([epochDayOf('2026-11-27'), epochDayOf('2026-11-30')]),
  factorReturns: new Float64Array(2 * k).fill(0.001),
  factors: factors.map((f) => f.id),
  instruments: new Map([['AAPL', Float64Array.from([0.01, -0.02])]]),
  file: 'history/test.csv',
  source: 'test',
  synthetic: true,
};

/** Closes over `days` made by factor returns `f[d]` (K each): close_d = close_{d-1} · (1 + L·f_d). */
function closesFrom(days: string[], f: number[][]): StoredCloses {
  let level = linear.map((i) => i.price);
  const closes: number[][] = [level.slice()];
  for (let d = 1; d < days.length; d++) {
    level = level.map((p, j) => {
      const loads = Object.entries(linear[j].factors);
      const r = loads.reduce((s, [id, l]) => s + l * f[d][factors.findIndex((x) => x.id === id)], 0);
      return p * (1 + r);
    });
    closes.push(level.slice());
  }
  return { days: days.map(epochDayOf), instruments: linear.map((i) => i.id), closes };
}

t.test('stored closes give back the factor returns that made them, after the file', async (t) => {
  // Factors with instruments in the book move; the others have none to be seen by (the fit gives 0).
  const moves = [
    [0, 0, 0, 0, 0],
    [0.012, -0.004, 0, 0, 0],
    [-0.021, 0.015, 0, 0, 0],
    [0.003, 0.009, 0, 0, 0],
  ];
  const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
  const out = withStoredDays(file, table, closesFrom(days, moves));
  t.same(
    [...out.epochDays],
    [...file.epochDays, ...days.slice(1).map(epochDayOf)],
    "the file's days, then the stored ones after it",
  );
  t.same(out.stored, { days: 3, from: '2026-12-01', to: '2026-12-03' });
  for (let d = 1; d < days.length; d++) {
    const got = out.factorReturns.subarray((1 + d) * k, (2 + d) * k);
    for (let j = 0; j < k; j++)
      t.ok(Math.abs(got[j] - moves[d][j]) < 1e-9, `${days[d]} ${factors[j].id}: ${got[j]} ≈ ${moves[d][j]}`);
  }
  t.same([...out.factorReturns.subarray(0, 2 * k)], [...file.factorReturns], "the file's returns untouched");
  const aapl = out.instruments.get('AAPL')!;
  t.same([...aapl.subarray(0, 2)], [0.01, -0.02]);
  t.ok([...aapl.subarray(2)].every(Number.isNaN), 'no own return on stored days: the factor model stands in');
});

t.test('days the file has are its own; a missing close counts its move when next seen', async (t) => {
  const moves = [
    [0, 0, 0, 0, 0],
    [0.01, 0, 0, 0, 0],
    [0.02, 0, 0, 0, 0],
  ];
  const days = ['2026-11-27', '2026-11-30', '2026-12-01'];
  const stored = closesFrom(days, moves);
  t.equal(
    withStoredDays(file, table, { ...stored, days: stored.days.slice(0, 2), closes: stored.closes.slice(0, 2) }),
    file,
    'nothing after the file: the history as it was',
  );
  const out = withStoredDays(file, table, stored);
  t.same(out.stored, { days: 1, from: '2026-12-01', to: '2026-12-01' }, '11-30 is the base of 12-01, not a new day');

  // SAP.DE not seen on 12-02: its EQ_EU move of 12-02 and 12-03 shows on 12-03, where it is seen again.
  const four = closesFrom(
    ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'],
    [
      [0, 0, 0, 0, 0],
      [0, 0.01, 0, 0, 0],
      [0, 0.02, 0, 0, 0],
      [0, 0.03, 0, 0, 0],
    ],
  );
  const sap = four.instruments.indexOf('SAP.DE');
  four.closes[2][sap] = NaN;
  const gap = withStoredDays(file, table, four);
  const eqEu = factors.findIndex((f) => f.id === 'EQ_EU');
  t.ok(Math.abs(gap.factorReturns[3 * k + eqEu]) < 1e-9, '12-02: no EQ_EU instrument seen, no move fitted');
  t.ok(Math.abs(gap.factorReturns[4 * k + eqEu] - (1.02 * 1.03 - 1)) < 1e-9, '12-03: the two days of EQ_EU at once');
});
