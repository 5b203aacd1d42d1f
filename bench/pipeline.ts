// The feed → bus → engine measurements, for any Bus: the in-process scenario and the Kafka one
// run the same code. Throughput: as fast as the pipeline goes. Latency: at a paced rate, from the
// feed handing a batch to the bus to the engine having applied it (exposures current); the
// conflation delay before frames go out is a setting, not part of the figure. Over Kafka the feed
// may run in a worker thread with its own client (./feed-worker.ts), as a feed process would.

import { processCpuSeconds } from './proc.js';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { startEngineRole, type EngineRoleOptions } from '../app/roles/engine.js';
import type { Bus } from '../streams/bus.js';
import { TOPIC, topicSpecs, type TopicConfig } from '../streams/topics.js';
import type { KafkaSettings } from '../streams/kafka/client.js';
import { epochNow, PARTITIONS, runFeed, SENT_AT, type FeedLoad } from './feed-load.js';
import type { FeedDone, FeedJob } from './feed-worker.js';
import { latencyHistogram, percentiles } from './harness.js';
import { benchEngineOptions, benchUniverse } from './universe.js';

export { BATCH, PARTITIONS } from './feed-load.js';

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
async function engineOnBus(
  bus: Bus,
  topics: TopicConfig,
  onApplied: EngineRoleOptions['onApplied'],
  drainOutputs: boolean,
) {
  const u = benchUniverse(1_000, 10_000);
  await bus.ensureTopics(topicSpecs(topics));
  // A deployment whose output readers (gateways) run in this process reads them here, on this
  // thread; otherwise they are other processes and nothing here reads them.
  const outputs = [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts, TOPIC.dlq].map((t) => topics.prefix + t);
  const reader = drainOutputs
    ? await bus.subscribe({
        group: `${topics.prefix}reader`,
        topics: outputs,
        from: 'latest',
        commit: false,
        onBatch: () => undefined,
      })
    : null;
  const role = await startEngineRole({
    bus,
    topics,
    engine: benchEngineOptions(u),
    logger: pino({ level: 'silent' }),
    src: 'bench-engine',
    onApplied,
  });
  return { role, close: async () => (await role.close(), await reader?.close()) };
}

/**
 * Runs the bench feed: on this thread through `bus`, or in a worker thread with a Kafka client of
 * `worker` settings (the in-process bus has no other thread to offer). Settles with what it sent.
 */
function feed(bus: Bus, topic: string, load: FeedLoad, worker?: KafkaSettings): Promise<FeedDone> {
  if (!worker) return runFeed(bus.producer(), topic, load).then((sent) => ({ ...sent, utilization: NaN }));
  const job: FeedJob = { settings: worker, topic, load };
  const thread = new Worker(new URL('./feed-worker.js', import.meta.url), { workerData: job });
  return new Promise<FeedDone>((resolve, reject) => {
    thread.once('message', (m: { done?: FeedDone; error?: string }) =>
      m.done ? resolve(m.done) : reject(new Error(`bench feed worker: ${m.error}`)),
    );
    thread.once('error', reject);
  }).finally(() => void thread.terminate());
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

export interface PipelineOptions {
  /** Sends the feed keeps in flight (same-thread feed) or lets the worker keep (worker feed). */
  window?: number;
  /** Run the feed in a worker thread with a Kafka client of these settings. */
  feedWorker?: KafkaSettings;
  /** The broker's pid, to report its CPU over the run. */
  brokerPid?: number;
  /**
   * Read the engine's outputs on this thread, as `riskline start` does with its gateway in the same
   * process (the in-process deployment); without it their readers are other processes.
   */
  drainOutputs?: boolean;
}

/** Ticks/s from the simulator's columns through the bus into the engine; `records` are kept for peers. */
export async function measureThroughput(bus: Bus, topics: TopicConfig, ticks: number, o: PipelineOptions = {}) {
  const window = o.window ?? 8;
  let applied = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const { close } = await engineOnBus(
    bus,
    topics,
    (_m, n) => {
      if ((applied += n) >= ticks) done();
    },
    o.drainOutputs ?? false,
  );
  const topic = topics.prefix + TOPIC.ticks;
  const usage = utilization(o.brokerPid);
  const start = process.hrtime.bigint();
  const sent = await feed(bus, topic, { mode: 'throughput', ticks, window }, o.feedWorker);
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

/** Tick → engine-state latency at a paced rate (the first second warms up and is not recorded). */
export async function measurePaced(
  bus: Bus,
  topics: TopicConfig,
  seconds: number,
  rate: number,
  o: PipelineOptions = {},
) {
  // The feed stamps each record's send time in a header: over Kafka the consumed bytes are not the
  // produced object, and the stamp reads the same from any thread.
  const h = latencyHistogram();
  let applied = 0;
  let recording = false;
  const warm = setTimeout(() => (recording = true), 1000);
  const { close } = await engineOnBus(
    bus,
    topics,
    (m, n) => {
      const stamp = m.headers?.[SENT_AT];
      if (stamp === undefined || !recording) return;
      applied += n;
      h.recordValueWithCount(Math.max(1, Math.round((epochNow() - Number(stamp)) * 1000)), n);
    },
    o.drainOutputs ?? false,
  );
  const usage = utilization(o.brokerPid);
  const sent = await feed(
    bus,
    topics.prefix + TOPIC.ticks,
    { mode: 'paced', rate, seconds: seconds + 1 },
    o.feedWorker,
  );
  clearTimeout(warm);
  await new Promise((r) => setTimeout(r, 200));
  const used = usage();
  await close();
  return {
    latency: percentiles(h, 'tick_to_state'),
    achievedRate: applied / seconds,
    feedThread: sent.utilization,
    ...used,
  };
}
