// The store as its own process over Kafka, SIGKILLed twice mid-stream and started again: what it
// read but had not committed is delivered again, and the natural keys store it once, so every tick
// and execution the feed sent is in PostgreSQL exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { Proc } from '../../../bench/deployment.js';
import { startRiskline } from '../../../app/compose.js';
import { expectStoredOnce, testDatabase } from '../../store/db.js';
import { eventually, kafkaConfig } from './helpers.js';

const db = await testDatabase(t);

t.test('a store process SIGKILLed and restarted: every tick and execution stored once', async (t) => {
  const { file, config } = kafkaConfig({
    roles: ['feed'],
    simulator: { ticksPerSecond: 3000, executionsPerSecond: 20 },
    // Its own spill directory: a killed store's spill is its own to drain at the next start.
    database: { url: db.url, spillDir: mkdtempSync(join(tmpdir(), 'riskline-spill-')) },
  });
  const feed = await startRiskline({ config, logger: pino({ level: 'silent' }), opsServer: false });
  t.teardown(() => feed.close());
  const store = new Proc(['--config', file, '--roles', 'store', '--port', '0'], 'store');
  t.teardown(() => store.kill());
  const c = await db.client();
  const n = async (sql: string) => Number((await c.query(sql)).rows[0]?.n ?? 0);
  const ticks = () => n('select count(*)::int as n from ticks');
  store.start();
  for (let kill = 1; kill <= 2; kill++) {
    const before = await eventually(
      async () => {
        const k = await ticks().catch(() => 0);
        return k > kill * 3000 ? k : undefined;
      },
      60_000,
      `ticks stored before kill ${kill}`,
    );
    t.ok(before > 0, `kill ${kill} after ${before} ticks`);
    await store.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    store.start();
  }
  await new Promise((r) => setTimeout(r, 2000));
  await feed.feed!.stop();
  const sent = { ticks: Number(feed.feed!.stats().ticks), executions: Number(feed.feed!.stats().executions) };
  await expectStoredOnce(t, c, sent, 90_000).catch((err: Error) => {
    throw new Error(`${err.message}; the store's log: ${store.log.slice(-2000)}`, { cause: err });
  });
});
