// A fixed-length window of the newest observations, oldest first when read: memory stays bounded
// however long the engine runs.

export class Ring {
  private readonly buf: Float64Array;
  /** Where the next observation goes. */
  private head = 0;
  /** Observations held (at most the capacity). */
  count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    this.buf[this.head] = v;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** The newest observation (NaN when empty). */
  last(): number {
    return this.count === 0 ? NaN : this.buf[(this.head - 1 + this.capacity) % this.capacity];
  }

  /** The observations oldest first, written into `out` (at least `capacity` long); the filled view. */
  read(out: Float64Array): Float64Array {
    const start = (this.head - this.count + this.capacity) % this.capacity;
    const firstRun = Math.min(this.count, this.capacity - start);
    out.set(this.buf.subarray(start, start + firstRun), 0);
    out.set(this.buf.subarray(0, this.count - firstRun), firstRun);
    return out.subarray(0, this.count);
  }

  toArray(): number[] {
    return Array.from(this.read(new Float64Array(this.capacity)));
  }

  /** A ring holding the newest `capacity` of `values` (oldest first), as `toArray` wrote them. */
  static of(capacity: number, values: readonly number[]): Ring {
    const r = new Ring(capacity);
    for (let k = Math.max(0, values.length - capacity); k < values.length; k++) r.push(values[k]);
    return r;
  }
}
