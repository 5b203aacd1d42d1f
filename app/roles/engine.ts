// The engine role: bus records in, engine calls, frames out to the state topics. Thin glue around
// the pure engine, wiring parts with one job each: ./engine-input.ts decodes and applies records
// (bad ones to the DLQ, ./dead-letters.ts), ./frame-router.ts routes frames to their topics,
// ./outbound.ts publishes each cycle's records with flow control, and ./ownership.ts owns
// portfolios and their checkpoints. Two subscriptions: every engine process reads all of md.ticks
// (every portfolio needs every mark), while orders.executions is split across the engine group.
// Event time moves only with inputs (feeds send heartbeats on quiet markets): no timer here.

import type { Logger } from 'pino';
import { Engine, type EngineOptions } from '../../engine/engine.js';
import type { EncodedFrame } from '../../engine/frames.js';
import type { Batch, Bus, BusMessage, ConsumedMessage, Subscription } from '../../streams/bus.js';
import { checkpointKey, isCheckpointKey, TOPIC, type TopicConfig } from '../../streams/topics.js';
import type { Recorder } from '../recorder.js';
import { DeadLetters } from './dead-letters.js';
import { InputApplier } from './engine-input.js';
import { codecOf, FrameRouter } from './frame-router.js';
import { Outbound } from './outbound.js';
import { PortfolioOwnership } from './ownership.js';

export interface EngineRoleOptions {
  bus: Bus;
  topics: TopicConfig;
  engine: EngineOptions;
  logger: Logger;
  /** Producer id written into envelopes. */
  src: string;
  recorder?: Recorder | null;
  /** Called after each record is applied, with the ticks it carried (benchmarks measure with it). */
  onApplied?: (message: ConsumedMessage, ticks: number) => void;
  /** Checkpoint cadence (see config `engine`). */
  checkpointEvery?: number;
  checkpointEveryMs?: number;
  /** Frame bytes the tick reader may leave unacknowledged before it waits (default 8 MiB). */
  maxUnackedFrameBytes?: number;
}

/** The engine consumer group of a deployment: `riskline.engine` for the default prefix. */
export const engineGroup = (prefix: string): string => `${prefix}engine`;

export interface EngineRole {
  engine: Engine;
  ownership: PortfolioOwnership;
  stats(): { dlq: number; lastInputTs: number; checkpoints: number; publishFailures: number };
  close(): Promise<void>;
}

/** The parts of one engine role, wired. */
interface Parts {
  engine: Engine;
  input: InputApplier;
  deadLetters: DeadLetters;
  outbound: Outbound;
  ownership: PortfolioOwnership;
  recorder: Recorder | null;
  positionsTopic: string;
}

function assemble(o: EngineRoleOptions): Parts {
  const { topics, logger } = o;
  const name = (t: string) => topics.prefix + t;
  const positionsTopic = name(TOPIC.positions);
  const executionsTopic = name(TOPIC.executions);
  const recorder = o.recorder ?? null;
  const frameTopics = [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts].map(name);
  const stateTopics = new Set([TOPIC.positions, TOPIC.exposures].map(name));
  // A refused positions or exposures frame leaves its channel without a base: the frames queued after
  // it are withdrawn and the portfolio's next publication is a snapshot, so a reader sees a gap only
  // before a snapshot (risk frames are whole; alerts are events, never withdrawn).
  const rebase = (topic: string, messages: BusMessage[]) => {
    if (!stateTopics.has(topic)) return;
    const ids = new Set(messages.map((m) => m.key as string).filter((k) => !isCheckpointKey(k)));
    outbound.withdraw(new Set([topic]), ids);
    for (const id of ids) {
      const port = engine.portfolioIndex(id);
      if (port >= 0) engine.resnapshot(port);
    }
  };
  const outbound = new Outbound(o.bus.producer(), logger, o.maxUnackedFrameBytes, rebase);
  const router = new FrameRouter(topics, o.src);
  const sink = (frames: EncodedFrame[]) => {
    for (const f of frames) {
      recorder?.frame(f);
      const r = router.route(f.channel);
      outbound.to(r.topic).push(router.message(f, r));
    }
  };
  // Publishes nothing until ownership hands it portfolios: one publisher per portfolio.
  const engine = new Engine({ ...o.engine, publishes: 'assigned' }, sink, router.prefix);
  const ownership = new PortfolioOwnership({
    engine,
    bus: o.bus,
    executionsTopic,
    stateTopic: positionsTopic,
    frameTopics,
    apply: (m): number => input.apply(m),
    sent: () => (outbound.flush(), outbound.acknowledged()),
    claim: (checkpoints) => outbound.sendAcked(positionsTopic, checkpoints),
    withdraw: (ids) => {
      const keys = new Set<string>(ids);
      for (const id of ids) keys.add(checkpointKey(id));
      return outbound.withdraw(new Set(frameTopics), keys);
    },
    stateCodec: codecOf(topics, positionsTopic),
    src: o.src,
    logger,
    checkpointEvery: o.checkpointEvery ?? 5000,
    checkpointEveryMs: o.checkpointEveryMs ?? 10_000,
  });
  const dlqTopic = name(TOPIC.dlq);
  const deadLetters = new DeadLetters(() => outbound.to(dlqTopic), logger);
  const input = new InputApplier({
    engine,
    executionsTopic,
    deadLetters,
    admits: (port, m): boolean => ownership.admits(port, m),
    recorder,
    onApplied: o.onApplied,
  });
  return { engine, input, deadLetters, outbound, ownership, recorder, positionsTopic };
}

/**
 * Sends a cycle's frames, then the checkpoints due, taken now but sent only once those frames are
 * acknowledged: a checkpoint never reaches the bus ahead of the frames it reflects (a breach's
 * alert above all), so a crash between the two cannot leave a breach checkpointed but never
 * announced. Settles once both are acknowledged; the offsets they cover are committed after.
 */
function publishCycle(p: Parts, all: boolean): Promise<void> | undefined {
  // Never while inputs wait on a scenario build: the book does not hold them yet (the next cycle does).
  const due = p.engine.holding ? [] : p.ownership.checkpointsDue(all);
  const frames = p.outbound.flush();
  if (due.length === 0) return frames;
  return p.outbound.acknowledged().then(() => {
    p.outbound.to(p.positionsTopic).push(...due);
    return p.outbound.flush();
  });
}

/** Runs `then` now, or once the engine's held inputs are applied (their frames go out with it). */
function afterHold(p: Parts, then: () => Promise<void> | undefined): Promise<void> | undefined {
  return p.engine.holding ? p.engine.settled().then(then) : then();
}

/**
 * Executions, split across the engine group: applied only on owned partitions and past their
 * checkpoints, and a batch's offsets are committed only once its frames and checkpoints are
 * acknowledged (the returned promise).
 */
function subscribeExecutions(bus: Bus, topics: TopicConfig, p: Parts): Promise<Subscription> {
  const { engine, ownership, recorder, input } = p;
  return bus.subscribe({
    // One group per deployment (the topic prefix names it): engines of another prefix on the same
    // cluster never rebalance this one. Ownership seeks each gained partition to its checkpoints.
    group: engineGroup(topics.prefix),
    topics: [topics.prefix + TOPIC.executions],
    from: 'committed',
    onAssign: async (change, control) => {
      await ownership.onAssign(change, control);
      // Executions the takeover replayed may wait on a scenario build: applied before going on.
      await engine.settled();
      // Taken-over portfolios publish a full snapshot now, not at the next input (recorded as a
      // heartbeat, so a replay publishes the same).
      if (engine.book.now > 0) {
        recorder?.heartbeat(engine.book.now);
        engine.advanceTo(engine.book.now);
      }
      // The executions a takeover read count toward checkpoints like any others.
      await publishCycle(p, false);
    },
    onBatch(batch: Batch) {
      if (!ownership.owns(batch.partition)) return undefined;
      for (const m of batch.messages) if (ownership.fresh(m)) ownership.done(m, input.apply(m));
      // Executions waiting on a scenario build are applied before their offsets are committed.
      return afterHold(p, () => publishCycle(p, false));
    },
  });
}

/**
 * Ticks: every partition from the live edge, nothing committed (a restarted engine starts at the
 * live edge; checkpoints carry the marks of what it holds). No offsets wait on ticks, so their
 * frames need not be acknowledged before the next batch: unacknowledged bytes are the bound.
 */
function subscribeTicks(bus: Bus, topics: TopicConfig, src: string, p: Parts): Promise<Subscription> {
  return bus.subscribe({
    group: `${engineGroup(topics.prefix)}-ticks-${src}`,
    topics: [topics.prefix + TOPIC.ticks],
    from: 'latest',
    commit: false,
    onBatch(batch: Batch) {
      for (const m of batch.messages) p.input.apply(m);
      // While a scenario build holds inputs, the next batch waits: memory stays bounded.
      return afterHold(p, () => p.outbound.flushBounded());
    },
  });
}

export async function startEngineRole(o: EngineRoleOptions): Promise<EngineRole> {
  const p = assemble(o);
  // The valuation day's scenario sets are built before any input is taken: the role has started
  // when its engine can answer every risk method.
  await p.engine.settled();
  // Before joining the group: the opening frames must not wait on the producer's set-up while a
  // rebalance hands their portfolios to another engine.
  await p.outbound.connect();
  const executions = await subscribeExecutions(o.bus, o.topics, p);
  let ticks: Subscription;
  try {
    ticks = await subscribeTicks(o.bus, o.topics, o.src, p);
  } catch (err) {
    await executions.close();
    throw err;
  }
  return {
    engine: p.engine,
    ownership: p.ownership,
    stats: () => ({
      dlq: p.deadLetters.count,
      lastInputTs: p.input.lastInputTs,
      checkpoints: p.ownership.checkpoints,
      publishFailures: p.outbound.failures,
    }),
    async close() {
      await ticks.close();
      await executions.close();
      await p.engine.settled();
      p.engine.flush();
      // A clean stop leaves checkpoints of everything changed, so the next owner replays nothing.
      await publishCycle(p, true);
      await p.outbound.close();
      await p.recorder?.close();
    },
  };
}
