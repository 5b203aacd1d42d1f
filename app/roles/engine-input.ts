// Bus records into engine calls. A msgpack `ticks` batch takes the zero-allocation reader
// (streams/tick-batch.ts) straight into engine.tick; anything else (JSON from generic clients,
// single ticks, executions, heartbeats) goes through the generic envelope decoder and validation.
// A record that cannot be applied goes to the DLQ with the reason, and so does one bad tick of a
// batch, on its own, while the rest of the batch applies. Nothing here throws.

import type { Engine } from '../../engine/engine.js';
import { validateExecution, validateTick, validateTickTuple } from '../../engine/validate.js';
import { RisklineError, toRisklineError } from '../../errors/catalogue.js';
import type { ConsumedMessage } from '../../streams/bus.js';
import { decodeEnvelopeAuto, encodeEnvelope, unpackValue, type Envelope } from '../../streams/envelope.js';
import { InstrumentBytes } from '../../codecs/msgpack-cursor.js';
import { readTickBatch, type TickVisitor } from '../../streams/tick-batch.js';
import type { Recorder } from '../recorder.js';
import type { DeadLetters } from './dead-letters.js';

export interface InputOptions {
  engine: Engine;
  /** The only topic executions are taken from. */
  executionsTopic: string;
  deadLetters: DeadLetters;
  /** Whether an execution of portfolio `port`, read at `m`, is this process's to apply (ownership). */
  admits(port: number, m: ConsumedMessage): boolean;
  recorder?: Recorder | null;
  /** Called after each record is applied, with the ticks it carried. */
  onApplied?: (message: ConsumedMessage, ticks: number) => void;
}

export class InputApplier {
  /** Event time of the newest input applied. */
  lastInputTs = 0;
  private readonly engine: Engine;
  private readonly recorder: Recorder | null;
  private readonly onApplied: InputOptions['onApplied'];
  private readonly ids: InstrumentBytes;
  private readonly visitor: TickVisitor;
  /** The record the tick reader is walking (its bad ticks are dead-lettered against it). */
  private current: ConsumedMessage | null = null;
  /** Index in its batch of the tick being applied (-1: a single `tick`): the DLQ seq of a stale one. */
  private k = 0;

  constructor(private readonly o: InputOptions) {
    this.engine = o.engine;
    this.recorder = o.recorder ?? null;
    this.onApplied = o.onApplied;
    this.ids = new InstrumentBytes((id) => o.engine.instrumentIndex(id));
    this.visitor = {
      tick: this.applyTick,
      bad: (k, start, end, err) => {
        const m = this.current!;
        this.k = k + 1;
        this.badTick(m, k, unpackValue(m.value.subarray(start, end)), err);
      },
    };
  }

  /** Applies one record; returns the portfolio an execution changed, else -1. */
  apply(m: ConsumedMessage): number {
    try {
      this.current = m;
      this.k = 0;
      const ticks = readTickBatch(m.value, this.ids, this.visitor);
      if (ticks >= 0) {
        this.onApplied?.(m, ticks);
        return -1;
      }
      // JSON envelopes are accepted on any topic: generic clients (kcat, scripts) write JSON.
      const env = decodeEnvelopeAuto(m.value);
      const port = this.applyEnvelope(m, env);
      this.onApplied?.(m, env.type === 'ticks' && Array.isArray(env.body) ? env.body.length : 0);
      return port;
    } catch (err) {
      this.o.deadLetters.add(m, toRisklineError(err));
      return -1;
    }
  }

  private readonly applyTick = (i: number, ts: number, bid: number, ask: number, last: number): void => {
    this.recorder?.tick(this.engine.instruments.ids[i], ts, bid, ask, last);
    if (this.engine.tick(i, ts, bid, ask, last)) this.lastInputTs = ts;
    else this.staleTick(i, ts, bid, ask, last);
    if (this.k >= 0) this.k++;
  };

  /** A tick older than its instrument's newest mark is refused by the engine; it is not lost silently. */
  private staleTick(i: number, ts: number, bid: number, ask: number, last: number): void {
    const id = this.engine.instruments.ids[i];
    const newest = this.engine.book.markTs[i];
    const err = new RisklineError('STALE_TICK', `${id}: tick at ${ts} is older than the newest mark at ${newest}`);
    this.badTick(this.current!, Math.max(this.k, 0), [id, ts, bid, ask, last], err);
  }

  private applyEnvelope(m: ConsumedMessage, env: Envelope): number {
    switch (env.type) {
      case 'ticks':
        this.applyTicks(m, env.body);
        return -1;
      case 'tick': {
        const t = validateTick(env.body);
        const i = this.engine.instrumentIndex(t.instrument);
        if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `unknown instrument ${JSON.stringify(t.instrument)}`);
        this.k = -1;
        this.applyTick(i, t.ts, t.bid, t.ask, t.last);
        return -1;
      }
      case 'execution':
        return this.applyExecution(m, env.body);
      case 'heartbeat':
        this.recorder?.heartbeat(env.ts);
        this.engine.advanceTo(env.ts);
        return -1;
      default:
        throw new RisklineError('DECODE_FAILED', `message type ${env.type} does not belong on ${m.topic}`);
    }
  }

  private applyExecution(m: ConsumedMessage, body: unknown): number {
    const topic = this.o.executionsTopic;
    if (m.topic !== topic) throw new RisklineError('DECODE_FAILED', `executions belong on ${topic}, not ${m.topic}`);
    const e = validateExecution(body);
    const port = this.engine.portfolioIndex(e.portfolio);
    // Unknown portfolios fall through to the engine, which names them in the DLQ reason.
    if (port >= 0 && !this.o.admits(port, m)) return -1;
    this.engine.execute(e);
    this.recorder?.execution(e);
    this.lastInputTs = e.ts;
    return port;
  }

  /** A `ticks` batch the fast reader passed on (a JSON one, say): validated tuple by tuple. */
  private applyTicks(m: ConsumedMessage, body: unknown): void {
    if (!Array.isArray(body)) {
      throw new RisklineError('INVALID_TICK', `ticks body must be an array of [instrument, ts, bid, ask, last]`);
    }
    body.forEach((tuple: unknown, k) => {
      this.k = k;
      try {
        const [instrument, ts, bid, ask, last] = validateTickTuple(tuple, `ticks[${k}]`);
        const i = this.engine.instrumentIndex(instrument);
        if (i < 0)
          throw new RisklineError(
            'UNKNOWN_INSTRUMENT',
            `ticks[${k}]: unknown instrument ${JSON.stringify(instrument)}`,
          );
        this.applyTick(i, ts, bid, ask, last);
      } catch (err) {
        this.badTick(m, k, tuple, toRisklineError(err));
      }
    });
  }

  /** One bad tick of a batch goes to the DLQ on its own, as a JSON `tick`. */
  private badTick(m: ConsumedMessage, k: number, tuple: unknown, err: RisklineError): void {
    const value = encodeEnvelope({ v: 1, type: 'tick', src: 'dlq', ts: 0, seq: k, body: tuple }, 'json');
    this.o.deadLetters.add(m, err, value);
  }
}
