// The bus across a port (streams/thread-bus.ts) behaves as the bus it serves: records in order and
// complete, a failing onBatch retried, backpressure from a slow worker member reaching the producer,
// settled() waiting for the worker's members, reads to the end streamed in chunks, seeks from
// onAssign applied, errors crossing with their catalogue code, and a worker that goes away releasing
// its members; the batches of several partitions crossing in one message. Both ends run on this thread over a MessageChannel: the port is the boundary.
import t from 'tap';
import { MessageChannel } from 'node:worker_threads';
import { RisklineError } from '../../../errors/catalogue.js';
import type { Batch } from '../../../streams/bus.js';
import { createInProcessBus } from '../../../streams/inprocess.js';
import { BusServer, PortBus } from '../../../streams/thread-bus.js';
import { ThreadRpc, type Handlers } from '../../../streams/thread-rpc.js';
import { dec, enc, spec as specOf, until } from './bus-helpers.js';

const spec = (name: string, partitions = 2, cleanup: 'delete' | 'compact' = 'delete') =>
  specOf(name, partitions, cleanup);

async function pair(queueCapacity = 1000) {
  const served = createInProcessBus({ queueCapacity, maxBatch: 50 });
  await served.ensureTopics([spec('t'), spec('c', 1, 'compact')]);
  const { port1, port2 } = new MessageChannel();
  const server = new BusServer(served, ['c']);
  const serverRpc = new ThreadRpc(port1, {
    ...server.handlers,
    refuse: () => {
      throw new RisklineError('FORBIDDEN', 'not yours');
    },
  });
  server.attach(serverRpc);
  const handlers: Handlers = {};
  const workerRpc = new ThreadRpc(port2, handlers);
  const bus = await PortBus.connect(workerRpc, handlers);
  const close = async () => {
    await bus.close();
    await server.close();
    serverRpc.close();
    await served.close();
  };
  return { served, server, bus, workerRpc, handlers, close };
}

t.test('records reach a worker member complete and in order; its sends reach the served bus', async (t) => {
  const p = await pair();
  t.teardown(p.close);
  t.equal(p.bus.kind, 'inprocess');
  const got: string[] = [];
  await p.bus.subscribe({
    group: 'w',
    topics: ['t'],
    onBatch: (b) => void got.push(...b.messages.map((m) => dec(m.value))),
  });
  const sent = Array.from({ length: 500 }, (_, i) => `m${i}`);
  await p.served.producer().send(
    't',
    sent.map((v) => ({ key: 'k', value: enc(v) })),
  );
  await p.bus.settled();
  t.same(got, sent, 'one key: every record, in order, once');

  const mine: string[] = [];
  await p.served.subscribe({
    group: 'main',
    topics: ['t'],
    from: 'latest',
    onBatch: (b) => void mine.push(...b.messages.map((m) => dec(m.value))),
  });
  await p.bus.producer().send('t', [{ key: 'x', value: enc('from the worker') }]);
  await p.served.settled();
  t.same(mine, ['from the worker']);
  t.equal(p.bus.partitions('c'), 1, 'the topics the server was told of are known from the start');
  t.throws(() => p.bus.partitions('t'), /not ensured/, 'others are learnt by ensuring them');
  await p.bus.ensureTopics([spec('t'), spec('later', 3)]);
  t.equal(p.bus.partitions('t'), 2, 'an existing topic keeps its partitions');
  t.equal(p.bus.partitions('later'), 3);
});

t.test('a worker onBatch that throws gets the batch again; a slow one holds the served producer back', async (t) => {
  const p = await pair(10);
  t.teardown(p.close);
  let failures = 1;
  const got: string[] = [];
  let release: (() => void) | null = null;
  await p.bus.subscribe({
    group: 'w',
    topics: ['t'],
    onBatch: async (b: Batch) => {
      if (failures-- > 0) throw new Error('transient');
      await new Promise<void>((r) => (release = r));
      got.push(...b.messages.map((m) => dec(m.value)));
    },
  });
  let sendDone = false;
  const send = p.served
    .producer()
    .send(
      't',
      Array.from({ length: 40 }, (_, i) => ({ key: 'k', value: enc(`r${i}`) })),
    )
    .then(() => (sendDone = true));
  await until(() => release !== null, 'the member holds a batch');
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(sendDone, 'the producer waits while the worker holds its partition full');
  while (!sendDone || release !== null) {
    const r = release as (() => void) | null;
    release = null;
    r?.();
    await new Promise((res) => setTimeout(res, 5));
  }
  await send;
  await until(() => got.length === 40, 'all delivered');
  t.same(
    got,
    Array.from({ length: 40 }, (_, i) => `r${i}`),
    'the failed batch came again; nothing lost or doubled',
  );
});

t.test('reads to the end arrive whole, in chunks; a visit that throws fails the read', async (t) => {
  const p = await pair();
  t.teardown(p.close);
  const producer = p.served.producer();
  for (let i = 0; i < 3000; i++) await producer.send('c', [{ key: `k${i % 2500}`, value: enc(`v${i}`) }]);
  const seen = new Map<string, string>();
  await p.bus.readToEnd('c', [0], (m) => void seen.set(m.key, dec(m.value)));
  t.equal(seen.size, 2500, 'every key');
  t.equal(seen.get('k0'), 'v2500', 'the newest value of each key');
  const ranged: string[] = [];
  await p.bus.readRanges([{ topic: 't', partition: 0 }], (m) => void ranged.push(m.key));
  t.same(ranged, []);
  await t.rejects(
    p.bus.readToEnd('c', [0], () => {
      throw new Error('visitor broke');
    }),
    /visitor broke/,
  );
});

t.test("onAssign's seeks are applied on the served side", async (t) => {
  const p = await pair();
  t.teardown(p.close);
  await p.served.producer().send(
    't',
    ['a', 'b', 'c', 'd'].map((v) => ({ key: 'k', partition: 0, value: enc(v) })),
  );
  const got: string[] = [];
  let gained = 0;
  await p.bus.subscribe({
    group: 'seek',
    topics: ['t'],
    onAssign: (change, control) => {
      gained = change.gained.reduce((n, tp) => n + tp.partitions.length, 0);
      t.ok(control.holds('t', 0));
      control.seek('t', 0, 2);
    },
    onBatch: (b) => void got.push(...b.messages.map((m) => dec(m.value))),
  });
  await p.bus.settled();
  t.equal(gained, 2);
  t.same(got, ['c', 'd'], 'read from the sought offset');
});

t.test('errors cross with their code; health is the served bus; a closed worker releases its members', async (t) => {
  const p = await pair();
  t.teardown(p.close);
  const refused = await p.workerRpc.call('refuse').catch((err: unknown) => err);
  t.ok(refused instanceof RisklineError && refused.code === 'FORBIDDEN', 'a catalogue error keeps its code');
  t.match((refused as Error).message, 'not yours');
  const missing = await p.workerRpc.call('noSuchOp').catch((err: unknown) => err);
  t.match((missing as Error).message, /no op "noSuchOp"/);
  t.equal(p.bus.producer().withdraw(new Set(['t']), new Set(['k'])), 0, 'in process nothing waits to be withdrawn');
  const sub = await p.bus.subscribe({ group: 'h', topics: ['t'], onBatch: () => undefined });
  await until(() => p.bus.health().subscriptions.some((s) => s.group === 'h'), 'health sent over');
  t.equal(p.bus.health().kind, 'inprocess');
  await sub.close();
  await until(() => !p.served.health().subscriptions.some((s) => s.group === 'h'), 'the member left');
  await p.bus.subscribe({ group: 'gone', topics: ['t'], onBatch: () => undefined });
  await p.server.close();
  t.notOk(
    p.served.health().subscriptions.some((s) => s.group === 'gone'),
    'closing the server removes what the worker held',
  );
});

t.test(
  "one crossing per round: every partition's batch crosses at once; one that throws comes again with the rest",
  async (t) => {
    const p = await pair();
    t.teardown(p.close);
    const crossings: number[] = [];
    let calls = 0;
    const batches = p.handlers.batches as (...a: never[]) => unknown;
    p.handlers.batches = (...a: never[]) => (calls++, batches(...a));
    await p.served.producer().send(
      't',
      Array.from({ length: 4 }, (_, i) => ({ key: 'k', partition: i % 2, value: enc(`r${i}`) })),
    );
    const got: string[] = [];
    let failOnce = true;
    await p.bus.subscribe({
      group: 'x',
      topics: ['t'],
      from: 'earliest',
      onBatch: (b: Batch) => {
        crossings.push(b.partition);
        if (b.partition === 1 && failOnce) {
          failOnce = false;
          throw new RisklineError('UNAVAILABLE', 'later');
        }
        got.push(...b.messages.map((m) => dec(m.value)));
      },
    });
    await p.bus.settled();
    await until(() => got.length === 4, 'all handled');
    t.same(crossings, [0, 1, 1], 'partition 0 handled once; 1 failed and came again');
    t.equal(calls, 2, 'both partitions crossed in one message, then the failed one again');
    t.same(got.sort(), ['r0', 'r1', 'r2', 'r3']);
  },
);
