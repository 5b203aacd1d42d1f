// Simulator → in-process bus (msgpack `ticks` envelopes) → engine role → live book, end to end.
// Throughput: as fast as the pipeline goes. Latency: at a paced 100k ticks/s, from the feed handing
// a batch to the bus to the engine having applied it (exposures current); the conflation delay
// before frames go out is a setting (reported in params), not part of this figure.
// Baseline, same run: msgpack decode alone of the same envelopes — the ceiling of any consumer.

import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { startEngineRole, type EngineRoleOptions } from '../../app/roles/engine.js';
import { startSimulatedFeed, TickEncoder } from '../../feeds/publish.js';
import { MarketSimulator, tickColumns } from '../../feeds/simulator.js';
import type { BusMessage, Producer } from '../../streams/bus.js';
import { decodeEnvelope } from '../../streams/envelope.js';
import { createInProcessBus } from '../../streams/inprocess.js';
import { TOPIC, topicSpecs, type TopicConfig } from '../../streams/topics.js';
import { checkTargets, latencyHistogram, percentiles, type Scenario } from '../harness.js';
import { BENCH_CORRELATIONS, BENCH_FACTORS, benchEngineOptions, benchUniverse } from '../universe.js';

const PARTITIONS = 8;
const topics: TopicConfig = {
  prefix: 'bench.',
  topics: Object.fromEntries(
    Object.values(TOPIC).map((t) => [
      t,
      { partitions: t === TOPIC.ticks ? PARTITIONS : 1, cleanup: 'delete', codec: 'msgpack' },
    ]),
  ) as TopicConfig['topics'],
};

/** A bus with the real engine role on a bench book, its outputs read as a gateway would. */
async function engineOnBus(u: ReturnType<typeof benchUniverse>, onApplied: EngineRoleOptions['onApplied']) {
  const bus = createInProcessBus({ queueCapacity: 4096, maxBatch: 256 });
  await bus.ensureTopics(topicSpecs(topics));
  await drainOutputs(bus);
  const role = await startEngineRole({
    bus,
    topics,
    engine: benchEngineOptions(u),
    logger: pino({ level: 'silent' }),
    src: 'bench-engine',
    onApplied,
  });
  return { bus, role };
}

async function pipeline(ticks: number) {
  const u = benchUniverse(1_000, 10_000);
  const market = { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS };
  let applied = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const { bus, role } = await engineOnBus(u, (_m, n) => {
    if ((applied += n) >= ticks) done();
  });
  const sim = new MarketSimulator({
    instruments: u.instruments,
    market,
    seed: 1,
    startTime: Date.parse('2026-11-25T14:30:00Z'),
    ticksPerSecond: 2_000_000,
  });
  const encoder = new TickEncoder(PARTITIONS, 'bench-feed', 256);
  const producer = bus.producer();
  const columns = tickColumns(8192);
  const encoded: BusMessage[][] = [];
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < ticks; sent += 8192) {
    const n = sim.fillColumns(columns, Math.min(8192, ticks - sent));
    const messages = encoder.encodeColumns(columns, n, sim.ids, []);
    if (encoded.length < 64) encoded.push(messages);
    await producer.send(topics.prefix + TOPIC.ticks, messages);
  }
  await finished;
  const ns = Number(process.hrtime.bigint() - start);
  await role.close();
  await bus.close();

  // Ceiling: decoding the same envelopes, nothing else.
  const sample = encoded.flat();
  let decoded = 0;
  const d0 = process.hrtime.bigint();
  for (let rep = 0; rep < 20; rep++)
    for (const m of sample) decoded += (decodeEnvelope(m.value).body as unknown[]).length;
  const decodeNs = Number(process.hrtime.bigint() - d0);
  return { ticksPerSec: (ticks / ns) * 1e9, decodePerSec: (decoded / decodeNs) * 1e9 };
}

/** Reads the engine's output topics as a gateway would, so published frames are consumed. */
async function drainOutputs(bus: ReturnType<typeof createInProcessBus>): Promise<void> {
  const outputs = [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts, TOPIC.dlq].map((t) => topics.prefix + t);
  await bus.subscribe({ group: 'bench-reader', topics: outputs, onBatch: () => undefined });
}

async function paced(seconds: number, rate: number) {
  const u = benchUniverse(1_000, 10_000);
  // A plain Map (deleted on arrival) and float times: a WeakMap or BigInts would load the GC
  // enough to distort the figure being measured.
  const sentAt = new Map<Uint8Array, number>();
  const h = latencyHistogram();
  let applied = 0;
  // The first second warms the JIT up and is not recorded.
  let recording = false;
  const warm = setTimeout(() => (recording = true), 1000);
  const { bus, role } = await engineOnBus(u, (m, n) => {
    const t0 = sentAt.get(m.value);
    if (t0 === undefined) return;
    sentAt.delete(m.value);
    if (!recording) return;
    const us = (performance.now() - t0) * 1000;
    applied += n;
    h.recordValueWithCount(Math.max(1, Math.round(us)), n);
  });
  const inner = bus.producer();
  const producer: Producer = {
    send(topic, messages) {
      const now = performance.now();
      for (const m of messages) sentAt.set(m.value, now);
      return inner.send(topic, messages);
    },
    close: () => inner.close(),
  };
  const sim = new MarketSimulator({
    instruments: u.instruments,
    market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
    seed: 2,
    startTime: Date.now(),
    ticksPerSecond: rate,
  });
  const feed = startSimulatedFeed({
    producer,
    topic: topics.prefix + TOPIC.ticks,
    partitions: PARTITIONS,
    simulator: sim,
    ticksPerSecond: rate,
    batchSize: 256,
    src: 'bench-feed',
    intervalMs: 1,
  });
  await new Promise((r) => setTimeout(r, (seconds + 1) * 1000));
  clearTimeout(warm);
  await feed.stop();
  await new Promise((r) => setTimeout(r, 50));
  await role.close();
  await bus.close();
  return { latency: percentiles(h, 'tick_to_state'), achievedRate: applied / seconds };
}

export const busPipeline: Scenario = {
  name: 'bus-pipeline',
  description: 'simulator → in-process bus (msgpack envelopes) → engine; 10k positions over 1k instruments',
  async run({ quick, log }) {
    const ticks = quick ? 2_000_000 : 10_000_000;
    const a = await pipeline(ticks);
    log(
      `throughput ${(a.ticksPerSec / 1e6).toFixed(2)}M ticks/s end to end; msgpack decode alone ${(a.decodePerSec / 1e6).toFixed(2)}M/s`,
    );
    const b = await paced(quick ? 5 : 30, 100_000);
    log(
      `at 100k ticks/s: p99 ${b.latency.tick_to_state_p99_us} µs (achieved ${(b.achievedRate / 1e3).toFixed(0)}k ticks/s)`,
    );
    const metrics = { ticks_per_s: a.ticksPerSec, paced_ticks_per_s: b.achievedRate, ...b.latency };
    return {
      params: {
        ticks,
        instruments: 1_000,
        positions: 10_000,
        partitions: PARTITIONS,
        batchSize: 256,
        pacedRate: 100_000,
        conflationMs: 100,
      },
      metrics,
      baseline: { name: 'msgpack decode of the same envelopes', metrics: { ticks_per_s: a.decodePerSec } },
      ratio: a.ticksPerSec / a.decodePerSec,
      targets: checkTargets(metrics, [
        { metric: 'ticks_per_s', op: '>=', value: 1_000_000 },
        { metric: 'tick_to_state_p99_us', op: '<=', value: 1000 },
      ]),
    };
  },
};
