// Simulator → Apache Kafka (a real broker) → engine, with the machine's limit measured on the same
// broker in the same run: Kafka's own ProducerPerformance and ConsumerPerformance (Java) writing
// and reading records of the same size as the feed's tick batches. The transport's produce and
// consume rates alone (no engine) are measured too, and those of @confluentinc/kafka-javascript
// when its side install exists (bench/peers/install-confluent.sh), so the default client is chosen
// on measured data. Uses $KAFKA_BROKERS, else starts its own broker.

import { pino } from 'pino';
import type { KafkaSettings } from '../../streams/kafka/client.js';
import { KafkaBus } from '../../streams/kafka/bus.js';
import type { BusMessage } from '../../streams/bus.js';
import { kafkaTool, startKafkaBroker } from '../../tools/kafka/broker.js';
import { checkTargets, type Scenario } from '../harness.js';
import { confluentProduceConsume } from '../peers/confluent.js';
import { benchTopics, measurePaced, measureThroughput, PARTITIONS } from '../pipeline.js';

const settings = (brokers: string): KafkaSettings => ({
  brokers: brokers.split(','),
  clientId: 'riskline-bench',
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 30000,
  retry: { initialMs: 300, maxMs: 10000 },
  producer: { lingerMs: 2, batchBytes: 512 * 1024, compression: 'none' },
  consumer: {
    sessionTimeoutMs: 10000,
    heartbeatMs: 1000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitMs: 100,
  },
});

/** Kafka's own tools on the same broker: records/s for `n` records of `size` bytes. */
async function javaLimit(brokers: string, topic: string, n: number, size: number) {
  const props = [
    'acks=all',
    'enable.idempotence=true',
    'linger.ms=2',
    'batch.size=524288',
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
  const produce = Number(/([\d.]+) records\/sec/.exec(line)?.[1] ?? NaN);
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
  return { produce, consume: Number(row[5]) };
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
    fromBeginning: true,
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
      const a = await measureThroughput(new KafkaBus(settings(brokers), logger), benchTopics(prefix), ticks, 16);
      log(
        `kafkajs feed → broker → engine: ${(a.ticksPerSec / 1e3).toFixed(0)}k ticks/s (records of ${a.recordBytes} B)`,
      );

      const n = Math.ceil(ticks / a.ticksPerRecord);
      const perfBus = new KafkaBus(settings(brokers), logger);
      await perfBus.ensureTopics([
        { name: `${prefix}perf`, partitions: PARTITIONS, cleanup: 'delete', codec: 'msgpack' },
      ]);
      // Enough records that the JVM's start and warm-up do not set the limit.
      const java = await javaLimit(brokers, `${prefix}perf`, Math.max(n, quick ? 20_000 : 50_000), a.recordBytes);
      const javaTicks = java.produce * a.ticksPerRecord;
      log(
        `ProducerPerformance ${java.produce.toFixed(0)} records/s (= ${(javaTicks / 1e3).toFixed(0)}k ticks/s); ConsumerPerformance ${java.consume.toFixed(0)} records/s`,
      );

      const repeat = Math.max(1, Math.round(n / a.records.length));
      const alone = await transportAlone(new KafkaBus(settings(brokers), logger), `${prefix}alone`, a.records, repeat);
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

      const b = await measurePaced(
        new KafkaBus(settings(brokers), logger),
        benchTopics(`${prefix}p.`),
        quick ? 5 : 30,
        100_000,
      );
      log(
        `at 100k ticks/s: p50 ${b.latency.tick_to_state_p50_us} µs, p99 ${b.latency.tick_to_state_p99_us} µs, p999 ${b.latency.tick_to_state_p999_us} µs`,
      );

      const metrics: Record<string, number> = {
        ticks_per_s: a.ticksPerSec,
        paced_ticks_per_s: b.achievedRate,
        ...b.latency,
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
          broker: own ? 'own, 1 node' : brokers,
        },
        metrics,
        baseline: {
          name: 'Kafka ProducerPerformance / ConsumerPerformance, same broker, same record size',
          metrics: {
            ticks_per_s: javaTicks,
            produce_records_per_s: java.produce,
            consume_records_per_s: java.consume,
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
