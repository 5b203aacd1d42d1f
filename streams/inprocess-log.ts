// One partition of the in-process bus: a bounded log that every consumer group reads at its own
// offset. It is full when its slowest group lags by `messages` records or `bytes` bytes; then
// producers wait (backpressure) instead of anything being dropped. With no group reading it, it
// keeps the newest records within the same bounds (retention), for a group that subscribes later.
// A compacted partition keeps the newest record per key once older ones leave the log.

import type { BusMessage, ConsumedMessage } from './bus.js';

/** Placeholder for a trimmed slot, so the log array keeps one element kind. */
const DROPPED: ConsumedMessage = { topic: '', partition: -1, offset: -1, key: '', value: new Uint8Array(0) };

/** A group's position in a partition: the next offset it reads. */
export interface Reader {
  offset: number;
}

export interface Limits {
  messages: number;
  bytes: number;
}

export class Partition {
  /** Retained messages; log[start] has offset `base`. */
  private log: ConsumedMessage[] = [];
  private start = 0;
  base = 0;
  /** Bytes of the retained messages' values. */
  bytes = 0;
  /** One per group reading this partition: the group's next offset here. */
  readers: Reader[] = [];
  /** Newest message per key among those trimmed from the log (compacted topics only). */
  private readonly compacted: Map<string, ConsumedMessage> | null;
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly topic: string,
    readonly index: number,
    compact: boolean,
    private readonly limits: Limits,
  ) {
    this.compacted = compact ? new Map() : null;
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
      topic: this.topic,
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

  /** Compacted records at or above `offset` that left the log, oldest first (what a reader from there gets first). */
  compactedFrom(offset: number): ConsumedMessage[] {
    if (this.compacted === null || offset >= this.base) return [];
    return [...this.compacted.values()].filter((m) => m.offset >= offset).sort((a, b) => a.offset - b.offset);
  }

  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  wakeProducers(): void {
    while (this.roomWaiters.length > 0 && this.hasRoom()) this.roomWaiters.shift()!();
  }
}
