// The store's write path on a real PostgreSQL: migrations, the binary COPY encoding read back by
// the server itself, ticks and executions stored once however often a batch is delivered, and the
// COPY and INSERT paths storing the same rows.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from as copyFrom } from 'pg-copy-streams';
import t from 'tap';
import { TickEncoder } from '../../feeds/publish.js';
import { CopyWriter } from '../../services/store/copy-binary.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../services/store/migrate.js';
import { TickPartitions } from '../../services/store/partitions.js';
import { TickSink } from '../../services/store/sink.js';
import { rollUpBars } from '../../services/store/bars.js';
import { StoreReader, StoreRows } from '../../services/store/rows.js';
import { encodeEnvelope, type TickTuple } from '../../streams/envelope.js';
import { testDatabase } from './db.js';

const db = await testDatabase(t);
const INSTRUMENTS = ['AAPL', 'MSFT', 'EURUSD', 'ÆRØ'];

t.test('migrations apply once, in order; a changed or unknown one is refused', async (t) => {
  const c = await db.client();
  t.same(
    await migrate(c),
    readMigrations().map((m) => m.version),
    'the first start applies every migration',
  );
  t.same(await migrate(c), [], 'the next applies nothing');
  const dir = mkdtempSync(join(tmpdir(), 'riskline-mig-'));
  const [first] = readMigrations();
  writeFileSync(join(dir, `0001_${first.name}.sql`), first.sql + '\n-- edited');
  await t.rejects(migrate(c, readMigrations(dir + '/')), /changed after it was applied/);
  await c.query("insert into schema_migrations (version, name, checksum) values (99, 'future', 'x')");
  await t.rejects(migrate(c), /migration 99, which this build does not know/);
  await c.query('delete from schema_migrations where version = 99');
  writeFileSync(join(dir, '0003_gap.sql'), 'select 1');
  t.throws(() => readMigrations(dir + '/'), /migration 3 follows 1/);
  t.ok(MIGRATIONS_DIR.endsWith('services/store/migrations/'));
});

t.test('the binary COPY encoding is what the server reads', async (t) => {
  const c = await db.client();
  await c.query('create temp table enc (ts timestamptz, s text, x float8, n int8, i int4, z text)');
  const ms = [Date.UTC(2026, 11, 7, 9, 30, 0, 123) + 0.456, Date.UTC(1999, 0, 1), Date.UTC(2000, 0, 1) - 0.001];
  const w = new CopyWriter();
  const values = [
    [ms[0], 'AAPL', 189.25, 9007199254740991, -5, null],
    [ms[1], 'ÆRØ €', -0.5, -9007199254740991, 2147483647, ''],
    [ms[2], '', Number.MAX_VALUE, 0, -2147483648, 'x'],
  ] as const;
  for (const [ts, s, x, n, i, z] of values) {
    w.row(6).timestampMs(ts).text(s).float8(x).int8(n).int4(i);
    if (z === null) w.null();
    else w.text(z);
  }
  w.end();
  const stream = c.query(copyFrom('copy enc from stdin (format binary)'));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(w.take());
  });
  const { rows } = await c.query(
    `select (extract(epoch from ts) * 1000000)::int8::text as us, s, x, n::text as n, i, z from enc order by ts desc`,
  );
  t.same(
    rows.map((r) => [Number(r.us), r.s, r.x, Number(r.n), r.i, r.z]),
    values
      .map(([ts, s, x, n, i, z]) => [Math.round(ts * 1000), s, x, n, i, z])
      .sort((a, b) => Number(b[0]) - Number(a[0])),
  );
});

/** Bus records as the feed writes them (msgpack), and one tick batch in JSON as kcat would. */
function records(seq0: number, ts0: number) {
  const enc = new TickEncoder(2, 'feed-a', 3, 'msgpack', seq0);
  const tuples: TickTuple[] = Array.from({ length: 10 }, (_, k) => [
    INSTRUMENTS[k % INSTRUMENTS.length],
    ts0 + k * 0.25,
    100 + k,
    100.5 + k,
    100.25 + k,
  ]);
  const out = enc.encode(tuples, tuples.length, []);
  const json = encodeEnvelope(
    {
      v: 1,
      type: 'ticks',
      src: 'kcat',
      ts: ts0 + 5,
      seq: 7,
      body: [
        ['MSFT', ts0 + 5, 1, 2, 1.5],
        ['NOPE', ts0, 1, 2, 1],
      ],
    },
    'json',
  );
  const exec = (id: string) =>
    encodeEnvelope({
      v: 1,
      type: 'execution',
      src: 'venue',
      ts: ts0,
      seq: 1,
      body: { id, portfolio: 'P1', instrument: 'AAPL', side: 'buy', qty: 100, price: 189.5, ts: ts0 },
    });
  return [...out.map((m) => m.value), json, exec('E-1'), exec('E-2'), exec('E-1')].map((value) => ({ value }));
}

async function tableOf(c: Awaited<ReturnType<typeof db.client>>) {
  const { rows } = await c.query(
    `select (extract(epoch from ts) * 1000000)::int8::text as us, instrument, bid, ask, last, src, seq::text
     from ticks order by src, seq, ts, instrument`,
  );
  return rows;
}

t.test('a batch delivered twice is stored once; COPY and INSERT store the same rows', async (t) => {
  const c = await db.client();
  await migrate(c);
  const reader = new StoreReader(INSTRUMENTS);
  const rows = new StoreRows();
  const ts0 = Date.UTC(2026, 11, 7, 23, 59, 59, 999); // the batch crosses midnight: two partitions
  for (const m of records(0, ts0)) reader.read(m, rows);
  t.equal(rows.ticks, 11, 'ten msgpack ticks and one JSON tick');
  t.equal(rows.refused, 1, 'the unknown instrument is refused');
  t.equal(rows.executions.length, 3);
  const copy = new TickSink(INSTRUMENTS, 'copy');
  t.match(await copy.write(c, rows), { ticks: 11, executions: 2, duplicates: 0 }, 'first delivery: everything');
  t.same(
    await copy.write(c, rows),
    {
      ticks: 0,
      executions: 0,
      risk: 0,
      states: 0,
      alerts: 0,
      alertActions: 0,
      orders: 0,
      duplicates: rows.batches.src.length,
    },
    'redelivery: nothing',
  );
  const viaCopy = await tableOf(c);
  t.equal(viaCopy.length, 11);
  t.equal(viaCopy.find((r) => r.src === 'kcat')?.instrument, 'MSFT');
  const { rows: parts } = await c.query(
    "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'ticks' order by 1",
  );
  t.same(
    parts.map((r) => r.relname),
    ['ticks_20261207', 'ticks_20261208'],
    'a partition per day written',
  );
  await c.query('truncate ticks, tick_batches, executions');
  const insert = new TickSink(INSTRUMENTS, 'insert');
  t.match(await insert.write(c, rows), { ticks: 11, executions: 2, duplicates: 0 });
  t.same(await tableOf(c), viaCopy, 'INSERT stores exactly what COPY stores');
  // A restarted feed numbers its batches from 0 again: its key differs by time, so it is stored.
  const later = new StoreRows();
  for (const m of records(0, ts0 + 60_000)) reader.read(m, later);
  t.equal((await insert.write(c, later)).ticks, 11, "a restarted feed's batches with the same seqs are new");
  const { rows: ex } = await c.query('select id, side, qty, price from executions order by id');
  t.same(ex, [
    { id: 'E-1', side: 'buy', qty: 100, price: 189.5 },
    { id: 'E-2', side: 'buy', qty: 100, price: 189.5 },
  ]);
});

t.test('a failed batch leaves nothing behind and is written whole on retry', async (t) => {
  const c = await db.client();
  await c.query('truncate ticks, tick_batches, executions');
  const reader = new StoreReader(INSTRUMENTS);
  const rows = new StoreRows();
  for (const m of records(100, Date.UTC(2026, 11, 9, 12))) reader.read(m, rows);
  const sink = new TickSink(INSTRUMENTS, 'copy');
  await c.query('alter table executions add constraint no_e2 check (id <> $$E-2$$)');
  await t.rejects(sink.write(c, rows), /no_e2/);
  t.same((await c.query('select count(*)::int as n from tick_batches')).rows[0].n, 0, 'no key kept');
  await c.query('alter table executions drop constraint no_e2');
  t.match(await sink.write(c, rows), { ticks: 11, executions: 2, duplicates: 0 }, 'the retry writes it all');
});

t.test('closed days get their instrument index once; retention drops whole days', async (t) => {
  const c = await db.client();
  const parts = new TickPartitions();
  const names = async () =>
    (
      await c.query(
        "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'ticks' order by 1",
      )
    ).rows.map((r) => r.relname as string);
  t.same(await names(), ['ticks_20261207', 'ticks_20261208', 'ticks_20261209']);
  t.same(await parts.indexClosedDays(c, Date.UTC(2026, 11, 9, 12)), ['ticks_20261207', 'ticks_20261208'].sort());
  t.same(await parts.indexClosedDays(c, Date.UTC(2026, 11, 9, 13)), [], 'indexed once');
  await c.query('set enable_seqscan = off'); // a few rows would be read whole anyway: ask whether the index serves
  const plan = await c.query(
    "explain select * from ticks where instrument = 'AAPL' and ts >= '2026-12-08' and ts < '2026-12-09'",
  );
  t.match(
    plan.rows.map((r) => r['QUERY PLAN']).join('\n'),
    /ticks_20261208_instrument_ts/,
    'a closed day is read by its index',
  );
  const dropped = await parts.dropOlderThan(c, Date.UTC(2026, 11, 10), 86_400_000);
  t.same(dropped.sort(), ['ticks_20261207', 'ticks_20261208']);
  t.same(await names(), ['ticks_20261209']);
  t.equal((await c.query("select count(*)::int as n from ticks where ts < '2026-12-09'")).rows[0].n, 0);
});

t.test('risk snapshots one per portfolio per bucket, alerts by id, orders by their latest state', async (t) => {
  const c = await db.client();
  const env = (type: string, body: unknown, ts: number) => ({
    value: encodeEnvelope({ v: 1, type: type as 'frame', src: 'engine-a', ts, seq: 1, body }),
  });
  const t0 = Date.UTC(2026, 11, 7, 10, 0, 0);
  const risk = (asOf: number, seq: number) =>
    env(
      'frame',
      {
        channel: 'risk:P1',
        type: 'snapshot',
        seq,
        asOf,
        inputSeq: seq * 10,
        data: { var99: seq, stress: [{ id: 'X', pnl: -1 }] },
      },
      asOf,
    );
  const alert = {
    id: 'var-limit:P1:1:raise',
    portfolio: 'P1',
    limit: 'var-limit',
    state: 'breached',
    severity: 'critical',
    message: 'VaR over its limit',
    value: 120,
    threshold: 100,
    ts: t0,
  };
  // The same limit past its warning line before the breach (migration 4 admits the state).
  const warning = {
    ...alert,
    id: 'var-limit:P1:1:warn',
    state: 'warning',
    severity: 'warning',
    value: 85,
    ts: t0 - 1000,
  };
  const order = (status: string, events: number) =>
    env(
      'order',
      {
        id: 'RL20261207-1',
        portfolio: 'P1',
        instrument: 'AAPL',
        side: 'buy',
        qty: 100,
        cumQty: events * 10,
        avgPx: 189.5,
        status,
        events: Array.from({ length: events }, () => ({ ts: t0, status, text: '' })),
      },
      t0 + events,
    );
  const reader = new StoreReader(INSTRUMENTS, 60_000);
  const sink = new TickSink(INSTRUMENTS, 'copy');
  const rows = new StoreRows();
  // Two frames in the first minute, one in the next; the alert as a frame and again as a bare record;
  // the order's third state before its second (Kafka keeps order per key, a replay after a crash may not).
  for (const m of [
    risk(t0 + 1000, 1),
    risk(t0 + 2000, 2),
    risk(t0 + 61_000, 3),
    env('frame', { channel: 'alerts:P1', type: 'update', seq: 1, asOf: t0, data: alert }, t0),
    env('alert', alert, t0),
    env('alert', warning, t0 - 1000),
    order('filled', 3),
    order('new', 1),
    order('partially_filled', 2),
    env('frame', { channel: 'positions:P1', type: 'update', seq: 9, asOf: t0, data: { rows: {} } }, t0),
  ])
    reader.read(m, rows);
  t.equal(rows.risk.length, 2, 'the first frame of each minute');
  const r = await sink.write(c, rows);
  reader.stored(rows);
  t.match(r, { risk: 2, alerts: 2, orders: 1 });
  const { rows: snaps } = await c.query(
    "select to_char(bucket at time zone 'UTC', 'HH24:MI') as m, seq, data->'var99' as v from risk_snapshots order by bucket",
  );
  t.same(snaps, [
    { m: '10:00', seq: '1', v: 1 },
    { m: '10:01', seq: '3', v: 3 },
  ]);
  t.same((await c.query('select id, state, severity, value from alerts order by ts')).rows, [
    { id: warning.id, state: 'warning', severity: 'warning', value: 85 },
    { id: alert.id, state: 'breached', severity: 'critical', value: 120 },
  ]);
  t.same(
    (await c.query('select status, version, cum_qty from orders')).rows,
    [{ status: 'filled', version: 3, cum_qty: 30 }],
    'the latest state, though an earlier one came later',
  );
  // Delivered again, and an older state of the order on its own: nothing changes.
  const again = new StoreRows();
  for (const m of [risk(t0 + 1500, 2), order('new', 1), env('alert', alert, t0)]) reader.read(m, again);
  t.equal(again.risk.length, 0, "a stored minute's later frame is skipped before the database");
  t.match(await sink.write(c, again), { risk: 0, alerts: 0, orders: 0 });
  t.equal((await c.query('select status from orders')).rows[0].status, 'filled');
  // A batch that fails is read again from the spill: its bucket must not count as stored.
  const fresh = new StoreReader(INSTRUMENTS, 60_000);
  const lost = new StoreRows();
  fresh.read(risk(t0 + 121_000, 4), lost);
  const retry = new StoreRows();
  fresh.read(risk(t0 + 121_000, 4), retry);
  t.equal(retry.risk.length, 1, 'a bucket read but never stored is read again');
});

t.test(
  "the bars job's bars equal PostgreSQL's aggregation of the stored ticks, batches late and twice included",
  async (t) => {
    const c = await db.client();
    await c.query('truncate ticks, tick_batches, bars_1s, bars_1m, store_state');
    const enc = new TickEncoder(2, 'feed-bars', 64, 'msgpack');
    const t0 = Date.UTC(2026, 11, 7, 15, 59, 30);
    let x = 7;
    const chunks: Uint8Array[][] = [];
    for (let part = 0; part < 3; part++) {
      const tuples: TickTuple[] = [];
      for (let k = 0; k < 1000; k++) {
        x = (x * 48271) % 2147483647;
        const n = part * 1000 + k;
        // 1,000 ticks a part, 45 ms apart: the parts span 15:59:30 to 16:01:45, across minutes and seconds.
        tuples.push([INSTRUMENTS[n % 3], t0 + n * 45 + 0.125, 99, 101, 100 + (x % 1000) / 100]);
      }
      chunks.push(enc.encode(tuples, tuples.length, []).map((m) => m.value));
    }
    const reader = new StoreReader(INSTRUMENTS);
    const sink = new TickSink(INSTRUMENTS, 'copy');
    const write = async (part: number) => {
      const rows = new StoreRows();
      for (const value of chunks[part]) reader.read({ value }, rows);
      await sink.write(c, rows);
    };
    // The last part first and rolled up; then the earlier ones come late, one twice, and the job runs again.
    await write(2);
    t.ok((await rollUpBars(c)) > 0, 'bars of the first batch');
    for (const part of [0, 1, 0]) await write(part);
    t.ok((await rollUpBars(c)) > 0, 'bars of the late ones');
    t.equal(await rollUpBars(c), 0, 'nothing new: nothing to roll up');
    for (const [table, unit] of [
      ['bars_1s', 'second'],
      ['bars_1m', 'minute'],
    ]) {
      const { rows: want } = await c.query(
        `select instrument, date_trunc('${unit}', ts) as bucket, (array_agg(last order by ts))[1] as open, max(last) as high,
              min(last) as low, (array_agg(last order by ts desc))[1] as close, count(*)::int as ticks
       from ticks group by 1, 2 order by 1, 2`,
      );
      const { rows: got } = await c.query(
        `select instrument, bucket, open, high, low, close, ticks from ${table} order by 1, 2`,
      );
      t.ok(want.length > (unit === 'minute' ? 6 : 100), `${table}: ${want.length} bars`);
      t.same(got, want, `${table} equals the aggregation of the ticks`);
    }
  },
);

t.test("the desk's audit: each acknowledgement and assignment stored once, by whom and when", async (t) => {
  const c = await db.client();
  const t0 = Date.UTC(2026, 11, 7, 11, 0, 0);
  const ack = {
    id: 'a7e1',
    alert: 'var-limit:P1:2:raise',
    portfolio: 'P1',
    action: 'acknowledge',
    by: 'alice',
    note: 'hedging',
    ts: t0,
  };
  const assign = {
    id: 'a7e2',
    alert: ack.alert,
    portfolio: 'P1',
    action: 'assign',
    by: 'alice',
    assignee: 'bob',
    ts: t0 + 5,
  };
  const env = (body: unknown) => ({
    value: encodeEnvelope({ v: 1, type: 'alert-action', src: 'gateway-1', ts: t0, seq: 1, body }),
  });
  const reader = new StoreReader(INSTRUMENTS, 60_000);
  const sink = new TickSink(INSTRUMENTS, 'copy');
  const rows = new StoreRows();
  for (const m of [env(ack), env(assign), env(ack), env({ ...ack, id: 'bad', action: 'shrug' })]) reader.read(m, rows);
  t.equal(rows.refused, 1, 'an action of no known kind is refused');
  t.match(await sink.write(c, rows), { alertActions: 2 }, 'the repeat is stored once');
  t.match(await sink.write(c, rows), { alertActions: 0 }, 'the batch delivered again stores nothing');
  const { rows: audit } = await c.query(
    `select id, alert_id, action, by_subject, assignee, note, (extract(epoch from ts) * 1000)::int8 as ms
       from alert_actions order by ts`,
  );
  t.same(audit, [
    {
      id: 'a7e1',
      alert_id: ack.alert,
      action: 'acknowledge',
      by_subject: 'alice',
      assignee: null,
      note: 'hedging',
      ms: String(t0),
    },
    {
      id: 'a7e2',
      alert_id: ack.alert,
      action: 'assign',
      by_subject: 'alice',
      assignee: 'bob',
      note: null,
      ms: String(t0 + 5),
    },
  ]);
});
