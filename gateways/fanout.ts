// The hot path from accepted frames to WebSocket clients. Each frame is encoded once per encoding
// and the same Buffer is handed to every subscriber; sends inside a round (one bus batch, one tick
// flush, one client request) are corked so a client gets one write per round. A client whose
// socket buffer passes `slowClientBufferBytes` is slow: its state channels stop receiving frames
// and are marked stale (conflation), and once its buffer drains it gets one snapshot per stale
// channel at the current seq. Alert and order frames are never conflated: they queue, within a
// bound, and a client that overflows it is closed with 1013 rather than lose any.

import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { parseChannel, type ChannelKind, type Frame } from '../engine/frames.js';
import { entitled, type Entitlement } from './auth.js';
import type { ChannelStore } from './channels.js';
import type { GatewayMetrics } from './metrics.js';
import { encodeFrame, isEventKind, type Encoded, type Encoding } from './protocol.js';

export interface FanoutOptions {
  store: ChannelStore;
  metrics: GatewayMetrics;
  logger: Logger;
  slowClientBufferBytes: number;
  /** Alert/order frames a slow client may have queued before it is closed with 1013. */
  eventQueueLimit?: number;
  /** How often slow clients are checked for a drained buffer. */
  drainCheckMs?: number;
}

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

/** One connection's subscriptions and flow state. */
export class Client {
  readonly subs = new Set<string>();
  /** Subscribed to `alerts:*`. */
  alertsAll = false;
  slow = false;
  corked = false;
  closing = false;
  /** State channels conflated while slow; each gets a snapshot when the client drains. */
  readonly stale = new Set<string>();
  /** Event frames (alerts, orders) held while slow. */
  queue: Encoded[] = [];
  constructor(
    readonly ws: WebSocket,
    readonly encoding: Encoding,
    readonly ent: Entitlement,
  ) {}
}

interface ChannelSubs {
  kind: ChannelKind;
  event: boolean;
  clients: Set<Client>;
}

interface Encodings {
  json?: Encoded;
  msgpack?: Encoded;
  seq?: number;
}

export class Fanout {
  private readonly subscribers = new Map<string, ChannelSubs>();
  private readonly wildcard = new Set<Client>();
  private readonly slowClients = new Set<Client>();
  private readonly corkedClients: Client[] = [];
  /** Encoded snapshots per channel, valid while the channel's seq is unchanged. */
  private readonly snapshots = new Map<string, Encodings>();
  private roundDepth = 0;
  private readonly drainTimer: NodeJS.Timeout;
  private readonly eventQueueLimit: number;

  constructor(private readonly o: FanoutOptions) {
    this.eventQueueLimit = o.eventQueueLimit ?? 10_000;
    this.drainTimer = setInterval(() => this.checkSlowClients(), o.drainCheckMs ?? 20);
    this.drainTimer.unref();
  }

  hasSubscribers(channel: string): boolean {
    return this.subscribers.has(channel);
  }

  /** Starts a round: sends until endRound() are corked per client and written together. */
  beginRound(): void {
    this.roundDepth++;
  }

  endRound(): void {
    if (--this.roundDepth > 0) return;
    for (const c of this.corkedClients) {
      c.corked = false;
      socketOf(c.ws)?.uncork();
    }
    this.corkedClients.length = 0;
  }

  subscribe(c: Client, channel: string): void {
    if (channel === 'alerts:*') {
      c.alertsAll = true;
      this.wildcard.add(c);
      return;
    }
    if (c.subs.has(channel)) return;
    c.subs.add(channel);
    let subs = this.subscribers.get(channel);
    if (subs === undefined) {
      const kind = parseChannel(channel)!.kind;
      subs = { kind, event: isEventKind(kind), clients: new Set() };
      this.subscribers.set(channel, subs);
    }
    subs.clients.add(c);
  }

  unsubscribe(c: Client, channel: string): void {
    if (channel === 'alerts:*') {
      c.alertsAll = false;
      this.wildcard.delete(c);
      return;
    }
    c.subs.delete(channel);
    c.stale.delete(channel);
    const subs = this.subscribers.get(channel);
    if (subs === undefined) return;
    subs.clients.delete(c);
    if (subs.clients.size === 0) this.subscribers.delete(channel);
  }

  /** Removes every subscription of a client; nothing more is sent to it. */
  detach(c: Client): void {
    c.closing = true;
    for (const channel of [...c.subs]) this.unsubscribe(c, channel);
    this.unsubscribe(c, 'alerts:*');
    this.slowClients.delete(c);
    c.queue = [];
  }

  /** Fans a frame the store accepted out to its subscribers (and `alerts:*` for alert frames). */
  publish(frame: Frame): void {
    this.snapshots.delete(frame.channel);
    const subs = this.subscribers.get(frame.channel);
    const toWildcard = this.wildcard.size > 0 && frame.channel.startsWith('alerts:');
    if (subs === undefined && !toWildcard) return;
    const enc: Encodings = {};
    let sent = 0;
    if (subs !== undefined) for (const c of subs.clients) sent += this.deliver(c, frame, subs.event, enc);
    if (toWildcard) {
      const portfolio = frame.channel.slice(7);
      for (const c of this.wildcard) {
        if (!c.subs.has(frame.channel) && entitled(c.ent, portfolio)) sent += this.deliver(c, frame, true, enc);
      }
    }
    if (sent > 0) this.o.metrics.framesSent[subs?.kind ?? 'alerts'].inc(sent);
  }

  private deliver(c: Client, frame: Frame, event: boolean, enc: Encodings): number {
    if (c.closing) return 0;
    if (!c.slow && c.ws.bufferedAmount > this.o.slowClientBufferBytes) this.markSlow(c);
    if (c.slow) {
      if (event) this.enqueue(c, (enc[c.encoding] ??= encodeFrame(frame, c.encoding)));
      else {
        c.stale.add(frame.channel);
        this.o.metrics.conflations.inc();
      }
      return 0;
    }
    this.send(c, (enc[c.encoding] ??= encodeFrame(frame, c.encoding)));
    return 1;
  }

  /** Sends the store's snapshot of a channel (encoded once per seq); false when it has none. */
  sendSnapshot(c: Client, channel: string): boolean {
    const frame = this.o.store.snapshot(channel);
    if (frame === null) return false;
    const kind = parseChannel(channel)!.kind;
    if (c.slow) {
      if (isEventKind(kind)) this.enqueue(c, encodeFrame(frame, c.encoding));
      else c.stale.add(channel);
      return true;
    }
    if (kind === 'ticks') {
      // Tiny, and a tick channel's state moves without its seq while nobody subscribes: no cache.
      this.send(c, encodeFrame(frame, c.encoding));
    } else {
      let enc = this.snapshots.get(channel);
      if (enc === undefined || enc.seq !== frame.seq) this.snapshots.set(channel, (enc = { seq: frame.seq }));
      this.send(c, (enc[c.encoding] ??= encodeFrame(frame, c.encoding)));
    }
    this.o.metrics.framesSent[kind].inc();
    return true;
  }

  /** Writes an encoded message to a client (corked while a round is open). */
  send(c: Client, payload: Encoded): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    if (this.roundDepth > 0 && !c.corked) {
      const socket = socketOf(c.ws);
      if (socket !== undefined) {
        socket.cork();
        c.corked = true;
        this.corkedClients.push(c);
      }
    }
    c.ws.send(payload, c.encoding === 'msgpack' ? BINARY : TEXT);
  }

  private markSlow(c: Client): void {
    c.slow = true;
    this.slowClients.add(c);
    this.o.logger.debug({ buffered: c.ws.bufferedAmount }, 'slow client: conflating its channels');
  }

  private enqueue(c: Client, payload: Encoded): void {
    if (c.queue.length < this.eventQueueLimit) {
      c.queue.push(payload);
      return;
    }
    this.o.metrics.alertOverflows.inc();
    this.o.logger.warn({ queued: c.queue.length }, 'slow client exceeded its alert/order queue; closing with 1013');
    this.detach(c);
    c.ws.close(1013, `too slow: more than ${this.eventQueueLimit} alert/order frames queued; reconnect`);
  }

  private checkSlowClients(): void {
    if (this.slowClients.size === 0) return;
    const lowWater = this.o.slowClientBufferBytes / 2;
    for (const c of this.slowClients) {
      if (c.closing || c.ws.readyState !== WebSocket.OPEN) this.slowClients.delete(c);
      else if (c.ws.bufferedAmount <= lowWater) this.resume(c);
    }
  }

  /** A slow client drained: its queued events first, then one snapshot per stale channel. */
  private resume(c: Client): void {
    this.slowClients.delete(c);
    c.slow = false;
    this.beginRound();
    try {
      const queue = c.queue;
      c.queue = [];
      for (const payload of queue) this.send(c, payload);
      const stale = [...c.stale];
      c.stale.clear();
      // A channel with no state to give (a gap waits for the engine) gets its next snapshot live.
      for (const channel of stale) if (c.subs.has(channel)) this.sendSnapshot(c, channel);
    } finally {
      this.endRound();
    }
  }

  close(): void {
    clearInterval(this.drainTimer);
  }
}

/** The TCP socket under a ws connection, for cork/uncork batching (ws keeps it as `_socket`). */
function socketOf(ws: WebSocket): Duplex | undefined {
  return (ws as unknown as { _socket?: Duplex })._socket;
}
