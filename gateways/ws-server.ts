// The WebSocket edge, `/v1/stream` (ws package, attached to the gateway's HTTP server): upgrade
// with path check and JWT entitlement (401 before the handshake), subprotocol negotiation (JSON by
// default, msgpack for `riskline.msgpack`), and the client ops. Malformed frames, unknown ops and
// refused channels get an `error` frame; the connection stays open. A frame over maxPayloadBytes
// closes the connection with 1009 and a reason, a warning and a count. Delivery, conflation of slow
// clients and batching live in fanout.ts.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { RisklineError, toRisklineError } from '../errors/catalogue.js';
import { parseChannel, type Frame } from '../engine/frames.js';
import { authenticate, entitled, type Entitlement } from './auth.js';
import type { ChannelStore } from './channels.js';
import { Client, Fanout } from './fanout.js';
import type { GatewayMetrics } from './metrics.js';
import { answerWhatIf, type RiskQueries, type WhatIfRequest } from './what-if.js';
import {
  MSGPACK_SUBPROTOCOL,
  STREAM_PATH,
  encodeServerMessage,
  errorMessage,
  parseClientMessage,
  pongMessage,
  subscribedMessage,
  unsubscribedMessage,
  whatIfMessage,
  type RequestId,
  type ServerMessage,
  type StatusMessage,
} from './protocol.js';

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
  /** Answers the `whatIf` op; without it the op is UNAVAILABLE (see ./what-if.ts). */
  riskQueries?: RiskQueries;
}

export class StreamServer {
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private current: StatusMessage | null = null;
  private readonly fanout: Fanout;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.upgrade(req, socket, head);

  constructor(private readonly o: StreamServerOptions) {
    this.fanout = new Fanout(o);
    this.wss = new WebSocketServer({
      noServer: true,
      WebSocket: socketClass(tooLargeReason(o.maxPayloadBytes)),
      maxPayload: o.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(MSGPACK_SUBPROTOCOL) ? MSGPACK_SUBPROTOCOL : false),
    });
    o.server.on('upgrade', this.onUpgrade);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  hasSubscribers(channel: string): boolean {
    return this.fanout.hasSubscribers(channel);
  }

  /** Opens a round of sends (one bus batch, one tick flush): each client gets one write for it. */
  beginRound(): void {
    this.fanout.beginRound();
  }

  endRound(): void {
    this.fanout.endRound();
  }

  /** The gateway's status (stale or not): sent to every client now, and to each new one while stale. */
  status(msg: StatusMessage): void {
    this.current = msg;
    for (const c of this.clients) this.reply(c, msg);
  }

  /** Fans a frame the store accepted out to its subscribers. */
  publish(frame: Frame): void {
    this.fanout.publish(frame);
  }

  private reply(c: Client, msg: ServerMessage): void {
    this.fanout.send(c, encodeServerMessage(msg, c.encoding));
  }

  private replyError(c: Client, id: RequestId | null, err: RisklineError): void {
    this.o.metrics.errors.labels(err.code).inc();
    this.reply(c, errorMessage(id, err));
  }

  // ---- connections ---------------------------------------------------------------------------

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) {
      rejectUpgrade(
        socket,
        404,
        new RisklineError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}; use ${STREAM_PATH}`),
      );
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
    if (this.current?.stale) this.reply(c, this.current);
    ws.on('message', (data: RawData, isBinary: boolean) => this.message(c, data, isBinary));
    ws.on('close', () => {
      this.fanout.detach(c);
      if (this.clients.delete(c)) this.o.metrics.clients.dec();
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code !== OVERSIZED) return this.o.logger.debug({ err }, 'WebSocket client error');
      this.o.metrics.oversizedFrames.inc();
      this.o.logger.warn(
        { code: 'PAYLOAD_TOO_LARGE', limit: this.o.maxPayloadBytes, clients: this.clients.size },
        `client frame over ${this.o.maxPayloadBytes} bytes; closed with 1009`,
      );
    });
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
        case 'whatIf':
          this.whatIfOp(c, op.id, op);
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
      return this.o.store.hasInstrument(parsed.id)
        ? null
        : new RisklineError('UNKNOWN_CHANNEL', `no such instrument: ${channel}`);
    }
    if (parsed.id === '*') return null;
    // Entitlement first, so a caller learns nothing about portfolios it may not see.
    if (!entitled(c.ent, parsed.id)) {
      return new RisklineError('FORBIDDEN', `not entitled to portfolio ${parsed.id} (${channel})`);
    }
    if (!this.o.store.hasPortfolio(parsed.id)) {
      return new RisklineError('UNKNOWN_CHANNEL', `no such portfolio: ${channel}`);
    }
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
      this.fanout.subscribe(c, channel);
      if (channel === 'alerts:*') {
        for (const ch of this.o.store.alertChannels((p) => entitled(c.ent, p))) {
          if (!c.subs.has(ch)) this.fanout.sendSnapshot(c, ch);
        }
      } else {
        // Without state yet, the first frame the store accepts for the channel is its snapshot.
        this.fanout.sendSnapshot(c, channel);
      }
    }
  }

  private unsubscribe(c: Client, id: RequestId, channels: string[]): void {
    for (const channel of channels) {
      const subscribed = channel === 'alerts:*' ? c.alertsAll : c.subs.has(channel);
      if (!subscribed) {
        return this.replyError(c, id, new RisklineError('NOT_SUBSCRIBED', `not subscribed to ${channel}`));
      }
    }
    for (const channel of channels) this.fanout.unsubscribe(c, channel);
    this.reply(c, unsubscribedMessage(id, channels));
  }

  private snapshotOp(c: Client, id: RequestId, channel: string): void {
    const wildcard = channel === 'alerts:*';
    const viaWildcard = c.alertsAll && channel.startsWith('alerts:') && entitled(c.ent, channel.slice(7));
    if (wildcard ? !c.alertsAll : !c.subs.has(channel) && !viaWildcard) {
      return this.replyError(
        c,
        id,
        new RisklineError('NOT_SUBSCRIBED', `subscribe to ${channel} before asking for its snapshot`),
      );
    }
    const targets = wildcard ? this.o.store.alertChannels((p) => entitled(c.ent, p)) : [channel];
    let sent = 0;
    for (const ch of targets) if (this.fanout.sendSnapshot(c, ch)) sent++;
    if (sent === 0) {
      this.replyError(
        c,
        id,
        new RisklineError(
          'UNAVAILABLE',
          `no state for ${channel} yet; its snapshot follows as soon as the engine publishes one`,
        ),
      );
    }
  }

  /** A refusal (entitlement, unknown ids, no engine) is the client's error frame, not a server error. */
  private whatIfOp(c: Client, id: RequestId, req: WhatIfRequest): void {
    const queries = this.o.riskQueries;
    if (queries === undefined) {
      return this.replyError(c, id, new RisklineError('UNAVAILABLE', 'what-if is not served by this gateway'));
    }
    let data;
    try {
      data = answerWhatIf(queries, c.ent, req);
    } catch (err) {
      if (!(err instanceof RisklineError) || err.code === 'INTERNAL') throw err;
      return this.replyError(c, id, err);
    }
    this.reply(c, whatIfMessage(id, data));
  }

  /** Closes every client with 1001 and stops accepting upgrades. */
  async close(): Promise<void> {
    this.fanout.close();
    this.o.server.off('upgrade', this.onUpgrade);
    const closing = [...this.clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          this.fanout.detach(c);
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

/** What ws reports when a client's frame (or message) exceeds maxPayload; it then closes with 1009. */
const OVERSIZED = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/** The close reason for an oversized frame: the catalogue code and the limit (well under 123 bytes). */
function tooLargeReason(limit: number): string {
  const err = new RisklineError('PAYLOAD_TOO_LARGE', `frames are limited to ${limit} bytes`);
  return `${err.code}: ${err.message}`;
}

/**
 * ws closes an oversized frame's connection with 1009 but no reason; its documented `WebSocket`
 * option lets the server's sockets add one, so a client learns why it was closed.
 */
function socketClass(reason: string): typeof WebSocket {
  return class StreamSocket extends WebSocket {
    override close(code?: number, data?: string | Buffer): void {
      super.close(code, code === 1009 && data === undefined ? reason : data);
    }
  };
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
