// The roles over a real Kafka broker: the whole pipeline, a tick written by a generic Kafka
// client (kcat) in the documented JSON encoding, and poison records dead-lettered while the
// stream goes on.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { pino } from 'pino';
import { startRiskline } from '../../../app/compose.js';
import { encodeEnvelope } from '../../../streams/envelope.js';
import { DLQ_HEADERS } from '../../../streams/dlq.js';
import { partitionFor } from '../../../streams/partitioner.js';
import { TOPIC } from '../../../streams/topics.js';
import { Client } from '../helpers.js';
import { brokers, Collector, eventually, kafkaConfig, testBus } from './helpers.js';

const quiet = pino({ level: 'silent' });
type Rows = { rows?: Record<string, { mark: number }> };

t.test('feed → engine → gateway over Kafka: live positions reach a WebSocket client', async (t) => {
  const { config } = kafkaConfig({ roles: ['feed', 'engine', 'gateway'], simulator: { ticksPerSecond: 2000 } });
  const running = await startRiskline({ config, logger: quiet });
  t.teardown(() => running.close());
  t.equal(running.bus.kind, 'kafka');
  const c = await Client.connect(running.gateway!.port);
  t.teardown(() => c.close());
  c.send({ op: 'subscribe', id: 1, channels: ['positions:GLOBAL-MACRO'] });
  const frames = await c.frames('positions:GLOBAL-MACRO', 2, 30_000);
  t.equal(frames[0].type, 'snapshot');
  const first = frames[0].asOf as number;
  // Event time advances as ticks flow through the broker, and the channel carries changes (a
  // gateway that read several of its frames at once sends one snapshot instead: either may come).
  await c.next((m) => m.channel === 'positions:GLOBAL-MACRO' && (m.asOf as number) > first + 500, 30_000);
  t.match(
    await c.next((m) => m.channel === 'positions:GLOBAL-MACRO' && m.type === 'update', 30_000),
    { seq: Number },
    'updates flow',
  );
  const health = (await (await fetch(`http://127.0.0.1:${running.gateway!.port}/health`)).json()) as {
    bus: { kind: string; connected: boolean };
  };
  t.equal(health.bus.kind, 'kafka');
  t.equal(health.bus.connected, true);
});

t.test('a JSON tick produced by kcat moves a mark and shows up on the WebSocket', async (t) => {
  const { config, prefix } = kafkaConfig({ roles: ['engine', 'gateway'] });
  const running = await startRiskline({ config, logger: quiet });
  t.teardown(() => running.close());
  const c = await Client.connect(running.gateway!.port);
  t.teardown(() => c.close());
  // An engine publishes once event time starts: before the tick, the book is as configured.
  const gm = config.portfolios.find((p) => p.id === 'GLOBAL-MACRO')!;
  const equity = gm.holdings.find((h) => config.instruments.find((i) => i.id === h.instrument)?.kind === 'equity')!;
  const opening = config.instruments.find((i) => i.id === equity.instrument)!.price;
  const held = { instrument: equity.instrument, mark: opening };
  c.send({ op: 'subscribe', id: 1, channels: ['positions:GLOBAL-MACRO', `ticks:${held.instrument}`] });
  await c.next((m) => m.type === 'subscribed' && m.id === 1);

  const price = Math.round(held.mark * 1.05 * 100) / 100;
  const ts = Date.now();
  const record = JSON.stringify({
    v: 1,
    type: 'tick',
    src: 'kcat',
    ts,
    seq: 1,
    body: { instrument: held.instrument, ts, bid: price - 0.01, ask: price + 0.01, last: price },
  });
  // Event time moves only with inputs: a heartbeat a second later lets the tick's changes publish.
  const heartbeat = JSON.stringify({ v: 1, type: 'heartbeat', src: 'kcat', ts: ts + 1000, seq: 2, body: {} });
  // The documented command: key = instrument, Kafka's murmur2 partitioner.
  execFileSync(
    'kcat',
    [
      '-P',
      '-b',
      brokers().join(','),
      '-t',
      `${prefix}${TOPIC.ticks}`,
      '-k',
      held.instrument,
      '-X',
      'topic.partitioner=murmur2_random',
    ],
    { input: `${record}\n${heartbeat}\n` },
  );
  const moved = await c.next(
    (m) =>
      m.channel === 'positions:GLOBAL-MACRO' &&
      Math.abs(((m.data as Rows).rows?.[held.instrument]?.mark ?? 0) - price) < 1e-9,
    30_000,
  );
  t.ok(moved, `the position in ${held.instrument} is marked at ${price}`);
  const tick = await c.next((m) => m.channel === `ticks:${held.instrument}`, 30_000);
  t.equal((tick.data as { last: number }).last, price, 'the tick itself reaches the ticks channel');
});

t.test('poison records land in the dlq with their reason; the records around them apply', async (t) => {
  const { config, prefix } = kafkaConfig({ roles: ['engine'] });
  const running = await startRiskline({ config, logger: quiet });
  t.teardown(() => running.close());
  const bus = await testBus(config);
  t.teardown(() => bus.close());
  const dlq = new Collector();
  await bus.subscribe({ group: `dlq-${prefix}`, topics: [prefix + TOPIC.dlq], from: 'earliest', onBatch: dlq.push });
  const producer = bus.producer();
  const exec = (id: string, qty: number) =>
    encodeEnvelope({
      v: 1,
      type: 'execution',
      src: 'test',
      ts: Date.now(),
      seq: 1,
      body: { id, portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', side: 'buy', qty, price: 200, ts: Date.now() },
    });
  await producer.send(prefix + TOPIC.executions, [
    { key: 'GLOBAL-MACRO', value: exec('K1', 10) },
    { key: 'GLOBAL-MACRO', value: new Uint8Array([0xc1, 0xff, 0x00]) },
    {
      key: 'GLOBAL-MACRO',
      value: new TextEncoder().encode('{"v":1,"type":"execution","src":"x","ts":1,"seq":1,"body":{"id":"K9"}}'),
    },
    { key: 'GLOBAL-MACRO', value: exec('K2', 5) },
    // Written without regard to the key: another engine may own the partition it landed on.
    { key: 'GLOBAL-MACRO', partition: (partitionFor('GLOBAL-MACRO', 8) + 1) % 8, value: exec('K3', 1) },
  ]);
  await producer.close();
  await dlq.until((m) => m.length >= 3, 30_000, 'three dead letters');
  // Partitions are read in any order: the dead letters are told apart by their reason.
  const byCode = (code: string) => dlq.messages.find((m) => m.headers?.[DLQ_HEADERS.code] === code)!;
  const bad = byCode('DECODE_FAILED');
  const invalid = byCode('INVALID_EXECUTION');
  t.equal(bad.headers?.[DLQ_HEADERS.code], 'DECODE_FAILED');
  t.equal(bad.headers?.[DLQ_HEADERS.topic], prefix + TOPIC.executions);
  t.same([...bad.value], [0xc1, 0xff, 0x00], 'the original bytes are kept');
  t.equal(bad.headers?.[DLQ_HEADERS.partition], String(partitionFor('GLOBAL-MACRO', 8)), 'its partition');
  t.equal(bad.headers?.[DLQ_HEADERS.offset], '1', 'and its offset');
  const misrouted = dlq.messages.find((m) => m.headers?.[DLQ_HEADERS.code] === 'WRONG_PARTITION');
  t.match(misrouted?.headers?.[DLQ_HEADERS.reason], /GLOBAL-MACRO is on partition \d+; its key maps to \d+/);
  t.equal(invalid.headers?.[DLQ_HEADERS.code], 'INVALID_EXECUTION');
  t.match(invalid.headers?.[DLQ_HEADERS.reason], /qty|portfolio|instrument/);
  const stats = await eventually(() =>
    running.engine!.engine.stats.executions >= 2 ? running.engine!.engine.stats : undefined,
  );
  t.equal(stats.executions, 2, 'both good executions applied, around the poison');
});

t.test('gateways scale out: each reads every partition, so any of them serves any portfolio', async (t) => {
  const { config } = kafkaConfig({ roles: ['feed', 'engine'], simulator: { ticksPerSecond: 2000 } });
  const core = await startRiskline({ config, logger: quiet });
  t.teardown(() => core.close());
  const gateways = [
    await startRiskline({ config: { ...config, roles: ['gateway'] }, logger: quiet }),
    await startRiskline({ config: { ...config, roles: ['gateway'] }, logger: quiet }),
  ];
  t.teardown(() => Promise.all(gateways.map((g) => g.close())));
  for (const portfolio of ['GLOBAL-MACRO', 'JAPAN-LS']) {
    const seen = await Promise.all(
      gateways.map(async (g) => {
        const c = await Client.connect(g.gateway!.port);
        t.teardown(() => c.close());
        c.send({ op: 'subscribe', id: 1, channels: [`positions:${portfolio}`] });
        return c.next((m) => m.channel === `positions:${portfolio}` && m.type === 'snapshot', 30_000);
      }),
    );
    t.same(
      seen.map((m) => (m.data as { portfolio: string }).portfolio),
      [portfolio, portfolio],
      `${portfolio} from both gateways`,
    );
  }
});
