// The feed → bus → engine measurements, for any Bus: the in-process scenario and the Kafka one
// run the same code. Throughput: as fast as the pipeline goes. Latency: at a paced rate, from the
// feed handing a batch to the bus to the engine having applied it (exposures current); the
// conflation delay before frames go out is a setting, not part of the figure. Over Kafka the feed
// may run in a worker thread with its own client (./feed-worker.ts), as a feed process would.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { startEngineRole, type EngineRoleOptions } from '../app/roles/engine.js';
import { startSimulatedFeed, TickEncoder } from '../feeds/publish.js';
import { MarketSimulator, tickColumns } from '../feeds/simulator.js';
import type { Bus, BusMessage, Producer } from '../streams/bus.js';
import { TOPIC, topicSpecs, type TopicConfig } from '../streams/topics.js';
import type { KafkaSettings } from '../streams/kafka/client.js';
import { epochNow, SENT_AT, type FeedDone, type FeedJob } from './feed-worker.js';
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

/** The feed in a worker thread with its own Kafka client; settles with what it sent. */
function feedWorker(job: FeedJob): Promise<FeedDone> {
  const worker = new Worker(new URL('./feed-worker.js', import.meta.url), { workerData: job });
  return new Promise<FeedDone>((resolve, reject) => {
    worker.once('message', (m: { done?: FeedDone; error?: string }) =>
      m.done ? resolve(m.done) : reject(new Error(`bench feed worker: ${m.error}`)),
    );
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

/** Share of the time the engine's thread was busy, and the broker's CPU (cores), over a run. */
function utilization(brokerPid?: number) {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = brokerPid ? processCpuSeconds(brokerPid) : 0;
  const t0 = performance.now();
  return () => ({
    engineThread: performance.eventLoopUtilization(elu0).utilization,
    brokerCores: brokerPid ? (processCpuSeconds(brokerPid) - cpu0) / ((performance.now() - t0) / 1000) : NaN,
  });
}

/** User + system CPU seconds of a process, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

export interface PipelineOptions {
  /** Sends the feed keeps in flight (same-thread feed) or lets the worker keep (worker feed). */
  window?: number;
  /** Run the feed in a worker thread with a Kafka client of these settings. */
  feedWorker?: KafkaSettings;
  /** The broker's pid, to report its CPU over the run. */
  brokerPid?: number;
}

/** Ticks/s from the simulator's columns through the bus into the engine; `records` are kept for peers. */
export async function measureThroughput(bus: Bus, topics: TopicConfig, ticks: number, o: PipelineOptions = {}) {
  const window = o.window ?? 8;
  let applied = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const { u, close } = await engineOnBus(bus, topics, (_m, n) => {
    if ((applied += n) >= ticks) done();
  });
  const topic = topics.prefix + TOPIC.ticks;
  const usage = utilization(o.brokerPid);
  const start = process.hrtime.bigint();
  const sent = o.feedWorker
    ? await feedWorker({
        mode: 'throughput',
        settings: o.feedWorker,
        topic,
        partitions: PARTITIONS,
        batch: BATCH,
        ticks,
        window,
      })
    : await feedHere(bus, u, topic, ticks, window);
  await finished;
  const ns = Number(process.hrtime.bigint() - start);
  const used = usage();
  await close();
  return {
    ticksPerSec: (ticks / ns) * 1e9,
    records: sent.records,
    recordBytes: Math.round(sent.sentBytes / sent.sentRecords),
    // Counted, not assumed: each chunk splits per partition, so records carry fewer than BATCH ticks.
    ticksPerRecord: ticks / sent.sentRecords,
    feedThread: sent.utilization,
    ...used,
  };
}

/** The throughput feed on the engine's own thread (the in-process bus has no other). */
async function feedHere(bus: Bus, u: ReturnType<typeof benchUniverse>, topic: string, ticks: number, window: number) {
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
  let sentRecords = 0;
  let sentBytes = 0;
  // A few sends in flight, as the feed's timer would have: the transport batches what queues up.
  const inFlight = new Set<Promise<void>>();
  for (let sent = 0; sent < ticks; sent += 8192) {
    const n = sim.fillColumns(columns, Math.min(8192, ticks - sent));
    const messages = encoder.encodeColumns(columns, n, sim.ids, []);
    if (records.length < 4096) records.push(...messages);
    sentRecords += messages.length;
    for (const m of messages) sentBytes += m.value.length;
    const p = producer.send(topic, messages).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await producer.close();
  return { sentRecords, sentBytes, records, utilization: NaN };
}

/** Tick → engine-state latency at a paced rate (the first second warms up and is not recorded). */
export async function measurePaced(
  bus: Bus,
  topics: TopicConfig,
  seconds: number,
  rate: number,
  o: PipelineOptions = {},
) {
  // A plain Map (deleted on arrival) and float times: a WeakMap or BigInts would load the GC
  // enough to distort the figure being measured. Records are known by their envelope header (the
  // first bytes hold src, ts and seq): over Kafka the consumed bytes are not the produced object.
  // A worker feed stamps each record's send time in a header instead.
  const sentAt = new Map<string, number>();
  const id = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, Math.min(64, v.length)).toString('latin1');
  const h = latencyHistogram();
  let applied = 0;
  let recording = false;
  const warm = setTimeout(() => (recording = true), 1000);
  const { u, close } = await engineOnBus(bus, topics, (m, n) => {
    let latencyMs: number;
    if (o.feedWorker) {
      const stamp = m.headers?.[SENT_AT];
      if (stamp === undefined) return;
      latencyMs = epochNow() - Number(stamp);
    } else {
      const key = id(m.value);
      const t0 = sentAt.get(key);
      if (t0 === undefined) return;
      sentAt.delete(key);
      latencyMs = performance.now() - t0;
    }
    if (!recording) return;
    applied += n;
    h.recordValueWithCount(Math.max(1, Math.round(latencyMs * 1000)), n);
  });
  const topic = topics.prefix + TOPIC.ticks;
  const usage = utilization(o.brokerPid);
  let feedThread = NaN;
  if (o.feedWorker) {
    const sent = await feedWorker({
      mode: 'paced',
      settings: o.feedWorker,
      topic,
      partitions: PARTITIONS,
      batch: BATCH,
      rate,
      seconds: seconds + 1,
    });
    feedThread = sent.utilization;
  } else {
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
      topic,
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
    await feed.stop();
    await producer.close();
  }
  clearTimeout(warm);
  await new Promise((r) => setTimeout(r, 200));
  const used = usage();
  await close();
  return { latency: percentiles(h, 'tick_to_state'), achievedRate: applied / seconds, feedThread, ...used };
}
