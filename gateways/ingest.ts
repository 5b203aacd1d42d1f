// The gateway's reading of the bus: records decoded into the channel store, the alert desk and the
// fan-out. Ticks take the zero-allocation batch reader and go out conflated per instrument; state
// frames go out when their batch is read (or as one snapshot when the gateway fell behind); events
// (alerts, alert actions, orders) at once. A bad record is counted and logged, never fatal.

import type { Logger } from 'pino';
import { FrameStrings, readFrameRecord } from '../codecs/frame-record.js';
import { RisklineError, toRisklineError } from '../errors/catalogue.js';
import { checkFrame, type Frame } from '../engine/frames.js';
import { validateAlert, validateTick, validateTickTuple } from '../engine/validate.js';
import type { Batch } from '../streams/bus.js';
import { decodeEnvelopeAuto, type Envelope } from '../streams/envelope.js';
import { InstrumentBytes } from '../codecs/msgpack-cursor.js';
import { readTickBatch, type TickVisitor } from '../streams/tick-batch.js';
import { isCheckpointKey } from '../streams/topics.js';
import type { AlertDeskFeed } from './alerts/desk-feed.js';
import type { ChannelStore } from './channels.js';
import type { GatewayMetrics } from './metrics.js';
import { isEventKind } from './protocol.js';
import type { StreamServer } from './stream-server.js';

/** Bad records are logged on the 1st, then every LOG_EVERY-th. */
const LOG_EVERY = 1000;

/** A channel with this many state frames in one bus batch, spanning COALESCE_SPAN_MS, goes out as one snapshot (see Ingest). */
export const COALESCE_AT = 3;
/**
 * ...and their event times this far apart: the gateway is engine intervals behind, not reading a large
 * portfolio's publication units (each its own frame, staggered across the interval) as they come.
 */
export const COALESCE_SPAN_MS = 250;

/**
 * Decodes bus records into the store and the fan-out; a bad record is counted, never fatal. State
 * frames go out once the batch is read: a channel with COALESCE_AT or more in one batch whose event
 * times span COALESCE_SPAN_MS (the gateway was engine intervals behind the bus; Kafka's fetches may
 * hold two in the normal course, and a portfolio of many publication units sends several frames an
 * interval) sends one snapshot at the newest seq instead, so a gateway that fell behind catches up rather than
 * queue (its clients' data would age by the queue). Alerts and orders all go out.
 */
export class Ingest {
  private bad = 0;
  /** When ticks last went out (performance.now()), and the flush waiting for conflationMs to pass. */
  private flushedAt = -Infinity;
  private trailing: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** State frames applied in the batch being read, by channel, in order. */
  private readonly held = new Map<string, Frame[]>();
  private readonly records = new Map<string, { inc(): void }>();
  /** Tick batches take the engine's zero-allocation reader; known instruments only. */
  private readonly ids: InstrumentBytes;
  private readonly visitor: TickVisitor;
  private badTicks = 0;
  /** Field names and instrument ids of the frames read in place, decoded once each. */
  private readonly strings = new FrameStrings();

  constructor(
    private readonly store: ChannelStore,
    private readonly streams: StreamServer,
    private readonly alerts: AlertDeskFeed,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
    /** Ticks go out at most once per instrument per this many ms. */
    private readonly conflationMs: number,
  ) {
    // The reader resolves ids through the store, so its indices are the store's tick slots.
    this.ids = new InstrumentBytes((id) => store.indexOf(id));
    this.visitor = {
      tick: (i, ts, bid, ask, last) => store.tickAt(i, ts, bid, ask, last),
      bad: () => void this.badTicks++,
    };
  }

  batch(batch: Batch): void {
    this.streams.beginRound();
    try {
      for (const m of batch.messages) {
        // Engine checkpoints share state.positions with the frames; they are for engines only.
        if (isCheckpointKey(m.key)) continue;
        try {
          this.badTicks = 0;
          const n = readTickBatch(m.value, this.ids, this.visitor);
          if (n >= 0) {
            this.count('ticks');
            // The engine dead-letters bad ticks with their reasons; here they are counted.
            if (this.badTicks > 0) throw new RisklineError('INVALID_TICK', `${this.badTicks} of ${n} ticks rejected`);
            continue;
          }
          // The engine's frames are read in place, their data merged from the bytes.
          const packed = readFrameRecord(m.value, this.strings);
          if (packed !== null) {
            this.count('frame');
            this.frame(packed);
          } else this.record(decodeEnvelopeAuto(m.value));
        } catch (err) {
          this.reject(err, batch.topic, m.partition, m.offset);
        }
      }
      this.publishHeld();
      if (this.store.ticksPending) this.ticksRead();
    } finally {
      this.held.clear();
      this.streams.endRound();
    }
  }

  private publishHeld(): void {
    for (const [channel, frames] of this.held) {
      if (frames.length < COALESCE_AT || frames[frames.length - 1].asOf - frames[0].asOf < COALESCE_SPAN_MS) {
        for (const f of frames) this.streams.publish(f);
        continue;
      }
      const snapshot = this.store.snapshot(channel);
      if (snapshot !== null) this.streams.publish(snapshot);
      this.metrics.coalesced.inc(frames.length - 1);
    }
  }

  /**
   * Ticks go out once the batches already waiting on this turn of the event loop are read (one feed
   * round arrives as a batch per partition, back to back) when conflationMs has passed since the
   * last flush, so no timer's wait is added to a tick's latency; else when it has passed.
   */
  private ticksRead(): void {
    if (this.immediate !== null) return;
    const wait = this.flushedAt + this.conflationMs - performance.now();
    if (wait <= 0) {
      // A timer a busy loop made late is overtaken: the flush goes now instead.
      if (this.trailing !== null) clearTimeout(this.trailing);
      this.trailing = null;
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.flushTicks();
      });
    } else
      this.trailing ??= setTimeout(() => {
        this.trailing = null;
        this.flushTicks();
      }, wait);
  }

  close(): void {
    if (this.trailing) clearTimeout(this.trailing);
    if (this.immediate) clearImmediate(this.immediate);
    this.trailing = null;
    this.immediate = null;
  }

  flushTicks(): void {
    this.flushedAt = performance.now();
    this.streams.beginRound();
    try {
      this.store.flushTicks(
        (ch) => this.streams.hasSubscribers(ch),
        (f) => this.streams.publish(f),
      );
    } finally {
      this.streams.endRound();
    }
  }

  /** Counts a bus record by message type (labelled counters cached: no lookup per record). */
  private count(type: string): void {
    let counter = this.records.get(type);
    if (counter === undefined) this.records.set(type, (counter = this.metrics.busRecords.labels(type)));
    counter.inc();
  }

  private record(env: Envelope): void {
    this.count(env.type);
    switch (env.type) {
      case 'ticks': {
        // A batch the fast reader passed on (JSON): the engine's validation, the same known instruments.
        if (!Array.isArray(env.body)) throw new RisklineError('INVALID_TICK', 'ticks body must be an array');
        this.badTicks = 0;
        env.body.forEach((tuple: unknown, k) => {
          try {
            const [id, ts, bid, ask, last] = validateTickTuple(tuple, `ticks[${k}]`);
            const i = this.store.indexOf(id);
            if (i >= 0) this.store.tickAt(i, ts, bid, ask, last);
            else this.badTicks++;
          } catch {
            this.badTicks++;
          }
        });
        if (this.badTicks > 0)
          throw new RisklineError('INVALID_TICK', `${this.badTicks} of ${env.body.length} ticks rejected`);
        return;
      }
      case 'tick': {
        const t = validateTick(env.body);
        const i = this.store.indexOf(t.instrument);
        if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `unknown instrument ${JSON.stringify(t.instrument)}`);
        this.store.tickAt(i, t.ts, t.bid, t.ask, t.last);
        return;
      }
      case 'frame':
        return this.frame(checkFrame(env.body));
      case 'alert': {
        const a = validateAlert(env.body, 'alert record');
        if (!this.store.hasPortfolio(a.portfolio))
          throw new RisklineError('DECODE_FAILED', `alert record: portfolio: no such portfolio ${a.portfolio}`);
        const frame = this.store.acceptAlert(a);
        this.alerts.alert(a, frame);
        this.streams.publish(frame);
        return;
      }
      case 'alert-action': {
        const portfolio = (env.body as { portfolio?: unknown } | null)?.portfolio;
        if (typeof portfolio === 'string' && !this.store.hasPortfolio(portfolio))
          throw new RisklineError('DECODE_FAILED', `alert-action record: portfolio: no such portfolio ${portfolio}`);
        const frame = this.alerts.action(env.body, this.store);
        if (frame !== null) this.streams.publish(frame);
        return;
      }
      case 'order': {
        const order = env.body as { id?: unknown; portfolio?: unknown } | null;
        if (
          order === null ||
          typeof order !== 'object' ||
          typeof order.id !== 'string' ||
          typeof order.portfolio !== 'string'
        )
          throw new RisklineError('DECODE_FAILED', 'order record: expected an order {id, portfolio, ...}');
        if (!this.store.hasPortfolio(order.portfolio))
          throw new RisklineError('DECODE_FAILED', `order record: portfolio: no such portfolio ${order.portfolio}`);
        this.streams.publish(this.store.acceptOrder({ ...order, id: order.id, portfolio: order.portfolio }, env.ts));
        return;
      }
      default:
        return; // heartbeats and other roles' records are not the gateway's
    }
  }

  private frame(frame: Frame): void {
    const outcome = this.store.accept(frame);
    if (outcome === 'applied') {
      this.alerts.frame(frame);
      this.hold(frame);
    } else if (outcome === 'gap') {
      const had = this.store.get(frame.channel)?.seq ?? 0;
      this.logger.warn({ channel: frame.channel, seq: frame.seq, had }, 'seq gap: channel waits for the next snapshot');
    } else if (outcome === 'rejected') throw new RisklineError('DECODE_FAILED', `frame channel ${frame.channel}`);
  }

  /** Events go out at once; state frames when the batch is read (see the class). */
  private hold(frame: Frame): void {
    if (isEventKind(this.store.get(frame.channel)!.kind)) return this.streams.publish(frame);
    const held = this.held.get(frame.channel);
    if (held === undefined) this.held.set(frame.channel, [frame]);
    else held.push(frame);
  }

  private reject(err: unknown, topic: string, partition: number, offset: number): void {
    const e = toRisklineError(err);
    this.metrics.badRecords.labels(e.code).inc();
    if (this.bad++ % LOG_EVERY === 0) {
      this.logger.warn(
        { topic, partition, offset, code: e.code, reason: e.message, badRecords: this.bad },
        `skipped a bad bus record (logging 1 in ${LOG_EVERY})`,
      );
    }
  }
}
