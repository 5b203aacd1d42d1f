// The engine role's outbound part: one batch per topic per cycle, sends in order without waiting
// for acknowledgements, the unacknowledged-bytes bound, and refused sends counted, handed back and passed over.
import t from 'tap';
import { Outbound } from '../../../../app/roles/outbound.js';
import type { BusMessage, Producer } from '../../../../streams/bus.js';
import { createInProcessBus } from '../../../../streams/inprocess.js';
import { silent } from './fixtures.js';

const msg = (key: string, bytes = 10): BusMessage => ({ key, value: new Uint8Array(bytes) });

/** The in-process bus's producer, with each send's topic and size noted and acknowledgements held while `held`. */
async function gatedProducer() {
  const bus = createInProcessBus();
  await bus.ensureTopics(['a', 'b'].map((name) => ({ name, partitions: 2, cleanup: 'delete', codec: 'msgpack' })));
  const inner = bus.producer();
  const sends: string[] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  const producer: Producer = {
    send: (topic, messages) => {
      sends.push(`${topic}:${messages.map((m) => m.key).join(',')}`);
      const sent = inner.send(topic, messages);
      const held = gate;
      return held ? sent.then(() => held) : sent;
    },
    withdraw: (topics, keys) => inner.withdraw(topics, keys),
    connect: () => inner.connect(),
    close: () => inner.close(),
  };
  return {
    bus,
    producer,
    sends,
    hold: () => void (gate = new Promise<void>((r) => (release = r))),
    release: () => (release(), (gate = null)),
  };
}

t.test('one batch per topic per cycle, in the order topics were first queued', async (t) => {
  const g = await gatedProducer();
  const out = new Outbound(g.producer, silent);
  t.equal(out.flush(), undefined, 'nothing queued: nothing sent, nothing to wait for');
  out.to('b').push(msg('b1'));
  out.to('a').push(msg('a1'));
  out.to('b').push(msg('b2'));
  await out.flush();
  out.to('a').push(msg('a2'));
  await out.flush();
  t.same(g.sends, ['b:b1,b2', 'a:a1', 'a:a2']);
  await out.close();
});

t.test(
  'cycles go out without waiting for acknowledgements; past the byte bound the caller is made to wait',
  async (t) => {
    const g = await gatedProducer();
    const out = new Outbound(g.producer, silent, 25);
    g.hold();
    out.to('a').push(msg('x', 10));
    t.equal(out.flushBounded(), undefined, '10 bytes unacknowledged: go on');
    out.to('a').push(msg('y', 10));
    t.equal(out.flushBounded(), undefined, '20 bytes: go on');
    t.same(g.sends, ['a:x', 'a:y'], 'both sent already');
    t.equal(out.unackedBytes, 20);
    out.to('b').push(msg('z', 10));
    const wait = out.flushBounded();
    t.ok(wait instanceof Promise, '30 bytes: over the bound, the caller gets the promise');
    let acked = false;
    void out.acknowledged().then(() => (acked = true));
    await new Promise((r) => setImmediate(r));
    t.notOk(acked, 'not acknowledged while the bus holds them');
    g.release();
    await wait;
    t.equal(out.unackedBytes, 0, 'all acknowledged');
    await out.acknowledged();
    await out.close();
  },
);

t.test('a send the bus refuses is counted and logged; later sends go on', async (t) => {
  const g = await gatedProducer();
  const logged: string[] = [];
  const logger = Object.assign(Object.create(silent), { error: (_o: unknown, line: string) => logged.push(line) });
  const refused: string[] = [];
  const out = new Outbound(g.producer, logger, undefined, (topic, messages) =>
    refused.push(`${topic}:${messages.map((m) => m.key).join(',')}`),
  );
  out.to('a').push({ key: 'k', partition: 9, value: new Uint8Array(4) });
  await out.flush();
  t.equal(out.failures, 1);
  t.same(logged, ['engine: publication refused']);
  t.same(refused, ['a:k'], 'the refused records are handed back, to re-base their channels');
  t.equal(out.unackedBytes, 0);
  const seen: string[] = [];
  await g.bus.subscribe({ group: 'r', topics: ['a'], onBatch: (b) => void seen.push(...b.messages.map((m) => m.key)) });
  out.to('a').push(msg('after'));
  await out.flush();
  await g.bus.settled();
  t.same(seen, ['after']);
  await out.close();
});

t.test('close() sends what is queued, waits for it, and closes the producer', async (t) => {
  const g = await gatedProducer();
  const out = new Outbound(g.producer, silent);
  const seen: string[] = [];
  await g.bus.subscribe({ group: 'r', topics: ['b'], onBatch: (b) => void seen.push(...b.messages.map((m) => m.key)) });
  out.to('b').push(msg('last'));
  await out.close();
  await g.bus.settled();
  t.same(seen, ['last']);
  await t.rejects(g.producer.send('b', [msg('late')]), /producer is closed/);
});

t.test(
  'withdraw drops the cycle’s records of the given topics and keys, and asks the producer for the rest',
  async (t) => {
    const g = await gatedProducer();
    const asked: string[] = [];
    const producer: Producer = {
      ...g.producer,
      withdraw: (topics, keys) => (asked.push(`${[...topics]}|${[...keys]}`), 2),
    };
    const out = new Outbound(producer, silent);
    out.to('a').push(msg('P1'), msg('P2'), msg('P1'));
    out.to('b').push(msg('P1'));
    t.equal(out.withdraw(new Set(['a']), new Set(['P1'])), 4, 'two queued here, two held by the producer');
    t.same(asked, ['a|P1']);
    await out.flush();
    t.same(g.sends, ['a:P2', 'b:P1'], 'other keys, and other topics under the same key, still go');
    await out.close();
  },
);
