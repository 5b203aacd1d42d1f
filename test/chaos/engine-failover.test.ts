// Kafka's own system tests kill brokers and clients mid-stream and then check the books; this does
// the same to the engine group. 100,000 executions (with deliberate resends) across 24 portfolios
// flow through a real broker to two engine processes, one of which is SIGKILLed and restarted
// several times. Afterwards every portfolio's checkpointed state must equal that of one engine
// that saw every execution once, in order: no execution lost, none applied twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { engineOptions } from '../../app/compose.js';
import { engineGroup } from '../../app/roles/engine.js';
import { newestCheckpoints } from '../../app/roles/ownership.js';
import { Engine } from '../../engine/engine.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import { checkpointKey, TOPIC } from '../../streams/topics.js';
import { eventually, kafkaConfig, testBus } from '../e2e/kafka/helpers.js';
import { executions, sendExecutions } from './helpers.js';

const CLI = new URL('../../dist/app/cli.js', import.meta.url).pathname;
const PORTFOLIOS = Array.from({ length: 24 }, (_, k) => `F${String(k).padStart(2, '0')}`);
const TOTAL = 100_000;

t.test('two engines, one killed repeatedly: every portfolio ends exactly as without the kills', async (t) => {
  const base = kafkaConfig();
  writeFileSync(
    join(base.dir, 'portfolios.json'),
    JSON.stringify(PORTFOLIOS.map((id) => ({ id, name: id, baseCurrency: 'USD', cash: { USD: 1e9 }, holdings: [] }))),
  );
  writeFileSync(join(base.dir, 'limits.json'), '[]');
  const { config, file, prefix } = kafkaConfig(
    {
      roles: ['engine'],
      engine: { dedupeWindow: 200_000, checkpointEvery: 2000, checkpointEveryMs: 5000 },
      files: { portfolios: join(base.dir, 'portfolios.json'), limits: join(base.dir, 'limits.json') },
    },
    base.prefix,
  );
  const usd = config.instruments.filter((i) => i.kind === 'equity' && i.currency === 'USD').slice(0, 40);
  const all = executions({
    count: TOTAL,
    portfolios: PORTFOLIOS,
    instruments: usd,
    seed: 42,
    prefix: 'E',
    resendEvery: 997,
  });

  const bus = await testBus(config);
  t.teardown(() => bus.close());
  const engines: (ChildProcess | null)[] = [null, null];
  const logs: string[] = ['', ''];
  const launch = (k: number) => {
    const child = spawn(process.execPath, [CLI, 'start', '--config', file, '--roles', 'engine', '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (logs[k] = (logs[k] + d.toString()).slice(-20_000)));
    engines[k] = child;
  };
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())));
  t.teardown(() => engines.forEach((c) => c?.kill('SIGKILL')));
  launch(0);
  launch(1);

  // Produce at ~6k executions/s while engine 0 is killed three times and engine 1 once.
  const producer = bus.producer();
  const kills: { at: number; k: number }[] = [
    { at: 3000, k: 0 },
    { at: 8000, k: 1 },
    { at: 11000, k: 0 },
    { at: 16000, k: 0 },
  ];
  const started = Date.now();
  let killed = 0;
  const chaos = (async () => {
    for (const { at, k } of kills) {
      await new Promise((r) => setTimeout(r, Math.max(0, started + at - Date.now())));
      const c = engines[k]!;
      c.kill('SIGKILL');
      await exited(c);
      killed++;
      await new Promise((r) => setTimeout(r, 1000));
      launch(k);
    }
  })();
  await sendExecutions(producer, prefix + TOPIC.executions, all, 500, 80);
  await producer.close();
  await chaos;
  t.equal(killed, kills.length, 'every planned SIGKILL happened');

  // Wait until the group has committed everything, then stop both engines cleanly.
  const admin = bus.client.admin();
  await admin.connect();
  t.teardown(() => admin.disconnect());
  await eventually(
    async () => {
      const ends = await admin.fetchTopicOffsets(prefix + TOPIC.executions);
      const [committed] = await admin.fetchOffsets({
        groupId: engineGroup(prefix),
        topics: [prefix + TOPIC.executions],
      });
      const lag = ends.reduce((sum, e) => {
        const c = committed.partitions.find((p) => p.partition === e.partition);
        return sum + Number(e.high) - Math.max(0, Number(c?.offset ?? 0));
      }, 0);
      return lag === 0 ? true : undefined;
    },
    120_000,
    'the engine group to catch up',
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nengine 0:\n${logs[0].slice(-3000)}\nengine 1:\n${logs[1].slice(-3000)}`);
  });
  for (const c of engines) c!.kill('SIGTERM');
  for (const c of engines) await exited(c!);
  t.same(
    engines.map((c) => c!.exitCode),
    [0, 0],
    'both engines stop cleanly',
    { logs: logs.map((l) => l.slice(-2000)) },
  );

  // The newest checkpoint of every portfolio, as a process taking it over would read it.
  const n = bus.partitions(prefix + TOPIC.positions);
  const found = await newestCheckpoints(
    bus,
    prefix + TOPIC.positions,
    Array.from({ length: n }, (_, p) => p),
    (bad) => t.fail(`${bad} unreadable checkpoints`),
  );
  t.equal(checkpointKey('F00'), 'checkpoint:F00');

  const reference = new Engine(
    { ...engineOptions(config, tsBackend, Date.parse('2026-11-25T14:30:00Z')), simulation: undefined },
    () => undefined,
  );
  let duplicates = 0;
  for (const e of all) if (!reference.execute(e)) duplicates++;
  t.ok(duplicates > 90, `${duplicates} resent executions are ignored by the reference too`);
  let compared = 0;
  for (const id of PORTFOLIOS) {
    const cp = found.get(id);
    if (!cp) {
      t.fail(`no checkpoint for ${id}`);
      continue;
    }
    const want = reference.checkpoint(reference.portfolioIndex(id));
    const got = cp.state;
    const same =
      JSON.stringify(got.positions) === JSON.stringify(want.positions) &&
      JSON.stringify(got.cash) === JSON.stringify(want.cash) &&
      got.realized === want.realized &&
      JSON.stringify(got.executions) === JSON.stringify(want.executions);
    if (!same) {
      t.same(got.positions, want.positions, `${id}: positions`);
      t.same(got.cash, want.cash, `${id}: cash`);
      t.equal(got.realized, want.realized, `${id}: realised P&L`);
      t.same(got.executions.length, want.executions.length, `${id}: executions applied`);
    } else compared++;
  }
  t.equal(compared, PORTFOLIOS.length, 'positions, cash, realised P&L and the applied-execution sequence match');
});
