// The benchmarks' tick feed, the same code wherever it runs: on the engine's thread, or in a worker
// thread with its own Kafka client (./feed-worker.ts). Throughput: a fixed number of ticks as fast
// as the transport takes them. Paced: the real simulated feed at a rate. Every record sent is
// counted, and in paced mode stamped with its send time (a `sent-at` header, epoch ms with µs
// fraction, comparable across threads) for the engine side to measure against.

import { performance } from 'node:perf_hooks';
import { startSimulatedFeed, TickEncoder } from '../feeds/publish.js';
import { MarketSimulator, tickColumns } from '../feeds/simulator.js';
import type { BusMessage, Producer } from '../streams/bus.js';
import { BENCH_CORRELATIONS, BENCH_FACTORS, benchUniverse } from './universe.js';

export const PARTITIONS = 8;
export const BATCH = 256;
export const SENT_AT = 'sent-at';

/** Epoch milliseconds, µs resolution, the same clock in every thread of the process. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export type FeedLoad =
  { mode: 'throughput'; ticks: number; window: number } | { mode: 'paced'; rate: number; seconds: number };

export interface FeedSent {
  sentRecords: number;
  sentBytes: number;
  /** The first records sent, for the transport-alone peers. */
  records: BusMessage[];
}

/** Runs the load through `producer` (closed at the end) on the bench book's instruments. */
export async function runFeed(producer: Producer, topic: string, load: FeedLoad): Promise<FeedSent> {
  const sent: FeedSent = { sentRecords: 0, sentBytes: 0, records: [] };
  const counted: Producer = {
    send(t, messages) {
      const at = load.mode === 'paced' ? String(epochNow()) : undefined;
      for (const m of messages) {
        sent.sentRecords++;
        sent.sentBytes += m.value.length;
        if (sent.records.length < 4096) sent.records.push(m);
        if (at !== undefined) m.headers = { [SENT_AT]: at };
      }
      return producer.send(t, messages);
    },
    withdraw: (topics, keys) => producer.withdraw(topics, keys),
    connect: () => producer.connect(),
    close: () => producer.close(),
  };
  const simulator = (seed: number, rate: number, startTime: number) =>
    new MarketSimulator({
      instruments: benchUniverse(1_000, 10_000).instruments,
      market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
      seed,
      startTime,
      ticksPerSecond: rate,
    });
  if (load.mode === 'throughput') {
    const sim = simulator(1, 2_000_000, Date.parse('2026-11-25T14:30:00Z'));
    const encoder = new TickEncoder(PARTITIONS, 'bench-feed', BATCH);
    const columns = tickColumns(8192);
    // A few sends in flight, as the feed's timer would have: the transport batches what queues up.
    const inFlight = new Set<Promise<void>>();
    for (let done = 0; done < load.ticks; done += 8192) {
      const n = sim.fillColumns(columns, Math.min(8192, load.ticks - done));
      const p = counted.send(topic, encoder.encodeColumns(columns, n, sim.ids, [])).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= load.window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } else {
    const feed = startSimulatedFeed({
      producer: counted,
      topic,
      partitions: PARTITIONS,
      simulator: simulator(2, load.rate, Date.now()),
      ticksPerSecond: load.rate,
      batchSize: BATCH,
      src: 'bench-feed',
      intervalMs: 1,
    });
    await new Promise((r) => setTimeout(r, load.seconds * 1000));
    await feed.stop();
    const failed = feed.stats().error;
    if (failed) throw new Error(`bench feed stopped: ${failed}`);
  }
  await counted.close();
  return sent;
}
