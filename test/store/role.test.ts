// The store role in the embedded process (feed, engine and store on the in-process bus) on a real
// PostgreSQL: the database stopped for a minute mid-stream and started again, every tick and
// execution the feed sent is stored exactly once; meanwhile the feed never waited (the records
// went to the spill file) and the store said it was spilling.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { startRiskline } from '../../app/compose.js';
import { eventually } from '../eventually.js';
import { testConfig } from '../e2e/helpers.js';
import { expectStoredOnce, testDatabase } from './db.js';

const OUTAGE_MS = 60_000;
const TPS = 2000;

const db = await testDatabase(t);

t.test('PostgreSQL stopped for a minute mid-stream: every tick and execution stored once', async (t) => {
  if (db.server === null) return void t.pass('skipped: DATABASE_URL names a server this test cannot stop');
  const spillDir = mkdtempSync(join(tmpdir(), 'riskline-spill-'));
  const config = testConfig({
    roles: ['feed', 'engine', 'store'],
    simulator: { ticksPerSecond: TPS, executionsPerSecond: 20 },
    database: { url: db.url, spillDir, retryMaxMs: 1000, riskEveryMs: 1000 },
    engine: { ownThread: false },
  });
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  t.teardown(() => running.close());
  const store = running.store!;
  const feed = running.feed!;
  const c = await db.client();
  const count = async (table: string) => (await c.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;
  await eventually(async () => ((await count('ticks')) > 0 ? true : undefined), 30_000, 'ticks stored');
  t.equal(store.status().state, 'writing');

  await c.end();
  await db.server!.shutdown();
  const ticks = () => Number(feed.stats().ticks);
  const ticksAtStop = ticks();
  await eventually(() => (store.status().state === 'spilling' ? true : undefined), 30_000, 'the store spilling');
  t.match(store.status().reason, /\S/, `it says why: ${store.status().reason}`);
  const ready = await fetch(`http://127.0.0.1:${running.ops!.port}/ready`);
  const body = (await ready.json()) as { store?: { state: string; reason: string | null } };
  t.equal(ready.status, 200, '/ready: the process goes on');
  t.equal(body.store?.state, 'spilling', '/ready says the store is spilling');
  t.match(body.store?.reason, /\S/, 'and why');
  const metrics = await (await fetch(`http://127.0.0.1:${running.ops!.port}/metrics`)).text();
  t.match(metrics, /^riskline_store_writing 0$/m, 'the metrics say so too');
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  const during = ticks() - ticksAtStop;
  t.ok(during >= TPS * (OUTAGE_MS / 1000) * 0.8, `the feed went on while the database was away (${during} ticks)`);
  t.ok(store.status().spilledRecords > 0, `records spilled meanwhile (${store.status().spilledRecords})`);

  await db.server!.start();
  await eventually(
    () => (store.status().state === 'writing' && store.status().spilledRecords === 0 ? true : undefined),
    60_000,
    'the spill written',
  );
  await feed.stop();
  const sent = { ticks: ticks(), executions: Number(feed.stats().executions) };
  const c2 = await db.client();
  await expectStoredOnce(t, c2, sent);
  // The engine's risk frames: one a second per portfolio (riskEveryMs), the outage's among them.
  const { rows: risk } = await c2.query(
    'select portfolio, count(*)::int as n, count(distinct bucket)::int as buckets from risk_snapshots group by 1',
  );
  t.equal(risk.length, config.portfolios.length, 'risk snapshots of every portfolio');
  for (const r of risk) t.equal(r.n, r.buckets, `${r.portfolio}: one a bucket (${r.n})`);
});
