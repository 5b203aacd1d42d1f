// The in-process transport: Kafka's semantics in one process. Each partition is a bounded log
// (./inprocess-log.ts) that every consumer group reads at its own offset; a full partition makes
// producers wait. A group's offsets are committed when its onBatch settles and outlive its member:
// the group's next member resumes after them, as over Kafka. One member per group (one process
// has nothing to balance), so that member reads every partition of its topics.

import {
  busHealth,
  type Batch,
  type BatchesHandled,
  type Bus,
  type BusHealth,
  type BusMessage,
  type ConsumedMessage,
  type Producer,
  type ReadRange,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHealth,
  type TopicSpec,
} from './bus.js';
import { Partition, type Limits, type Reader } from './inprocess-log.js';
import { partitionFor } from './partitioner.js';

export interface InProcessBusOptions {
  /** Messages a partition may hold beyond its slowest group before producers wait. */
  queueCapacity?: number;
  /** Bytes a partition may hold beyond its slowest group before producers wait. */
  queueBytes?: number;
  /** Default largest batch handed to a consumer. */
  maxBatch?: number;
  /** Topics that are used before ensureTopics names them get this many partitions. */
  defaultPartitions?: number;
  /** Called when a consumer's onBatch throws; the batch is retried after `retryMs`. */
  onError?: (err: unknown, batch: Batch, group: string) => void;
  retryMs?: number;
}

const noop = (): void => undefined;

/** A partition a group reads, with the group's position in it. */
interface Slot {
  partition: Partition;
  reader: Reader;
}

/** A batch in a member's hand, and the slot it came from (-1: compacted backlog, no offset to commit). */
interface InHand {
  batch: Batch;
  slot: number;
}

class TopicState {
  readonly partitions: Partition[];
  readonly groups = new Set<GroupMember>();
  constructor(
    readonly spec: TopicSpec,
    limits: Limits,
  ) {
    this.partitions = Array.from(
      { length: spec.partitions },
      (_, i) => new Partition(spec.name, i, spec.cleanup === 'compact', limits),
    );
  }
}

class GroupMember implements Subscription {
  /** Every (topic, partition) the group reads, in round-robin order. */
  readonly slots: Slot[] = [];
  /** Compacted messages still to hand out before the log (late joiners of compacted topics). */
  readonly backlog: ConsumedMessage[] = [];
  /** From a failed onBatch until a batch succeeds (settled() does not wait for such a member). */
  failing = false;
  /** The batches onBatch (or onBatches) has now. */
  private inHand: InHand[] = [];
  paused = false;
  closed = false;
  private running = false;
  private cursor = 0;
  /** The delivery loop now running, if any: close() waits for the batch in hand. */
  private pumping: Promise<void> = Promise.resolve();
  private readonly startPump = (): void => void (this.pumping = this.pump());

  constructor(
    private readonly bus: InProcessBus,
    readonly options: SubscribeOptions,
    readonly topics: TopicState[],
  ) {}

  /** In process the bus always answers; lag is what the member has yet to be handed. */
  health(): SubscriptionHealth {
    let lag = this.backlog.length;
    for (const { partition, reader } of this.slots) lag += partition.head - reader.offset;
    return {
      group: this.options.group,
      topics: this.options.topics,
      state: this.closed ? 'closed' : 'consuming',
      assigned: this.slots.length,
      lag,
      lastFetchAgoMs: 0,
    };
  }

  schedule(): void {
    if (this.running || this.paused || this.closed) return;
    this.running = true;
    setImmediate(this.startPump);
  }

  /**
   * What to hand over next: a backlog batch, or the next partition with records in round-robin
   * order (so one busy partition cannot starve the others); with onBatches, every partition that has
   * records, up to maxBatch records in all.
   */
  private nextBatches(): InHand[] {
    const max = this.options.maxBatch ?? this.bus.maxBatch;
    if (this.backlog.length > 0) {
      const first = this.backlog[0];
      let n = 0;
      while (
        n < this.backlog.length &&
        n < max &&
        this.backlog[n].topic === first.topic &&
        this.backlog[n].partition === first.partition
      )
        n++;
      return [
        { batch: { topic: first.topic, partition: first.partition, messages: this.backlog.splice(0, n) }, slot: -1 },
      ];
    }
    const slots = this.slots;
    const many = this.options.onBatches !== undefined;
    const out: InHand[] = [];
    let room = max;
    const start = this.cursor;
    for (let k = 0; k < slots.length && room > 0; k++) {
      const slot = (start + k) % slots.length;
      const { partition: p, reader } = slots[slot];
      if (reader.offset >= p.head) continue;
      this.cursor = (slot + 1) % slots.length;
      const messages = p.read(reader.offset, room);
      out.push({ batch: { topic: p.topic, partition: p.index, messages }, slot });
      if (!many) break;
      room -= messages.length;
    }
    return out;
  }

  /** Hands `batches` over; how many were handled, and the next one's error when it failed. */
  private async hand(batches: InHand[]): Promise<BatchesHandled> {
    const { onBatch, onBatches } = this.options;
    if (onBatches !== undefined && batches[0].slot >= 0) {
      try {
        return await onBatches(batches.map((b) => b.batch));
      } catch (error) {
        return { done: 0, error };
      }
    }
    try {
      const r = onBatch(batches[0].batch);
      if (r !== undefined) await r;
      return { done: 1 };
    } catch (error) {
      return { done: 0, error };
    }
  }

  private async pump(): Promise<void> {
    let delivered = 0;
    try {
      while (!this.paused && !this.closed) {
        const batches = this.nextBatches();
        if (batches.length === 0) break;
        this.inHand = batches;
        const { done, error } = await this.hand(batches);
        this.inHand = [];
        // Committed even when close() came meanwhile: close waits for this batch, as Kafka's does.
        for (let k = 0; k < done; k++) this.commit(batches[k]);
        // The batch that failed is handed over again, and those after it (never committed) with it.
        const failed = done < batches.length ? batches[done] : null;
        this.failing = failed !== null;
        if (failed !== null) {
          this.bus.onError(error, failed.batch, this.options.group);
          if (failed.slot < 0) this.backlog.unshift(...failed.batch.messages);
        }
        this.bus.delivered();
        if (failed !== null) {
          await new Promise((r) => setTimeout(r, this.bus.retryMs));
          continue;
        }
        // Yield to the event loop now and then so timers and sockets keep running.
        if (++delivered % 64 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
    if (!this.paused && !this.closed && this.pending()) this.schedule();
  }

  /** Whether compacted records handed out ahead of the log are still to deliver or in hand. */
  backlogPending(): boolean {
    return this.backlog.length > 0 || this.inHand.some((b) => b.slot < 0);
  }

  /** Whether anything is left to deliver. */
  pending(): boolean {
    if (this.backlog.length > 0) return true;
    for (const { partition, reader } of this.slots) if (reader.offset < partition.head) return true;
    return false;
  }

  private commit({ batch, slot }: InHand): void {
    if (slot >= 0) {
      const { partition, reader } = this.slots[slot];
      const last = batch.messages[batch.messages.length - 1];
      if (last.offset >= reader.offset) reader.offset = last.offset + 1;
      this.bus.progressed(partition);
    }
  }

  pause(): void {
    this.paused = true;
    this.bus.delivered();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pumping;
    this.bus.leave(this);
  }
}

/** Appends its sends in call order, one at a time, so per-key order holds across concurrent callers. */
class InProcessProducer implements Producer {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly bus: InProcessBus,
    private readonly forget: (p: InProcessProducer) => void,
  ) {}

  send(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('producer is closed'));
    const run = this.tail.then(() => this.bus.append(topic, messages));
    this.tail = run.catch(noop);
    return run;
  }

  async connect(): Promise<void> {}

  /** In process a send is appended as soon as its partition has room: nothing waits long enough to withdraw. */
  withdraw(): number {
    return 0;
  }

  /** Settles once every send called so far has been appended (or refused). */
  appended(): Promise<void> {
    return this.tail;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.forget(this);
  }
}

/** A settled() call: the head of every partition of every member as of the call. */
interface SettleWaiter {
  heads: Map<GroupMember, number[]>;
  resolve(): void;
}

export class InProcessBus implements Bus {
  readonly kind = 'inprocess' as const;
  readonly maxBatch: number;
  readonly retryMs: number;
  private readonly limits: Limits;
  private readonly defaultPartitions: number;
  private readonly errorHandler: InProcessBusOptions['onError'];
  private readonly topicsByName = new Map<string, TopicState>();
  private readonly groups = new Map<string, GroupMember>();
  /** Per group, its committed offsets: kept when its member leaves, for the group's next member. */
  private readonly committed = new Map<string, Map<Partition, number>>();
  private readonly producers = new Set<InProcessProducer>();
  private settleWaiters: SettleWaiter[] = [];

  constructor(options: InProcessBusOptions = {}) {
    this.limits = { messages: options.queueCapacity ?? 65536, bytes: options.queueBytes ?? 16 * 1024 * 1024 };
    this.maxBatch = options.maxBatch ?? 1024;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.retryMs = options.retryMs ?? 100;
    this.errorHandler = options.onError;
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (const spec of topics) {
      const existing = this.topicsByName.get(spec.name);
      if (existing && existing.spec.partitions !== spec.partitions) {
        throw new Error(
          `topic ${spec.name} exists with ${existing.spec.partitions} partitions, asked for ${spec.partitions}`,
        );
      }
      if (!existing) this.topicsByName.set(spec.name, new TopicState(spec, this.limits));
    }
  }

  private topic(name: string): TopicState {
    let t = this.topicsByName.get(name);
    if (!t) {
      t = new TopicState(
        { name, partitions: this.defaultPartitions, cleanup: 'delete', codec: 'msgpack' },
        this.limits,
      );
      this.topicsByName.set(name, t);
    }
    return t;
  }

  partitions(topic: string): number {
    return this.topic(topic).spec.partitions;
  }

  producer(): Producer {
    const p = new InProcessProducer(this, (gone) => this.producers.delete(gone));
    this.producers.add(p);
    return p;
  }

  /** Appends messages in order, waiting while a partition is full. */
  async append(topic: string, messages: BusMessage[]): Promise<void> {
    const t = this.topic(topic);
    const n = t.spec.partitions;
    for (const msg of messages) {
      const index = msg.partition ?? partitionFor(msg.key, n);
      if (index < 0 || index >= n) throw new Error(`partition ${index} out of range for ${t.spec.name} (${n})`);
      const p = t.partitions[index];
      while (!p.hasRoom()) {
        this.wake(t);
        await p.waitForRoom();
      }
      p.append(msg);
    }
    this.wake(t);
  }

  private wake(t: TopicState): void {
    for (const g of t.groups) g.schedule();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.groups.has(options.group)) {
      throw new Error(`group ${options.group} already has a member; the in-process bus runs one member per group`);
    }
    const topics = options.topics.map((name) => this.topic(name));
    const member = new GroupMember(this, options, topics);
    for (const t of topics) {
      for (const p of t.partitions) {
        const from = this.startOffset(p, options);
        member.backlog.push(...p.compactedFrom(from));
        const reader = { offset: Math.max(from, p.base) };
        p.readers.push(reader);
        member.slots.push({ partition: p, reader });
      }
      t.groups.add(member);
    }
    this.groups.set(options.group, member);
    if (options.onAssign) await this.assignAll(member);
    member.schedule();
    return member;
  }

  /** Where a new member starts in `p` (below the log's base: compacted records from there, then the log). */
  private startOffset(p: Partition, o: SubscribeOptions): number {
    const from = o.from ?? 'committed';
    if (from === 'latest') return p.head;
    if (from === 'committed') return this.committed.get(o.group)?.get(p) ?? 0;
    return 0;
  }

  /** One member reads everything: every partition is gained at once, and seeks are applied to it. */
  private async assignAll(member: GroupMember): Promise<void> {
    const assigned = member.topics.map((t) => ({
      topic: t.spec.name,
      partitions: t.partitions.map((p) => p.index),
    }));
    await member.options.onAssign!(
      { assigned, gained: assigned, lost: [] },
      {
        seek: (topic, partition, offset) => {
          const slot = member.slots.find((s) => s.partition.topic === topic && s.partition.index === partition);
          if (!slot) return;
          slot.reader.offset = Math.min(Math.max(offset, slot.partition.base), slot.partition.head);
          // A seek replaces the start position: compacted records below it are not handed out.
          const kept = member.backlog.filter((m) => m.topic !== topic || m.partition !== partition);
          member.backlog.splice(0, member.backlog.length, ...kept);
        },
        holds: () => !member.closed,
      },
    );
  }

  readToEnd(topic: string, partitions: number[], visit: (m: ConsumedMessage) => void): Promise<void> {
    return this.readRanges(
      partitions.map((partition) => ({ topic, partition })),
      visit,
    );
  }

  async readRanges(ranges: ReadRange[], visit: (m: ConsumedMessage) => void): Promise<void> {
    for (const r of ranges) {
      const p = this.topic(r.topic).partitions[r.partition];
      const from = Math.max(r.from ?? 0, 0);
      for (const m of p.compactedFrom(from)) visit(m);
      const start = Math.max(from, p.base);
      for (const m of p.read(start, p.head - start)) visit(m);
    }
  }

  async settled(): Promise<void> {
    // Sends already called are appended first (each producer appends in call order).
    await Promise.all([...this.producers].map((p) => p.appended()));
    const heads = new Map<GroupMember, number[]>();
    for (const m of this.groups.values())
      heads.set(
        m,
        m.slots.map((s) => s.partition.head),
      );
    await new Promise<void>((resolve) => {
      this.settleWaiters.push({ heads, resolve });
      this.delivered();
    });
  }

  /** After a member delivered (or failed, paused, left): resolves the settled() calls now met. */
  delivered(): void {
    if (this.settleWaiters.length === 0) return;
    this.settleWaiters = this.settleWaiters.filter((w) => {
      if (!caughtUp(w.heads)) return true;
      w.resolve();
      return false;
    });
  }

  /** Called after a group commits: trims what every group has read and lets producers go on. */
  progressed(p: Partition): void {
    p.trimTo(p.floor());
    p.wakeProducers();
  }

  leave(member: GroupMember): void {
    const { group, commit } = member.options;
    this.groups.delete(group);
    if (commit !== false) this.committed.set(group, new Map(member.slots.map((s) => [s.partition, s.reader.offset])));
    for (const t of member.topics) t.groups.delete(member);
    for (const { partition, reader } of member.slots) {
      partition.readers = partition.readers.filter((r) => r !== reader);
      partition.wakeProducers();
    }
    this.delivered();
  }

  onError(err: unknown, batch: Batch, group: string): void {
    if (this.errorHandler) this.errorHandler(err, batch, group);
    else console.error(`bus: group ${group} failed on ${batch.topic}/${batch.partition}:`, err);
  }

  health(): BusHealth {
    return busHealth(
      this.kind,
      [...this.groups.values()].map((g) => g.health()),
    );
  }

  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) await g.close();
  }
}

/** Whether every member of a settled() call has read up to its heads, or is not waited for. */
function caughtUp(heads: Map<GroupMember, number[]>): boolean {
  for (const [member, at] of heads) {
    if (member.closed || member.paused || member.failing) continue;
    if (member.backlogPending()) return false;
    for (let i = 0; i < at.length; i++) if (member.slots[i].reader.offset < at[i]) return false;
  }
  return true;
}

export function createInProcessBus(options?: InProcessBusOptions): InProcessBus {
  return new InProcessBus(options);
}
