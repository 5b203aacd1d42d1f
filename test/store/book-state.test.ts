// Positions and exposures state in the store (state_snapshots) on a real PostgreSQL, from frames
// made here: the engine's snapshot frames kept, the first of each bucket, whole; updates never kept
// and told apart from snapshots by their first bytes alone (MessagePack and JSON envelopes); the
// same records delivered again (a restart, a replay) store nothing twice; a batch read but never
// committed is read again.
import t from 'tap';
import { isSnapshotRecord } from '../../services/store/book-state.js';
import { migrate } from '../../services/store/migrate.js';
import { StoreReader, StoreRows } from '../../services/store/rows.js';
import { TickSink } from '../../services/store/sink.js';
import { encodeEnvelope, type Codec } from '../../streams/envelope.js';
import { testDatabase } from './db.js';

const db = await testDatabase(t);
const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 17, 10, 0, 0);

const frame = (
  channel: string,
  type: 'snapshot' | 'update',
  seq: number,
  asOf: number,
  data: object,
  codec?: Codec,
) => ({
  value: encodeEnvelope(
    {
      v: 1,
      type: 'frame',
      src: 'engine-a',
      ts: asOf,
      seq,
      body: { channel, type, seq, asOf, inputSeq: seq * 10, data },
    },
    codec,
  ),
});

const A = {
  instrument: 'A',
  qty: 1,
  avgCost: 9,
  mark: 10,
  marketValue: 10,
  unrealizedPnl: 1,
  realizedPnl: 0,
  exposure: 10,
};
const B = {
  instrument: 'B',
  qty: 2,
  avgCost: 19,
  mark: 20,
  marketValue: 40,
  unrealizedPnl: 2,
  realizedPnl: 0,
  exposure: 40,
};
const totals = (nav: number) => ({ nav, cash: 0, marketValue: nav, unrealizedPnl: 3, realizedPnl: 0, positions: 2 });
const cell = (long: number) => ({ long, short: 0, net: long, gross: long });
const positions = (nav: number, rows: object) => ({ portfolio: 'P1', baseCurrency: 'USD', totals: totals(nav), rows });
const exposures = (long: number) => ({ portfolio: 'P1', totals: cell(long), byAssetClass: { equity: cell(long) } });

const records = [
  frame('positions:P1', 'update', 5, T0 + 100, { totals: totals(1), rows: { A: { mark: 1 } } }),
  frame('positions:P1', 'snapshot', 6, T0 + 1000, positions(50, { A, B })),
  frame('exposures:P1', 'snapshot', 1, T0 + 1000, exposures(50)),
  frame('positions:P1', 'snapshot', 7, T0 + 11_000, positions(51, { A })), // a later snapshot of the same minute
  frame('positions:P1', 'update', 8, T0 + MIN + 500, { totals: totals(0), rows: {} }),
  frame('positions:P1', 'snapshot', 9, T0 + MIN + 1000, positions(48, { B }), 'json'),
  frame('exposures:P1', 'snapshot', 2, T0 + MIN + 1000, exposures(60), 'json'),
];

/** What each bucket should hold: its first snapshot, by kind and bucket. */
const expected = [
  ['exposures', T0, 1, exposures(50)],
  ['exposures', T0 + MIN, 2, exposures(60)],
  ['positions', T0, 6, positions(50, { A, B })],
  ['positions', T0 + MIN, 9, positions(48, { B })],
];

t.test('only snapshots pass, told apart by their first bytes', async (t) => {
  t.same(
    records.map((r) => isSnapshotRecord(r.value)),
    [false, true, true, true, false, true, true],
  );
  const checkpoint = encodeEnvelope({ v: 1, type: 'checkpoint', src: 'e', ts: T0, seq: 1, body: { seqs: [] } });
  t.notOk(isSnapshotRecord(checkpoint), 'a checkpoint on state.positions');
});

t.test("each bucket's first snapshot, stored once however often it is delivered", async (t) => {
  const c = await db.client();
  await migrate(c);
  const sink = new TickSink([]);
  const reader = new StoreReader([], MIN);
  const rows = new StoreRows();
  for (const m of records) reader.read(m, rows);
  t.equal(rows.states.length, 4, 'two minutes of positions and of exposures');
  t.match(await sink.write(c, rows), { states: 4 });
  reader.stored(rows);
  const stored = async () =>
    (
      await c.query(
        `select kind, (extract(epoch from bucket) * 1000)::float8 as bucket, seq::int as seq,
                input_seq::int as input_seq, (extract(epoch from as_of) * 1000)::float8 as as_of, data
         from state_snapshots order by kind, bucket`,
      )
    ).rows;
  const got = await stored();
  t.same(
    got.map((r) => [r.kind, r.bucket, r.seq, r.data]),
    expected,
    'each bucket holds its first snapshot whole',
  );
  t.same(
    got.map((r) => [r.input_seq, r.as_of]),
    [
      [10, T0 + 1000],
      [20, T0 + MIN + 1000],
      [60, T0 + 1000],
      [90, T0 + MIN + 1000],
    ],
    "each row says the snapshot's inputSeq and asOf",
  );

  const again = new StoreRows();
  for (const m of records) reader.read(m, again);
  t.equal(again.states.length, 0, 'delivered again: stored buckets are skipped before the database');
  const restarted = new StoreReader([], MIN);
  const replay = new StoreRows();
  for (const m of records) restarted.read(m, replay);
  t.match(await sink.write(c, replay), { states: 0 }, 'a restarted store reading them again writes nothing');
  t.same(await stored(), got, 'and the rows are as they were');
});

t.test('a batch read but never stored is read again', async (t) => {
  const reader = new StoreReader([], MIN);
  const lost = new StoreRows();
  for (const m of records) reader.read(m, lost);
  const retry = new StoreRows();
  for (const m of records) reader.read(m, retry);
  t.same(
    retry.states.map((s) => [s.kind, s.bucket, s.seq]),
    lost.states.map((s) => [s.kind, s.bucket, s.seq]),
  );
});
