import t from 'tap';
import { createInProcessBus } from '../../../streams/inprocess.js';
import type { Batch } from '../../../streams/bus.js';
import { partitionFor } from '../../../streams/partitioner.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const spec = (name: string, partitions = 4, cleanup: 'delete' | 'compact' = 'delete') => ({
  name,
  partitions,
  cleanup,
  codec: 'msgpack' as const,
});
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

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
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 1000; i++) {
    const k = keys[i % keys.length];
    sends.push(p.send('t', [{ key: k, value: enc(`${k}#${i}`) }]));
  }
  await Promise.all(sends);
  await until(() => [...seen.values()].reduce((a, v) => a + v.length, 0) === 1000);
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
  let consumed = 0;
  let maxLag = 0;
  let produced = 0;
  await bus.subscribe({
    group: 'slow',
    topics: ['t'],
    async onBatch(b) {
      await new Promise((r) => setTimeout(r, 1));
      for (const m of b.messages) t.equal(Number(dec(m.value)), consumed++, 'in order, none missing');
    },
  });
  const p = bus.producer();
  for (let i = 0; i < 400; i++) {
    await p.send('t', [{ key: 'k', value: enc(String(i)) }]);
    produced++;
    maxLag = Math.max(maxLag, produced - consumed);
  }
  t.ok(maxLag <= capacity + 10, `producer never ran more than the capacity ahead (max lag ${maxLag})`);
  await until(() => consumed === 400);
  t.equal(consumed, 400);
  await bus.close();
});

t.test('every group sees every message; a late group from the beginning sees compacted state', async (t) => {
  const bus = createInProcessBus({ queueCapacity: 8, maxBatch: 4 });
  await bus.ensureTopics([spec('state', 2, 'compact')]);
  const a: string[] = [];
  await bus.subscribe({
    group: 'a',
    topics: ['state'],
    onBatch: (b) => void a.push(...b.messages.map((m) => dec(m.value))),
  });
  const p = bus.producer();
  for (let i = 0; i < 40; i++) await p.send('state', [{ key: `P${i % 3}`, value: enc(`P${i % 3}@${i}`) }]);
  await until(() => a.length === 40);
  const late: string[] = [];
  await bus.subscribe({
    group: 'late',
    topics: ['state'],
    fromBeginning: true,
    onBatch: (b) => void late.push(...b.messages.map((m) => dec(m.value))),
  });
  await until(() => late.some((v) => v.endsWith('@39')));
  await new Promise((r) => setTimeout(r, 20));
  for (const key of ['P0', 'P1', 'P2']) {
    const mine = late.filter((v) => v.startsWith(key + '@'));
    const newest = a.filter((v) => v.startsWith(key + '@')).at(-1);
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
    fromBeginning: true,
    onBatch: (b) => void got.push(...b.messages.map((m) => m.value[0])),
  });
  await until(() => got.length > 0);
  await new Promise((r) => setTimeout(r, 10));
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
  await new Promise((r) => setTimeout(r, 30));
  t.ok(sent <= 9, `producer waits once 8 kB are unread (sent ${sent})`);
  release();
  await sending;
  t.equal(sent, 20, 'and goes on when the group catches up');
  await bus.close();
});
