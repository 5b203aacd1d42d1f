// kafkajs 2.2.4 (last released 2023) against Apache Kafka 4.4: the Bus contract on a real broker.
// Kafka 4 removed every protocol version older than 2.1; these prove what the transport relies
// on still negotiates: admin (create, describe configs, offsets), the idempotent producer, group
// membership with rebalance notifications, manual commits, seeks, and reading to the end.
import t from 'tap';
import { pino } from 'pino';
import type { ConsumedMessage } from '../../../streams/bus.js';
import { KafkaBus } from '../../../streams/kafka/bus.js';
import { Collector, eventually, kafkaConfig, testBus } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (m: ConsumedMessage) => new TextDecoder().decode(m.value);

/** A bus of the test's own (closed when it ends) with one fresh msgpack topic. */
async function busWithTopic(
  t: { teardown(fn: () => unknown): void },
  suffix: string,
  partitions: number,
  cleanup: 'delete' | 'compact' = 'delete',
) {
  const { config, prefix } = kafkaConfig();
  const bus = await testBus(config);
  t.teardown(() => bus.close());
  const topic = `${prefix}${suffix}`;
  await bus.ensureTopics([{ name: topic, partitions, cleanup, codec: 'msgpack' }]);
  return { bus, topic, prefix };
}

t.test('the catalogue: topics are created, then checked; a mismatch is reported in one line', async (t) => {
  const { config, prefix } = kafkaConfig();
  const bus = await testBus(config);
  t.teardown(() => bus.close());
  const spec = { name: `${prefix}cat`, partitions: 3, cleanup: 'compact' as const, codec: 'msgpack' as const };
  await bus.ensureTopics([spec]);
  t.equal(bus.partitions(spec.name), 3);
  await bus.ensureTopics([spec]); // present and matching: nothing to do
  const admin = bus.client.admin();
  await admin.connect();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: spec.name, configNames: ['cleanup.policy', 'segment.ms'] }],
  });
  await admin.disconnect();
  const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  t.same(entries, { 'cleanup.policy': 'compact', 'segment.ms': '60000' }, 'compacted topics roll a segment a minute');
  const other = new KafkaBus(bus.settings, pino({ level: 'silent' }));
  await t.rejects(other.ensureTopics([{ ...spec, partitions: 4, cleanup: 'delete', retentionMs: 1000 }]), {
    code: 'CONFIG_INVALID',
    message: new RegExp(
      `${spec.name.replace('.', '\\.')}: partitions 3, catalogue says 4; .*cleanup.policy compact, catalogue says delete`,
    ),
  });
});

t.test(
  'order per key, commits after the handler, a failed batch retried, no redelivery after a clean stop',
  async (t) => {
    const { bus, topic, prefix } = await busWithTopic(t, 'orders', 4);
    const producer = bus.producer();
    const keys = ['A', 'B', 'C', 'D', 'E'];
    // One send per record, none awaited before the next: successive sends keep call order.
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 200; i++)
      for (const k of keys) sends.push(producer.send(topic, [{ key: k, value: enc(`${k}:${i}`) }]));
    await Promise.all(sends);
    const seen = new Map<string, number[]>();
    let failOnce = true;
    const assigned: number[][] = [];
    const sub = await bus.subscribe({
      group: `${prefix}g`,
      topics: [topic],
      from: 'committed',
      onAssign: (change) => void assigned.push(change.gained.flatMap((g) => g.partitions)),
      onBatch: (b) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('injected failure');
        }
        for (const m of b.messages) {
          const [k, i] = text(m).split(':');
          (seen.get(k) ?? seen.set(k, []).get(k)!).push(Number(i));
        }
      },
    });
    t.same(assigned[0]?.sort(), [0, 1, 2, 3], 'one member gains every partition');
    await eventually(() => ([...seen.values()].reduce((n, l) => n + l.length, 0) >= 1000 ? true : undefined));
    for (const k of keys)
      t.same(seen.get(k), [...Array(200).keys()], `${k}: every record once, in order, after the retried batch`);
    await sub.close();

    await producer.send(topic, [{ key: 'A', value: enc('A:200') }]);
    // A marker at the end of every partition: a record redelivered from before the committed
    // offsets would arrive ahead of its partition's marker.
    await producer.send(
      topic,
      [0, 1, 2, 3].map((partition) => ({ key: 'end', partition, value: enc('end') })),
    );
    await producer.close();
    const again = new Collector();
    const sub2 = await bus.subscribe({
      group: `${prefix}g`,
      topics: [topic],
      from: 'committed',
      onBatch: again.push,
    });
    t.teardown(() => sub2.close());
    await again.until((m) => m.filter((x) => text(x) === 'end').length === 4, 30_000, 'the four end markers');
    t.same(
      again.messages.map(text).filter((s) => s !== 'end'),
      ['A:200'],
      'the group resumes after its committed offsets',
    );
  },
);

t.test('readToEnd reads partitions outside any group; seeks on assignment choose where reading starts', async (t) => {
  const { bus, topic, prefix } = await busWithTopic(t, 'state', 2, 'compact');
  const producer = bus.producer();
  await producer.send(
    topic,
    Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 5}`, partition: i % 2, value: enc(`${i}`) })),
  );
  await producer.close();
  const got: ConsumedMessage[] = [];
  await bus.readToEnd(topic, [1], (m) => got.push(m));
  t.equal(got.length, 25, 'partition 1 only, to its end');
  t.ok(got.every((m) => m.partition === 1));

  const from = new Collector();
  const sub = await bus.subscribe({
    group: `${prefix}seek`,
    topics: [topic],
    from: 'earliest',
    onAssign: (_c, control) => {
      control.seek(topic, 0, 20);
      control.seek(topic, 1, 24);
    },
    onBatch: from.push,
  });
  t.teardown(() => sub.close());
  // Each partition read to its last offset (24): anything before a seeked offset would be in by then.
  const at = (m: ConsumedMessage) => `${m.partition}@${m.offset}`;
  await from.until((m) => m.some((x) => at(x) === '0@24') && m.some((x) => at(x) === '1@24'), 30_000, 'both ends');
  t.same(
    from.messages.map(at).sort(),
    ['0@20', '0@21', '0@22', '0@23', '0@24', '1@24'],
    'reading starts at the seeked offsets',
  );
});

t.test('a record over the broker size limit is refused at once; the producer goes on', async (t) => {
  const { bus, topic } = await busWithTopic(t, 'big', 1);
  const producer = bus.producer();
  t.teardown(() => producer.close());
  const started = Date.now();
  await t.rejects(producer.send(topic, [{ key: 'k', value: new Uint8Array(2 * 1024 * 1024) }]), /larger than the max/);
  t.ok(Date.now() - started < 10_000, 'not retried as if the cluster were away');
  await producer.send(topic, [{ key: 'k', value: enc('small') }]);
  const got: ConsumedMessage[] = [];
  await bus.readToEnd(topic, [0], (m) => got.push(m));
  t.same(got.map(text), ['small'], 'the next record is written');
});
