// Portfolio ownership and checkpoint bookkeeping: a takeover rebuilds each portfolio from its newest
// checkpoint and the executions after it, read to the partition's end, before it publishes; its
// channels continue after the last frame published; records already inside a portfolio's state
// are skipped; checkpoints are due by count, by event time, or all at a clean stop.
import t from 'tap';
import { newestCheckpoints, PortfolioOwnership } from '../../../../app/roles/ownership.js';
import { TAKEOVER_SEQ_GAP, type Engine } from '../../../../engine/engine.js';
import type { Execution } from '../../../../engine/model.js';
import type { Assignment, Bus, BusMessage, ConsumedMessage } from '../../../../streams/bus.js';
import { decodeEnvelopeAuto } from '../../../../streams/envelope.js';
import { createInProcessBus } from '../../../../streams/inprocess.js';
import { TOPIC, topicSpecs } from '../../../../streams/topics.js';
import { decodeFrame, type EncodedFrame, type Frame } from '../../../../engine/frames.js';
import { config, env, EXECUTIONS, newEngine, P, record, silent, T0 } from './fixtures.js';

const STATE = P + TOPIC.positions;

/** Applies an execution record the way the engine role does (the envelope's body). */
const applyTo = (engine: Engine) => (m: ConsumedMessage) => {
  const e = decodeEnvelopeAuto(m.value).body as Execution;
  engine.execute(e);
  return engine.portfolioIndex(e.portfolio);
};

function owner(
  bus: Bus,
  engine: Engine,
  every = 1000,
  everyMs = 60_000,
  claim = (m: BusMessage[]) => bus.producer().send(STATE, m),
) {
  return new PortfolioOwnership({
    engine,
    bus,
    executionsTopic: EXECUTIONS,
    stateTopic: STATE,
    frameTopics: [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts].map((n) => P + n),
    apply: applyTo(engine),
    sent: async () => undefined,
    claim,
    withdraw: () => 0,
    stateCodec: 'msgpack',
    src: 'test',
    logger: silent,
    checkpointEvery: every,
    checkpointEveryMs: everyMs,
  });
}

const change = (gained: number[], lost: number[] = []): Assignment => ({
  assigned: [{ topic: EXECUTIONS, partitions: gained }],
  gained: gained.length ? [{ topic: EXECUTIONS, partitions: gained }] : [],
  lost: lost.length ? [{ topic: EXECUTIONS, partitions: lost }] : [],
});

/** Takes `partitions` over, returning the seeks it asked for. */
async function takeOver(o: PortfolioOwnership, partitions: number[]): Promise<string[]> {
  const seeks: string[] = [];
  await o.onAssign(change(partitions), {
    seek: (topic, p, offset) => void seeks.push(`${topic}/${p}@${offset}`),
    holds: () => true,
  });
  return seeks;
}

async function bus() {
  const b = createInProcessBus();
  await b.ensureTopics(topicSpecs(config.topics));
  return b;
}

/** Two portfolios that share an executions partition. */
function sharedPartition(o: PortfolioOwnership): [number, number, number] {
  const p = o.portsOf.findIndex((ports) => ports.length >= 2);
  return [p, o.portsOf[p][0], o.portsOf[p][1]];
}

const fill = (engine: Engine, port: number, id: string, qty: number, ts = T0 + 1000): Execution => ({
  id,
  portfolio: engine.book.portfolioIds[port],
  instrument: 'MSFT',
  side: 'buy',
  qty,
  price: 400,
  ts,
});

/** Appends executions to their partition, as a producer keyed by portfolio would. */
async function sendFills(b: Bus, p: number, fills: Execution[]): Promise<void> {
  await b.producer().send(
    EXECUTIONS,
    fills.map((e) => ({ key: e.portfolio, partition: p, value: env('execution', e) })),
  );
}

t.test('a takeover rebuilds from the newest checkpoints and every execution after them, then publishes', async (t) => {
  const b = await bus();
  const engineA = newEngine();
  const a = owner(b, engineA);
  await takeOver(a, [...a.portsOf.keys()]);
  const [p, withCp, without] = sharedPartition(a);
  t.notOk(a.owns(99));
  t.ok(a.owns(p));
  // Offsets 0-2 change `withCp`; its checkpoint then says "next is 3".
  const first = [0, 1, 2].map((n) => fill(engineA, withCp, `e${n}`, 10));
  await sendFills(b, p, first);
  for (const [off, e] of first.entries()) {
    engineA.execute(e);
    a.done(record(EXECUTIONS, new Uint8Array(0), off, p), withCp);
  }
  const due = a.checkpointsDue(true);
  t.equal(due.length, 1, 'only the changed portfolio is checkpointed');
  await b.producer().send(STATE, due);
  // After the checkpoint: two more for `withCp`, one for `without`; A applies them too.
  const after = [fill(engineA, withCp, 'e3', 5), fill(engineA, without, 'e4', 7), fill(engineA, withCp, 'e5', 1)];
  await sendFills(b, p, after);
  for (const e of after) engineA.execute(e);
  // A published positions:withCp up to seq 41 at T0 + 9000 (a frame B must continue after).
  const id = engineA.book.portfolioIds[withCp];
  const frame = { channel: `positions:${id}`, type: 'update', seq: 41, asOf: T0 + 9000, inputSeq: 6, data: {} };
  await b.producer().send(STATE, [{ key: id, partition: p, value: env('frame', frame) }]);

  const published: Frame[] = [];
  const engineB = newEngine((fs) => published.push(...fs.map((f) => decodeFrame(f))), undefined, 'assigned');
  const bOwner = owner(b, engineB);
  const seeks = await takeOver(bOwner, [p]);
  t.same(seeks, [`${EXECUTIONS}/${p}@6`], 'the subscription resumes after everything the takeover read');
  const pos = (e: Engine, port: number) => e.book.pQty[e.book.position(port, e.instrumentIndex('MSFT'))];
  t.equal(pos(engineB, withCp), pos(engineA, withCp), 'checkpoint plus the executions after it');
  t.equal(pos(engineB, without), pos(engineA, without), 'a portfolio without checkpoint is rebuilt from the start');
  t.not(pos(engineB, without), pos(newEngine(), without), 'which changed it');
  t.equal(published.length, 0, 'nothing is published during the takeover');
  engineB.advanceTo(engineB.book.now);
  const next = published.find((f) => f.channel === `positions:${id}`);
  t.match(
    next,
    { type: 'snapshot', seq: 41 + TAKEOVER_SEQ_GAP + 1 },
    'the channel continues past the last frame published, with room for a cut-off owner’s late frames',
  );
  t.ok(next!.asOf >= T0 + 9000, 'and its asOf does not step back');
  const at = (offset: number) => record(EXECUTIONS, new Uint8Array(0), offset, p);
  t.notOk(bOwner.admits(withCp, at(2)), 'an execution inside its checkpoint is skipped');
  t.ok(bOwner.admits(withCp, at(3)), 'the next one applies');
  t.notOk(bOwner.fresh(at(5)), 'a redelivered record is not fresh');
  t.ok(bOwner.fresh(at(6)));
  const cps = await newestCheckpoints(b, STATE, [p]);
  t.same(
    cps.get(id)?.input,
    { topic: EXECUTIONS, partition: p, offset: 6 },
    "the takeover's claim is the newest checkpoint",
  );
  t.same(
    cps.get(id)?.state.seqs.find(([c]) => c === `positions:${id}`),
    [`positions:${id}`, 41 + TAKEOVER_SEQ_GAP],
    'naming the seq its channel continues from',
  );
});

t.test('a member taking over before the previous taker’s first frames land continues past its claim', async (t) => {
  const b = await bus();
  const frames = (into: Frame[]) => (fs: EncodedFrame[]) => void into.push(...fs.map((f) => decodeFrame(f)));
  const fromA: Frame[] = [];
  const engineA = newEngine(frames(fromA), undefined, 'assigned');
  const ownerA = owner(b, engineA);
  const p = ownerA.portsOf.findIndex((ports) => ports.length > 0);
  await takeOver(ownerA, [p]);
  // A's first frames are made but not on the bus (a produce request still in flight): B reads only A's claim.
  engineA.advanceTo(engineA.book.now);
  const fromB: Frame[] = [];
  const engineB = newEngine(frames(fromB), undefined, 'assigned');
  await takeOver(owner(b, engineB), [p]);
  engineB.advanceTo(engineB.book.now);
  const id = engineA.book.portfolioIds[ownerA.portsOf[p][0]];
  const a = fromA.find((f) => f.channel === `positions:${id}`)!;
  const bFirst = fromB.find((f) => f.channel === `positions:${id}`)!;
  t.match(a, { type: 'snapshot', seq: 1 }, 'the first taker starts the channel');
  t.match(bFirst, { type: 'snapshot', seq: TAKEOVER_SEQ_GAP + 1 }, 'the next continues past the claim, not at 1 again');
});

t.test('a partition taken away while the claim was being sent is not published', async (t) => {
  const published: Frame[] = [];
  const engine = newEngine((fs) => published.push(...fs.map((f) => decodeFrame(f))), undefined, 'assigned');
  const b = await bus();
  let holds = true;
  const o = owner(b, engine, 1000, 60_000, async (m) => {
    await b.producer().send(STATE, m);
    holds = false; // the rebalance's answer arrives while the claim is on its way
  });
  await o.onAssign(change([0]), { seek: () => undefined, holds: () => holds });
  t.notOk(o.owns(0));
  engine.advanceTo(engine.book.now);
  t.same(published, [], 'nothing published');
});

t.test('an execution on a partition its portfolio does not map to is refused', async (t) => {
  const o = owner(await bus(), newEngine());
  await takeOver(o, [...o.portsOf.keys()]);
  const [p, port] = sharedPartition(o);
  const other = (p + 1) % o.portsOf.length;
  t.throws(() => o.admits(port, record(EXECUTIONS, new Uint8Array(0), 0, other)), {
    code: 'WRONG_PARTITION',
    message: new RegExp(`is on partition ${other}; its key maps to ${p}`),
  });
});

t.test('checkpoints are due by count, by event time, or all at a clean stop', async (t) => {
  const engine = newEngine();
  const o = owner(await bus(), engine, 2, 1000);
  await takeOver(o, [...o.portsOf.keys()]);
  const [p, port] = sharedPartition(o);
  const done = (off: number) => o.done(record(EXECUTIONS, new Uint8Array(0), off, p), port);
  done(0);
  t.same(o.checkpointsDue(), [], 'one execution: not yet');
  done(1);
  t.equal(o.checkpointsDue().length, 1, 'two executions: due by count');
  t.same(o.checkpointsDue(), [], 'nothing changed since');
  done(2);
  engine.tick(engine.instrumentIndex('AAPL'), T0 + 5000, 250, 250.2, 250.1);
  t.equal(o.checkpointsDue().length, 1, 'a second of event time later: due by time');
  done(3);
  t.equal(o.checkpointsDue(true).length, 1, 'a clean stop writes every changed portfolio');
  t.equal(o.checkpoints, 3 + engine.book.portfolioIds.length, "and the takeover's claim one per portfolio");
});

t.test('a lost partition is no longer owned; gained back, it is rebuilt again', async (t) => {
  const o = owner(await bus(), newEngine());
  await takeOver(o, [0, 1]);
  await o.onAssign(change([0], [1]), { seek: () => undefined, holds: () => true });
  t.ok(o.owns(0));
  t.notOk(o.owns(1));
  t.notOk(o.fresh(record(EXECUTIONS, new Uint8Array(0), 5, 1)), 'records of a lost partition are not applied');
  t.same(await takeOver(o, [1]), [`${EXECUTIONS}/1@0`], 'nothing to read: from the start');
  t.ok(o.owns(1));
});

t.test('a partition taken away while its takeover read is not published, and not owned', async (t) => {
  const published: Frame[] = [];
  const engine = newEngine((fs) => published.push(...fs.map((f) => decodeFrame(f))), undefined, 'assigned');
  const o = owner(await bus(), engine);
  await o.onAssign(change([0, 1]), { seek: () => undefined, holds: (_topic, p) => p === 0 });
  t.ok(o.owns(0));
  t.notOk(o.owns(1), 'partition 1 went to another member during the read');
  engine.advanceTo(engine.book.now);
  const ids = new Set(published.map((f) => f.channel.slice(f.channel.indexOf(':') + 1)));
  t.ok(
    o.portsOf[0].every((port) => ids.has(engine.book.portfolioIds[port])),
    'partition 0 portfolios published',
  );
  t.notOk(
    o.portsOf[1].some((port) => ids.has(engine.book.portfolioIds[port])),
    'none of partition 1',
  );
});
