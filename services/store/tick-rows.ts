// What the store keeps of a batch of bus records, as columns: each tick envelope's key (src, seq,
// ts: the natural key that makes a redelivered batch a duplicate) and its valid ticks of known
// instruments; executions as validated objects. Pure: no database, no clock. Ticks the engine
// refuses (bad numbers, unknown instruments) are counted here and not stored; the engine's own
// input dead-letters them with their reasons.

import type { Execution } from '../../engine/model.js';
import { validateExecution, validateTick, validateTickTuple } from '../../engine/validate.js';
import type { ConsumedMessage } from '../../streams/bus.js';
import { decodeEnvelopeAuto } from '../../streams/envelope.js';
import { InstrumentBytes, readTickBatch, type TickVisitor } from '../../streams/tick-batch.js';

const utf8 = new TextDecoder();

/** One batch's rows; reused across batches (`clear`), growing to the largest batch seen. */
export class StoreRows {
  /** Tick envelopes: key, and the range of tick rows [first, first + count) that are theirs. */
  readonly batches = { src: [] as string[], seq: [] as number[], ts: [] as number[], first: [] as number[] };
  ticks = 0;
  instrument = new Int32Array(1024);
  ts = new Float64Array(1024);
  bid = new Float64Array(1024);
  ask = new Float64Array(1024);
  last = new Float64Array(1024);
  readonly executions: { e: Execution; src: string }[] = [];
  /** Ticks and records refused (not stored), for the metrics. */
  refused = 0;

  clear(): void {
    this.batches.src.length = this.batches.seq.length = this.batches.ts.length = this.batches.first.length = 0;
    this.ticks = 0;
    this.executions.length = 0;
    this.refused = 0;
  }

  /** Ticks of envelope k. */
  count(k: number): number {
    const next = k + 1 < this.batches.first.length ? this.batches.first[k + 1] : this.ticks;
    return next - this.batches.first[k];
  }

  beginBatch(src: string, seq: number, ts: number): void {
    this.batches.src.push(src);
    this.batches.seq.push(seq);
    this.batches.ts.push(ts);
    this.batches.first.push(this.ticks);
  }

  push(instrument: number, ts: number, bid: number, ask: number, last: number): void {
    if (this.ticks === this.ts.length) this.grow();
    const i = this.ticks++;
    this.instrument[i] = instrument;
    this.ts[i] = ts;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.last[i] = last;
  }

  private grow(): void {
    const n = this.ts.length * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const ins = new Int32Array(n);
    ins.set(this.instrument);
    this.instrument = ins;
    this.ts = f(this.ts);
    this.bid = f(this.bid);
    this.ask = f(this.ask);
    this.last = f(this.last);
  }
}

/** Reads bus records (md.ticks and orders.executions) into StoreRows, ids resolved against the instrument table. */
export class StoreReader {
  private readonly ids: InstrumentBytes;
  private readonly visitor: TickVisitor;
  private rows: StoreRows | null = null;
  private srcBytes = new Uint8Array(0);
  private srcText = '';

  constructor(private readonly instruments: readonly string[]) {
    const index = new Map(instruments.map((id, k) => [id, k]));
    this.index = index;
    this.ids = new InstrumentBytes((id) => index.get(id) ?? -1);
    this.visitor = {
      envelope: (bytes, start, end, seq, ts) => {
        const src = bytes.subarray(start, end);
        if (!sameBytes(src, this.srcBytes)) {
          this.srcBytes = src.slice();
          this.srcText = utf8.decode(src);
        }
        // A batch with no valid tick stores nothing, not even its key: it begins at its first tick.
        this.pendingSeq = seq;
        this.pendingTs = ts;
        this.pendingBatch = true;
      },
      tick: (i, ts, bid, ask, last) => {
        const rows = this.rows!;
        if (this.pendingBatch) {
          rows.beginBatch(this.srcText, this.pendingSeq, this.pendingTs);
          this.pendingBatch = false;
        }
        rows.push(i, ts, bid, ask, last);
      },
      bad: () => void this.rows!.refused++,
    };
  }

  private pendingSeq = 0;
  private pendingTs = 0;
  private pendingBatch = false;
  private readonly index: Map<string, number>;

  /** Adds a record's rows; a record that is not a tick, tick batch or execution is ignored (heartbeats). */
  read(m: Pick<ConsumedMessage, 'value'>, rows: StoreRows): void {
    this.rows = rows;
    this.pendingBatch = false;
    if (readTickBatch(m.value, this.ids, this.visitor) >= 0) return;
    let env;
    try {
      env = decodeEnvelopeAuto(m.value);
    } catch {
      rows.refused++;
      return;
    }
    if (env.type === 'execution') {
      try {
        rows.executions.push({ e: validateExecution(env.body), src: env.src });
      } catch {
        rows.refused++;
      }
      return;
    }
    if (env.type !== 'ticks' && env.type !== 'tick') return;
    const tuples = env.type === 'ticks' ? env.body : [env.body];
    if (!Array.isArray(tuples)) return void rows.refused++;
    let begun = false;
    for (const [k, t] of tuples.entries()) {
      try {
        const [id, ts, bid, ask, last] =
          env.type === 'ticks'
            ? validateTickTuple(t, `ticks[${k}]`)
            : (({ instrument, ts, bid, ask, last }) => [instrument, ts, bid, ask, last] as const)(validateTick(t));
        const i = this.index.get(id) ?? -1;
        if (i < 0) {
          rows.refused++;
          continue;
        }
        if (!begun) rows.beginBatch(env.src, env.seq, env.ts);
        begun = true;
        rows.push(i, ts, bid, ask, last);
      } catch {
        rows.refused++;
      }
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
