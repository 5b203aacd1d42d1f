// The bench feed in a worker thread with its own Kafka client, as a separate feed process
// (`riskline start --roles feed`) would run it: the engine's thread then does only what an engine
// process does. Throughput: a fixed number of ticks as fast as the transport takes them. Paced:
// the real simulated feed at a rate, each record stamped with its send time (a `sent-at` header,
// epoch ms with µs fraction, comparable across threads) for the engine side to measure against.

import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startSimulatedFeed, TickEncoder } from '../feeds/publish.js';
import { MarketSimulator, tickColumns } from '../feeds/simulator.js';
import type { BusMessage, Producer } from '../streams/bus.js';
import type { KafkaSettings } from '../streams/kafka/client.js';
import { KafkaBus } from '../streams/kafka/bus.js';
import { BENCH_CORRELATIONS, BENCH_FACTORS, benchUniverse } from './universe.js';

export type FeedJob = { settings: KafkaSettings; topic: string; partitions: number; batch: number } & (
  { mode: 'throughput'; ticks: number; window: number } | { mode: 'paced'; rate: number; seconds: number }
);

export interface FeedDone {
  sentRecords: number;
  sentBytes: number;
  /** The first records sent, for the transport-alone peers. */
  records: BusMessage[];
  /** Share of the worker's time its event loop was busy. */
  utilization: number;
}

export const SENT_AT = 'sent-at';
/** Epoch milliseconds, µs resolution, the same clock in every thread of the process. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

async function run(job: FeedJob): Promise<FeedDone> {
  const bus = new KafkaBus(job.settings, pino({ level: 'warn' }));
  // The engine side created the topic; this client checks it and learns its partitions.
  await bus.ensureTopics([{ name: job.topic, partitions: job.partitions, cleanup: 'delete', codec: 'msgpack' }]);
  const inner = bus.producer();
  let sentRecords = 0;
  let sentBytes = 0;
  const records: BusMessage[] = [];
  const producer: Producer = {
    send(topic, messages) {
      const at = job.mode === 'paced' ? String(epochNow()) : '';
      for (const m of messages) {
        sentRecords++;
        sentBytes += m.value.length;
        if (records.length < 4096) records.push(m);
        if (at) m.headers = { [SENT_AT]: at };
      }
      return inner.send(topic, messages);
    },
    close: () => inner.close(),
  };
  const u = benchUniverse(1_000, 10_000);
  const simulator = (seed: number, rate: number, startTime: number) =>
    new MarketSimulator({
      instruments: u.instruments,
      market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
      seed,
      startTime,
      ticksPerSecond: rate,
    });
  const elu0 = performance.eventLoopUtilization();
  if (job.mode === 'throughput') {
    const sim = simulator(1, 2_000_000, Date.parse('2026-11-25T14:30:00Z'));
    const encoder = new TickEncoder(job.partitions, 'bench-feed', job.batch);
    const columns = tickColumns(8192);
    // A few sends in flight, as the feed's timer would have: the transport batches what queues up.
    const inFlight = new Set<Promise<void>>();
    for (let sent = 0; sent < job.ticks; sent += 8192) {
      const n = sim.fillColumns(columns, Math.min(8192, job.ticks - sent));
      const p = producer
        .send(job.topic, encoder.encodeColumns(columns, n, sim.ids, []))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= job.window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } else {
    const feed = startSimulatedFeed({
      producer,
      topic: job.topic,
      partitions: job.partitions,
      simulator: simulator(2, job.rate, Date.now()),
      ticksPerSecond: job.rate,
      batchSize: job.batch,
      src: 'bench-feed',
      intervalMs: 1,
    });
    await new Promise((r) => setTimeout(r, job.seconds * 1000));
    await feed.stop();
    const failed = feed.stats().error;
    if (failed) throw new Error(`feed stopped: ${failed}`);
  }
  const utilization = performance.eventLoopUtilization(elu0).utilization;
  await producer.close();
  return { sentRecords, sentBytes, records, utilization };
}

if (parentPort && workerData) {
  const port = parentPort;
  run(workerData as FeedJob).then(
    (done) => port.postMessage({ done }),
    (err: unknown) => port.postMessage({ error: String((err as Error)?.stack ?? err) }),
  );
}
