// The broker goes away mid-stream and comes back: producers wait and retry, the engine's consumer
// rejoins, and afterwards every portfolio equals a run without the outage. This test owns its
// broker (the shared one serves other tests running at the same time).
import { createServer, type AddressInfo } from 'node:net';
import t from 'tap';
import { pino } from 'pino';
import { engineOptions, startRiskline } from '../../app/compose.js';
import { Engine } from '../../engine/engine.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import { KafkaBus } from '../../streams/kafka/bus.js';
import { TOPIC, topicSpecs } from '../../streams/topics.js';
import { startKafkaBroker } from '../../tools/kafka/broker.js';
import { eventually, kafkaConfig, testBus } from '../e2e/kafka/helpers.js';
import { executions, sendExecutions } from './helpers.js';

const TOTAL = 20_000;

t.test('the broker stopped and restarted mid-stream: nothing lost, nothing applied twice', async (t) => {
  const broker = await startKafkaBroker();
  const { config, prefix } = kafkaConfig({ roles: ['engine'], engine: { dedupeWindow: 50_000 } }, undefined, [
    broker.brokers,
  ]);
  const closers: (() => Promise<void>)[] = [];
  // One teardown, in order: the clients leave before their broker goes.
  t.teardown(async () => {
    for (const close of closers) await close();
    await broker.stop();
  });
  const running = await startRiskline({
    config,
    logger: pino(
      { level: process.env.DEBUG_LOG ? 'info' : 'silent' },
      process.env.DEBUG_LOG ? pino.destination(process.env.DEBUG_LOG) : undefined,
    ),
  });
  closers.push(() => running.close());
  const bus = await testBus(config);
  closers.push(() => bus.close());

  const portfolios = config.portfolios.map((p) => p.id);
  const usd = config.instruments.filter((i) => i.kind === 'equity' && i.currency === 'USD').slice(0, 30);
  const all = executions({ count: TOTAL, portfolios, instruments: usd, seed: 5, prefix: 'B' });

  const producer = bus.producer();
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, 2500));
    await broker.stop();
    await new Promise((r) => setTimeout(r, 4000));
    await broker.restart();
  })();
  // During the outage sends wait: the producer retries until the broker is back.
  await sendExecutions(producer, prefix + TOPIC.executions, all, 200, 50);
  await producer.close();
  await outage;

  const reference = new Engine(
    { ...engineOptions(config, tsBackend, Date.parse('2026-11-25T14:30:00Z')), simulation: undefined },
    () => undefined,
  );
  for (const e of all) reference.execute(e);
  const engine = running.engine!.engine;
  const want = portfolios.map((id) => JSON.stringify(reference.checkpoint(reference.portfolioIndex(id)).executions));
  await eventually(
    () =>
      portfolios.every((id, k) => JSON.stringify(engine.checkpoint(engine.portfolioIndex(id)).executions) === want[k])
        ? true
        : undefined,
    90_000,
    'every execution to be applied',
  );
  for (const id of portfolios) {
    const got = engine.checkpoint(engine.portfolioIndex(id));
    const exp = reference.checkpoint(reference.portfolioIndex(id));
    t.same(got.positions, exp.positions, `${id}: positions`);
    t.same(got.cash, exp.cash, `${id}: cash`);
    t.equal(got.realized, exp.realized, `${id}: realised P&L`);
  }
  t.equal(running.engine!.engine.stats.executions >= TOTAL, true, 'every execution applied');
});

t.test('no broker yet: the process waits, logging each attempt, and goes on once one appears', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
  const { config } = kafkaConfig({}, undefined, [`127.0.0.1:${port}`]);
  const bus = new KafkaBus(
    {
      ...config.kafka,
      brokers: [`127.0.0.1:${port}`],
      retry: { initialMs: 100, maxMs: 400 },
      connectionTimeoutMs: 300,
    },
    logger,
  );
  let ready = false;
  const topics = bus.ensureTopics(topicSpecs(config.topics)).then(() => (ready = true));
  // Each attempt is kafkajs' own short retries (about 1.5 s here), then a backoff and a log line.
  const attempts = () => lines.filter((l) => l.includes('kafka: cluster unreachable; retrying')).length;
  await eventually(() => attempts() >= 2, 30_000, 'two attempts, a log line each');
  t.notOk(ready, 'still waiting, not crashed');
  const broker = await startKafkaBroker({ port });
  t.teardown(() => broker.stop());
  await topics;
  t.ok(ready, 'the topics are made once the broker is there');
  t.equal(bus.partitions(config.topics.prefix + TOPIC.executions), 8);
  await bus.close();
});
