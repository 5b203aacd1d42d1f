// The engine role, composed from its parts, on the real in-process bus: good records move the
// book, bad ones land in the DLQ with their reason while the stream goes on, a redelivered
// execution counts once, frames the bus has not acknowledged hold the tick reader back, and event
// time moves only with inputs (heartbeats on a quiet market), never with a timer.
import { mock } from 'node:test';
import { pino } from 'pino';
import t from 'tap';
import { engineOptions } from '../../app/compose.js';
import { startEngineRole, type EngineRoleOptions } from '../../app/roles/engine.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import type { Bus, ConsumedMessage } from '../../streams/bus.js';
import { DLQ_HEADERS } from '../../streams/dlq.js';
import { decodeEnvelope, encodeEnvelope } from '../../streams/envelope.js';
import { createInProcessBus } from '../../streams/inprocess.js';
import { TOPIC, topicSpecs } from '../../streams/topics.js';
import { testConfig } from './helpers.js';

const config = testConfig();
const P = config.topics.prefix;
/** The engine's valuation time. */
const T0 = Date.parse('2026-11-25T14:30:00Z');
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The real engine role on a fresh in-process bus, closed when the test ends. */
async function engineOnBus(t: { teardown(fn: () => unknown): void }, role: Partial<EngineRoleOptions> = {}) {
  const bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(config.topics));
  const started = await startEngineRole({
    ...role,
    bus: role.bus ?? bus,
    topics: config.topics,
    engine: { ...engineOptions(config, tsBackend, T0), simulation: undefined },
    logger: pino({ level: 'silent' }),
    src: 'test-engine',
  });
  t.teardown(() => started.close().then(() => bus.close()));
  return { bus, role: started };
}

t.test('poison records go to the DLQ with the reason; good ones around them apply', async (t) => {
  const { bus, role } = await engineOnBus(t);
  const dlq: ConsumedMessage[] = [];
  await bus.subscribe({ group: 'dlq-reader', topics: [P + TOPIC.dlq], onBatch: (b) => void dlq.push(...b.messages) });
  const book = role.engine.book;
  const aapl = book.t.index('AAPL');
  const env = (type: string, body: unknown, codec: 'msgpack' | 'json' = 'msgpack') =>
    encodeEnvelope({ v: 1, type: type as 'tick', src: 'test', ts: T0 + 1000, seq: 1, body }, codec);
  const producer = bus.producer();
  const ts = T0 + 1000;
  await producer.send(P + TOPIC.ticks, [
    { key: 'x', value: new TextEncoder().encode('not an envelope at all') },
    {
      key: 'AAPL',
      value: env('ticks', [
        ['AAPL', ts, 250, 250.1, 250.05],
        ['AAPL', ts + 1, 'oops', 250.1, 250],
        ['NOPE', ts + 2, 1, 2, 1.5],
      ]),
    },
    { key: 'AAPL', value: env('tick', { instrument: 'AAPL', ts: ts + 3, bid: 251, ask: 251.2 }, 'json') },
    { key: 'AAPL', value: encodeEnvelope({ v: 9, type: 'tick', src: 'future', ts, seq: 1, body: {} }) },
  ]);
  await until(() => dlq.length === 4);
  // The DLQ is partitioned by the source key, so records arrive grouped by key, not in send order.
  const byCode = new Map(dlq.map((m) => [m.headers?.[DLQ_HEADERS.code], m]));
  const reason = (code: string) => byCode.get(code)?.headers?.[DLQ_HEADERS.reason];
  t.match(reason('DECODE_FAILED'), /envelope must be a map|not valid/);
  t.match(reason('INVALID_TICK'), /ticks\[1\]: bid: expected/);
  t.match(reason('UNKNOWN_INSTRUMENT'), /ticks\[2\]: unknown instrument "NOPE"/);
  t.match(reason('UNSUPPORTED_VERSION'), /v=9/);
  const bad = byCode.get('INVALID_TICK')!;
  t.equal(bad.headers?.[DLQ_HEADERS.topic], P + TOPIC.ticks);
  t.same(decodeEnvelope(bad.value, 'json').body, ['AAPL', ts + 1, 'oops', 250.1, 250], 'the bad tick itself is kept');
  await until(() => book.mark[aapl] === 251.1);
  t.equal(book.mark[aapl], 251.1, 'good ticks before and after the poison ones applied');
  t.equal(role.stats().dlq, 4);
});

t.test('an execution delivered twice moves the position once', async (t) => {
  const { bus, role } = await engineOnBus(t);
  const book = role.engine.book;
  const port = book.portfolio('GLOBAL-MACRO');
  const pos = book.position(port, book.t.index('MSFT'));
  const before = book.pQty[pos];
  const exec = {
    id: 'dup-1',
    portfolio: 'GLOBAL-MACRO',
    instrument: 'MSFT',
    side: 'buy',
    qty: 7,
    price: 400,
    ts: T0 + 1000,
  };
  const value = encodeEnvelope({ v: 1, type: 'execution', src: 'test', ts: exec.ts, seq: 1, body: exec });
  const producer = bus.producer();
  await producer.send(P + TOPIC.executions, [{ key: 'GLOBAL-MACRO', value }]);
  await producer.send(P + TOPIC.executions, [{ key: 'GLOBAL-MACRO', value }]);
  await bus.settled();
  t.equal(role.engine.stats.duplicateExecutions, 1);
  t.equal(book.pQty[pos], before + 7);
  t.equal(role.engine.stats.executions, 1);
});

t.test('checkpoints need state.positions partitioned like orders.executions: otherwise the role refuses', async (t) => {
  const topics = {
    ...config.topics,
    topics: { ...config.topics.topics, [TOPIC.positions]: { ...config.topics.topics[TOPIC.positions], partitions: 3 } },
  };
  const bus = createInProcessBus();
  t.teardown(() => bus.close());
  await bus.ensureTopics(topicSpecs(topics));
  await t.rejects(
    startEngineRole({
      bus,
      topics,
      engine: { ...engineOptions(config, tsBackend, T0), simulation: undefined },
      logger: pino({ level: 'silent' }),
      src: 'test-engine',
    }),
    { code: 'CONFIG_INVALID', message: /state\.positions has 3 partitions and .*orders\.executions 8/ },
  );
});

t.test('frames the bus has not acknowledged hold the tick reader back; nothing is lost once it does', async (t) => {
  // Once armed, frame sends reach the bus at once (order kept) but are acknowledged only when the gate opens.
  const inner = createInProcessBus();
  await inner.ensureTopics(topicSpecs(config.topics));
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  let armed = false;
  let held = 0;
  const bus: Bus = Object.assign(Object.create(inner) as Bus, {
    producer() {
      const p = inner.producer();
      return {
        send: (topic: string, messages: Parameters<typeof p.send>[1]) =>
          armed ? (held++, p.send(topic, messages).then(() => gate)) : p.send(topic, messages),
        withdraw: (topics: ReadonlySet<string>, keys: ReadonlySet<string>) => p.withdraw(topics, keys),
        connect: () => p.connect(),
        close: () => p.close(),
      };
    },
  });
  const { role } = await engineOnBus(t, { bus, maxUnackedFrameBytes: 1 });
  armed = true;
  const book = role.engine.book;
  const aapl = book.t.index('AAPL');
  const ticks = (k: number, price: number) =>
    encodeEnvelope({
      v: 1,
      type: 'ticks',
      src: 'test',
      ts: T0 + k * 1000,
      seq: k,
      body: [['AAPL', T0 + k * 1000, price, price + 0.1, price]],
    });
  const producer = inner.producer();
  for (let k = 1; held === 0 && k < 20; k++) {
    await producer.send(P + TOPIC.ticks, [{ key: 'AAPL', value: ticks(k, 200 + k) }]);
    await until(() => book.mark[aapl] === 200 + k + 0.05);
  }
  t.ok(held > 0, 'frames went out and wait for their acknowledgement');
  // A reader of md.ticks of its own is woken by the same append as the engine's tick reader.
  const probe: number[] = [];
  await inner.subscribe({
    group: 'probe',
    topics: [P + TOPIC.ticks],
    from: 'latest',
    commit: false,
    onBatch: (b) => void probe.push(b.messages.length),
  });
  await producer.send(P + TOPIC.ticks, [{ key: 'AAPL', value: ticks(50, 300) }]);
  await until(() => probe.length === 1);
  await new Promise((r) => setImmediate(r));
  t.not(book.mark[aapl], 300.05, 'the next tick batch waits while frames are unacknowledged');
  open();
  await until(() => book.mark[aapl] === 300.05);
  t.pass('once acknowledged, the held batch applies');
});

t.test('event time moves only with inputs: heartbeats publish on a quiet market, no timer does', async (t) => {
  // Any interval timer the role started would run here on the mocked clock.
  mock.timers.enable({ apis: ['setInterval'] });
  t.teardown(() => mock.timers.reset());
  const { bus, role } = await engineOnBus(t);
  const engine = role.engine;
  const conflationMs = config.engine.conflationMs;
  const producer = bus.producer();
  const send = (type: 'ticks' | 'heartbeat', ts: number, body: unknown) =>
    producer.send(P + TOPIC.ticks, [
      { key: 'AAPL', value: encodeEnvelope({ v: 1, type, src: 'test', ts, seq: 1, body }) },
    ]);
  await send('ticks', T0 + 10, [['AAPL', T0 + 10, 250, 250.2, 250.1]]);
  await bus.settled();
  const frames = engine.stats.frames;
  const now = engine.book.now;
  mock.timers.tick(20 * conflationMs);
  await bus.settled();
  t.equal(engine.stats.frames, frames, 'no frames without input, however long the wall clock runs');
  t.equal(engine.book.now, now, 'event time stands still');
  await send('heartbeat', T0 + 10 * conflationMs, {});
  await bus.settled();
  t.ok(engine.stats.frames > frames, 'a heartbeat lets event time pass: what was due by then is published');
  t.equal(role.stats().lastInputTs, T0 + 10, 'a heartbeat is not an input');
});

t.test('a checkpoint is sent only once the frames of its cycle are acknowledged', async (t) => {
  // Once armed, every send reaches the bus at once, in order, but is acknowledged only when the gate opens.
  const inner = createInProcessBus();
  await inner.ensureTopics(topicSpecs(config.topics));
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const sent: string[] = [];
  let armed = false;
  const bus: Bus = Object.assign(Object.create(inner) as Bus, {
    producer() {
      const p = inner.producer();
      return {
        send: (topic: string, messages: Parameters<typeof p.send>[1]) => {
          if (!armed) return p.send(topic, messages);
          for (const m of messages) sent.push(`${topic.slice(P.length)} ${m.key}`);
          return p.send(topic, messages).then(() => gate);
        },
        withdraw: (topics: ReadonlySet<string>, keys: ReadonlySet<string>) => p.withdraw(topics, keys),
        connect: () => p.connect(),
        close: () => p.close(),
      };
    },
  });
  await engineOnBus(t, { bus, checkpointEvery: 1 });
  armed = true;
  // Two executions in one batch: the second publishes the first's changes, in the batch's cycle.
  const exec = (id: string, ts: number) => {
    const body = { id, portfolio: 'GLOBAL-MACRO', instrument: 'MSFT', side: 'buy', qty: 3, price: 400, ts };
    return { key: 'GLOBAL-MACRO', value: encodeEnvelope({ v: 1, type: 'execution', src: 'test', ts, seq: 1, body }) };
  };
  await inner.producer().send(P + TOPIC.executions, [exec('ck-1', T0 + 1000), exec('ck-2', T0 + 2000)]);
  const frame = `${TOPIC.positions} GLOBAL-MACRO`;
  await until(() => sent.includes(frame));
  // settled() would wait for the held batch itself: give the role a few turns of the loop instead.
  for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r));
  t.notOk(
    sent.some((s) => s.includes('checkpoint:')),
    'the checkpoint waits while its frames are unacknowledged',
  );
  open();
  await until(() => sent.includes(`${TOPIC.positions} checkpoint:GLOBAL-MACRO`));
  t.ok(
    sent.indexOf(`${TOPIC.positions} checkpoint:GLOBAL-MACRO`) > sent.indexOf(frame),
    'and follows them once they are',
  );
});
