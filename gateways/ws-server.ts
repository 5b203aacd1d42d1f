// The WebSocket edge, `/v1/stream` (ws package, attached to the gateway's HTTP server). Each frame
// is encoded once per encoding and the same Buffer is handed to every subscriber; sends inside a
// round (one bus batch, one tick flush) are corked so a client gets one write per round. A client
// whose socket buffer passes `slowClientBufferBytes` is slow: its state channels stop receiving
// frames and are marked stale (conflation), and once the buffer drains it gets one snapshot per
// stale channel at the current seq. Alert and order frames are never conflated: they queue, within
// a bound, and a client that overflows it is closed with 1013 instead of losing any.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { RisklineError, toRisklineError } from '../engine/errors.js';
import { parseChannel, type ChannelKind, type Frame } from '../engine/frames.js';
import { authenticate, entitled, type Entitlement } from './auth.js';
import type { ChannelStore } from './channels.js';
import type { GatewayMetrics } from './metrics.js';
import {
  MSGPACK_SUBPROTOCOL,
  STREAM_PATH,
  encodeFrame,
  encodeServerMessage,
  errorMessage,
  isEventKind,
  parseClientMessage,
  pongMessage,
  subscribedMessage,
  unsubscribedMessage,
  type Encoded,
  type Encoding,
  type RequestId,
  type ServerMessage,
} from './protocol.js';

export { signToken } from './auth.js';

export interface StreamServerOptions {
  server: Server;
  store: ChannelStore;
  metrics: GatewayMetrics;
  logger: Logger;
  maxPayloadBytes: number;
  slowClientBufferBytes: number;
  jwtSecret: string | null;
  /** Alert/order frames a slow client may have queued before it is closed with 1013. */
  eventQueueLimit?: number;
  /** How often slow clients are checked for a drained buffer. */
  drainCheckMs?: number;
}

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

class Client {
  readonly subs = new Set<string>();
  alertsAll = false;
  slow = false;
  corked = false;
  closing = false;
  readonly stale = new Set<string>();
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

export class StreamServer {
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly subscribers = new Map<string, ChannelSubs>();
  /** Clients subscribed to `alerts:*`. */
  private readonly wildcard = new Set<Client>();
  private readonly slowClients = new Set<Client>();
  private readonly corkedClients: Client[] = [];
  private readonly snapshots = new Map<string, Encodings>();
  private roundDepth = 0;
  private readonly drainTimer: NodeJS.Timeout;
  private readonly eventQueueLimit: number;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);

  constructor(private readonly o: StreamServerOptions) {
    this.eventQueueLimit = o.eventQueueLimit ?? 10_000;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: o.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(MSGPACK_SUBPROTOCOL) ? MSGPACK_SUBPROTOCOL : false),
    });
    o.server.on('upgrade', this.onUpgrade);
    this.drainTimer = setInterval(() => this.checkSlowClients(), o.drainCheckMs ?? 20);
    this.drainTimer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
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
    const kind = subs?.kind ?? 'alerts';
    if (sent > 0) this.o.metrics.framesSent[kind].inc(sent);
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
      if (c.closing || c.ws.readyState !== WebSocket.OPEN) {
        this.slowClients.delete(c);
      } else if (c.ws.bufferedAmount <= lowWater) {
        this.resume(c);
      }
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
      for (const channel of stale) {
        // A channel with no state to give (a gap waits for the engine) gets its next snapshot live.
        if (c.subs.has(channel)) this.sendSnapshot(c, channel);
      }
    } finally {
      this.endRound();
    }
  }

  private send(c: Client, payload: Encoded): void {
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

  private reply(c: Client, msg: ServerMessage): void {
    this.send(c, encodeServerMessage(msg, c.encoding));
  }

  private replyError(c: Client, id: RequestId | null, err: RisklineError): void {
    this.o.metrics.errors.labels(err.code).inc();
    this.reply(c, errorMessage(id, err));
  }

  /** Sends the store's snapshot of a channel (encoded once per seq); false when it has none. */
  private sendSnapshot(c: Client, channel: string): boolean {
    const frame = this.o.store.snapshot(channel);
    if (frame === null) return false;
    if (c.slow) {
      const kind = parseChannel(channel)?.kind;
      if (kind !== undefined && isEventKind(kind)) this.enqueue(c, encodeFrame(frame, c.encoding));
      else c.stale.add(channel);
      return true;
    }
    let enc = this.snapshots.get(channel);
    if (enc === undefined || enc.seq !== frame.seq) this.snapshots.set(channel, (enc = { seq: frame.seq }));
    this.send(c, (enc[c.encoding] ??= encodeFrame(frame, c.encoding)));
    const kind = parseChannel(channel)?.kind;
    if (kind !== undefined) this.o.metrics.framesSent[kind].inc();
    return true;
  }

  // ---- connections ---------------------------------------------------------------------------

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) {
      rejectUpgrade(socket, 404, new RisklineError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}; use ${STREAM_PATH}`));
      return;
    }
    authenticate(this.o.jwtSecret, req, url).then(
      (ent) => {
        if (socket.destroyed) return;
        this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, ent));
      },
      (err: unknown) => {
        const e = toRisklineError(err);
        this.o.metrics.errors.labels(e.code).inc();
        rejectUpgrade(socket, e.spec.http, e);
      },
    );
  }

  private connected(ws: WebSocket, ent: Entitlement): void {
    const c = new Client(ws, ws.protocol === MSGPACK_SUBPROTOCOL ? 'msgpack' : 'json', ent);
    this.clients.add(c);
    this.o.metrics.clients.inc();
    ws.on('message', (data: RawData, isBinary: boolean) => this.message(c, data, isBinary));
    ws.on('close', () => {
      this.detach(c);
      if (this.clients.delete(c)) this.o.metrics.clients.dec();
    });
    ws.on('error', (err) => this.o.logger.debug({ err }, 'WebSocket client error'));
  }

  /** Removes every subscription of a client; nothing more is sent to it. */
  private detach(c: Client): void {
    c.closing = true;
    for (const channel of c.subs) this.removeSub(c, channel);
    c.subs.clear();
    this.wildcard.delete(c);
    this.slowClients.delete(c);
    c.queue = [];
  }

  private message(c: Client, data: RawData, isBinary: boolean): void {
    if (c.closing) return;
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const parsed = parseClientMessage(raw, isBinary, c.encoding);
    if (!parsed.ok) {
      this.o.metrics.clientMessages.labels('invalid').inc();
      this.replyError(c, parsed.id, parsed.error);
      return;
    }
    const op = parsed.op;
    this.o.metrics.clientMessages.labels(op.op).inc();
    this.beginRound();
    try {
      switch (op.op) {
        case 'ping':
          this.reply(c, pongMessage(op.id));
          break;
        case 'subscribe':
          this.subscribe(c, op.id, op.channels);
          break;
        case 'unsubscribe':
          this.unsubscribe(c, op.id, op.channels);
          break;
        case 'snapshot':
          this.snapshotOp(c, op.id, op.channel);
          break;
      }
    } catch (err) {
      const e = toRisklineError(err);
      this.o.logger.error({ err }, 'error handling a client message');
      this.replyError(c, op.id, e);
    } finally {
      this.endRound();
    }
  }

  /** Null when the client may subscribe to the channel, else the reason. */
  private authorize(c: Client, channel: string): RisklineError | null {
    const parsed = parseChannel(channel);
    if (parsed === null) return new RisklineError('BAD_CHANNEL', `bad channel ${channel}`);
    if (parsed.kind === 'ticks') {
      return this.o.store.hasInstrument(parsed.id) ? null : new RisklineError('UNKNOWN_CHANNEL', `no such instrument: ${channel}`);
    }
    if (parsed.id === '*') return null;
    if (!entitled(c.ent, parsed.id)) return new RisklineError('FORBIDDEN', `not entitled to portfolio ${parsed.id} (${channel})`);
    if (!this.o.store.hasPortfolio(parsed.id)) return new RisklineError('UNKNOWN_CHANNEL', `no such portfolio: ${channel}`);
    return null;
  }

  /** Atomic: either every channel is subscribed, or none and an error names the first refused. */
  private subscribe(c: Client, id: RequestId, channels: string[]): void {
    for (const channel of channels) {
      const err = this.authorize(c, channel);
      if (err !== null) return this.replyError(c, id, err);
    }
    this.reply(c, subscribedMessage(id, channels));
    for (const channel of channels) {
      if (channel === 'alerts:*') {
        this.wildcard.add(c);
        c.alertsAll = true;
        for (const ch of this.o.store.alertChannels((p) => entitled(c.ent, p))) if (!c.subs.has(ch)) this.sendSnapshot(c, ch);
        continue;
      }
      if (!c.subs.has(channel)) {
        c.subs.add(channel);
        let subs = this.subscribers.get(channel);
        if (subs === undefined) {
          const kind = parseChannel(channel)!.kind;
          subs = { kind, event: isEventKind(kind), clients: new Set() };
          this.subscribers.set(channel, subs);
        }
        subs.clients.add(c);
      }
      // Without state yet, the first frame the store accepts for the channel is its snapshot.
      this.sendSnapshot(c, channel);
    }
  }

  private unsubscribe(c: Client, id: RequestId, channels: string[]): void {
    for (const channel of channels) {
      const subscribed = channel === 'alerts:*' ? c.alertsAll : c.subs.has(channel);
      if (!subscribed) return this.replyError(c, id, new RisklineError('NOT_SUBSCRIBED', `not subscribed to ${channel}`));
    }
    for (const channel of channels) {
      if (channel === 'alerts:*') {
        c.alertsAll = false;
        this.wildcard.delete(c);
      } else {
        this.removeSub(c, channel);
        c.subs.delete(channel);
        c.stale.delete(channel);
      }
    }
    this.reply(c, unsubscribedMessage(id, channels));
  }

  private removeSub(c: Client, channel: string): void {
    const subs = this.subscribers.get(channel);
    if (subs === undefined) return;
    subs.clients.delete(c);
    if (subs.clients.size === 0) this.subscribers.delete(channel);
  }

  private snapshotOp(c: Client, id: RequestId, channel: string): void {
    const wildcard = channel === 'alerts:*';
    const viaWildcard = c.alertsAll && channel.startsWith('alerts:') && entitled(c.ent, channel.slice(7));
    if (wildcard ? !c.alertsAll : !c.subs.has(channel) && !viaWildcard) {
      return this.replyError(c, id, new RisklineError('NOT_SUBSCRIBED', `subscribe to ${channel} before asking for its snapshot`));
    }
    const targets = wildcard ? this.o.store.alertChannels((p) => entitled(c.ent, p)) : [channel];
    let sent = 0;
    for (const ch of targets) if (this.sendSnapshot(c, ch)) sent++;
    if (sent === 0) {
      this.replyError(
        c,
        id,
        new RisklineError('UNAVAILABLE', `no state for ${channel} yet; its snapshot follows as soon as the engine publishes one`),
      );
    }
  }

  /** Closes every client with 1001 and stops accepting upgrades. */
  async close(): Promise<void> {
    clearInterval(this.drainTimer);
    this.o.server.off('upgrade', this.onUpgrade);
    const closing = [...this.clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          this.detach(c);
          c.ws.close(1001, 'server shutting down');
          setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 1000).unref();
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** The TCP socket under a ws connection, for cork/uncork batching (ws keeps it as `_socket`). */
function socketOf(ws: WebSocket): Duplex | undefined {
  return (ws as unknown as { _socket?: Duplex })._socket;
}

function rejectUpgrade(socket: Duplex, status: number, err: RisklineError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code: err.code, message: err.message });
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Error';
  const auth = status === 401 ? 'WWW-Authenticate: Bearer realm="riskline"\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n${auth}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
