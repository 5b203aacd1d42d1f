// A tick older than its instrument's newest mark is refused by the engine and dead-lettered with
// STALE_TICK and the two times, while the ticks around it apply: a newer price is never replaced
// by an older one, and nothing is dropped silently.
import { pino } from 'pino';
import t from 'tap';
import { engineOptions } from '../../app/compose.js';
import { startEngineRole } from '../../app/roles/engine.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import type { ConsumedMessage } from '../../streams/bus.js';
import { DLQ_HEADERS } from '../../streams/dlq.js';
import { encodeEnvelope } from '../../streams/envelope.js';
import { createInProcessBus } from '../../streams/inprocess.js';
import { TOPIC, topicSpecs } from '../../streams/topics.js';
import { eventually } from '../eventually.js';
import { testConfig } from './helpers.js';

const config = testConfig();
const P = config.topics.prefix;
const T0 = Date.parse('2026-11-25T14:30:00Z');

t.test('a stale tick goes to the DLQ with STALE_TICK; the newer mark stands', async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(config.topics));
  const role = await startEngineRole({
    bus,
    topics: config.topics,
    engine: { ...engineOptions(config, tsBackend, T0), simulation: undefined },
    logger: pino({ level: 'silent' }),
    src: 'test-engine',
  });
  t.teardown(() => role.close().then(() => bus.close()));
  const dlq: ConsumedMessage[] = [];
  await bus.subscribe({ group: 'dlq-reader', topics: [P + TOPIC.dlq], onBatch: (b) => void dlq.push(...b.messages) });
  const tick = (ts: number, price: number) =>
    encodeEnvelope(
      { v: 1, type: 'ticks', src: 'test', ts, seq: 1, body: [['AAPL', ts, price, price, price]] },
      'msgpack',
    );
  const producer = bus.producer();
  await producer.send(P + TOPIC.ticks, [
    { key: 'AAPL', value: tick(T0 + 2000, 210) },
    { key: 'AAPL', value: tick(T0 + 1000, 150) },
    { key: 'AAPL', value: tick(T0 + 3000, 211) },
  ]);
  await eventually(() => dlq.length === 1 && role.engine.stats.ticks === 2);
  const reason = dlq[0].headers?.[DLQ_HEADERS.reason];
  t.equal(dlq[0].headers?.[DLQ_HEADERS.code], 'STALE_TICK');
  t.equal(reason, `AAPL: tick at ${T0 + 1000} is older than the newest mark at ${T0 + 2000}`);
  const i = role.engine.instrumentIndex('AAPL');
  t.equal(role.engine.book.mark[i], 211, 'the newest tick is the mark');
  t.equal(role.engine.stats.staleTicks, 1, 'counted');
});
