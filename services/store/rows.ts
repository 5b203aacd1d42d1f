// What the store keeps of a batch of bus records, as columns: each tick envelope's key (src, seq,
// ts: the natural key that makes a redelivered batch a duplicate) and its valid ticks of known
// instruments; executions and alerts as validated objects; the first risk frame of each portfolio
// per bucket of event time, and the first positions and exposures snapshot of each (book-state.ts);
// orders as they stand. Pure: no database, no clock. Ticks the engine
// refuses (bad numbers, unknown instruments) are counted here and not stored; the engine's own
// input dead-letters them with their reasons.

import { checkFrame } from '../../engine/frames.js';
import type { Alert, Execution } from '../../engine/model.js';
import { validateExecution, validateTick, validateTickTuple } from '../../engine/validate.js';
import { validateAlertAction, type AlertAction } from '../alerts/actions.js';
import { alertOf } from '../alerts/read.js';
import { BookStates, type StateRow } from './book-state.js';
import type { ConsumedMessage } from '../../streams/bus.js';
import { decodeEnvelopeAuto } from '../../streams/envelope.js';
import { InstrumentBytes } from '../../codecs/msgpack-cursor.js';
import { readTickBatch, type TickVisitor } from '../../streams/tick-batch.js';

const utf8 = new TextDecoder();

export interface RiskRow {
  portfolio: string;
  bucket: number;
  asOf: number;
  inputSeq: number;
  seq: number;
  data: Record<string, unknown>;
}

export interface OrderRow {
  id: string;
  portfolio: string;
  instrument: string;
  side: string;
  status: string;
  qty: number;
  cumQty: number;
  avgPx: number;
  version: number;
  data: Record<string, unknown>;
  ts: number;
}

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
  readonly alerts: Alert[] = [];
  /** Acknowledgements and assignments of alerts (the desk's audit). */
  readonly alertActions: AlertAction[] = [];
  /** Risk frames kept: one per portfolio and bucket (the first read). */
  readonly risk: RiskRow[] = [];
  /** Orders as the router published them, with their version (events so far) and when. */
  readonly orders: OrderRow[] = [];
  /** Positions and exposures state kept: one per portfolio, kind and bucket (book-state.ts). */
  readonly states: StateRow[] = [];
  /** Ticks and records refused (not stored), for the metrics. */
  refused = 0;

  clear(): void {
    this.batches.src.length = this.batches.seq.length = this.batches.ts.length = this.batches.first.length = 0;
    this.ticks = 0;
    this.executions.length = this.alerts.length = this.risk.length = this.orders.length = this.states.length = 0;
    this.alertActions.length = 0;
    this.refused = 0;
  }

  /** Ticks of envelope k. */
  count(k: number): number {
    const next = k + 1 < this.batches.first.length ? this.batches.first[k + 1] : this.ticks;
    return next - this.batches.first[k];
  }

  /** The earliest tick time of envelope k (its ticks need not be in time order). */
  earliest(k: number): number {
    const first = this.batches.first[k];
    let min = Infinity;
    for (let i = first, end = first + this.count(k); i < end; i++) if (this.ts[i] < min) min = this.ts[i];
    return min;
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

  /**
   * The last risk bucket stored per portfolio, so later frames of it are skipped before the database;
   * set by `stored` once a batch is committed (a batch that fails is read again, from the spill).
   */
  private readonly riskBucket = new Map<string, number>();
  private readonly books: BookStates;

  constructor(
    private readonly instruments: readonly string[],
    /** Risk frames are kept one per portfolio per this many ms of event time. */
    private readonly riskEveryMs = 60_000,
  ) {
    const index = new Map(instruments.map((id, k) => [id, k]));
    this.index = index;
    this.books = new BookStates(riskEveryMs);
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
    if (env.type === 'alert-action') {
      try {
        rows.alertActions.push(validateAlertAction(env.body, 'alert-action record'));
      } catch {
        rows.refused++;
      }
      return;
    }
    if (env.type === 'frame' || env.type === 'alert' || env.type === 'order') {
      try {
        this.event(env.type, env.body, env.ts, rows);
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

  /** The batch `rows` is in the database: its risk buckets are taken. */
  stored(rows: StoreRows): void {
    for (const r of rows.risk)
      this.riskBucket.set(r.portfolio, Math.max(r.bucket, this.riskBucket.get(r.portfolio) ?? -Infinity));
    this.books.stored(rows.states);
  }

  /** Risk, positions, exposures and alert frames, bare alerts and orders. */
  private event(type: 'frame' | 'alert' | 'order', body: unknown, ts: number, rows: StoreRows): void {
    if (type === 'order') return void rows.orders.push(orderRow(body, ts));
    const alert = alertOf({ type, body });
    if (alert !== null) return void rows.alerts.push(alert);
    const f = checkFrame(body);
    const kind = f.channel.startsWith('positions:')
      ? 'positions'
      : f.channel.startsWith('exposures:')
        ? 'exposures'
        : null;
    if (kind !== null) {
      const row = this.books.apply(kind, f.channel.slice(kind.length + 1), f, rows.states);
      if (row !== null) rows.states.push(row);
      return;
    }
    if (!f.channel.startsWith('risk:')) return;
    const portfolio = f.channel.slice('risk:'.length);
    const bucket = Math.floor(f.asOf / this.riskEveryMs) * this.riskEveryMs;
    // A portfolio's risk frames come in event-time order (one publisher, asOf never back).
    if (bucket <= (this.riskBucket.get(portfolio) ?? -Infinity)) return;
    if (rows.risk.some((r) => r.portfolio === portfolio && r.bucket === bucket)) return;
    rows.risk.push({ portfolio, bucket, asOf: f.asOf, inputSeq: f.inputSeq ?? 0, seq: f.seq, data: f.data });
  }
}

/** An order record's fields (the router's OrderView); its version is how many events it has had. */
function orderRow(body: unknown, ts: number): OrderRow {
  const o = body as Record<string, unknown> | null;
  const str = (k: string) => {
    const v = o?.[k];
    if (typeof v !== 'string' || v === '') throw new Error(`order record: ${k}`);
    return v;
  };
  const num = (k: string) => (typeof o?.[k] === 'number' && Number.isFinite(o[k]) ? o[k] : 0);
  return {
    id: str('id'),
    portfolio: str('portfolio'),
    instrument: str('instrument'),
    side: str('side'),
    status: str('status'),
    qty: num('qty'),
    cumQty: num('cumQty'),
    avgPx: num('avgPx'),
    version: Array.isArray(o!.events) ? o!.events.length : 0,
    data: o!,
    ts,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
