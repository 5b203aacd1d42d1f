// The in-process transport: Kafka's semantics in one process. Each partition is a bounded log;
// every consumer group reads it at its own offset. A partition is full when its slowest group lags
// by `queueCapacity` messages or `queueBytes` bytes; then producers wait (backpressure) instead of
// anything being dropped. A partition nobody reads keeps the newest messages up to the same bounds
// (retention), for a group that subscribes later from the beginning.
// Compacted topics keep the newest message per key once older ones leave the log, so a group that
// joins late from the beginning still sees the latest state of every key.

import type {
  Batch,
  Bus,
  BusMessage,
  ConsumedMessage,
  Producer,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './bus.js';
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

/** Placeholder for a trimmed slot, so the log array keeps one element kind. */
const DROPPED: ConsumedMessage = { topic: '', partition: -1, offset: -1, key: '', value: new Uint8Array(0) };

interface Reader {
  offset: number;
}

/** A partition a group reads, with the group's position in it. */
interface Slot {
  partition: Partition;
  reader: Reader;
}

interface Limits {
  messages: number;
  bytes: number;
}

class Partition {
  /** Retained messages; log[start] has offset `base`. */
  log: ConsumedMessage[] = [];
  start = 0;
  base = 0;
  /** Bytes of the retained messages' values. */
  bytes = 0;
  /** One per group reading this partition: the group's next offset here. */
  readers: Reader[] = [];
  /** Newest message per key among those trimmed from the log (compacted topics only). */
  compacted: Map<string, ConsumedMessage> | null;
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly topic: TopicState,
    readonly index: number,
    private readonly limits: Limits,
  ) {
    this.compacted = topic.spec.cleanup === 'compact' ? new Map() : null;
  }

  get head(): number {
    return this.base + this.log.length - this.start;
  }

  /** Lowest next-offset over the groups reading this partition, or head when none reads it. */
  floor(): number {
    let min = this.head;
    for (const r of this.readers) if (r.offset < min) min = r.offset;
    return min;
  }

  /** Retained = unread by the slowest group, since the log is trimmed to what every group has read. */
  hasRoom(): boolean {
    if (this.readers.length === 0) return true;
    return this.head - this.floor() < this.limits.messages && this.bytes < this.limits.bytes;
  }

  append(msg: BusMessage): void {
    const m: ConsumedMessage = {
      topic: this.topic.spec.name,
      partition: this.index,
      offset: this.head,
      key: msg.key,
      value: msg.value,
      headers: msg.headers,
    };
    this.log.push(m);
    this.bytes += msg.value.length;
    // With no reader the log is a ring within the limits (retention); readers bound it instead.
    if (this.readers.length === 0) {
      while (this.head - this.base > this.limits.messages || this.bytes > this.limits.bytes) this.trimTo(this.base + 1);
    }
  }

  /** Drops messages below `offset` (every group has read them), keeping compaction's view. */
  trimTo(offset: number): void {
    const drop = Math.min(offset - this.base, this.log.length - this.start);
    if (drop <= 0) return;
    for (let i = this.start; i < this.start + drop; i++) {
      const m = this.log[i];
      this.bytes -= m.value.length;
      if (this.compacted) this.compacted.set(m.key, m);
      // Let go of it now: the array's dead prefix is only compacted now and then.
      this.log[i] = DROPPED;
    }
    this.start += drop;
    this.base += drop;
    // Reclaim the array's prefix in amortised O(1).
    if (this.start > 1024 && this.start * 2 > this.log.length) {
      this.log = this.log.slice(this.start);
      this.start = 0;
    }
  }

  read(from: number, max: number): ConsumedMessage[] {
    const i = this.start + (from - this.base);
    return this.log.slice(i, Math.min(i + max, this.log.length));
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  wakeProducers(): void {
    while (this.roomWaiters.length > 0 && this.hasRoom()) this.roomWaiters.shift()!();
  }
}

class TopicState {
  partitions: Partition[];
  groups = new Set<GroupMember>();
  constructor(
    readonly spec: TopicSpec,
    limits: Limits,
  ) {
    this.partitions = Array.from({ length: spec.partitions }, (_, i) => new Partition(this, i, limits));
  }
}

class GroupMember implements Subscription {
  /** Every (topic, partition) the group reads, in round-robin order. */
  readonly slots: Slot[] = [];
  /** Slot of the batch being delivered; -1 for a compacted backlog batch (no offset to commit). */
  private delivering = -1;
  /** Compacted messages still to hand out before the log (late joiners of compacted topics). */
  backlog: ConsumedMessage[] = [];
  private paused = false;
  private running = false;
  private closed = false;
  private cursor = 0;

  constructor(
    private bus: InProcessBus,
    readonly options: SubscribeOptions,
    readonly topics: TopicState[],
  ) {}

  schedule(): void {
    if (this.running || this.paused || this.closed) return;
    this.running = true;
    setImmediate(() => void this.pump());
  }

  private nextBatch(): Batch | null {
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
      this.delivering = -1;
      return { topic: first.topic, partition: first.partition, messages: this.backlog.splice(0, n) };
    }
    // Round-robin over every (topic, partition) so one busy partition cannot starve the others.
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const slot = (this.cursor + k) % slots.length;
      const { partition: p, reader } = slots[slot];
      if (reader.offset < p.head) {
        this.cursor = (slot + 1) % slots.length;
        this.delivering = slot;
        return { topic: p.topic.spec.name, partition: p.index, messages: p.read(reader.offset, max) };
      }
    }
    return null;
  }

  private async pump(): Promise<void> {
    let delivered = 0;
    try {
      while (!this.paused && !this.closed) {
        const batch = this.nextBatch();
        if (batch === null) break;
        try {
          const r = this.options.onBatch(batch);
          if (r !== undefined) await r;
        } catch (err) {
          this.bus.onError(err, batch, this.options.group);
          if (this.delivering < 0) this.backlog.unshift(...batch.messages);
          await new Promise((r) => setTimeout(r, this.bus.retryMs));
          continue;
        }
        if (this.closed) return;
        this.commit(batch);
        // Yield to the event loop now and then so timers and sockets keep running.
        if (++delivered % 64 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
    if (!this.paused && !this.closed && this.nextBatchPending()) this.schedule();
  }

  private nextBatchPending(): boolean {
    if (this.backlog.length > 0) return true;
    for (const { partition, reader } of this.slots) if (reader.offset < partition.head) return true;
    return false;
  }

  private commit(batch: Batch): void {
    if (this.delivering < 0) return;
    const { partition, reader } = this.slots[this.delivering];
    const last = batch.messages[batch.messages.length - 1];
    if (last.offset >= reader.offset) reader.offset = last.offset + 1;
    this.bus.progressed(partition);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.bus.leave(this);
  }
}

export class InProcessBus implements Bus {
  readonly kind = 'inprocess' as const;
  readonly maxBatch: number;
  readonly retryMs: number;
  private readonly limits: Limits;
  private readonly defaultPartitions: number;
  private readonly errorHandler: InProcessBusOptions['onError'];
  private topicsByName = new Map<string, TopicState>();
  private groups = new Map<string, GroupMember>();

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
    let tail: Promise<void> = Promise.resolve();
    let closed = false;
    const append = (topic: string, messages: BusMessage[]) => this.appendAll(this.topic(topic), messages);
    return {
      send(topic: string, messages: BusMessage[]): Promise<void> {
        if (closed) return Promise.reject(new Error('producer is closed'));
        // One send at a time per producer keeps per-key order across concurrent callers.
        const run = tail.then(() => append(topic, messages));
        tail = run.catch(() => undefined);
        return run;
      },
      async close(): Promise<void> {
        closed = true;
        await tail;
      },
    };
  }

  private async appendAll(t: TopicState, messages: BusMessage[]): Promise<void> {
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
        const reader = { offset: options.fromBeginning ? p.base : p.head };
        p.readers.push(reader);
        member.slots.push({ partition: p, reader });
        if (options.fromBeginning && p.compacted) member.backlog.push(...p.compacted.values());
      }
      t.groups.add(member);
    }
    this.groups.set(options.group, member);
    if (options.onAssign) {
      // One member reads everything: all partitions are gained at once.
      const assigned = topics.map((t) => ({ topic: t.spec.name, partitions: t.partitions.map((p) => p.index) }));
      await options.onAssign(
        { assigned, gained: assigned, lost: [] },
        {
          seek: (topic, partition, offset) => {
            const slot = member.slots.find(
              (s) => s.partition.topic.spec.name === topic && s.partition.index === partition,
            );
            if (slot) slot.reader.offset = Math.min(Math.max(offset, slot.partition.base), slot.partition.head);
          },
        },
      );
    }
    member.schedule();
    return member;
  }

  async readToEnd(topic: string, partitions: number[], visit: (m: ConsumedMessage) => void): Promise<void> {
    const t = this.topic(topic);
    for (const index of partitions) {
      const p = t.partitions[index];
      if (p.compacted) for (const m of p.compacted.values()) visit(m);
      for (const m of p.read(p.base, p.head - p.base)) visit(m);
    }
  }

  /** Called after a group commits: trims what every group has read and lets producers go on. */
  progressed(p: Partition): void {
    p.trimTo(p.floor());
    p.wakeProducers();
  }

  leave(member: GroupMember): void {
    this.groups.delete(member.options.group);
    for (const t of member.topics) t.groups.delete(member);
    for (const { partition, reader } of member.slots) {
      partition.readers = partition.readers.filter((r) => r !== reader);
      partition.wakeProducers();
    }
  }

  onError(err: unknown, batch: Batch, group: string): void {
    if (this.errorHandler) this.errorHandler(err, batch, group);
    else console.error(`bus: group ${group} failed on ${batch.topic}/${batch.partition}:`, err);
  }

  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) await g.close();
  }
}

export function createInProcessBus(options?: InProcessBusOptions): InProcessBus {
  return new InProcessBus(options);
}
