// The broker comes back with empty data (a new cluster on the same address): every topic the
// engine and gateway use is gone. They must re-create the catalogue's topics, rejoin and serve
// again, reporting the trouble with backoff, never restarting in a loop. This test owns its broker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { startRiskline } from '../../app/compose.js';
import { deploymentConfig, ready } from '../../bench/deployment.js';
import { KafkaBus } from '../../streams/kafka/bus.js';
import { startKafkaBroker } from '../../tools/kafka/broker.js';

t.test('a broker back with empty data: topics re-created, no restart loop, ready again', async (t) => {
  t.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'riskline-wiped-'));
  let broker = await startKafkaBroker({ dataDir });
  const { port } = broker;
  t.teardown(async () => {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const { config } = deploymentConfig([broker.brokers]);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  const running = await startRiskline({ config: { ...config, roles: ['engine', 'gateway'] }, logger });
  t.teardown(() => running.close());
  const http = running.gateway!.port;
  await ready(http, 'the process');

  await broker.stop();
  rmSync(join(dataDir, 'kraft'), { recursive: true, force: true });
  broker = await startKafkaBroker({ dataDir, port });
  const backAt = Date.now();
  await ready(http, 'the process after the wipe', 90_000);
  t.comment(`ready again ${Date.now() - backAt} ms after the emptied broker was up`);

  const admin = new KafkaBus({ ...config.kafka, brokers: [broker.brokers] }, pino({ level: 'silent' })).client.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  const catalogue = Object.keys(config.topics.topics).map((name) => config.topics.prefix + name);
  t.same(
    catalogue.filter((name) => !topics.includes(name)),
    [],
    'every topic of the catalogue exists again',
  );
  const restarts = lines.filter((l) => l.includes('starting a new member')).length;
  t.ok(restarts <= 15, `${restarts} consumer restarts over the wipe (backoff, not a restart every 300 ms)`);
  t.equal(lines.filter((l) => l.includes('"level":60')).length, 0, 'nothing fatal logged');
});
