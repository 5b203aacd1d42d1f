// Which portfolios this engine process owns, and taking them over. Executions are keyed by
// portfolio, so a portfolio lives on one partition of orders.executions and its state belongs to
// whichever group member reads that partition. On gaining a partition the member rebuilds each
// of its portfolios from the newest checkpoint on state.positions (same partition number), then
// reads the executions after it; on losing one it stops publishing for its portfolios.
//
// Exactly-once effect: a checkpoint names the executions offset it reflects, and an execution
// below its portfolio's checkpoint offset is skipped; records redelivered after a crash or a
// consumer restart (below the partition's applied offset) are skipped too; and an execution id
// seen before within the dedupe window changes nothing.

import type { Logger } from 'pino';
import type { PortfolioState } from '../../engine/checkpoint.js';
import type { Engine } from '../../engine/engine.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { Assignment, AssignmentControl, Bus, BusMessage, ConsumedMessage } from '../../streams/bus.js';
import { decodeEnvelopeAuto, encodeEnvelope, ENVELOPE_VERSION, type Codec } from '../../streams/envelope.js';
import { partitionFor } from '../../streams/partitioner.js';
import { checkpointKey, isCheckpointKey } from '../../streams/topics.js';

export interface CheckpointBody {
  /** The executions partition and the next offset not reflected in `state`. */
  input: { topic: string; partition: number; offset: number };
  state: PortfolioState;
}

export interface OwnershipOptions {
  engine: Engine;
  bus: Bus;
  executionsTopic: string;
  stateTopic: string;
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

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  /** Called by the executions subscription on every rebalance (in process: once, with everything). */
  async onAssign(change: Assignment, control: AssignmentControl): Promise<void> {
    const engine = this.o.engine;
    const mine = (list: Assignment['gained']) =>
      list.filter((t) => t.topic === this.o.executionsTopic).flatMap((t) => t.partitions);
    for (const p of mine(change.lost)) {
      for (const port of this.portsOf[p]) engine.release(port);
      this.owned.delete(p);
    }
    const gained = mine(change.gained);
    if (gained.length === 0) return;
    for (const p of gained) for (const port of this.portsOf[p]) engine.release(port);
    const found = await newestCheckpoints(this.o.bus, this.o.stateTopic, gained, (bad) =>
      this.o.logger.warn({ bad }, 'engine: unreadable checkpoints skipped (older ones are used)'),
    );
    for (const p of gained) {
      let from = Infinity;
      for (const port of this.portsOf[p]) {
        const cp = found.get(engine.book.portfolioIds[port]);
        engine.restore(port, cp?.state ?? null);
        this.startAt[port] = cp?.input.offset ?? 0;
        if (this.startAt[port] < from) from = this.startAt[port];
      }
      if (from === Infinity) from = 0;
      control.seek(this.o.executionsTopic, p, from);
      this.owned.set(p, { next: from, changed: new Set(), since: 0, lastAt: engine.book.now });
    }
    this.o.logger.info(
      {
        partitions: gained,
        portfolios: gained.reduce((n, p) => n + this.portsOf[p].length, 0),
        checkpoints: found.size,
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

  private checkpoint(port: number, partition: number, offset: number): BusMessage {
    const body: CheckpointBody = {
      input: { topic: this.o.executionsTopic, partition, offset },
      state: this.o.engine.checkpoint(port),
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
 * a state topic, read to its end: what a process taking the partitions over starts from. Any
 * checkpoint is a valid state (the state is a function of the execution log); the newest replays least.
 */
export async function newestCheckpoints(
  bus: Bus,
  stateTopic: string,
  partitions: number[],
  onUnreadable: (count: number) => void = () => undefined,
): Promise<Map<string, CheckpointBody>> {
  const found = new Map<string, CheckpointBody>();
  let bad = 0;
  await bus.readToEnd(stateTopic, partitions, (m) => {
    if (!isCheckpointKey(m.key)) return;
    try {
      const env = decodeEnvelopeAuto(m.value);
      if (env.type !== 'checkpoint') return;
      const body = env.body as CheckpointBody;
      const prev = found.get(body.state.portfolio);
      if (!prev || body.input.offset >= prev.input.offset) found.set(body.state.portfolio, body);
    } catch {
      bad++;
    }
  });
  if (bad > 0) onUnreadable(bad);
  return found;
}
