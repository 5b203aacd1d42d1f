// The feed → bus → engine measurements, for any Bus: the in-process scenario and the Kafka one
// run the same code. Throughput: as fast as the pipeline goes. Latency: at a paced rate, from the
// feed handing a batch to the bus to the engine having applied it (exposures current); the
// conflation delay before frames go out is a setting, not part of the figure.

import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { startEngineRole, type EngineRoleOptions } from '../app/roles/engine.js';
import { startSimulatedFeed, TickEncoder } from '../feeds/publish.js';
import { MarketSimulator, tickColumns } from '../feeds/simulator.js';
import type { Bus, BusMessage, Producer } from '../streams/bus.js';
import { TOPIC, topicSpecs, type TopicConfig } from '../streams/topics.js';
import { latencyHistogram, percentiles } from './harness.js';
import { BENCH_CORRELATIONS, BENCH_FACTORS, benchEngineOptions, benchUniverse } from './universe.js';

export const PARTITIONS = 8;
export const BATCH = 256;

export function benchTopics(prefix: string): TopicConfig {
  return {
    prefix,
    topics: Object.fromEntries(
      Object.values(TOPIC).map((t) => [
        t,
        {
          partitions: t === TOPIC.ticks || t === TOPIC.executions || t === TOPIC.positions ? PARTITIONS : 1,
          cleanup: 'delete',
          codec: 'msgpack',
        },
      ]),
    ) as TopicConfig['topics'],
  };
}

/** The real engine role on a bench book (10k positions over 1k instruments), its outputs drained. */
async function engineOnBus(bus: Bus, topics: TopicConfig, onApplied: EngineRoleOptions['onApplied']) {
  const u = benchUniverse(1_000, 10_000);
  await bus.ensureTopics(topicSpecs(topics));
  const outputs =
    bus.kind === 'inprocess'
      ? [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts, TOPIC.dlq].map((t) => topics.prefix + t)
      : [topics.prefix + TOPIC.dlq];
  // In process, someone must read the outputs or the bus holds them (backpressure); Kafka keeps
  // them regardless, and their readers (gateways) are other processes.
  const reader = await bus.subscribe({
    group: `${topics.prefix}reader`,
    topics: outputs,
    commit: false,
    onBatch: () => undefined,
  });
  const role = await startEngineRole({
    bus,
    topics,
    engine: benchEngineOptions(u),
    logger: pino({ level: 'silent' }),
    src: 'bench-engine',
    onApplied,
  });
  return { u, role, close: async () => (await role.close(), await reader.close()) };
}

/** Ticks/s from the simulator's columns through the bus into the engine; `records` are kept for peers. */
export async function measureThroughput(bus: Bus, topics: TopicConfig, ticks: number, window = 8) {
  let applied = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const { u, close } = await engineOnBus(bus, topics, (_m, n) => {
    if ((applied += n) >= ticks) done();
  });
  const sim = new MarketSimulator({
    instruments: u.instruments,
    market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
    seed: 1,
    startTime: Date.parse('2026-11-25T14:30:00Z'),
    ticksPerSecond: 2_000_000,
  });
  const encoder = new TickEncoder(PARTITIONS, 'bench-feed', BATCH);
  const producer = bus.producer();
  const columns = tickColumns(8192);
  const records: BusMessage[] = [];
  // Counted, not assumed: each chunk splits per partition, so records carry fewer than BATCH ticks.
  let sentRecords = 0;
  let sentBytes = 0;
  // A few sends in flight, as the feed's timer would have: the transport batches what queues up.
  const inFlight = new Set<Promise<void>>();
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < ticks; sent += 8192) {
    const n = sim.fillColumns(columns, Math.min(8192, ticks - sent));
    const messages = encoder.encodeColumns(columns, n, sim.ids, []);
    if (records.length < 4096) records.push(...messages);
    sentRecords += messages.length;
    for (const m of messages) sentBytes += m.value.length;
    const p = producer.send(topics.prefix + TOPIC.ticks, messages).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await finished;
  const ns = Number(process.hrtime.bigint() - start);
  await producer.close();
  await close();
  return {
    ticksPerSec: (ticks / ns) * 1e9,
    records,
    recordBytes: Math.round(sentBytes / sentRecords),
    ticksPerRecord: ticks / sentRecords,
  };
}

/** Tick → engine-state latency at a paced rate (the first second warms up and is not recorded). */
export async function measurePaced(bus: Bus, topics: TopicConfig, seconds: number, rate: number) {
  // A plain Map (deleted on arrival) and float times: a WeakMap or BigInts would load the GC
  // enough to distort the figure being measured. Records are known by their envelope header (the
  // first bytes hold src, ts and seq): over Kafka the consumed bytes are not the produced object.
  const sentAt = new Map<string, number>();
  const id = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, Math.min(64, v.length)).toString('latin1');
  const h = latencyHistogram();
  let applied = 0;
  let recording = false;
  const warm = setTimeout(() => (recording = true), 1000);
  const { u, close } = await engineOnBus(bus, topics, (m, n) => {
    const key = id(m.value);
    const t0 = sentAt.get(key);
    if (t0 === undefined) return;
    sentAt.delete(key);
    if (!recording) return;
    applied += n;
    h.recordValueWithCount(Math.max(1, Math.round((performance.now() - t0) * 1000)), n);
  });
  const inner = bus.producer();
  const producer: Producer = {
    send(topic, messages) {
      const now = performance.now();
      for (const m of messages) sentAt.set(id(m.value), now);
      return inner.send(topic, messages);
    },
    close: () => inner.close(),
  };
  const feed = startSimulatedFeed({
    producer,
    topic: topics.prefix + TOPIC.ticks,
    partitions: PARTITIONS,
    simulator: new MarketSimulator({
      instruments: u.instruments,
      market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
      seed: 2,
      startTime: Date.now(),
      ticksPerSecond: rate,
    }),
    ticksPerSecond: rate,
    batchSize: BATCH,
    src: 'bench-feed',
    intervalMs: 1,
  });
  await new Promise((r) => setTimeout(r, (seconds + 1) * 1000));
  clearTimeout(warm);
  await feed.stop();
  await new Promise((r) => setTimeout(r, 200));
  await producer.close();
  await close();
  return { latency: percentiles(h, 'tick_to_state'), achievedRate: applied / seconds };
}
