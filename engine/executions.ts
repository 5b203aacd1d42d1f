// Execution ids already applied to one portfolio, for idempotence. Bounded: the newest `capacity`
// ids are remembered, so memory stays flat over a long run. Redelivery after a crash replays a
// portfolio from its checkpoint offset, so the window only has to cover duplicates written to the
// log itself (an upstream resend), which arrive close together.

export class ExecutionWindow {
  private readonly ids = new Set<string>();
  private readonly ring: string[] = [];
  /** Slot of the oldest id once the ring is full. */
  private next = 0;

  constructor(readonly capacity: number) {}

  /** Records `id`; false when it is already in the window (the execution was applied). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    if (this.ring.length < this.capacity) this.ring.push(id);
    else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.ids.add(id);
    return true;
  }

  /** Ids remembered; 0 until the first execution after construction or an empty restore. */
  get size(): number {
    return this.ring.length;
  }

  /** Oldest first, so `restore` of the list rebuilds the same window. */
  list(): string[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  restore(ids: readonly string[]): void {
    this.ids.clear();
    this.ring.length = 0;
    this.next = 0;
    for (const id of ids.slice(Math.max(0, ids.length - this.capacity))) this.add(id);
  }
}
