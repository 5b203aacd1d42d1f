// The Bus contract's start positions and settled() on a real broker: `latest` is the end as of the
// subscribe call whether or not the group commits, `earliest` ignores what the group committed,
// and settled() resolves once every send so far is acknowledged.
import t from 'tap';
import type { ConsumedMessage } from '../../../streams/bus.js';
import { Collector, kafkaConfig, testBus } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (m: ConsumedMessage) => new TextDecoder().decode(m.value);

async function busWithTopic(t: { teardown(fn: () => unknown): void }, partitions: number) {
  const { config, prefix } = kafkaConfig();
  const bus = await testBus(config);
  t.teardown(() => bus.close());
  const topic = `${prefix}positions`;
  await bus.ensureTopics([{ name: topic, partitions, cleanup: 'delete', codec: 'msgpack' }]);
  return { bus, topic, prefix };
}

t.test('latest: the end as of subscribe, for a committing group too; earliest: ignores commits', async (t) => {
  const { bus, topic, prefix } = await busWithTopic(t, 2);
  const producer = bus.producer();
  t.teardown(() => producer.close());
  const send = (label: string) =>
    producer.send(
      topic,
      [0, 1].map((partition) => ({ key: label, partition, value: enc(`${label}@${partition}`) })),
    );
  await send('old');

  const latest = new Collector();
  const sub = await bus.subscribe({ group: `${prefix}latest`, topics: [topic], from: 'latest', onBatch: latest.push });
  await send('new');
  // Order per partition: had `old` been read, it would have come before `new` on each partition.
  await latest.until((m) => m.length >= 2);
  t.same(latest.messages.map(text).sort(), ['new@0', 'new@1'], 'only what came after subscribe()');
  await sub.close();

  const again = new Collector();
  const sub2 = await bus.subscribe({
    group: `${prefix}latest`,
    topics: [topic],
    from: 'earliest',
    onBatch: again.push,
  });
  t.teardown(() => sub2.close());
  await again.until((m) => m.length >= 4);
  t.same(again.messages.map(text).sort(), ['new@0', 'new@1', 'old@0', 'old@1'], 'earliest reads past the commits');
});

t.test('settled() resolves once every send so far is acknowledged', async (t) => {
  const { bus, topic } = await busWithTopic(t, 3);
  const a = bus.producer();
  const b = bus.producer();
  t.teardown(() => Promise.all([a.close(), b.close()]));
  let acknowledged = 0;
  for (let i = 0; i < 60; i++)
    void (i % 2 ? a : b).send(topic, [{ key: `k${i}`, value: enc(`${i}`) }]).then(() => acknowledged++);
  await bus.settled();
  // The send promises' own callbacks run after the producer settles them: one turn later.
  await new Promise((r) => setImmediate(r));
  t.equal(acknowledged, 60, 'every send of both producers was acknowledged');
  const got: ConsumedMessage[] = [];
  await bus.readToEnd(topic, [0, 1, 2], (m) => got.push(m));
  t.equal(got.length, 60, 'and is in the topic');
  await bus.settled();
  t.pass('with nothing outstanding it resolves at once');
});
