// Inputs that arrive while the engine waits for something it cannot compute synchronously (a new
// day's scenario sets, built on worker threads). They wait in arrival order and are applied, in
// that order, once it is done — so what the engine publishes is a function of its inputs alone,
// never of how long the work took. Staleness is judged on arrival, as it would have been.

import type { Execution } from './model.js';

export interface HeldInput {
  /** 0 tick, 1 execution, 2 event time passing (heartbeat). */
  kind: 0 | 1 | 2;
  i: number;
  ts: number;
  bid: number;
  ask: number;
  last: number;
  execution: Execution | null;
}

export class InputHold {
  holding = false;
  /** Why the last awaited work failed, or null: the inputs still apply, on the sets already in. */
  failure: unknown = null;
  private queue: HeldInput[] = [];
  private done: Promise<void> = Promise.resolve();
  /** Newest tick time held per instrument, so an older tick arriving later is stale as it would be. */
  private readonly newest: Float64Array;

  constructor(instruments: number) {
    this.newest = new Float64Array(instruments).fill(-Infinity);
  }

  /** Holds inputs until `work` settles, then hands them to `apply` in order. */
  begin(work: Promise<void>, apply: (input: HeldInput) => void): void {
    this.holding = true;
    this.done = work.then(
      () => this.release(apply),
      (err: unknown) => {
        this.failure = err;
        this.release(apply);
      },
    );
  }

  /** False for a tick older than one already held for its instrument (the caller counts it stale). */
  admitsTick(i: number, ts: number): boolean {
    return ts >= this.newest[i];
  }

  tick(i: number, ts: number, bid: number, ask: number, last: number): void {
    this.newest[i] = ts;
    this.queue.push({ kind: 0, i, ts, bid, ask, last, execution: null });
  }

  execution(e: Execution): void {
    this.queue.push({ kind: 1, i: -1, ts: e.ts, bid: 0, ask: 0, last: 0, execution: e });
  }

  advance(ts: number): void {
    this.queue.push({ kind: 2, i: -1, ts, bid: 0, ask: 0, last: 0, execution: null });
  }

  /** Resolves when nothing is held (at once when nothing is). */
  async settled(): Promise<void> {
    while (this.holding) await this.done;
  }

  private release(apply: (input: HeldInput) => void): void {
    this.holding = false;
    const items = this.queue;
    this.queue = [];
    this.newest.fill(-Infinity);
    for (let k = 0; k < items.length; k++) {
      apply(items[k]);
      // An input that rolled another day holds again: it is already first in the new queue.
      if (this.holding) {
        for (let j = k + 1; j < items.length; j++) this.queue.push(items[j]);
        for (const q of this.queue) if (q.kind === 0 && q.ts > this.newest[q.i]) this.newest[q.i] = q.ts;
        return;
      }
    }
  }
}
