// The WebSocket edge, `/v1/stream`, over whichever transport runs (gateways/transport/). At
// upgrade: the per-address upgrade rate, the Origin allowlist, the caller's identity (401 before
// the handshake), the connection caps, and the subprotocol (JSON by default, msgpack for
// `riskline.msgpack`). On the connection: a token bucket on client messages, the ops, a cap on
// subscriptions, and a close with 1008 when the token expires (no in-band refresh: reconnect with
// a fresh token). Malformed frames, unknown ops and refused channels get an `error` frame and the
// connection stays open. Delivery, conflation of slow clients and batching live in fanout.ts.

import type { Logger } from 'pino';
import { RisklineError, toRisklineError } from '../errors/catalogue.js';
import { parseChannel, type Frame } from '../engine/frames.js';
import { SERVER_DEFAULTS } from '../config/schema.js';
import type { ChannelStore } from './channels.js';
import { Client, Fanout } from './fanout.js';
import { entitled, type Identity } from './identity/identity.js';
import { Admission, originAllowed, TokenBucket, type AdmissionLimits } from './limits.js';
import type { GatewayMetrics } from './metrics.js';
import {
  MSGPACK_SUBPROTOCOL,
  encodeServerMessage,
  errorMessage,
  parseClientMessage,
  pongMessage,
  subscribedMessage,
  unsubscribedMessage,
  whatIfMessage,
  orderMessage,
  alertActionMessage,
  type ClientOp,
  type Encoding,
  type RequestId,
  type ServerMessage,
  type StatusMessage,
} from './protocol.js';
import type { OrderEntry } from './orders/entry.js';
import type { AlertEntry } from './alerts/entry.js';
import { errorReply } from './route.js';
import type { Hub, Socket, StreamHandlers, UpgradeRequest } from './transport/index.js';
import { answerWhatIf, type RiskQueries, type WhatIfRequest } from './what-if.js';

export interface StreamLimits extends AdmissionLimits {
  /** Client messages a second per connection, and the burst allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  maxSubscriptionsPerConnection: number;
  /** Origins (scheme://host:port) allowed besides the gateway's own; "*" allows any. */
  allowedOrigins: readonly string[];
}

/** The settings' defaults (config/schema.ts `server.limits`): one place says what they are. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = SERVER_DEFAULTS.limits;

export interface StreamServerOptions {
  store: ChannelStore;
  metrics: GatewayMetrics;
  logger: Logger;
  maxPayloadBytes: number;
  slowClientBufferBytes: number;
  /** The caller of an upgrade and the subprotocol to answer with (gateways/identity/). */
  authenticateUpgrade: AuthenticateUpgrade;
  /** The gateway runs open (no identity configured, loopback only): subjects are not counted per identity. */
  open: boolean;
  limits?: Partial<StreamLimits>;
  /** Alert/order frames a slow client may have queued before it is closed with 1013. */
  eventQueueLimit?: number;
  /** How often slow clients are checked for a drained buffer. */
  drainCheckMs?: number;
  /** A client slow this long is closed with 1013. */
  maxSlowMs?: number;
  /** A client whose ping is unanswered this long is conflated. */
  maxLagMs?: number;
  /** Answers the `whatIf` op; without it the op is UNAVAILABLE (see ./what-if.ts). */
  riskQueries?: RiskQueries;
  /** Takes the order ops (the router role of this process); without it they are UNAVAILABLE. */
  orders?: OrderEntry;
  /** Takes the alert ops (acknowledge, assign); without it they are UNAVAILABLE. */
  alerts?: AlertEntry;
}

export type AuthenticateUpgrade = (
  req: Pick<UpgradeRequest, 'header' | 'url' | 'remoteAddress'>,
) => Promise<{ identity: Identity; protocol: string | undefined }>;

/** What the transport keeps per connection. */
export interface Connection {
  identity: Identity;
  encoding: Encoding;
  client?: Client;
  bucket?: TokenBucket;
  /** When the last RATE_LIMITED error went out (one a second at most). */
  limitedAt: number;
  expiry?: NodeJS.Timeout;
}

/** The largest delay setTimeout takes; a later expiry is re-armed. */
const MAX_TIMER_MS = 2_147_000_000;

export class StreamServer {
  private readonly clients = new Set<Client>();
  private current: StatusMessage | null = null;
  private readonly fanout: Fanout;
  private readonly admission: Admission;
  private readonly limits: StreamLimits;
  readonly handlers: StreamHandlers<Connection>;

  constructor(private readonly o: StreamServerOptions) {
    this.fanout = new Fanout(o);
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...o.limits };
    this.admission = new Admission(this.limits);
    this.handlers = {
      upgrade: (req) => this.upgrade(req),
      open: (socket, conn) => this.connected(socket, conn),
      message: (_socket, conn, data, binary) => this.message(conn, data, binary),
      close: (_socket, conn) => this.disconnected(conn),
      pong: (_socket, conn, data) => {
        if (conn.client) this.fanout.pong(conn.client, data);
      },
      oversized: () => this.oversized(),
    };
  }

  /** The transport's topic hub, once it runs (state channels are published through it). */
  attach(hub: Hub): void {
    this.fanout.attach(hub);
  }

  /** Bytes held for clients now (the gauge riskline_gateway_client_buffered_bytes). */
  bufferedBytes(): number {
    return this.fanout.bufferedBytes();
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
    this.fanout.reply(c, encodeServerMessage(msg, c.encoding));
  }

  private replyError(c: Client, id: RequestId | null, err: RisklineError): void {
    this.o.metrics.errors.labels(err.code).inc();
    this.reply(c, errorMessage(id, err));
  }

  // ---- connections ---------------------------------------------------------------------------

  private refuse(err: RisklineError): { accept: false; reply: ReturnType<typeof errorReply> } {
    this.o.metrics.errors.labels(err.code).inc();
    return { accept: false, reply: errorReply(err) };
  }

  private async upgrade(req: UpgradeRequest) {
    if (this.admission.rateLimited(req.remoteAddress, Date.now()))
      return this.refuse(new RisklineError('RATE_LIMITED', 'too many connection attempts from this address'));
    const origin = req.header('origin');
    if (!originAllowed(origin, req.header('host'), this.limits.allowedOrigins))
      return this.refuse(new RisklineError('FORBIDDEN', `origin ${origin} is not allowed`));
    let identity: Identity;
    let protocol: string | undefined;
    try {
      ({ identity, protocol } = await this.o.authenticateUpgrade(req));
    } catch (err) {
      return this.refuse(toRisklineError(err));
    }
    const why = this.admission.refusal(identity.subject, !this.o.open);
    if (why !== null) return this.refuse(new RisklineError('UNAVAILABLE', why));
    const conn: Connection = {
      identity,
      encoding: protocol === MSGPACK_SUBPROTOCOL ? 'msgpack' : 'json',
      limitedAt: 0,
    };
    return { accept: true as const, user: conn, protocol: protocol ?? null };
  }

  private connected(socket: Socket, conn: Connection): void {
    const c = new Client(socket, conn.encoding, conn.identity);
    conn.client = c;
    conn.bucket = new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst, Date.now());
    this.admission.opened(conn.identity.subject);
    this.clients.add(c);
    this.fanout.add(c);
    this.o.metrics.clients.inc();
    this.armExpiry(conn);
    if (this.current?.stale) this.reply(c, this.current);
  }

  /** Closes the connection with 1008 when its token expires. */
  private armExpiry(conn: Connection): void {
    const at = conn.identity.expiresAt;
    if (at === null) return;
    const wait = at - Date.now();
    if (wait > MAX_TIMER_MS) {
      conn.expiry = setTimeout(() => this.armExpiry(conn), MAX_TIMER_MS);
      return;
    }
    conn.expiry = setTimeout(
      () => {
        const c = conn.client;
        if (c === undefined || c.closing) return;
        this.o.metrics.errors.labels('UNAUTHORIZED').inc();
        this.fanout.detach(c);
        c.socket.close(1008, 'UNAUTHORIZED: token expired; reconnect with a fresh token');
      },
      Math.max(0, wait),
    );
    conn.expiry.unref();
  }

  private disconnected(conn: Connection): void {
    clearTimeout(conn.expiry);
    const c = conn.client;
    if (c === undefined) return;
    this.fanout.detach(c);
    if (this.clients.delete(c)) {
      this.o.metrics.clients.dec();
      this.admission.closed(conn.identity.subject);
    }
  }

  private oversized(): void {
    this.o.metrics.oversizedFrames.inc();
    this.o.logger.warn(
      { code: 'PAYLOAD_TOO_LARGE', limit: this.o.maxPayloadBytes, clients: this.clients.size },
      `client frame over ${this.o.maxPayloadBytes} bytes; closed with 1009`,
    );
  }

  private message(conn: Connection, data: Buffer, binary: boolean): void {
    const c = conn.client;
    if (c === undefined || c.closing) return;
    const now = Date.now();
    // Over the rate, a message is dropped unread (parsing it would be the flood's cost); one error a second says so.
    if (!conn.bucket!.take(now)) {
      this.o.metrics.clientMessages.labels('rate_limited').inc();
      if (now - conn.limitedAt >= 1000) {
        conn.limitedAt = now;
        const err = new RisklineError(
          'RATE_LIMITED',
          `more than ${this.limits.messagesPerSecond} messages a second; messages are being dropped`,
        );
        this.replyError(c, null, err);
      }
      return;
    }
    const parsed = parseClientMessage(data, binary, c.encoding);
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
        case 'order':
        case 'cancelOrder':
        case 'replaceOrder':
          this.orderOp(c, op);
          break;
        case 'acknowledgeAlert':
        case 'assignAlert':
          this.alertOp(c, op);
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
    const adding = new Set(channels.filter((ch) => ch !== 'alerts:*' && !c.subs.has(ch))).size;
    const cap = this.limits.maxSubscriptionsPerConnection;
    if (c.subs.size + adding > cap) {
      const err = new RisklineError(
        'RATE_LIMITED',
        `at most ${cap} subscriptions per connection (${c.subs.size} held)`,
      );
      return this.replyError(c, id, err);
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
    answerWhatIf(queries, c.ent, req).then(
      (data) => this.reply(c, whatIfMessage(id, data)),
      (err: unknown) => {
        if (err instanceof RisklineError && err.code !== 'INTERNAL') return this.replyError(c, id, err);
        this.o.logger.error({ err, op: 'whatIf' }, 'what-if failed');
        this.replyError(c, id, new RisklineError('INTERNAL', 'what-if failed; see the server log'));
      },
    );
  }

  /** An order op, answered with the order as it stands (its life follows on `orders:<portfolio>`). */
  private orderOp(c: Client, op: Extract<ClientOp, { op: 'order' | 'cancelOrder' | 'replaceOrder' }>): void {
    const entry = this.o.orders;
    if (entry === undefined) {
      return this.replyError(c, op.id, new RisklineError('UNAVAILABLE', 'orders are not taken here (no router role)'));
    }
    const answer = (async () => {
      if (op.op === 'order') return entry.submit(c.ent, { ...op });
      if (op.op === 'cancelOrder') return { order: entry.cancel(c.ent, op.orderId), pretrade: null };
      return entry.replace(c.ent, op.orderId, op.qty, op.price);
    })();
    answer.then(
      (r) => this.reply(c, orderMessage(op.id, r.order, r.pretrade)),
      (err: unknown) => {
        if (err instanceof RisklineError && err.code !== 'INTERNAL') return this.replyError(c, op.id, err);
        this.o.logger.error({ err, op: op.op }, 'order op failed');
        this.replyError(c, op.id, new RisklineError('INTERNAL', `${op.op} failed; see the server log`));
      },
    );
  }

  /** An alert op, answered with the action as recorded (it follows on `alerts:<portfolio>`). */
  private alertOp(c: Client, op: Extract<ClientOp, { op: 'acknowledgeAlert' | 'assignAlert' }>): void {
    const entry = this.o.alerts;
    if (entry === undefined) {
      return this.replyError(c, op.id, new RisklineError('UNAVAILABLE', 'alert actions are not taken here'));
    }
    const note = op.note === undefined ? {} : { note: op.note };
    const answer =
      op.op === 'acknowledgeAlert'
        ? entry.acknowledge(c.identity, op.alert, note)
        : entry.assign(c.identity, op.alert, { assignee: op.assignee, ...note });
    answer.then(
      (action) => this.reply(c, alertActionMessage(op.id, action)),
      (err: unknown) => {
        if (err instanceof RisklineError && err.code !== 'INTERNAL') return this.replyError(c, op.id, err);
        this.o.logger.error({ err, op: op.op }, 'alert op failed');
        this.replyError(c, op.id, new RisklineError('INTERNAL', `${op.op} failed; see the server log`));
      },
    );
  }

  /** Closes every client with 1001 (the transport ends what is left when it closes). */
  close(): void {
    this.fanout.close();
    for (const c of this.clients) {
      this.fanout.detach(c);
      c.socket.close(1001, 'server shutting down');
    }
  }
}
