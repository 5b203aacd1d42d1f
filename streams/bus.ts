// The bus contract. The in-process transport and the Kafka transport both implement it, so a role
// never knows which one it runs on. Semantics follow Kafka: topics split into partitions, a key
// always lands in the same partition, order is kept per partition, consumer groups track offsets.

export interface BusMessage {
  key: string;
  /** Explicit partition; when absent the key's murmur2 hash picks it (Kafka's default partitioner). */
  partition?: number;
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface ConsumedMessage extends BusMessage {
  topic: string;
  partition: number;
  offset: number;
}

/** One partition read outside any group, from `from` (default: the oldest retained record) to its end. */
export interface ReadRange {
  topic: string;
  partition: number;
  from?: number;
}

export interface Batch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

export interface Producer {
  /**
   * Appends messages in order, and successive sends in call order (callers need not wait for one
   * send before the next). Resolves once every message is accepted by the bus; while a partition
   * is full (a consumer group lags by its capacity) the promise waits: that is the backpressure a
   * slow consumer exerts on its producers. Nothing is dropped.
   */
  send(topic: string, messages: BusMessage[]): Promise<void>;
  /**
   * Gives up on records sent so far to these topics under these keys that the bus has not taken yet (a send held
   * back by an absent cluster): an engine that lost a portfolio's partition must not publish it
   * late, after the new owner's snapshot. Their sends resolve; returns how many records were dropped.
   * Records already written, or in a request the cluster may have taken, are not recalled.
   */
  withdraw(topics: ReadonlySet<string>, keys: ReadonlySet<string>): number;
  /**
   * Sets the producer up ahead of its first send (over Kafka: connection and producer id, which
   * take seconds on a broker still loading), so a role's first records are not held up by it.
   */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** A change of the partitions a group member reads (a Kafka rebalance; once, at start, in process). */
export interface Assignment {
  /** Everything this member now reads. */
  assigned: TopicPartitions[];
  /** Newly handed to this member: the member may have to rebuild state for them. */
  gained: TopicPartitions[];
  /** Taken away: another member (or none yet) reads them now. */
  lost: TopicPartitions[];
}

export interface AssignmentControl {
  /**
   * Where reading of a gained partition starts (default: the subscription's `from`). A committing
   * subscription also commits it once onAssign has settled (what the handler read up to there is
   * its own to have published by then).
   */
  seek(topic: string, partition: number, offset: number): void;
  /**
   * Whether this member still reads the partition: a rebalance may take a gained partition away
   * while onAssign is still rebuilding it (that change is reported after this one settles).
   */
  holds(topic: string, partition: number): boolean;
}

/**
 * Where a subscription starts reading a partition the first time it is assigned one (a seek in
 * `onAssign` overrides it for the partitions it names):
 * - `committed`: after the group's committed offset; a group that never committed there starts at
 *   the oldest retained record, so nothing the group has not read is skipped;
 * - `earliest`: the oldest retained record (on a compacted topic, the newest record of each key
 *   first), whatever the group committed;
 * - `latest`: the end of the partition as of the subscribe call: every record appended after
 *   `subscribe()` resolves is read, none appended before it was called.
 */
export type StartPosition = 'committed' | 'earliest' | 'latest';

export interface SubscribeOptions {
  /** Consumer group; each group sees every message once. */
  group: string;
  topics: string[];
  /** Where reading starts (default `committed`). */
  from?: StartPosition;
  /** Largest batch handed to onBatch. */
  maxBatch?: number;
  /**
   * Called with each batch, in partition order. The offsets are committed when it returns (or its
   * promise resolves); a returned promise holds back the next batch of that group. A batch whose
   * handler throws (or rejects) is handed over again, never skipped.
   */
  onBatch(batch: Batch): void | Promise<void>;
  /**
   * In process only, for a member on another thread (streams/thread-bus.ts): when given, the batches
   * of every partition that has records are handed in one call instead of one onBatch each (one
   * crossing of the thread's port, not one per partition), in the order onBatch would have had them.
   * It settles with how many were handled: those are committed; when fewer than all, the next one
   * failed with `error`, as if onBatch had thrown for it, and it and the rest are handed over again.
   */
  onBatches?(batches: Batch[]): Promise<BatchesHandled>;
  /**
   * Called whenever the group changes what this member reads, before any batch of a gained
   * partition is delivered; delivery of gained partitions waits for the returned promise.
   */
  onAssign?(change: Assignment, control: AssignmentControl): void | Promise<void>;
  /**
   * false: offsets are never committed; the subscription keeps its position for its own lifetime
   * only (a reader that always starts at the beginning or the end). Default true.
   */
  commit?: boolean;
}

/** What SubscribeOptions.onBatches handled: `done` batches, and the error of the next when it failed. */
export interface BatchesHandled {
  done: number;
  error?: unknown;
}

export interface Subscription {
  pause(): void;
  resume(): void;
  /**
   * Leaves the group: waits for the batch in hand, whose offsets are then committed, and delivers
   * nothing after. The group's next member resumes after its committed offsets.
   */
  close(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** 'compact' keeps the newest message per key. */
  cleanup: 'delete' | 'compact';
  /** Copies of each partition (Kafka only). */
  replicationFactor?: number;
  /** How long a message is kept (Kafka only; -1 forever). */
  retentionMs?: number;
  /** Codec of the envelope on this topic. */
  codec: 'msgpack' | 'json';
}

/** Where one group member stands (for readiness): `consuming` is the only ready state. */
export interface SubscriptionHealth {
  group: string;
  topics: string[];
  state: 'joining' | 'rebuilding' | 'consuming' | 'unreachable' | 'closed';
  /** Partitions this member reads. */
  assigned: number;
  /** Records appended but not yet handed to this member, summed over its partitions (as of its last fetch). */
  lag: number;
  /** Since the bus last answered this member (null: never). */
  lastFetchAgoMs: number | null;
}

export interface BusHealth {
  kind: 'inprocess' | 'kafka';
  /** The bus answers: every member fetched recently and no producer has been failing (in process: always). */
  connected: boolean;
  /** Producers whose sends have been failing longer than a member may go without an answer. */
  producersFailing: number;
  /** Connected and every subscription consuming: a process serving from this bus is ready. */
  ready: boolean;
  subscriptions: SubscriptionHealth[];
}

/**
 * Ready when connected and every subscription consumes (none rebuilding, joining or cut off); a
 * process with no subscription (a feed) is connected while its producers' sends go through.
 */
export function busHealth(
  kind: BusHealth['kind'],
  subscriptions: SubscriptionHealth[],
  producersFailing = 0,
): BusHealth {
  const live = subscriptions.filter((s) => s.state !== 'closed');
  const connected = producersFailing === 0 && live.every((s) => s.state !== 'unreachable');
  const ready = connected && live.every((s) => s.state === 'consuming');
  return { kind, connected, ready, producersFailing, subscriptions: live };
}

export interface Bus {
  /** Which transport this is: a label for logs and health, never a reason to behave differently. */
  readonly kind: 'inprocess' | 'kafka';
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  partitions(topic: string): number;
  producer(): Producer;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Reads the given partitions from their oldest retained message up to their end as of the call,
   * outside any group (state rebuilds read compacted topics this way).
   */
  readToEnd(topic: string, partitions: number[], visit: (m: ConsumedMessage) => void): Promise<void>;
  /**
   * `readToEnd` over several partitions of several topics at once, each from its own offset (on a
   * compacted topic, the newest record of each key at or after it), each to its end as of the call.
   */
  readRanges(ranges: ReadRange[], visit: (m: ConsumedMessage) => void): Promise<void>;
  /**
   * Resolves once everything this process has sent so far has been taken up (deterministic replays
   * wait on it). In process: every record whose send was called before, and every record already
   * appended, has been delivered to every current subscriber and their onBatch promises have
   * settled. A paused member, or one whose onBatch just failed (it is retried later), is not waited
   * for, so settled() cannot hang on a consumer that does not progress; a send held back by a full
   * partition holds it back too. Over Kafka there is no order across partitions or topics to wait
   * for: it resolves once this process's producers' sends so far are acknowledged (or refused).
   */
  settled(): Promise<void>;
  /** Connection, assignment and lag of this process's subscriptions (read by /ready and /health). */
  health(): BusHealth;
  close(): Promise<void>;
}
