// The in-process bus against the Bus contract: per-key order and Kafka's partitioner, backpressure
// by count and bytes, retention and compaction, retried batches, start positions, committed offsets
// that outlive a group's member, close() waiting for the batch in hand, settled(), and onBatches
// (every partition's batch in one call; a partial failure hands the failed one and the rest again).
import t from 'tap';
import { createInProcessBus } from '../../../streams/inprocess.js';
import type { Batch, Bus, ConsumedMessage, SubscribeOptions } from '../../../streams/bus.js';
import { partitionFor } from '../../../streams/partitioner.js';
import { dec, enc, spec, until } from './bus-helpers.js';

const turn = () => new Promise((r) => setImmediate(r));

/** Subscribes `group` to `topics`, collecting the text of every record it is handed. */
async function collect(bus: Bus, group: string, topics: string[], more: Partial<SubscribeOptions> = {}) {
  const got: string[] = [];
  const sub = await bus.subscribe({
    group,
    topics,
    onBatch: (b) => void got.push(...b.messages.map((m) => dec(m.value))),
    ...more,
  });
  return { got, sub };
}

t.test('keys keep their order (across un-awaited sends) and land on the Kafka partition of their key', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 100, maxBatch: 7 });
  await bus.ensureTopics([spec('t', 4)]);
  const seen = new Map<string, number[]>();
  const partitionOfKey = new Map<string, number>();
  await bus.subscribe({
    group: 'g',
    topics: ['t'],
    onBatch(b: Batch) {
      for (const m of b.messages) {
        const [k, n] = dec(m.value).split('#');
        (seen.get(k) ?? seen.set(k, []).get(k)!).push(Number(n));
        partitionOfKey.set(k, m.partition);
      }
    },
  });
  const p = bus.producer();
  const keys = ['AAPL', 'MSFT', 'EURUSD', 'P1', 'P2', 'UST-10Y'];
  // Sends not awaited one by one keep call order, also while the capacity (100) holds them back.
  for (let i = 0; i < 1000; i++) {
    const k = keys[i % keys.length];
    void p.send('t', [{ key: k, value: enc(`${k}#${i}`) }]);
  }
  await bus.settled();
  t.equal(
    [...seen.values()].reduce((a, v) => a + v.length, 0),
    1000,
    'settled() covers sends not awaited',
  );
  for (const k of keys) {
    const got = seen.get(k)!;
    t.same(
      got,
      [...got].sort((a, b) => a - b),
      `${k} in order`,
    );
    t.equal(partitionOfKey.get(k), partitionFor(k, 4));
  }
  await bus.close();
});

t.test('a slow consumer holds back the producer; nothing is dropped', async (t) => {
  const capacity = 50;
  const bus = createInProcessBus({ queueCapacity: capacity, maxBatch: 10 });
  await bus.ensureTopics([spec('t', 1)]);
  const seen: number[] = [];
  let maxLag = 0;
  let produced = 0;
  await bus.subscribe({
    group: 'slow',
    topics: ['t'],
    async onBatch(b) {
      await new Promise((r) => setTimeout(r, 1));
      for (const m of b.messages) seen.push(Number(dec(m.value)));
    },
  });
  const p = bus.producer();
  for (let i = 0; i < 400; i++) {
    await p.send('t', [{ key: 'k', value: enc(String(i)) }]);
    produced++;
    maxLag = Math.max(maxLag, produced - seen.length);
  }
  t.ok(maxLag <= capacity + 10, `producer never ran more than the capacity ahead (max lag ${maxLag})`);
  await bus.settled();
  t.same(seen, [...Array(400).keys()], 'every record once, in order');
  await bus.close();
});

t.test('every group sees every message; a late group from the earliest sees compacted state', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 8, maxBatch: 4 });
  await bus.ensureTopics([spec('state', 2, 'compact')]);
  const a = await collect(bus, 'a', ['state']);
  const p = bus.producer();
  for (let i = 0; i < 40; i++) await p.send('state', [{ key: `P${i % 3}`, value: enc(`P${i % 3}@${i}`) }]);
  await bus.settled();
  t.equal(a.got.length, 40);
  const late = await collect(bus, 'late', ['state'], { from: 'earliest' });
  await bus.settled();
  for (const key of ['P0', 'P1', 'P2']) {
    const mine = late.got.filter((v) => v.startsWith(key + '@'));
    const newest = a.got.filter((v) => v.startsWith(key + '@')).at(-1);
    t.equal(mine.at(-1), newest, `${key}: newest state reached the late group`);
  }
  await bus.close();
});

t.test('a failing consumer retries the same batch instead of skipping it', async (t) => {
  const errors: unknown[] = [];
  const bus = createInProcessBus({ retryMs: 1, onError: (e) => errors.push(e) });
  await bus.ensureTopics([spec('t', 1)]);
  const got: string[] = [];
  let fail = 2;
  await bus.subscribe({
    group: 'g',
    topics: ['t'],
    onBatch(b) {
      if (fail-- > 0) throw new Error('transient');
      got.push(...b.messages.map((m) => dec(m.value)));
    },
  });
  await bus.producer().send('t', [
    { key: 'k', value: enc('x') },
    { key: 'k', value: enc('y') },
  ]);
  await until(() => got.length === 2);
  t.same(got, ['x', 'y']);
  t.equal(errors.length, 2);
  await bus.close();
});

t.test('rejects a second member in one group and out-of-range partitions', async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics([spec('t', 2)]);
  await bus.subscribe({ group: 'g', topics: ['t'], onBatch: () => undefined });
  await t.rejects(bus.subscribe({ group: 'g', topics: ['t'], onBatch: () => undefined }), /one member per group/);
  await t.rejects(bus.producer().send('t', [{ key: 'k', partition: 5, value: enc('x') }]), /out of range/);
  await bus.close();
});

t.test('a partition nobody reads keeps only the newest messages within the byte bound', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 1000, queueBytes: 10_000 });
  await bus.ensureTopics([spec('unread', 1)]);
  const p = bus.producer();
  for (let i = 0; i < 100; i++) await p.send('unread', [{ key: 'k', value: new Uint8Array(1000).fill(i) }]);
  const got: number[] = [];
  await bus.subscribe({
    group: 'late',
    topics: ['unread'],
    from: 'earliest',
    onBatch: (b) => void got.push(...b.messages.map((m) => m.value[0])),
  });
  await bus.settled();
  t.same(got, [90, 91, 92, 93, 94, 95, 96, 97, 98, 99], 'the last 10 kB, oldest first');
  await bus.close();
});

t.test('a lagging group holds producers back by bytes as well as by count', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 1_000_000, queueBytes: 8_000 });
  await bus.ensureTopics([spec('t', 1)]);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  await bus.subscribe({ group: 'g', topics: ['t'], maxBatch: 1, onBatch: () => gate });
  const p = bus.producer();
  let sent = 0;
  const sending = (async () => {
    for (let i = 0; i < 20; i++) {
      await p.send('t', [{ key: 'k', value: new Uint8Array(1000) }]);
      sent++;
    }
  })();
  // The first record is in hand, not committed: 8 kB unread fill the partition.
  await until(() => sent === 8, '8 records sent');
  await turn();
  t.equal(sent, 8, 'the producer waits once 8 kB are unread');
  release();
  await sending;
  t.equal(sent, 20, 'and goes on when the group catches up');
  await bus.close();
});

t.test('start positions: latest is the end as of subscribe, earliest the oldest retained record', async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics([spec('t', 3)]);
  const p = bus.producer();
  for (let i = 0; i < 6; i++) await p.send('t', [{ key: `k${i}`, value: enc(`old${i}`) }]);
  const latest = await collect(bus, 'latest', ['t'], { from: 'latest', commit: false });
  const earliest = await collect(bus, 'earliest', ['t'], { from: 'earliest', commit: false });
  const fresh = await collect(bus, 'fresh', ['t'], { from: 'committed' });
  for (let i = 0; i < 3; i++) await p.send('t', [{ key: `k${i}`, value: enc(`new${i}`) }]);
  await bus.settled();
  t.same(latest.got.sort(), ['new0', 'new1', 'new2'], 'latest: only what came after subscribe()');
  t.equal(earliest.got.length, 9, 'earliest: everything retained');
  t.equal(fresh.got.length, 9, 'committed, with nothing committed: from the oldest record, nothing skipped');
  await bus.close();
});

t.test("a group's committed offsets outlive its member; commit: false leaves none", async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics([spec('t', 2)]);
  // A paused group that has read nothing keeps every record retained (the log is trimmed to the slowest group).
  (await collect(bus, 'holder', ['t'])).sub.pause();
  const p = bus.producer();
  for (let i = 0; i < 4; i++) await p.send('t', [{ key: `k${i}`, value: enc(`a${i}`) }]);
  const first = await collect(bus, 'g', ['t']);
  const reader = await collect(bus, 'r', ['t'], { commit: false });
  await bus.settled();
  t.equal(first.got.length, 4);
  await first.sub.close();
  await reader.sub.close();
  for (let i = 0; i < 2; i++) await p.send('t', [{ key: `k${i}`, value: enc(`b${i}`) }]);
  const again = await collect(bus, 'g', ['t']);
  const readerAgain = await collect(bus, 'r', ['t'], { commit: false });
  await bus.settled();
  t.same(again.got.sort(), ['b0', 'b1'], 'the group resumes after its committed offsets');
  t.equal(readerAgain.got.length, 6, 'a group that commits nothing starts over (from the oldest record)');
  await bus.close();
});

t.test('close() waits for the batch in hand and commits it: the next member does not get it again', async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics([spec('t', 1)]);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const handled: string[] = [];
  let inHand = false;
  const sub = await bus.subscribe({
    group: 'g',
    topics: ['t'],
    async onBatch(b) {
      inHand = true;
      await gate;
      handled.push(...b.messages.map((m) => dec(m.value)));
    },
  });
  await bus.producer().send('t', [{ key: 'k', value: enc('x') }]);
  await until(() => inHand, 'the batch in hand');
  let closed = false;
  const closing = sub.close().then(() => (closed = true));
  await turn();
  t.notOk(closed, 'close() waits while the batch is in hand');
  release();
  await closing;
  t.same(handled, ['x'], 'the batch in hand finished');
  const next = await collect(bus, 'g', ['t']);
  await bus.producer().send('t', [{ key: 'k', value: enc('y') }]);
  await bus.settled();
  t.same(next.got, ['y'], 'its offset was committed');
  await bus.close();
});

t.test('a seek in onAssign overrides the start position', async (t) => {
  const bus = createInProcessBus();
  await bus.ensureTopics([spec('t', 1)]);
  const p = bus.producer();
  for (let i = 0; i < 5; i++) await p.send('t', [{ key: 'k', value: enc(`${i}`) }]);
  const seeked = await collect(bus, 'g', ['t'], {
    from: 'earliest',
    onAssign: (change, control) => {
      t.same(change.gained, [{ topic: 't', partitions: [0] }]);
      control.seek('t', 0, 3);
    },
  });
  await bus.settled();
  t.same(seeked.got, ['3', '4']);
  await bus.close();
});

t.test('settled(): every record on every topic and partition handled, async handlers included', async (t) => {
  const bus = createInProcessBus({ maxBatch: 3 });
  await bus.ensureTopics([spec('a', 4), spec('b', 3)]);
  const handled: ConsumedMessage[] = [];
  // Each batch settles a few timer turns later: settled() must wait for the promise, not the call.
  await bus.subscribe({
    group: 'slow',
    topics: ['a', 'b'],
    async onBatch(b) {
      await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setImmediate(r));
      handled.push(...b.messages);
    },
  });
  const other = await collect(bus, 'other', ['b']);
  const p = bus.producer();
  const q = bus.producer();
  for (let i = 0; i < 50; i++) {
    void p.send('a', [{ key: `a${i}`, value: enc(`a${i}`) }]);
    void q.send('b', [{ key: `b${i % 7}`, value: enc(`b${i}`) }]);
  }
  await bus.settled();
  t.equal(handled.length, 100, 'the async consumer handled all 100 records');
  t.same(new Set(handled.map((m) => `${m.topic}/${m.partition}`)).size, 7, 'spread over 7 partitions');
  t.equal(other.got.length, 50, 'and so did the other group');
  await bus.settled();
  t.pass('settled() with nothing outstanding resolves');
  await bus.close();
});

t.test('settled() does not wait for a paused member or one whose onBatch keeps failing', async (t) => {
  const bus = createInProcessBus({ retryMs: 5, onError: () => undefined });
  await bus.ensureTopics([spec('t', 2)]);
  const paused = await collect(bus, 'paused', ['t']);
  paused.sub.pause();
  let attempts = 0;
  await bus.subscribe({
    group: 'failing',
    topics: ['t'],
    onBatch: () => {
      attempts++;
      throw new Error('always');
    },
  });
  const healthy = await collect(bus, 'healthy', ['t']);
  const p = bus.producer();
  for (let i = 0; i < 10; i++) await p.send('t', [{ key: `k${i}`, value: enc(`${i}`) }]);
  await bus.settled();
  t.equal(healthy.got.length, 10, 'the healthy member is caught up');
  t.equal(paused.got.length, 0, 'the paused member got nothing and was not waited for');
  t.ok(attempts >= 1, 'the failing member was tried and is retried later');
  paused.sub.resume();
  await bus.settled();
  t.equal(paused.got.length, 10, 'once resumed, it is waited for');
  await bus.close();
});

t.test('onBatches: every partition with records in one call, each once, at most maxBatch records', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 1000, maxBatch: 10 });
  await bus.ensureTopics([spec('t', 4)]);
  const producer = bus.producer();
  await producer.send(
    't',
    Array.from({ length: 12 }, (_, i) => ({ key: 'k', partition: i % 4, value: enc(`r${i}`) })),
  );
  const calls: [number, string[]][][] = [];
  await bus.subscribe({
    group: 'g',
    topics: ['t'],
    from: 'earliest',
    onBatch: () => void t.fail('onBatch is not called when onBatches is given'),
    onBatches: async (batches) => {
      calls.push(batches.map((b) => [b.partition, b.messages.map((m) => dec(m.value))]));
      return { done: batches.length };
    },
  });
  await bus.settled();
  t.same(
    calls[0].map(([p]) => p),
    [0, 1, 2, 3],
    'the first call holds every partition, once each, in round-robin order',
  );
  t.ok(
    calls.every((c) => c.reduce((n, [, rs]) => n + rs.length, 0) <= 10),
    'no call holds more than maxBatch',
  );
  const got = calls.flat().flatMap(([, rs]) => rs);
  t.same(got.sort(), Array.from({ length: 12 }, (_, i) => `r${i}`).sort(), 'every record once');
  await bus.close();
});

t.test('onBatches that handled some: those are committed, the failed one and the rest come again', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 1000, maxBatch: 100, retryMs: 5 });
  await bus.ensureTopics([spec('t', 3)]);
  await bus.producer().send(
    't',
    Array.from({ length: 6 }, (_, i) => ({ key: 'k', partition: i % 3, value: enc(`r${i}`) })),
  );
  const got: string[] = [];
  let failOnce = true;
  await bus.subscribe({
    group: 'g',
    topics: ['t'],
    from: 'earliest',
    onBatch: () => void t.fail('not called'),
    onBatches: async (batches) => {
      for (let k = 0; k < batches.length; k++) {
        if (k === 1 && failOnce) {
          failOnce = false;
          return { done: 1, error: new Error('transient') };
        }
        got.push(...batches[k].messages.map((m) => dec(m.value)));
      }
      return { done: batches.length };
    },
  });
  await bus.settled();
  await until(() => got.length === 6, 'all handled');
  t.same(got.sort(), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], 'nothing lost, nothing handled twice');
  await bus.close();
});
