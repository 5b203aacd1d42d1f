import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import type { Execution } from '../../../engine/model.js';
import { validateExecution, validateTickTuple } from '../../../engine/validate.js';
import { TradeFlow } from '../../../feeds/flow.js';
import { replayToBus, startSimulatedFeed, TickEncoder } from '../../../feeds/publish.js';
import { MarketSimulator } from '../../../feeds/simulator.js';
import type { BusMessage, Producer } from '../../../streams/bus.js';
import { decodeEnvelope, type Envelope, type TickTuple } from '../../../streams/envelope.js';
import { partitionFor } from '../../../streams/partitioner.js';
import { portfolios, simOptions } from './fixtures.js';
import { eventually } from '../../eventually.js';

class FakeProducer implements Producer {
  sends: { topic: string; messages: BusMessage[] }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  delayMs = 0;
  failWith: Error | null = null;
  /** While set, sends wait for it (a bus outage). */
  held: Promise<void> | null = null;
  /** Holds every send from now on until the returned release is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((r) => (release = r));
    return () => ((this.held = null), release());
  }
  withdraw(): number {
    return 0;
  }
  async connect(): Promise<void> {}
  async send(topic: string, messages: BusMessage[]): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.sends.push({ topic, messages: [...messages] });
    try {
      if (this.held) await this.held;
      if (this.failWith) throw this.failWith;
      if (this.delayMs > 0) await sleep(this.delayMs);
    } finally {
      this.inFlight--;
    }
  }
  async close(): Promise<void> {}
  messages(topic: string): (BusMessage & { env: Envelope })[] {
    return this.sends
      .filter((s) => s.topic === topic)
      .flatMap((s) => s.messages.map((m) => ({ ...m, env: decodeEnvelope(m.value) })));
  }
}

const until = (cond: () => boolean, what: string) => eventually(cond, 10_000, what, 1);

/** Checks `ticks` envelopes (throws if one is malformed) and returns their tuples in send order. */
function ticksOf(msgs: (BusMessage & { env: Envelope })[], partitions: number, batchSize: number): TickTuple[] {
  const out: TickTuple[] = [];
  let bad = 0;
  for (const m of msgs) {
    const body = m.env.body as TickTuple[];
    if (m.env.type !== 'ticks' || body.length === 0 || body.length > batchSize) bad++;
    if (m.key !== body[0][0] || m.env.ts !== body[body.length - 1][1]) bad++;
    for (const tup of body) {
      validateTickTuple(tup);
      if (partitionFor(tup[0], partitions) !== m.partition) bad++;
      out.push(tup);
    }
  }
  if (bad > 0) throw new Error(`${bad} malformed envelopes (type, size, key, ts or partition)`);
  return out;
}

const byTime = (a: TickTuple, b: TickTuple): number => a[1] - b[1];

t.test('TickEncoder groups by partition, caps batches and numbers envelopes', async (t) => {
  const sim = new MarketSimulator(simOptions());
  const tuples: TickTuple[] = [];
  sim.fill(tuples, 1000);
  const encoder = new TickEncoder(4, 'feed-1', 64, 'msgpack', 17);
  const messages = encoder.encode(tuples, 1000, []);
  t.equal(encoder.seq, 17 + messages.length);
  const decoded = messages.map((m) => ({ ...m, env: decodeEnvelope(m.value) }));
  t.same(
    decoded.map((m) => m.env.seq),
    decoded.map((_, i) => 17 + i),
  );
  t.ok(decoded.every((m) => m.env.src === 'feed-1' && m.env.v === 1));
  const got = ticksOf(decoded, 4, 64);
  // Per partition, ticks keep their original order.
  for (let p = 0; p < 4; p++) {
    t.same(
      decoded.filter((m) => m.partition === p).flatMap((m) => m.env.body as TickTuple[]),
      tuples.filter((x) => partitionFor(x[0], 4) === p),
    );
  }
  t.equal(got.length, 1000);
  const json = new TickEncoder(1, 's', 256, 'json').encode(tuples, 10, []);
  t.same(decodeEnvelope(json[0].value, 'json').body, tuples.slice(0, 10));
});

t.test('simulated feed: rate, batching, backpressure, determinism, catch-up limit, executions', async (t) => {
  let now = 1_000_000;
  // The feed reads the clock once per round: two more reads mean at least one whole round since.
  let clockReads = 0;
  const rounds = (n: number) => {
    const from = clockReads;
    return until(() => clockReads >= from + n, `${n} more feed rounds`);
  };
  const producer = new FakeProducer();
  producer.delayMs = 1;
  const sim = new MarketSimulator(simOptions({ ticksPerSecond: 10_000 }));
  const flow = new TradeFlow({ portfolios, prices: sim, seed: 42 });
  const errors: unknown[] = [];
  const feed = startSimulatedFeed({
    producer,
    topic: 'md.ticks',
    partitions: 3,
    simulator: sim,
    ticksPerSecond: 10_000,
    batchSize: 128,
    src: 'feed',
    flow,
    executionsTopic: 'orders.executions',
    executionsPerSecond: 20,
    maxChunk: 1000,
    intervalMs: 1,
    clock: () => (clockReads++, now),
    onError: (e) => errors.push(e),
  });
  await rounds(2);
  t.equal(feed.stats().ticks, 0, 'nothing is due before the clock moves');
  now += 250;
  await until(() => feed.stats().ticks === 2500, '2500 ticks');
  now += 750;
  await until(() => feed.stats().ticks === 10_000 && feed.stats().executions === 20, '10,000 ticks, 20 executions');
  await rounds(2);
  t.equal(feed.stats().ticks, 10_000, 'exactly the ticks due');
  t.equal(producer.maxInFlight, 1, 'never more than one outstanding send');
  t.ok(producer.sends.length >= 10, 'caught up in bounded chunks');

  const published = ticksOf(producer.messages('md.ticks'), 3, 128).sort(byTime);
  const ref = new MarketSimulator(simOptions({ ticksPerSecond: 10_000 }));
  ref.setOrigin(1_000_000);
  const expected: TickTuple[] = [];
  ref.fill(expected, 10_000);
  // Ticks of different partitions interleave; within one ms the order is by partition, so compare as multisets per ms.
  const key = (x: TickTuple): string => x.join('|');
  t.same(published.map(key).sort(), expected.map(key).sort(), 'the feed publishes the seeded simulator, bit for bit');
  t.equal(expected[0][1], 1_000_000, 'event time starts at the wall clock');

  const execs = producer.messages('orders.executions');
  t.equal(execs.length, 20);
  let bad = 0;
  for (const m of execs) {
    const e = validateExecution(m.env.body);
    if (m.env.type !== 'execution' || m.key !== e.portfolio || m.partition !== undefined) bad++;
  }
  t.equal(bad, 0, 'execution envelopes keyed by portfolio');
  const seqs = producer.sends.flatMap((s) => s.messages.map((m) => decodeEnvelope(m.value).seq));
  t.same(
    seqs,
    seqs.map((_, i) => i),
    'one sequence per producer',
  );

  // Ten seconds behind: only maxLagMs (1 s) of ticks is caught up.
  now += 10_000;
  await until(() => feed.stats().ticks === 20_000, '20,000 ticks');
  await rounds(2);
  const caughtUp = feed.stats();
  t.same(
    { ...caughtUp, messages: 0, eventTime: 0 },
    { ticks: 20_000, executions: 40, messages: 0, skippedMs: 9000, error: null, eventTime: 0 },
  );
  t.ok(
    caughtUp.eventTime >= now - 1 && caughtUp.eventTime < now,
    `event time ${caughtUp.eventTime} is the newest tick's, past the skipped 9 s, under the clock's ${now}`,
  );
  await feed.stop();
  const sent = producer.sends.length;
  const reads = clockReads;
  now += 1000;
  // A negative has no event to wait for: a stopped feed gets a window of 20 of its 1 ms rounds.
  await sleep(20);
  t.equal(producer.sends.length, sent, 'nothing is sent after stop');
  t.equal(clockReads, reads, 'nor the clock read');
  t.same(errors, []);
});

/** A feed on an injected clock, and what it sent, decoded. */
function clockedFeed(over: Partial<Parameters<typeof startSimulatedFeed>[0]> & { tps: number }) {
  const clock = { now: 5_000_000, reads: 0 };
  const producer = new FakeProducer();
  const skips: number[] = [];
  const feed = startSimulatedFeed({
    producer,
    topic: 'md',
    partitions: 2,
    simulator: new MarketSimulator(simOptions({ ticksPerSecond: over.tps })),
    ticksPerSecond: over.tps,
    batchSize: 256,
    src: 'feed',
    intervalMs: 1,
    maxChunk: 1000,
    clock: () => (clock.reads++, clock.now),
    onSkip: (ms) => skips.push(ms),
    ...over,
  });
  const rounds = (n: number) => {
    const from = clock.reads;
    return until(() => clock.reads >= from + n, `${n} more feed rounds`);
  };
  const envelopes = () => producer.messages('md').map((m) => m.env);
  const newestTick = () =>
    Math.max(
      ...ticksOf(
        producer.messages('md').filter((m) => m.env.type === 'ticks'),
        2,
        256,
      ).map((x) => x[1]),
    );
  return { clock, producer, skips, feed, rounds, envelopes, newestTick };
}

t.test('live simulated feed after a bus outage: skips ahead to the clock once, then keeps pace', async (t) => {
  const f = clockedFeed({ tps: 1000 });
  t.teardown(() => f.feed.stop());
  f.clock.now += 500;
  await until(() => f.feed.stats().ticks === 500, '500 ticks');
  // The broker goes away for 25 s: the send in flight blocks, the clock runs on.
  const release = f.producer.hold();
  f.clock.now += 1;
  await until(() => f.producer.inFlight === 1, 'a send blocked');
  f.clock.now += 25_000;
  release();
  await until(() => f.feed.stats().ticks >= 500 + 1000, 'the last second caught up');
  await f.rounds(3);
  const s = f.feed.stats();
  t.equal(s.skippedMs, 25_501 - 501 - 1000, 'everything past maxLagMs is skipped, not replayed');
  t.equal(s.ticks, 500 + 1 + 1000, 'ticks sent: before, the blocked round, then one second');
  t.same(f.skips, [s.skippedMs], 'told once, with how much');
  t.ok(f.clock.now - f.newestTick() <= 1000, `event time within 1 s of the clock: ${f.clock.now - f.newestTick()} ms`);
  // Back to normal: event time keeps pace with the clock (moved in steps, as a real one moves between
  // rounds), and nothing more is skipped.
  for (let i = 1; i <= 20; i++) {
    f.clock.now += 100;
    await until(() => f.feed.stats().ticks === 1501 + i * 100, `${i * 100} ms more`);
  }
  t.equal(f.clock.now - f.newestTick(), 1, 'newest tick one interval behind the clock, as before the outage');
  t.equal(f.feed.stats().skippedMs, s.skippedMs);
  t.same(f.skips, [s.skippedMs]);
});

t.test('a slow simulated feed sends heartbeats on the conflation grid between its ticks', async (t) => {
  const f = clockedFeed({ tps: 2, heartbeatMs: 100 });
  t.teardown(() => f.feed.stop());
  const start = f.clock.now;
  for (let i = 0; i < 25; i++) {
    f.clock.now += 50;
    await f.rounds(2);
  }
  const env = f.envelopes();
  const ticks = env.filter((e) => e.type === 'ticks').flatMap((e) => (e.body as TickTuple[]).map((x) => x[1]));
  const beats = env.filter((e) => e.type === 'heartbeat').map((e) => e.ts);
  t.same(ticks, [start, start + 500], 'two ticks in 1.25 s at 2 ticks/s');
  // Event time is that of the tick being sent now: tick k goes out one interval (500 ms) after its
  // time, so a heartbeat goes out once its boundary is as far behind the clock.
  const grid = [100, 200, 300, 400, 600, 700].map((ms) => start + ms);
  t.same(beats, grid, 'one per conflation boundary between the ticks, none on a tick');
  const times = env.map((e) => e.ts);
  t.same(
    times,
    [...times].sort((a, b) => a - b),
    'event time never goes back between ticks and heartbeats',
  );
});

t.test('simulated feed on the real clock, and a failing producer', async (t) => {
  const producer = new FakeProducer();
  const sim = new MarketSimulator(simOptions({ ticksPerSecond: 5000 }));
  const start = Date.now();
  const feed = startSimulatedFeed({
    producer,
    topic: 'x',
    partitions: 2,
    simulator: sim,
    ticksPerSecond: 5000,
    batchSize: 64,
    src: 's',
  });
  await until(() => feed.stats().ticks > 0, 'the first ticks');
  await feed.stop();
  const elapsed = Date.now() - start;
  const n = feed.stats().ticks;
  t.ok(n > 0 && n <= (elapsed * 5000) / 1000 + 1, `${n} ticks in ${elapsed} ms`);
  const first = producer
    .messages('x')
    .flatMap((m) => m.env.body as TickTuple[])
    .sort(byTime)[0];
  t.ok(Math.abs(first[1] - start) < 50, 'event time follows the wall clock');

  const failing = new FakeProducer();
  failing.failWith = new Error('bus closed');
  const errors: unknown[] = [];
  const bad = startSimulatedFeed({
    producer: failing,
    topic: 'x',
    partitions: 1,
    simulator: new MarketSimulator(simOptions()),
    ticksPerSecond: 1000,
    batchSize: 64,
    src: 's',
    onError: (e) => errors.push(e),
  });
  await until(() => errors.length > 0, 'the failed send');
  // A negative again: had the feed gone on, 20 ms hold four of its 5 ms rounds.
  await sleep(20);
  t.equal(errors.length, 1);
  t.equal(failing.sends.length, 1, 'the feed stops at the first failed send');
  t.equal(bad.stats().error, 'bus closed');
  await bad.stop();
});

t.test('replayToBus publishes ticks and executions in file order, batched, and reports frames', async (t) => {
  const line = (id: string, ts: number): string => JSON.stringify({ instrument: id, ts, bid: 1, ask: 2, last: 1.5 });
  const exec: Execution = { id: 'X1', portfolio: 'P1', instrument: 'A', side: 'buy', qty: 5, price: 2, ts: 4 };
  const dir = t.testdir({
    'r.ndjson': [
      line('A', 1),
      line('B', 2),
      line('C', 3),
      JSON.stringify({ type: 'execution', ...exec }),
      line('A', 5),
      JSON.stringify({ type: 'frame', channel: 'risk:P1', seq: 0, digest: 'd0' }),
      line('D', 6),
    ].join('\n'),
  });
  const producer = new FakeProducer();
  const frames: string[] = [];
  const stats = await replayToBus({
    producer,
    file: join(dir, 'r.ndjson'),
    topic: 'md',
    partitions: 2,
    executionsTopic: 'ex',
    src: 'replay',
    batchSize: 2,
    onFrame: (f) => frames.push(f.digest),
  });
  t.same(stats, {
    ticks: 5,
    executions: 1,
    frames: 1,
    skipped: 0,
    messages: producer.sends.flatMap((s) => s.messages).length,
  });
  t.same(frames, ['d0']);
  t.same(
    producer.sends.map((s) => s.topic),
    ['md', 'ex', 'md'],
    'ticks before the execution are flushed before it; later ticks after it',
  );
  t.same(validateExecution(producer.messages('ex')[0].env.body), exec);
  const ticks = ticksOf(producer.messages('md'), 2, 2).sort(byTime);
  t.same(
    ticks.map((x) => x[0]),
    ['A', 'B', 'C', 'A', 'D'],
  );

  const noExec = new FakeProducer();
  const s2 = await replayToBus({ producer: noExec, file: join(dir, 'r.ndjson'), topic: 'md', partitions: 1, src: 'r' });
  t.equal(s2.skipped, 1, 'executions are skipped without an executions topic');
  t.same(
    noExec.sends.map((s) => s.topic),
    ['md'],
  );
});

t.test('columns and tuples: the same ticks, and batches that decode to the same bodies', async (t) => {
  const { MarketSimulator, tickColumns } = await import('../../../feeds/simulator.js');
  const { TickEncoder } = await import('../../../feeds/publish.js');
  const { decodeEnvelope } = await import('../../../streams/envelope.js');
  const { instruments, market } = await import('./fixtures.js');
  const opts = { instruments, market, seed: 5, startTime: Date.parse('2026-11-25T14:30:00Z'), ticksPerSecond: 50_000 };
  const a = new MarketSimulator(opts);
  const b = new MarketSimulator(opts);
  const tuples: [string, number, number, number, number][] = [];
  const cols = tickColumns(3000);
  a.fill(tuples, 3000);
  b.fillColumns(cols, 3000);
  for (let j = 0; j < 3000; j++) {
    const row = [b.ids[cols.instrument[j]], cols.ts[j], cols.bid[j], cols.ask[j], cols.last[j]];
    if (JSON.stringify(row) !== JSON.stringify(tuples[j])) t.fail(`tick ${j} differs`);
  }
  const fromTuples = new TickEncoder(4, 'feed', 100).encode(tuples, 3000, []);
  const fromColumns = new TickEncoder(4, 'feed', 100).encodeColumns(cols, 3000, b.ids, []);
  t.equal(fromColumns.length, fromTuples.length);
  fromTuples.forEach((m, k) => {
    const c = fromColumns[k];
    t.same([c.key, c.partition], [m.key, m.partition]);
    t.same(decodeEnvelope(c.value), decodeEnvelope(m.value), `envelope ${k}`);
  });
});
