// Simulator → Apache Kafka (a real broker) → engine, with the machine's limit measured on the same
// broker in the same run: Kafka's own ProducerPerformance and ConsumerPerformance (Java) writing
// and reading records of the same size as the feed's tick batches, alone and at once. The pipeline
// runs in two deployments: feed and engine in one process (one thread), and the feed in a worker
// thread with its own Kafka client (as a separate feed process); each run reports how busy its
// threads and the broker were, which is what explains the figures on a two-core machine. The
// transport's produce and consume rates alone (no engine) are measured too, and those of
// @confluentinc/kafka-javascript when its side install exists (bench/peers/install-confluent.sh),
// so the default client is chosen on measured data. Uses $KAFKA_BROKERS, else starts its own broker.

import { pino } from 'pino';
import type { KafkaSettings } from '../../streams/kafka/client.js';
import { KafkaBus } from '../../streams/kafka/bus.js';
import type { BusMessage } from '../../streams/bus.js';
import { kafkaTool, startKafkaBroker } from '../../tools/kafka/broker.js';
import { checkTargets, type Scenario } from '../harness.js';
import { confluentProduceConsume } from '../peers/confluent.js';
import { benchTopics, measurePaced, measureThroughput, PARTITIONS } from '../pipeline.js';

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${Math.round(x * 100)} %`);

const settings = (brokers: string): KafkaSettings => ({
  brokers: brokers.split(','),
  clientId: 'riskline-bench',
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 30000,
  retry: { initialMs: 300, maxMs: 10000 },
  producer: { lingerMs: 1, batchBytes: 512 * 1024, compression: 'none' },
  consumer: {
    sessionTimeoutMs: 10000,
    heartbeatMs: 1000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitMs: 100,
  },
});

/** Kafka's ProducerPerformance on the same broker: records/s for `n` records of `size` bytes. */
async function producerPerformance(brokers: string, topic: string, n: number, size: number) {
  // The settings our producer runs with: acks, idempotence, linger and batch size.
  const ours = settings(brokers).producer;
  const props = [
    'acks=all',
    'enable.idempotence=true',
    `linger.ms=${ours.lingerMs}`,
    `batch.size=${ours.batchBytes}`,
    `bootstrap.servers=${brokers}`,
  ];
  const p = await kafkaTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(n),
    '--record-size',
    String(size),
    '--throughput',
    '-1',
    '--producer-props',
    ...props,
  ]);
  // "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, p50 ms 50th, ..."
  const line =
    p
      .trim()
      .split('\n')
      .filter((l) => l.includes('records sent'))
      .pop() ?? '';
  return Number(/([\d.]+) records\/sec/.exec(line)?.[1] ?? NaN);
}

/** Kafka's ConsumerPerformance: records/s reading `n` records of the topic. */
async function consumerPerformance(brokers: string, topic: string, n: number) {
  const c = await kafkaTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(n),
    '--group',
    `${topic}-perf`,
  ]);
  // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  const row = c
    .trim()
    .split('\n')
    .pop()!
    .split(',')
    .map((s) => s.trim());
  return Number(row[5]);
}

/**
 * Kafka's own tools on the same broker: producing alone, consuming alone, and producing while a
 * consumer reads the same topic (the machine's limit for a pipeline doing no work per record).
 */
async function javaLimit(brokers: string, topic: string, n: number, size: number) {
  const produce = await producerPerformance(brokers, topic, n, size);
  const consume = await consumerPerformance(brokers, topic, n);
  const [produceWhileConsumed] = await Promise.all([
    producerPerformance(brokers, `${topic}2`, n, size),
    consumerPerformance(brokers, `${topic}2`, n),
  ]);
  return { produce, consume, produceWhileConsumed };
}

/** Kafka's own EndToEndLatency: one record at a time, produce (acks=all) → consume, ms percentiles. */
async function javaLatency(brokers: string, topic: string, n: number, size: number) {
  const out = await kafkaTool('org.apache.kafka.tools.EndToEndLatency', [
    brokers,
    topic,
    String(n),
    'all',
    String(size),
  ]);
  // "Percentiles: 50th = 1, 99th = 3, 99.9th = 12"
  const pick = (label: string) => Number(new RegExp(`${label}th = ([\\d.]+)`).exec(out)?.[1] ?? NaN);
  return { p50_ms: pick('50'), p99_ms: pick('99'), p999_ms: pick('99\\.9') };
}

/** The transport alone: produce then consume the same records (no engine), records/s. */
async function transportAlone(bus: KafkaBus, topic: string, records: BusMessage[], repeat: number) {
  await bus.ensureTopics([{ name: topic, partitions: PARTITIONS, cleanup: 'delete', codec: 'msgpack' }]);
  const total = records.length * repeat;
  const producer = bus.producer();
  const t0 = process.hrtime.bigint();
  const inFlight: Promise<void>[] = [];
  for (let r = 0; r < repeat; r++)
    for (let i = 0; i < records.length; i += 32) inFlight.push(producer.send(topic, records.slice(i, i + 32)));
  await Promise.all(inFlight);
  const produceNs = Number(process.hrtime.bigint() - t0);
  await producer.close();
  let got = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const c0 = process.hrtime.bigint();
  const sub = await bus.subscribe({
    group: `${topic}-reader`,
    topics: [topic],
    from: 'earliest',
    commit: false,
    onBatch: (b) => {
      if ((got += b.messages.length) >= total) done();
    },
  });
  await finished;
  const consumeNs = Number(process.hrtime.bigint() - c0);
  await sub.close();
  return { produce: (total / produceNs) * 1e9, consume: (total / consumeNs) * 1e9 };
}

export const kafkaPipeline: Scenario = {
  name: 'kafka-pipeline',
  description: 'simulator → Kafka broker → engine; kafkajs vs Kafka ProducerPerformance (and confluent) on one broker',
  async run({ quick, log }) {
    const own = process.env.KAFKA_BROKERS ? null : await startKafkaBroker();
    const brokers = process.env.KAFKA_BROKERS ?? own!.brokers;
    const logger = pino({ level: 'warn' });
    try {
      const prefix = `bench${Date.now().toString(36)}.`;
      const ticks = quick ? 1_000_000 : 4_000_000;
      const config = settings(brokers);
      const newBus = () => new KafkaBus(config, logger);
      // Two deployments of the same roles: feed and engine in one process (`riskline start --roles
      // feed,engine`), and the feed in a thread of its own with its own Kafka client, as a separate
      // feed process would run. On two cores beside the broker the first usually has the lower latency,
      // the second the higher throughput: the README has the figures.
      const deployments = [
        { label: 'feed and engine on one thread', run: { brokerPid: own?.pid } },
        { label: 'feed thread → engine thread', run: { brokerPid: own?.pid, feedWorker: config } },
      ];
      const busy = (r: { engineThread: number; feedThread: number; brokerCores: number }) =>
        `busy: engine thread ${pct(r.engineThread)}, feed thread ${pct(r.feedThread)}, broker ${r.brokerCores.toFixed(2)} cores`;

      // Warm-up, not recorded: a fresh broker's JIT would otherwise set the first figure.
      await measureThroughput(newBus(), benchTopics(`${prefix}w.`), ticks / 4, { window: 16 });
      const throughput: Awaited<ReturnType<typeof measureThroughput>>[] = [];
      for (const [k, d] of deployments.entries()) {
        const r = await measureThroughput(newBus(), benchTopics(`${prefix}t${k}.`), ticks, { window: 16, ...d.run });
        log(`${d.label}: ${(r.ticksPerSec / 1e3).toFixed(0)}k ticks/s (records of ${r.recordBytes} B); ${busy(r)}`);
        throughput.push(r);
      }
      const [a, split] = throughput;

      const n = Math.ceil(ticks / a.ticksPerRecord);
      const perfBus = newBus();
      await perfBus.ensureTopics(
        [`${prefix}perf`, `${prefix}perf2`].map((name) => ({
          name,
          partitions: PARTITIONS,
          cleanup: 'delete' as const,
          codec: 'msgpack' as const,
        })),
      );
      // Enough records that the JVM's start and warm-up do not set the limit.
      const java = await javaLimit(brokers, `${prefix}perf`, Math.max(n, quick ? 20_000 : 50_000), a.recordBytes);
      const javaTicks = java.produce * a.ticksPerRecord;
      log(
        `ProducerPerformance ${java.produce.toFixed(0)} records/s (= ${(javaTicks / 1e3).toFixed(0)}k ticks/s); ConsumerPerformance ${java.consume.toFixed(0)} records/s; ProducerPerformance while ConsumerPerformance reads ${java.produceWhileConsumed.toFixed(0)} records/s`,
      );

      const repeat = Math.max(1, Math.round(n / a.records.length));
      const alone = await transportAlone(newBus(), `${prefix}alone`, a.records, repeat);
      log(
        `kafkajs transport alone: produce ${alone.produce.toFixed(0)} records/s, consume ${alone.consume.toFixed(0)} records/s`,
      );
      const confluent = await confluentProduceConsume({
        brokers,
        topic: `${prefix}confluent`,
        partitions: PARTITIONS,
        records: a.records.map((m) => ({ key: m.key, value: m.value, partition: m.partition ?? 0 })),
        repeat,
      });
      if (confluent)
        log(
          `confluent: produce ${confluent.produceRecordsPerSec.toFixed(0)} records/s, consume ${confluent.consumeRecordsPerSec.toFixed(0)} records/s`,
        );
      else log('confluent: not installed (bench/peers/install-confluent.sh); skipped');

      await perfBus.ensureTopics([{ name: `${prefix}e2e`, partitions: 1, cleanup: 'delete', codec: 'msgpack' }]);
      const javaLat = await javaLatency(brokers, `${prefix}e2e`, quick ? 1000 : 3000, a.recordBytes);
      log(
        `EndToEndLatency (one record at a time): p50 ${javaLat.p50_ms} ms, p99 ${javaLat.p99_ms} ms, p999 ${javaLat.p999_ms} ms`,
      );

      const seconds = quick ? 5 : 30;
      const paced: Awaited<ReturnType<typeof measurePaced>>[] = [];
      for (const [k, d] of deployments.entries()) {
        const r = await measurePaced(newBus(), benchTopics(`${prefix}p${k}.`), seconds, 100_000, d.run);
        const l = r.latency;
        log(
          `at 100k ticks/s, ${d.label}: p50 ${l.tick_to_state_p50_us} µs, p99 ${l.tick_to_state_p99_us} µs, p999 ${l.tick_to_state_p999_us} µs; ${busy(r)}`,
        );
        paced.push(r);
      }
      const [b, bSplit] = paced;

      const metrics: Record<string, number> = {
        ticks_per_s: a.ticksPerSec,
        thread_busy: a.engineThread,
        broker_cores: a.brokerCores,
        ratio_to_produce_while_consumed: a.ticksPerSec / (java.produceWhileConsumed * a.ticksPerRecord),
        paced_ticks_per_s: b.achievedRate,
        ...b.latency,
        paced_thread_busy: b.engineThread,
        paced_broker_cores: b.brokerCores,
        split_ticks_per_s: split.ticksPerSec,
        split_engine_thread_busy: split.engineThread,
        split_feed_thread_busy: split.feedThread,
        split_broker_cores: split.brokerCores,
        split_tick_to_state_p50_us: bSplit.latency.tick_to_state_p50_us,
        split_tick_to_state_p99_us: bSplit.latency.tick_to_state_p99_us,
        split_paced_engine_thread_busy: bSplit.engineThread,
        kafkajs_produce_records_per_s: alone.produce,
        kafkajs_consume_records_per_s: alone.consume,
      };
      if (confluent) {
        metrics.confluent_produce_records_per_s = confluent.produceRecordsPerSec;
        metrics.confluent_consume_records_per_s = confluent.consumeRecordsPerSec;
      }
      return {
        params: {
          ticks,
          recordBytes: a.recordBytes,
          ticksPerRecord: a.ticksPerRecord,
          partitions: PARTITIONS,
          pacedRate: 100_000,
          deployment: 'feed and engine in one process; split_*: the feed in a worker thread with its own Kafka client',
          broker: own ? 'own, 1 node' : brokers,
        },
        metrics,
        baseline: {
          name: 'Kafka ProducerPerformance / ConsumerPerformance, same broker, same record size',
          metrics: {
            ticks_per_s: javaTicks,
            produce_records_per_s: java.produce,
            consume_records_per_s: java.consume,
            produce_while_consumed_records_per_s: java.produceWhileConsumed,
            end_to_end_p50_ms: javaLat.p50_ms,
            end_to_end_p99_ms: javaLat.p99_ms,
            end_to_end_p999_ms: javaLat.p999_ms,
          },
        },
        ratio: a.ticksPerSec / javaTicks,
        targets: checkTargets({ ...metrics, ratio_to_producer_performance: a.ticksPerSec / javaTicks }, [
          { metric: 'ticks_per_s', op: '>=', value: 300_000 },
          { metric: 'ratio_to_producer_performance', op: '>=', value: 0.5 },
          { metric: 'tick_to_state_p99_us', op: '<=', value: 20_000 },
        ]),
      };
    } finally {
      await own?.stop();
    }
  },
};
