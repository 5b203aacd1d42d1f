// @confluentinc/kafka-javascript (librdkafka bindings) measured as a peer of kafkajs, through its
// KafkaJS-compatible API. It is NOT a dependency of Riskline: it needs a native build against system
// libraries, so it lives in a side package installed by bench/peers/install-confluent.sh into
// .cache/peers/ and is loaded from there with createRequire. No types come from the package: the
// module is `unknown`, narrowed with the small local interfaces below. Without the side install
// `loadConfluent()` is null and `confluentProduceConsume()` resolves to null.
//
// Settings mirror Riskline's kafkajs producer and consumer (streams/kafka, config/schema.ts):
// idempotent, acks all, linger 2 ms, 512 KiB batches, no compression; fetches of up to 4 MiB per
// partition, broker wait at most 100 ms.
//
// Compat-layer gotchas (1.10.1), from its MIGRATION.md and lib/kafkajs sources:
// - KafkaJS options go in a `kafkaJS: {...}` block; librdkafka properties ('linger.ms', ...) sit
//   outside it and win over the block's translations. A KafkaJS key outside the block throws.
// - acks, compression and timeout are per producer, not per send(); fromBeginning and autoCommit
//   are per consumer, not per subscribe()/run() (passing them there throws).
// - send() mutates the messages given (partition, timestamp, headers) and makes one promise per
//   message; values must be Buffers or strings (a bare Uint8Array is not accepted).
// - Too many unacknowledged messages throw ERR__QUEUE_FULL (queue.buffering.max.messages 100,000,
//   queue.buffering.max.kbytes 1 GiB): in-flight sends are bounded here.
// - maxBytesPerPartition and maxBytes map to the same librdkafka property (max.partition.fetch.bytes
//   is an alias of fetch.message.max.bytes), so maxBytes' default (10 MiB) silently replaces
//   maxBytesPerPartition: set 'max.partition.fetch.bytes' outside the block instead.
// - With the defaults a bulk read stalls: once the prefetch queue holds queued.max.messages.kbytes
//   (64 MiB, a few thousand 10 KiB records) librdkafka postpones fetches by fetch.queue.backoff.ms,
//   a full second. 'fetch.queue.backoff.ms' is 10 here (measured 2-6x faster on 10 KiB records).
// - eachBatch hands out at most 32 messages per call unless 'js.consumer.max.batch.size' is set
//   (-1: all that is cached for the partition).
// - admin.createTopics() has no waitForLeaders: leaders are awaited here through fetchTopicMetadata.
// - The default logger prints INFO lines (rebalances, connects) to the console: logLevel is ERROR here.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@confluentinc/kafka-javascript';

type Config = Record<string, unknown>;

interface CkMessageIn {
  key: Buffer;
  value: Buffer;
  partition: number;
}

interface CkKafkaMessage {
  offset: string;
}

interface CkBatch {
  partition: number;
  messages: CkKafkaMessage[];
}

interface CkRunConfig {
  partitionsConsumedConcurrently?: number;
  eachBatchAutoResolve?: boolean;
  eachBatch?: (payload: { batch: CkBatch }) => Promise<void>;
  eachMessage?: (payload: { partition: number; message: CkKafkaMessage }) => Promise<void>;
}

interface CkClient {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

interface CkProducer extends CkClient {
  send(record: { topic: string; messages: CkMessageIn[] }): Promise<unknown>;
}

interface CkConsumer extends CkClient {
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: CkRunConfig): Promise<void>;
  seek(tpo: { topic: string; partition: number; offset: string }): void;
  assignment(): { topic: string; partition: number }[];
}

interface CkAdmin extends CkClient {
  listTopics(options?: { timeout?: number }): Promise<string[]>;
  createTopics(options: {
    timeout?: number;
    topics: { topic: string; numPartitions?: number; replicationFactor?: number }[];
  }): Promise<boolean>;
  fetchTopicMetadata(options: {
    topics: string[];
    timeout?: number;
  }): Promise<{ name: string; partitions: { partitionId: number; leader: number }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
}

interface CkKafka {
  producer(config: Config): CkProducer;
  consumer(config: Config): CkConsumer;
  admin(config?: Config): CkAdmin;
}

export interface ConfluentKafkaJS {
  Kafka: new (config: Config) => CkKafka;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

/** The side package's folder: $RISKLINE_PEERS_DIR, else the first `.cache/peers` above this file. */
function peersDir(): string | null {
  const env = process.env.RISKLINE_PEERS_DIR;
  if (env) return existsSync(join(env, 'package.json')) ? resolve(env) : null;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, '.cache', 'peers');
    if (existsSync(join(candidate, 'node_modules', PACKAGE))) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

let cached: { KafkaJS: ConfluentKafkaJS } | null | undefined;

/** The package's KafkaJS-compatible API from the side install, or null when it is absent or does not load. */
export function loadConfluent(): { KafkaJS: ConfluentKafkaJS } | null {
  if (cached !== undefined) return cached;
  cached = null;
  const dir = peersDir();
  if (!dir) return null;
  let mod: unknown;
  try {
    mod = createRequire(join(dir, 'package.json'))(PACKAGE);
  } catch {
    return null;
  }
  if (!isObject(mod) || !isObject(mod.KafkaJS) || typeof mod.KafkaJS.Kafka !== 'function') return null;
  cached = { KafkaJS: mod.KafkaJS as unknown as ConfluentKafkaJS };
  return cached;
}

export interface ConfluentBenchOptions {
  brokers: string;
  topic: string;
  partitions: number;
  records: { key: string; value: Uint8Array; partition: number }[];
  repeat: number;
}

export interface ConfluentBenchResult {
  produceRecordsPerSec: number;
  consumeRecordsPerSec: number;
  endToEndRecordsPerSec: number;
  /** Phase 2 without group join and assignment: records / (first batch → last record). */
  consumeFirstToLastRecordsPerSec: number;
}

const LOG_ERROR = 1; // the compat layer's logLevel.ERROR
const SEND_RECORDS = 500; // records per send() call
const MAX_IN_FLIGHT_RECORDS = 50_000; // below queue.buffering.max.messages (100,000)
const MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024; // below queue.buffering.max.kbytes (1 GiB)
const CONSUME_TIMEOUT_MS = 300_000;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Offsets per partition, as numbers (benchmark topics stay far below 2^53). */
type Offsets = Map<number, number>;

async function ensureTopic(admin: CkAdmin, topic: string, partitions: number): Promise<void> {
  const topics = await admin.listTopics({ timeout: 10_000 });
  if (!topics.includes(topic)) {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], timeout: 10_000 });
  }
  // No waitForLeaders in the compat layer: poll metadata until every partition has a leader.
  const deadline = now() + 30_000;
  for (;;) {
    const meta = await admin.fetchTopicMetadata({ topics: [topic], timeout: 5_000 }).catch(() => []);
    const parts = meta.find((t) => t.name === topic)?.partitions ?? [];
    if (parts.length >= partitions && parts.every((p) => p.leader >= 0)) return;
    if (now() > deadline) throw new Error(`confluent bench: topic ${topic} has no leaders after 30 s`);
    await sleep(100);
  }
}

async function endOffsets(admin: CkAdmin, topic: string): Promise<Offsets> {
  const offs = await admin.fetchTopicOffsets(topic);
  return new Map(offs.map((o) => [o.partition, Number(o.high)]));
}

/**
 * Sends every record `repeat` times, SEND_RECORDS per send(), several sends in flight (bounded by
 * records and bytes); resolves when all are acknowledged. Returns the time of the first send (ms).
 */
async function produceAll(producer: CkProducer, topic: string, msgs: CkMessageIn[], repeat: number): Promise<number> {
  const pending: { done: Promise<unknown>; records: number; bytes: number }[] = [];
  let inRecords = 0;
  let inBytes = 0;
  let failure: unknown = null;
  const t0 = now();
  for (let r = 0; r < repeat; r++) {
    for (let i = 0; i < msgs.length; i += SEND_RECORDS) {
      // send() mutates the objects it is given: fresh ones per send, sharing the Buffers.
      const slice = msgs
        .slice(i, i + SEND_RECORDS)
        .map((m) => ({ key: m.key, value: m.value, partition: m.partition }));
      const bytes = slice.reduce((n, m) => n + m.value.length + m.key.length, 0);
      while (
        pending.length > 0 &&
        (inRecords + slice.length > MAX_IN_FLIGHT_RECORDS || inBytes + bytes > MAX_IN_FLIGHT_BYTES)
      ) {
        const head = pending.shift()!;
        await head.done;
        inRecords -= head.records;
        inBytes -= head.bytes;
      }
      if (failure) throw failure;
      const done = producer.send({ topic, messages: slice }).catch((err: unknown) => {
        failure ??= err;
      });
      pending.push({ done, records: slice.length, bytes });
      inRecords += slice.length;
      inBytes += bytes;
    }
  }
  await Promise.all(pending.map((p) => p.done));
  if (failure) throw failure;
  return t0;
}

interface ConsumeRun {
  consumer: CkConsumer;
  /** Resolves with the time (ms) the last wanted record arrived. */
  finished: Promise<number>;
  /** When (ms) the first batch arrived, 0 before. */
  firstAt: () => number;
  /** Re-evaluates completion (after `to()` changed). */
  check: () => void;
}

/**
 * A consumer in a fresh group that reads `topic` from `from` to `to` (per partition) with eachBatch
 * and unbounded batches (measured faster than eachMessage: one callback per fetched batch). It
 * seeks each partition to `from`, so records already in the topic before are not read.
 */
async function startConsumer(
  kafka: CkKafka,
  topic: string,
  group: string,
  from: Offsets,
  to: () => Offsets | null,
): Promise<ConsumeRun> {
  const consumer = kafka.consumer({
    kafkaJS: { groupId: group, fromBeginning: true, autoCommit: false, logLevel: LOG_ERROR },
    'max.partition.fetch.bytes': 4 * 1024 * 1024,
    'fetch.wait.max.ms': 100,
    'fetch.queue.backoff.ms': 10,
    'js.consumer.max.batch.size': -1,
  });
  const next = new Map(from);
  let resolveDone: (t: number) => void = () => undefined;
  let rejectDone: (e: unknown) => void = () => undefined;
  const finished = new Promise<number>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  let isDone = false;
  let first = 0;
  const check = (): void => {
    const target = to();
    if (isDone || !target) return;
    for (const [p, end] of target) if ((next.get(p) ?? 0) < end) return;
    isDone = true;
    resolveDone(now());
  };
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  const timer = setTimeout(
    () => rejectDone(new Error(`confluent bench: ${group} not done after ${CONSUME_TIMEOUT_MS} ms`)),
    CONSUME_TIMEOUT_MS,
  );
  void finished.finally(() => clearTimeout(timer)).catch(() => undefined);
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      if (first === 0) first = now();
      const off = Number(last.offset) + 1;
      if (off > (next.get(batch.partition) ?? 0)) next.set(batch.partition, off);
      check();
    },
  });
  // Pending seeks are applied when the partitions are assigned.
  for (const [partition, offset] of from) consumer.seek({ topic, partition, offset: String(offset) });
  return { consumer, finished, check, firstAt: () => first };
}

async function waitAssigned(consumer: CkConsumer, partitions: number): Promise<void> {
  const deadline = now() + 30_000;
  while (consumer.assignment().length < partitions) {
    if (now() > deadline) throw new Error('confluent bench: consumer not assigned after 30 s');
    await sleep(20);
  }
}

const total = (a: Offsets, b: Offsets): number => {
  let n = 0;
  for (const [p, end] of b) n += end - (a.get(p) ?? 0);
  return n;
};

/**
 * Produces and consumes `records` × `repeat` through the KafkaJS-compatible API, in three phases:
 * 1. produce only: records / (first send → last acknowledgement);
 * 2. consume only: a fresh group reads what phase 1 wrote; records / (consumer connect → last
 *    record), so group join and assignment are included, as in the kafkajs transport measurement;
 * 3. end to end: a fresh group is joined and assigned first, then the records are produced again
 *    while it consumes; records / (first send → last record consumed).
 * Null when the side install is absent.
 */
export async function confluentProduceConsume(o: ConfluentBenchOptions): Promise<ConfluentBenchResult | null> {
  const lib = loadConfluent();
  if (!lib) return null;
  const kafka = new lib.KafkaJS.Kafka({
    kafkaJS: { brokers: o.brokers.split(','), clientId: 'riskline-bench-confluent', logLevel: LOG_ERROR },
  });
  const msgs: CkMessageIn[] = o.records.map((r) => ({
    key: Buffer.from(r.key),
    value: Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    partition: r.partition,
  }));
  const admin = kafka.admin({ kafkaJS: { logLevel: LOG_ERROR } });
  const producer = kafka.producer({
    kafkaJS: { idempotent: true, acks: -1, allowAutoTopicCreation: false, logLevel: LOG_ERROR },
    'linger.ms': 2,
    'batch.size': 512 * 1024,
    'compression.codec': 'none',
  });
  const consumers: CkConsumer[] = [];
  const run = Date.now().toString(36);
  try {
    await admin.connect();
    await ensureTopic(admin, o.topic, o.partitions);
    await producer.connect();

    // 1. produce only
    const start1 = await endOffsets(admin, o.topic);
    const p0 = await produceAll(producer, o.topic, msgs, o.repeat);
    const produceMs = now() - p0;
    const end1 = await endOffsets(admin, o.topic);
    const produced = total(start1, end1);

    // 2. consume only
    const c0 = now();
    const reader = await startConsumer(kafka, o.topic, `${o.topic}-confluent-read-${run}`, start1, () => end1);
    consumers.push(reader.consumer);
    const c1 = await reader.finished;
    const consumeMs = c1 - c0;
    const firstToLastMs = c1 - reader.firstAt();

    // 3. end to end, consumer joined before the first send
    const start3 = await endOffsets(admin, o.topic);
    let end3: Offsets | null = null;
    const e2e = await startConsumer(kafka, o.topic, `${o.topic}-confluent-e2e-${run}`, start3, () => end3);
    consumers.push(e2e.consumer);
    await waitAssigned(e2e.consumer, o.partitions);
    const e0 = await produceAll(producer, o.topic, msgs, o.repeat);
    end3 = await endOffsets(admin, o.topic);
    e2e.check();
    const e2eMs = (await e2e.finished) - e0;
    const e2eRecords = total(start3, end3);

    return {
      produceRecordsPerSec: (produced / produceMs) * 1e3,
      consumeRecordsPerSec: (produced / consumeMs) * 1e3,
      endToEndRecordsPerSec: (e2eRecords / e2eMs) * 1e3,
      consumeFirstToLastRecordsPerSec: (produced / firstToLastMs) * 1e3,
    };
  } finally {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
