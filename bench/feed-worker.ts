// The bench feed (./feed-load.ts) in a worker thread with its own Kafka client, as a separate feed
// process (`riskline start --roles feed`) would run it: the engine's thread then does only what an
// engine process does.

import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { KafkaSettings } from '../streams/kafka/client.js';
import { KafkaBus } from '../streams/kafka/bus.js';
import { PARTITIONS, runFeed, type FeedLoad, type FeedSent } from './feed-load.js';

export type FeedJob = { settings: KafkaSettings; topic: string; load: FeedLoad };

export interface FeedDone extends FeedSent {
  /** Share of the worker's time its event loop was busy. */
  utilization: number;
}

async function run(job: FeedJob): Promise<FeedDone> {
  const bus = new KafkaBus(job.settings, pino({ level: 'warn' }));
  // The engine side created the topic; this client checks it and learns its partitions.
  await bus.ensureTopics([{ name: job.topic, partitions: PARTITIONS, cleanup: 'delete', codec: 'msgpack' }]);
  const elu0 = performance.eventLoopUtilization();
  const sent = await runFeed(bus.producer(), job.topic, job.load);
  return { ...sent, utilization: performance.eventLoopUtilization(elu0).utilization };
}

if (parentPort && workerData) {
  const port = parentPort;
  run(workerData as FeedJob).then(
    (done) => port.postMessage({ done }),
    (err: unknown) => port.postMessage({ error: String((err as Error)?.stack ?? err) }),
  );
}
