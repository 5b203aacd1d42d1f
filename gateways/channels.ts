// The gateway's view of every channel: latest state (kept with the one merge rule, applyFrame),
// last seq, and which portfolios and instruments exist. The state's rows are the store's own
// (applyFrame's ownRows: an update's fields are written into the row held, no copy per row), which
// holds because whatever reads the state (fan-out, REST) encodes it at once. Engine frames arrive with their own
// per-channel seq and are checked here: duplicates are dropped, a gap on an update marks the
// channel as needing a snapshot (updates are not applied until one arrives), a snapshot resets.
// Alert and order channels carry events: each frame is self-contained, so every new one passes.
// Ticks are the hot path: the latest tuple per instrument is stored in place, in a slot found by
// the instrument's dense index (the one the tick reader resolves to, so no string per tick), and
// frames (with gateway-assigned seq) are built only at flush time, only for subscribed channels.

import { RisklineError } from '../errors/catalogue.js';
import type { Alert } from '../engine/model.js';
import { applyFrame, channelOf, parseChannel, type ChannelKind, type Frame } from '../engine/frames.js';
import { isFinal } from '../engine/order-status.js';
import { isEventKind } from './protocol.js';

export interface ChannelState {
  channel: string;
  kind: ChannelKind;
  id: string;
  /** Seq of the newest frame applied (0 before any). */
  seq: number;
  asOf: number;
  /** inputSeq of the newest frame applied: what the merged state reflects. */
  inputSeq: number;
  /** Merged state; undefined until the first snapshot (or first event). */
  state: Record<string, unknown> | undefined;
  /** A gap was seen: updates wait for the next snapshot. */
  needsSnapshot: boolean;
  /** Event channels: the engine's seq of its newest frame taken (the gateway numbers what it sends). */
  sourceSeq: number;
}

/** What happened to an incoming frame; only `applied` frames are forwarded to subscribers. */
export type FrameOutcome = 'applied' | 'duplicate' | 'gap' | 'waiting' | 'rejected';

interface TickSlot {
  channel: string;
  instrument: string;
  ts: number;
  bid: number;
  ask: number;
  last: number;
  seq: number;
  /** Ticks of the instrument received: a tick frame is itself an input, so this is its inputSeq. */
  ticks: number;
  dirty: boolean;
}

export interface ChannelStoreOptions {
  portfolios: Iterable<string>;
  instruments: Iterable<string>;
}

/** Orders an `orders:<portfolio>` channel's state holds at most (final ones leave first). */
export const MAX_ORDER_ROWS = 10_000;

export class ChannelStore {
  private readonly channels = new Map<string, ChannelState>();
  /** Tick slots by instrument index; a slot is made by the instrument's first tick. */
  private readonly ticks: (TickSlot | undefined)[] = [];
  private dirty: TickSlot[] = [];
  private readonly portfolioIds = new Set<string>();
  /** Instrument id → dense index, and back: the indices the fast tick path is given. */
  private readonly instrumentIndex = new Map<string, number>();
  private readonly instrumentIds: string[] = [];
  /** Gaps seen on engine channels (for logs and tests). */
  gaps = 0;
  /** Event time of the newest tick stored, or null before the first. */
  lastTickAsOf: number | null = null;

  constructor(options: ChannelStoreOptions) {
    for (const p of options.portfolios) this.portfolioIds.add(p);
    for (const i of options.instruments) this.learnInstrument(i);
  }

  get portfolios(): ReadonlySet<string> {
    return this.portfolioIds;
  }

  hasPortfolio(id: string): boolean {
    return this.portfolioIds.has(id);
  }

  hasInstrument(id: string): boolean {
    return this.instrumentIndex.has(id);
  }

  /** The dense index of a known instrument (what `tickAt` takes), or -1. */
  indexOf(instrument: string): number {
    return this.instrumentIndex.get(instrument) ?? -1;
  }

  private learnInstrument(id: string): number {
    let i = this.instrumentIndex.get(id);
    if (i === undefined) {
      i = this.instrumentIds.push(id) - 1;
      this.instrumentIndex.set(id, i);
      this.ticks.push(undefined);
    }
    return i;
  }

  /** True when the channel names a known portfolio or instrument (`alerts:*` always exists). */
  exists(channel: string): boolean {
    const parsed = parseChannel(channel);
    if (parsed === null) return false;
    if (parsed.kind === 'ticks') return this.instrumentIndex.has(parsed.id);
    if (parsed.kind === 'alerts' && parsed.id === '*') return true;
    return this.portfolioIds.has(parsed.id);
  }

  /** The `alerts:<portfolio>` channels of every known portfolio that `entitled` admits. */
  alertChannels(entitled: (portfolio: string) => boolean): string[] {
    const out: string[] = [];
    for (const p of this.portfolioIds) if (entitled(p)) out.push(channelOf('alerts', p));
    return out;
  }

  get(channel: string): Readonly<ChannelState> | undefined {
    return this.channels.get(channel);
  }

  /** Accepts an engine frame (positions, exposures, risk, alerts, orders). */
  accept(frame: Frame): FrameOutcome {
    const ch = this.channelFor(frame.channel);
    if (ch === undefined) return 'rejected';
    const started = ch.state !== undefined;
    if (isEventKind(ch.kind)) {
      // Events are all delivered; only replays are dropped, by the engine's seq. Other producers'
      // events (bare alerts, orders, alert actions) share the channel, so the gateway numbers what it sends.
      if (ch.sourceSeq > 0 && frame.seq <= ch.sourceSeq) return 'duplicate';
      if (ch.sourceSeq > 0 && frame.seq !== ch.sourceSeq + 1) this.gaps++;
      ch.sourceSeq = frame.seq;
      frame.seq = ch.seq + 1;
      return this.event(ch, frame);
    }
    if (frame.type === 'snapshot') {
      // A channel's seq never steps back, whichever engine publishes it (a new owner continues
      // after the last frame published): a snapshot at or below the applied seq is older news.
      if (started && frame.seq <= ch.seq) return 'duplicate';
      ch.state = applyFrame(undefined, frame, true);
      ch.needsSnapshot = false;
      return this.advance(ch, frame);
    }
    if (started && frame.seq <= ch.seq) return 'duplicate';
    if (ch.needsSnapshot) return 'waiting';
    if (!started || frame.seq !== ch.seq + 1) {
      ch.needsSnapshot = true;
      this.gaps++;
      return 'gap';
    }
    ch.state = applyFrame(ch.state, frame, true);
    return this.advance(ch, frame);
  }

  /** The state of a portfolio channel, made on its first frame; undefined for a name that is not one. */
  private channelFor(channel: string): ChannelState | undefined {
    let ch = this.channels.get(channel);
    if (ch !== undefined) return ch;
    const parsed = parseChannel(channel);
    if (parsed === null || parsed.kind === 'ticks' || parsed.id.includes('*')) return undefined;
    ch = {
      channel,
      kind: parsed.kind,
      id: parsed.id,
      seq: 0,
      asOf: 0,
      inputSeq: 0,
      state: undefined,
      needsSnapshot: false,
      sourceSeq: 0,
    };
    this.channels.set(channel, ch);
    this.portfolioIds.add(parsed.id);
    return ch;
  }

  /** An event applied: an alert replaces the state whole; an order merges into the orders by id, so the channel's snapshot holds every order. */
  private event(ch: ChannelState, frame: Frame): FrameOutcome {
    const merge = ch.kind === 'orders' && ch.state !== undefined;
    ch.state = applyFrame(
      merge ? ch.state : undefined,
      { type: merge ? 'update' : 'snapshot', data: frame.data },
      true,
    );
    return this.advance(ch, frame);
  }

  /**
   * An event from another producer than the engine (a bare `alert` record, an alert action, an
   * order's state) as the next frame of its portfolio's event channel (`alerts:` or `orders:`).
   */
  acceptEvent(kind: 'alerts' | 'orders', portfolio: string, data: Record<string, unknown>, asOf: number): Frame {
    const ch = this.channelFor(channelOf(kind, portfolio))!;
    const seq = ch.seq + 1;
    // As the engine writes event frames: a channel's first frame is its snapshot.
    const frame: Frame = {
      channel: ch.channel,
      type: seq === 1 ? 'snapshot' : 'update',
      seq,
      asOf,
      inputSeq: ch.inputSeq,
      data,
    };
    this.event(ch, frame);
    return frame;
  }

  /** A bare `alert` record as the next frame of its alerts channel. */
  acceptAlert(alert: Alert): Frame {
    return this.acceptEvent('alerts', alert.portfolio, alert as unknown as Record<string, unknown>, alert.ts);
  }

  /** An `order` record (the order's whole state, from the router) as the next frame of its orders channel: `rows` keyed by order id. */
  acceptOrder(order: { id: string; portfolio: string }, ts: number): Frame {
    const frame = this.acceptEvent('orders', order.portfolio, { rows: { [order.id]: order } }, ts);
    // Counting the orders is O(orders): done every 256th frame, so the cap may be passed by as many.
    if (frame.seq % 256 === 0) this.boundOrders(frame.channel);
    return frame;
  }

  /** Past MAX_ORDER_ROWS orders in a channel, the oldest final ones leave its state (a new subscriber's snapshot). */
  private boundOrders(channel: string): void {
    const rows = (this.channels.get(channel)?.state as { rows?: Record<string, { status?: string }> } | undefined)
      ?.rows;
    if (rows === undefined) return;
    const ids = Object.keys(rows);
    if (ids.length <= MAX_ORDER_ROWS) return;
    let excess = ids.length - Math.floor(MAX_ORDER_ROWS * 0.9);
    for (const id of ids) {
      if (excess === 0) break;
      if (isFinal(rows[id]?.status)) {
        delete rows[id];
        excess--;
      }
    }
  }

  private advance(ch: ChannelState, frame: Frame): FrameOutcome {
    ch.seq = frame.seq;
    if (frame.asOf > ch.asOf || frame.type === 'snapshot') ch.asOf = frame.asOf;
    ch.inputSeq = frame.inputSeq;
    return 'applied';
  }

  /**
   * The current state of a channel as a snapshot frame, or null when there is none to give (no
   * state yet, or a gap waits for the engine's next snapshot). Ticks snapshots carry the channel's
   * current seq and the newest tick.
   */
  snapshot(channel: string): Frame | null {
    const i = channel.startsWith('ticks:') ? this.indexOf(channel.slice(6)) : -1;
    const slot = i >= 0 ? this.ticks[i] : undefined;
    if (slot !== undefined) {
      // A channel's first frame is seq 1: giving the first snapshot starts the sequence.
      if (slot.seq === 0) slot.seq = 1;
      return { channel, type: 'snapshot', seq: slot.seq, asOf: slot.ts, inputSeq: slot.ticks, data: tickData(slot) };
    }
    const ch = this.channels.get(channel);
    if (ch === undefined || ch.state === undefined || ch.needsSnapshot) return null;
    return { channel, type: 'snapshot', seq: ch.seq, asOf: ch.asOf, inputSeq: ch.inputSeq, data: ch.state };
  }

  /** Stores the newest tick of an instrument by id; an id not known yet becomes known. */
  tick(instrument: string, ts: number, bid: number, ask: number, last: number): void {
    this.tickAt(this.learnInstrument(instrument), ts, bid, ask, last);
  }

  /**
   * Stores the newest tick of the instrument at `index` (from `indexOf`, or the reader resolving
   * through it). O(1), no string and no allocation once the instrument has ticked.
   */
  tickAt(index: number, ts: number, bid: number, ask: number, last: number): void {
    let slot = this.ticks[index];
    if (slot === undefined) {
      const instrument = this.instrumentIds[index];
      // Checked only here, off the per-tick path: a slot exists only for a valid index.
      if (instrument === undefined) throw new RisklineError('UNKNOWN_INSTRUMENT', `no instrument at index ${index}`);
      slot = {
        channel: channelOf('ticks', instrument),
        instrument,
        ts,
        bid,
        ask,
        last,
        seq: 0,
        ticks: 1,
        dirty: false,
      };
      this.ticks[index] = slot;
    } else {
      slot.ticks++;
      slot.ts = ts;
      slot.bid = bid;
      slot.ask = ask;
      slot.last = last;
    }
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirty.push(slot);
    }
    if (this.lastTickAsOf === null || ts > this.lastTickAsOf) this.lastTickAsOf = ts;
  }

  /** Whether an instrument ticked since the last flush. */
  get ticksPending(): boolean {
    return this.dirty.length > 0;
  }

  /**
   * Builds one frame per instrument that ticked since the last flush and has a subscriber, with
   * the next seq of its channel. The first frame of a channel is a snapshot, later ones updates.
   */

  flushTicks(hasSubscribers: (channel: string) => boolean, emit: (frame: Frame) => void): number {
    const dirty = this.dirty;
    if (dirty.length === 0) return 0;
    this.dirty = [];
    let n = 0;
    for (const slot of dirty) {
      slot.dirty = false;
      if (!hasSubscribers(slot.channel)) continue;
      const type = slot.seq === 0 ? 'snapshot' : 'update';
      slot.seq++;
      emit({ channel: slot.channel, type, seq: slot.seq, asOf: slot.ts, inputSeq: slot.ticks, data: tickData(slot) });
      n++;
    }
    return n;
  }
}

function tickData(slot: TickSlot): Record<string, unknown> {
  return { instrument: slot.instrument, bid: slot.bid, ask: slot.ask, last: slot.last };
}
