// What `riskline watch` holds: each channel's state kept with the engine's one merge rule
// (applyFrame), its seq checked as docs/wire-format.md says, the connection's phase, the gateway's
// stale flag, the last error frame and the frame rate. No socket and no clock: the caller passes
// `now`, so the same frames always give the same view.

import { applyFrame, parseChannel, type ChannelKind } from '../../engine/frames.js';
import { isEventKind, type ServerMessage, type StatusMessage } from '../protocol.js';

export type FrameMessage = Extract<ServerMessage, { type: 'snapshot' | 'update' }>;

export interface PortfolioLabel {
  id: string;
  name?: string;
  baseCurrency?: string;
}

export type ConnectionPhase =
  | { state: 'connecting'; since: number }
  | { state: 'connected'; since: number }
  | { state: 'reconnecting'; attempt: number; retryAt: number; reason: string }
  | { state: 'closed'; reason: string };

export interface HeldChannel {
  channel: string;
  kind: ChannelKind;
  id: string;
  /** Seq of the newest frame applied (0 before any). */
  seq: number;
  asOf: number | null;
  inputSeq: number | null;
  /** Merged state; undefined until the first snapshot (or event). */
  state: Record<string, unknown> | undefined;
  /** Wall time the newest frame was applied. */
  receivedAt: number;
  /** Updates wait for a snapshot (after a gap or a new connection); the state shown is the last held. */
  awaitingSnapshot: boolean;
  /** Wall time a snapshot was last asked for (0: never). */
  snapshotAskedAt: number;
  /** A new connection: the next snapshot applies whatever its seq (a restarted gateway counts anew). */
  resync: boolean;
}

export interface LastError {
  code: string;
  message: string;
  at: number;
}

export type FrameOutcome =
  | { kind: 'applied'; held: HeldChannel }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: number | null; askSnapshot: boolean }
  | { kind: 'ignored' };

/** How long a snapshot asked for may take before the next gap asks again. */
export const SNAPSHOT_RETRY_MS = 5000;

/** Everything the renderer reads; built by WatchState.view. */
export interface WatchView {
  url: string;
  connection: ConnectionPhase;
  gateway: Omit<StatusMessage, 'type'> | null;
  lastError: LastError | null;
  framesPerSecond: number;
  portfolios: readonly PortfolioLabel[];
  /** Instruments of the ticks channels watched. */
  instruments: readonly string[];
  subscribed: ReadonlySet<string>;
  held: ReadonlyMap<string, HeldChannel>;
}

/** Frames per second over the last two seconds, in quarter-second buckets. */
export class FrameRate {
  private static readonly BUCKET_MS = 250;
  private readonly buckets = new Float64Array(8);
  private head = -1;

  add(now: number, n = 1): void {
    this.roll(now);
    this.buckets[this.head % this.buckets.length] += n;
  }

  perSecond(now: number): number {
    this.roll(now);
    let sum = 0;
    for (const b of this.buckets) sum += b;
    return sum / ((this.buckets.length * FrameRate.BUCKET_MS) / 1000);
  }

  private roll(now: number): void {
    const bucket = Math.floor(now / FrameRate.BUCKET_MS);
    if (this.head < 0 || bucket - this.head >= this.buckets.length) {
      this.buckets.fill(0);
    } else {
      for (let b = this.head + 1; b <= bucket; b++) this.buckets[b % this.buckets.length] = 0;
    }
    if (bucket > this.head) this.head = bucket;
  }
}

export class WatchState {
  readonly held = new Map<string, HeldChannel>();
  readonly subscribed: ReadonlySet<string>;
  connection: ConnectionPhase;
  gateway: Omit<StatusMessage, 'type'> | null = null;
  lastError: LastError | null = null;
  private readonly rate = new FrameRate();

  constructor(
    readonly url: string,
    channels: readonly string[],
    readonly portfolios: readonly PortfolioLabel[],
    now: number,
  ) {
    this.subscribed = new Set(channels);
    this.connection = { state: 'connecting', since: now };
  }

  get instruments(): string[] {
    const out: string[] = [];
    for (const c of this.subscribed) if (c.startsWith('ticks:')) out.push(c.slice(6));
    return out;
  }

  /** Applies a snapshot or update; says whether it applied, was old news, or found a gap. */
  apply(f: FrameMessage, now: number): FrameOutcome {
    const parsed = parseChannel(f.channel);
    if (parsed === null) return { kind: 'ignored' };
    this.rate.add(now);
    let h = this.held.get(f.channel);
    if (h === undefined) {
      h = {
        channel: f.channel,
        kind: parsed.kind,
        id: parsed.id,
        seq: 0,
        asOf: null,
        inputSeq: null,
        state: undefined,
        receivedAt: 0,
        awaitingSnapshot: true,
        snapshotAskedAt: 0,
        resync: true,
      };
      this.held.set(f.channel, h);
    }
    const event = isEventKind(parsed.kind);
    if (f.type === 'update' && !event) {
      if (f.seq <= h.seq && !h.resync) return { kind: 'duplicate' };
      if (h.awaitingSnapshot || f.seq !== h.seq + 1) {
        const expected = h.awaitingSnapshot ? null : h.seq + 1;
        h.awaitingSnapshot = true;
        const askSnapshot = now - h.snapshotAskedAt >= SNAPSHOT_RETRY_MS;
        if (askSnapshot) h.snapshotAskedAt = now;
        return { kind: 'gap', expected, askSnapshot };
      }
    } else if (event ? f.seq <= h.seq : f.seq < h.seq) {
      // Rule 0 of the wire format; a snapshot at the seq held is the same state again and applies.
      if (!h.resync) return { kind: 'duplicate' };
    }
    h.state = applyFrame(event || f.type === 'snapshot' ? undefined : h.state, f);
    h.seq = f.seq;
    h.asOf = f.asOf ?? f.ts;
    h.inputSeq = f.inputSeq ?? null;
    h.receivedAt = now;
    if (f.type === 'snapshot' || event) {
      h.awaitingSnapshot = false;
      h.resync = false;
      h.snapshotAskedAt = 0;
    }
    return { kind: 'applied', held: h };
  }

  /** A new connection: each channel's state stays on screen until the snapshot its subscription sends. */
  resubscribed(now: number): void {
    for (const h of this.held.values()) {
      h.resync = true;
      if (!isEventKind(h.kind)) {
        h.awaitingSnapshot = true;
        h.snapshotAskedAt = now;
      }
    }
  }

  setPhase(phase: ConnectionPhase): void {
    this.connection = phase;
  }

  setGatewayStatus(msg: StatusMessage): void {
    this.gateway = { stale: msg.stale, since: msg.since, reason: msg.reason };
  }

  setError(code: string, message: string, now: number): void {
    this.lastError = { code, message, at: now };
  }

  /** Whether every state channel (not the event channels, which may never speak) has its first state. */
  ready(): boolean {
    for (const c of this.subscribed) {
      const parsed = parseChannel(c);
      if (parsed === null || isEventKind(parsed.kind)) continue;
      if (this.held.get(c)?.state === undefined) return false;
    }
    return true;
  }

  view(now: number): WatchView {
    return {
      url: this.url,
      connection: this.connection,
      gateway: this.gateway,
      lastError: this.lastError,
      framesPerSecond: this.rate.perSecond(now),
      portfolios: this.portfolios,
      instruments: this.instruments,
      subscribed: this.subscribed,
      held: this.held,
    };
  }
}
