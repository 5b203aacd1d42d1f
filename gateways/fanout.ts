// The hot path from accepted frames to WebSocket clients. State channels (positions, exposures,
// risk, ticks) go through the transport's topic hub: each frame is encoded once per encoding and
// published once, and uWS fans it out in C++ (on `ws`, a corked JavaScript loop). A client whose
// socket buffer passes `slowClientBufferBytes` is slow: it leaves its state topics and those
// channels are marked stale (conflation); once its buffer drains it rejoins them and gets one
// snapshot per stale channel that moved meanwhile, at the current seq (one that did not move sends
// nothing: the client holds its last frame already, and a repeated seq is not news). Bytes the server holds are not all a client is
// behind by: the kernel's socket buffers hold seconds more, unseen. So each client is also probed
// with a ping, which queues behind its data: one unanswered past `maxLagMs` marks it slow too, until
// it answers (a lag probe). Alert and order frames, and replies to its own
// requests, are never conflated: they go to each client directly and queue while it is slow,
// within a bound (count and bytes); a client that overflows it, or stays slow past `maxSlowMs`, is
// closed with 1013 and a reason rather than grow the server's memory.

import type { Logger } from 'pino';
import { parseChannel, type ChannelKind, type Frame } from '../engine/frames.js';
import { SERVER_DEFAULTS } from '../config/schema.js';
import type { ChannelStore } from './channels.js';
import { entitled, type Entitlement, type Identity } from './identity/identity.js';
import type { GatewayMetrics } from './metrics.js';
import { encodeFrame, isEventKind, type Encoded, type Encoding } from './protocol.js';
import type { Hub, Socket } from './transport/index.js';

export interface FanoutOptions {
  store: ChannelStore;
  metrics: GatewayMetrics;
  logger: Logger;
  slowClientBufferBytes: number;
  /** Alert/order frames and replies a slow client may have queued before it is closed with 1013. */
  eventQueueLimit?: number;
  /** How often clients are checked for a full or drained buffer. */
  drainCheckMs?: number;
  /** A client slow (not reading) this long is closed with 1013 (default 60 s). */
  maxSlowMs?: number;
  /** A client whose lag probe is unanswered this long is slow (default 500). */
  maxLagMs?: number;
}

/** A stale channel's mark when the client is owed its snapshot however the channel moved. */
const NEEDS_SNAPSHOT = -1;

/** How long after a probe's answer the next goes out. */
const PROBE_EVERY_MS = 200;

/** One connection's subscriptions and flow state. */
export class Client {
  readonly subs = new Set<string>();
  /** Subscribed to `alerts:*`. */
  alertsAll = false;
  slow = false;
  corked = false;
  closing = false;
  /**
   * State channels conflated while slow, with the seq last published on each when it left (NEEDS_SNAPSHOT:
   * a snapshot is owed whatever happens); each that moved gets a snapshot when the client drains.
   */
  readonly stale = new Map<string, number>();
  /** Event frames (alerts, orders) and replies held while slow, and their bytes. */
  queue: Encoded[] = [];
  queueBytes = 0;
  /** When it became slow (ms since the epoch). */
  slowSince = 0;
  /** Direct sends held until the round ends, written corked. */
  readonly pending: Encoded[] = [];
  /** The outstanding lag probe: its payload, and when it went out (0: none out). */
  probe = '';
  probeAt = 0;
  /** When the last probe was answered (or the client connected). */
  answeredAt = Date.now();
  probes = 0;
  constructor(
    readonly socket: Socket,
    readonly encoding: Encoding,
    readonly identity: Identity,
  ) {}
  get ent(): Entitlement {
    return this.identity.entitlement;
  }
}

interface ChannelSubs {
  kind: ChannelKind;
  event: boolean;
  clients: Set<Client>;
  /** Clients in the channel's topic now (not slow), per encoding: who a publish reaches. */
  json: number;
  msgpack: number;
}

interface Encodings {
  json?: Encoded;
  msgpack?: Encoded;
  seq?: number;
}

/** The hub topic of a channel for one encoding: a publish carries one encoding's bytes. */
const topicOf = (encoding: Encoding, channel: string): string => `${encoding}|${channel}`;

/** Until the transport starts: publishes reach nobody, as there is nobody yet. */
const NO_HUB: Hub = {
  subscribe: () => undefined,
  unsubscribe: () => undefined,
  publish: () => undefined,
  beginRound: () => undefined,
  endRound: () => undefined,
};

export class Fanout {
  private readonly subscribers = new Map<string, ChannelSubs>();
  private readonly wildcard = new Set<Client>();
  private readonly clients = new Set<Client>();
  private readonly slowClients = new Set<Client>();
  private readonly corkedClients: Client[] = [];
  /** Encoded snapshots per channel, valid while the channel's seq is unchanged. */
  private readonly snapshots = new Map<string, Encodings>();
  /** The seq last published on each channel: what every client in its topic has been sent. */
  private readonly published = new Map<string, number>();
  private roundDepth = 0;
  private readonly drainTimer: NodeJS.Timeout;
  private readonly eventQueueLimit: number;
  private readonly maxSlowMs: number;
  private readonly maxLagMs: number;
  private hub: Hub = NO_HUB;

  constructor(private readonly o: FanoutOptions) {
    this.eventQueueLimit = o.eventQueueLimit ?? 10_000;
    this.maxSlowMs = o.maxSlowMs ?? SERVER_DEFAULTS.maxSlowMs;
    this.maxLagMs = o.maxLagMs ?? SERVER_DEFAULTS.maxLagMs;
    this.drainTimer = setInterval(() => this.checkClients(), o.drainCheckMs ?? 20);
    this.drainTimer.unref();
  }

  /** The transport's topic hub, once it runs. */
  attach(hub: Hub): void {
    this.hub = hub;
  }

  hasSubscribers(channel: string): boolean {
    return this.subscribers.has(channel);
  }

  /** Starts a round: sends until endRound() are written together per client. */
  beginRound(): void {
    if (this.roundDepth++ === 0) this.hub.beginRound();
  }

  endRound(): void {
    if (--this.roundDepth > 0) return;
    for (const c of this.corkedClients) {
      c.corked = false;
      const binary = c.encoding === 'msgpack';
      c.socket.cork(() => {
        for (const payload of c.pending) c.socket.send(payload, binary);
      });
      c.pending.length = 0;
    }
    this.corkedClients.length = 0;
    this.hub.endRound();
  }

  /** Bytes held for clients now: their sockets' unsent bytes, queued events and replies, held sends. */
  bufferedBytes(): number {
    let n = 0;
    for (const c of this.clients) {
      n += c.socket.bufferedAmount() + c.queueBytes;
      for (const p of c.pending) n += p.length;
    }
    return n;
  }

  /** A new connection: watched for a full buffer from now on. */
  add(c: Client): void {
    this.clients.add(c);
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
      subs = { kind, event: isEventKind(kind), clients: new Set(), json: 0, msgpack: 0 };
      this.subscribers.set(channel, subs);
    }
    subs.clients.add(c);
    if (!subs.event && !c.slow) this.join(c, channel, subs);
  }

  unsubscribe(c: Client, channel: string): void {
    if (channel === 'alerts:*') {
      c.alertsAll = false;
      this.wildcard.delete(c);
      return;
    }
    if (!c.subs.delete(channel)) return;
    c.stale.delete(channel);
    const subs = this.subscribers.get(channel);
    if (subs === undefined) return;
    if (!subs.event && !c.slow) this.leave(c, channel, subs);
    subs.clients.delete(c);
    if (subs.clients.size === 0) this.subscribers.delete(channel);
  }

  private join(c: Client, channel: string, subs: ChannelSubs): void {
    this.hub.subscribe(c.socket, topicOf(c.encoding, channel));
    subs[c.encoding]++;
  }

  private leave(c: Client, channel: string, subs: ChannelSubs): void {
    this.hub.unsubscribe(c.socket, topicOf(c.encoding, channel));
    subs[c.encoding]--;
  }

  /** Removes every subscription of a client; nothing more is sent to it. */
  detach(c: Client): void {
    for (const channel of [...c.subs]) this.unsubscribe(c, channel);
    this.unsubscribe(c, 'alerts:*');
    c.closing = true;
    this.clients.delete(c);
    this.slowClients.delete(c);
    c.queue = [];
    c.queueBytes = 0;
    c.pending.length = 0;
  }

  /** Fans a frame the store accepted out to its subscribers (and `alerts:*` for alert frames). */
  publish(frame: Frame): void {
    this.snapshots.delete(frame.channel);
    this.published.set(frame.channel, frame.seq);
    const subs = this.subscribers.get(frame.channel);
    const toWildcard = this.wildcard.size > 0 && frame.channel.startsWith('alerts:');
    if (subs === undefined && !toWildcard) return;
    if (subs !== undefined && !subs.event) {
      // Slow clients left the topic: their channel was marked stale when they did.
      if (subs.json > 0) this.hub.publish(topicOf('json', frame.channel), encodeFrame(frame, 'json'), false);
      if (subs.msgpack > 0) this.hub.publish(topicOf('msgpack', frame.channel), encodeFrame(frame, 'msgpack'), true);
      const sent = subs.json + subs.msgpack;
      if (sent > 0) this.o.metrics.framesSent[subs.kind].inc(sent);
      const conflated = subs.clients.size - sent;
      if (conflated > 0) this.o.metrics.conflations.inc(conflated);
      return;
    }
    const enc: Encodings = {};
    let sent = 0;
    if (subs !== undefined) for (const c of subs.clients) sent += this.deliverEvent(c, frame, enc);
    if (toWildcard) {
      const portfolio = frame.channel.slice(7);
      for (const c of this.wildcard) {
        if (!c.subs.has(frame.channel) && entitled(c.ent, portfolio)) sent += this.deliverEvent(c, frame, enc);
      }
    }
    if (sent > 0) this.o.metrics.framesSent[subs?.kind ?? 'alerts'].inc(sent);
  }

  private deliverEvent(c: Client, frame: Frame, enc: Encodings): number {
    if (c.closing) return 0;
    const payload = (enc[c.encoding] ??= encodeFrame(frame, c.encoding));
    if (!c.slow && c.socket.bufferedAmount() > this.o.slowClientBufferBytes) this.markSlow(c);
    if (c.slow) {
      this.enqueue(c, payload);
      return 0;
    }
    this.send(c, payload);
    return 1;
  }

  /** Sends the store's snapshot of a channel (encoded once per seq); false when it has none. */
  sendSnapshot(c: Client, channel: string): boolean {
    const frame = this.o.store.snapshot(channel);
    if (frame === null) return false;
    const kind = parseChannel(channel)!.kind;
    if (c.slow) {
      if (isEventKind(kind)) this.enqueue(c, encodeFrame(frame, c.encoding));
      else c.stale.set(channel, NEEDS_SNAPSHOT);
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

  /** A reply to the client's own request: queued like an event while it is slow, so not reading bounds it too. */
  reply(c: Client, payload: Encoded): void {
    if (c.closing) return;
    if (!c.slow && c.socket.bufferedAmount() > this.o.slowClientBufferBytes) this.markSlow(c);
    if (c.slow) this.enqueue(c, payload);
    else this.send(c, payload);
  }

  /** Writes an encoded message to a client (held for one corked write while a round is open). */
  send(c: Client, payload: Encoded): void {
    if (!c.socket.open) return;
    if (this.roundDepth > 0) {
      if (!c.corked) {
        c.corked = true;
        this.corkedClients.push(c);
      }
      c.pending.push(payload);
      return;
    }
    c.socket.send(payload, c.encoding === 'msgpack');
  }

  /** The client leaves its state topics; each of those channels gets a snapshot when it drains. */
  private markSlow(c: Client): void {
    c.slow = true;
    c.slowSince = Date.now();
    this.slowClients.add(c);
    for (const channel of c.subs) {
      const subs = this.subscribers.get(channel)!;
      if (subs.event) continue;
      this.leave(c, channel, subs);
      c.stale.set(channel, this.published.get(channel) ?? NEEDS_SNAPSHOT);
    }
    this.o.logger.debug({ buffered: c.socket.bufferedAmount() }, 'slow client: conflating its channels');
  }

  /** Holds an event or reply for a slow client, within a bound of count and bytes (the slow mark itself). */
  private enqueue(c: Client, payload: Encoded): void {
    if (c.queue.length < this.eventQueueLimit && c.queueBytes + payload.length <= this.o.slowClientBufferBytes) {
      c.queue.push(payload);
      c.queueBytes += payload.length;
      return;
    }
    this.o.metrics.alertOverflows.inc();
    this.o.logger.warn(
      { queued: c.queue.length, bytes: c.queueBytes },
      'slow client exceeded its queue of events and replies; closing with 1013',
    );
    this.drop(c, `too slow: more than ${c.queue.length} events/replies (${c.queueBytes} bytes) queued; reconnect`);
  }

  /** Closes a client that cannot keep up, with 1013 and a reason. */
  private drop(c: Client, reason: string): void {
    this.detach(c);
    c.socket.close(1013, reason.slice(0, 120));
  }

  /** A client answered a ping: when it is the outstanding probe, the client has read all sent before it. */
  pong(c: Client, data: string): void {
    if (c.probeAt === 0 || data !== c.probe) return;
    c.probeAt = 0;
    c.answeredAt = Date.now();
  }

  /**
   * Every few ms: clients whose buffer filled, or whose probe is unanswered past maxLagMs, become
   * slow; slow ones that drained and answered resume, or are closed past maxSlowMs. Probes go out.
   */
  private checkClients(): void {
    const high = this.o.slowClientBufferBytes;
    const now = Date.now();
    for (const c of this.clients) {
      if (c.closing || !c.socket.open) continue;
      if (c.probeAt === 0) {
        if (now - c.answeredAt >= PROBE_EVERY_MS) {
          c.probe = String(++c.probes);
          c.probeAt = now;
          c.socket.ping(c.probe);
        }
      } else if (!c.slow && now - c.probeAt > this.maxLagMs) {
        this.o.metrics.lagged.inc();
        this.markSlow(c);
      }
      if (!c.slow && c.socket.bufferedAmount() > high) this.markSlow(c);
    }
    if (this.slowClients.size === 0) return;
    for (const c of this.slowClients) {
      if (c.closing || !c.socket.open) this.slowClients.delete(c);
      else if (c.socket.bufferedAmount() <= high / 2 && (c.probeAt === 0 || now - c.probeAt <= this.maxLagMs))
        this.resume(c);
      else if (now - c.slowSince > this.maxSlowMs) {
        this.o.metrics.alertOverflows.inc();
        this.drop(c, `too slow: nothing read for ${Math.round((now - c.slowSince) / 1000)} s; reconnect`);
      }
    }
  }

  /** A slow client drained: back in its topics, its queued events and replies, then one snapshot per stale channel. */
  private resume(c: Client): void {
    this.slowClients.delete(c);
    c.slow = false;
    this.beginRound();
    try {
      for (const channel of c.subs) {
        const subs = this.subscribers.get(channel)!;
        if (!subs.event) this.join(c, channel, subs);
      }
      const queue = c.queue;
      c.queue = [];
      c.queueBytes = 0;
      for (const payload of queue) this.send(c, payload);
      const stale = [...c.stale]
        .filter(([channel, left]) => left === NEEDS_SNAPSHOT || this.published.get(channel) !== left)
        .map(([channel]) => channel);
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
