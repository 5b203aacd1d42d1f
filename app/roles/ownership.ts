// Which portfolios this engine process owns, and taking them over. Executions are keyed by
// portfolio, so a portfolio lives on one partition of orders.executions and its state belongs to
// whichever group member reads that partition. On gaining a partition the member rebuilds each
// of its portfolios from the newest checkpoint on state.positions (same partition number) and the
// executions after it, read to their end, and only then publishes, continuing each channel after
// the last frame the previous owner published (./handover.ts); on losing one it stops publishing
// for its portfolios at once.
//
// Exactly-once effect: a checkpoint names the executions offset it reflects, and an execution
// below its portfolio's checkpoint offset is skipped; records redelivered after a crash or a
// consumer restart (below the partition's applied offset) are skipped too; and an execution id
// seen before within the dedupe window changes nothing.

import type { Logger } from 'pino';
import type { PortfolioState } from '../../engine/checkpoint.js';
import type { Engine } from '../../engine/engine.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { Assignment, AssignmentControl, Bus, BusMessage, ConsumedMessage, ReadRange } from '../../streams/bus.js';
import { encodeEnvelope, ENVELOPE_VERSION, type Codec } from '../../streams/envelope.js';
import { partitionFor } from '../../streams/partitioner.js';
import { checkpointKey } from '../../streams/topics.js';
import { publishedOf, readHandover, type Handover } from './handover.js';

export interface CheckpointBody {
  /** The executions partition and the next offset not reflected in `state`. */
  input: { topic: string; partition: number; offset: number };
  state: PortfolioState;
}

export interface OwnershipOptions {
  engine: Engine;
  bus: Bus;
  executionsTopic: string;
  /** state.positions: checkpoints and positions frames. */
  stateTopic: string;
  /** Every topic the engine's frames go to (state.positions included), keyed by portfolio. */
  frameTopics: string[];
  /** Applies an execution read during a takeover; returns the portfolio it changed, or -1. */
  apply(m: ConsumedMessage): number;
  /**
   * Resolves once this engine's own frames sent so far are acknowledged: a takeover reads the
   * frame topics after them (a partition regained after a bus outage may still have frames of
   * this engine in flight), so it never continues from a seq below one it sent itself.
   */
  sent(): Promise<void>;
  /** Sends a takeover's claim (checkpoints on the state topic) and resolves once it is on the bus. */
  claim(checkpoints: BusMessage[]): Promise<void>;
  /** Drops frames and checkpoints of these portfolios not yet on the bus (see Outbound.withdraw). */
  withdraw(portfolios: ReadonlySet<string>): number;
  stateCodec: Codec;
  src: string;
  logger: Logger;
  checkpointEvery: number;
  checkpointEveryMs: number;
}

interface OwnedPartition {
  /** The next executions offset to apply. */
  next: number;
  /** Portfolios changed since the last checkpoint, executions since it, and its event time. */
  changed: Set<number>;
  since: number;
  lastAt: number;
}

const NO_MESSAGES: BusMessage[] = [];

export class PortfolioOwnership {
  /** Portfolios (dense indexes) per executions partition. */
  readonly portsOf: number[][];
  readonly partitionOf: Int32Array;
  /** Owned partitions. */
  private readonly owned = new Map<number, OwnedPartition>();
  /** Per portfolio: executions below this offset are already inside its state. */
  private readonly startAt: Float64Array;
  private seq = 0;
  /** Checkpoint records written (for metrics and tests). */
  checkpoints = 0;

  constructor(private readonly o: OwnershipOptions) {
    const n = o.bus.partitions(o.executionsTopic);
    const ids = o.engine.book.portfolioIds;
    this.partitionOf = Int32Array.from(ids, (id) => partitionFor(id, n));
    this.portsOf = Array.from({ length: n }, () => []);
    ids.forEach((_, port) => this.portsOf[this.partitionOf[port]].push(port));
    this.startAt = new Float64Array(ids.length);
    const stateN = o.bus.partitions(o.stateTopic);
    if (stateN !== n) {
      throw new RisklineError(
        'CONFIG_INVALID',
        `topics: ${o.stateTopic} has ${stateN} partitions and ${o.executionsTopic} ${n}; checkpoints need the same count`,
      );
    }
  }

  /** Where a takeover of `ports` reads their checkpoints and last frames: their partition of each frame topic. */
  private frameRanges(ports: number[]): ReadRange[] {
    const ids = this.o.engine.book.portfolioIds;
    const seen = new Set<string>();
    const out: ReadRange[] = [];
    for (const topic of this.o.frameTopics) {
      const n = this.o.bus.partitions(topic);
      for (const port of ports) {
        const partition = partitionFor(ids[port], n);
        if (seen.has(`${topic}/${partition}`)) continue;
        seen.add(`${topic}/${partition}`);
        out.push({ topic, partition });
      }
    }
    return out;
  }

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  /**
   * Called by the executions subscription on every rebalance (in process: once, with everything).
   * Lost partitions stop publishing at once. Gained ones are rebuilt in full before any frame:
   * checkpoint, then every execution after it up to the partition's end, then the channels
   * continue after the last frame published; the subscription resumes after what was read.
   */
  async onAssign(change: Assignment, control: AssignmentControl): Promise<void> {
    const engine = this.o.engine;
    const mine = (list: Assignment['gained']) =>
      list.filter((t) => t.topic === this.o.executionsTopic).flatMap((t) => t.partitions);
    const released = new Set<string>();
    for (const p of mine(change.lost)) {
      for (const port of this.portsOf[p]) {
        engine.release(port);
        released.add(engine.book.portfolioIds[port]);
      }
      this.owned.delete(p);
    }
    // What this engine made while it owned them but never got onto the bus (a broker outage) must
    // not land after the next owner's snapshot.
    const withdrawn = released.size > 0 ? this.o.withdraw(released) : 0;
    if (withdrawn > 0) this.o.logger.info({ records: withdrawn }, 'engine: unsent frames of lost partitions dropped');
    const gained = mine(change.gained);
    if (gained.length === 0) return;
    const started = Date.now();
    const ports = gained.flatMap((p) => this.portsOf[p]);
    for (const port of ports) engine.release(port);
    await this.o.sent();
    const ids = engine.book.portfolioIds;
    const h = await readHandover(this.o.bus, this.frameRanges(ports), new Set(ports.map((port) => ids[port])));
    if (h.unreadable > 0)
      this.o.logger.warn(
        { records: h.unreadable },
        'engine: unreadable checkpoints or frames skipped (older ones are used)',
      );
    const replay: ReadRange[] = [];
    for (const p of gained) {
      let from = Infinity;
      for (const port of this.portsOf[p]) {
        const cp = h.checkpoints.get(ids[port]);
        engine.restore(port, cp?.state ?? null);
        this.startAt[port] = cp?.input.offset ?? 0;
        if (this.startAt[port] < from) from = this.startAt[port];
      }
      if (from === Infinity) from = 0;
      this.owned.set(p, { next: from, changed: new Set(), since: 0, lastAt: engine.book.now });
      replay.push({ topic: this.o.executionsTopic, partition: p, from });
    }
    let replayed = 0;
    await this.o.bus.readRanges(replay, (m) => {
      if (!this.fresh(m)) return;
      this.done(m, this.o.apply(m));
      replayed++;
    });
    for (const p of gained) control.seek(this.o.executionsTopic, p, this.owned.get(p)!.next);
    // A rebalance may have taken some back while this one read: those are not published at all.
    const held = () => gained.filter((p) => this.owned.has(p) && control.holds(this.o.executionsTopic, p));
    const claimed = held();
    await this.o.claim(claimed.flatMap((p) => this.claimOf(p, h)));
    const kept = new Set(held());
    for (const p of gained) {
      if (!kept.has(p)) {
        this.owned.delete(p);
        continue;
      }
      for (const port of this.portsOf[p]) engine.own(port, publishedOf(h, ids[port]));
    }
    this.o.logger.info(
      {
        partitions: gained,
        portfolios: ports.length,
        checkpoints: h.checkpoints.size,
        replayed,
        tookMs: Date.now() - started,
      },
      'engine: took over partitions',
    );
  }

  /** False for a record already reflected in this engine's state (a redelivery). */
  fresh(m: ConsumedMessage): boolean {
    const part = this.owned.get(m.partition);
    return part !== undefined && m.offset >= part.next;
  }

  /**
   * Whether an execution of portfolio `port`, read at `m`, is to be applied: it must be on its
   * portfolio's partition, and not already inside the portfolio's checkpoint.
   */
  admits(port: number, m: ConsumedMessage): boolean {
    if (this.partitionOf[port] !== m.partition) {
      throw new RisklineError(
        'WRONG_PARTITION',
        `execution for ${this.o.engine.book.portfolioIds[port]} is on partition ${m.partition}; its key maps to ${this.partitionOf[port]} (key executions by portfolio)`,
      );
    }
    return m.offset >= this.startAt[port];
  }

  /** Records that `m` was applied (it changed `port`, when given). */
  done(m: ConsumedMessage, port: number): void {
    const part = this.owned.get(m.partition)!;
    part.next = m.offset + 1;
    if (port < 0) return;
    part.changed.add(port);
    part.since++;
  }

  /** Checkpoints of partitions due by count or event time; `all` writes every changed one (shutdown). */
  checkpointsDue(all = false): BusMessage[] {
    const now = this.o.engine.book.now;
    let out = NO_MESSAGES;
    for (const [p, part] of this.owned) {
      if (part.changed.size === 0) continue;
      if (!all && part.since < this.o.checkpointEvery && now - part.lastAt < this.o.checkpointEveryMs) continue;
      if (out === NO_MESSAGES) out = [];
      for (const port of part.changed) out.push(this.checkpoint(port, p, part.next));
      part.changed.clear();
      part.since = 0;
      part.lastAt = now;
    }
    return out;
  }

  /**
   * A takeover's claim of partition `p`: each portfolio's checkpoint, naming the seqs its channels
   * will continue from. It is on the bus before the first frame, so a member that takes the partition
   * over next, even while those frames are still in flight, reads it and continues past them.
   */
  private claimOf(p: number, h: Handover): BusMessage[] {
    const ids = this.o.engine.book.portfolioIds;
    const next = this.owned.get(p)!.next;
    return this.portsOf[p].map((port) =>
      this.checkpoint(port, p, next, this.o.engine.takeoverSeqs(port, publishedOf(h, ids[port]))),
    );
  }

  private checkpoint(port: number, partition: number, offset: number, seqs?: [string, number][]): BusMessage {
    const body: CheckpointBody = {
      input: { topic: this.o.executionsTopic, partition, offset },
      state: this.o.engine.checkpoint(port, seqs),
    };
    this.checkpoints++;
    return {
      key: checkpointKey(this.o.engine.book.portfolioIds[port]),
      partition,
      value: encodeEnvelope(
        { v: ENVELOPE_VERSION, type: 'checkpoint', src: this.o.src, ts: body.state.asOf, seq: ++this.seq, body },
        this.o.stateCodec,
      ),
    };
  }
}

/**
 * The newest checkpoint (highest executions offset) of every portfolio on the given partitions of
 * a state topic, read to its end. Any checkpoint is a valid state (the state is a function of the
 * execution log); the newest replays least.
 */
export async function newestCheckpoints(
  bus: Bus,
  stateTopic: string,
  partitions: number[],
  onUnreadable: (count: number) => void = () => undefined,
): Promise<Map<string, CheckpointBody>> {
  const ranges = partitions.map((partition) => ({ topic: stateTopic, partition }));
  const h = await readHandover(bus, ranges, new Set());
  if (h.unreadable > 0) onUnreadable(h.unreadable);
  return h.checkpoints;
}
