// Scenario-set buffers kept for the next day's build. A day roll replaces sets of tens of MB; left
// to the collector, each one's arrival triggers a full mark-compact on the engine thread (V8 counts
// ArrayBuffer memory towards its limits), which is most of the event-loop lag of a rebuild.

/** Float64Arrays by length, handed back by a set that was replaced and reused by the next build. */
export class BufferPool {
  private readonly free = new Map<number, Float64Array[]>();

  /** A buffer of `length` doubles: a returned one (contents left as they were) or a new zeroed one. */
  take(length: number): Float64Array {
    return this.free.get(length)?.pop() ?? new Float64Array(length);
  }

  /** Buffers no reader holds any more. */
  give(...buffers: (Float64Array | null)[]): void {
    for (const b of buffers) {
      if (b === null || b.length === 0) continue;
      const list = this.free.get(b.length);
      if (list) list.push(b);
      else this.free.set(b.length, [b]);
    }
  }

  /** Doubles held for reuse (for the engine's memory figures and tests). */
  get held(): number {
    let n = 0;
    for (const [length, list] of this.free) n += length * list.length;
    return n;
  }
}
