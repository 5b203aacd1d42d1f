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
  /** Where reading of a gained partition starts (default: the group's committed offset). */
  seek(topic: string, partition: number, offset: number): void;
}

export interface SubscribeOptions {
  /** Consumer group; each group sees every message once. */
  group: string;
  topics: string[];
  /** Where a group with no committed offset starts: the oldest retained message, or new ones only. */
  fromBeginning?: boolean;
  /** Largest batch handed to onBatch. */
  maxBatch?: number;
  /**
   * Called with each batch, in partition order. The offsets are committed when it returns (or its
   * promise resolves); a returned promise holds back the next batch of that group.
   */
  onBatch(batch: Batch): void | Promise<void>;
  /**
   * Called whenever the group changes what this member reads, before any batch of a gained
   * partition is delivered; delivery of gained partitions waits for the returned promise.
   */
  onAssign?(change: Assignment, control: AssignmentControl): void | Promise<void>;
  /**
   * false: offsets are never committed (a reader that always starts at the beginning or the end,
   * or that tracks its own position). Default true.
   */
  commit?: boolean;
}

export interface Subscription {
  pause(): void;
  resume(): void;
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

export interface Bus {
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
  close(): Promise<void>;
}
