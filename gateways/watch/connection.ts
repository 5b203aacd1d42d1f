// The WebSocket side of `riskline watch`: connect with a bearer token, subscribe (in requests of
// at most MAX_CHANNELS_PER_REQUEST channels), hand every server message on, ask for snapshots, keep
// the connection honest with protocol pings, and after a lost connection reconnect with
// exponential backoff and subscribe again. A refusal that another try cannot fix (401, 403, 404,
// a channel refused) ends it with that error.

import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { ERRORS, RisklineError, type ErrorCode } from '../../errors/catalogue.js';
import {
  decodeServerMessage,
  encodeClientOp,
  MAX_CHANNELS_PER_REQUEST,
  type ClientOp,
  type ServerMessage,
} from '../protocol.js';
import type { ConnectionPhase } from './state.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Each delay is moved by up to ± this fraction, so clients cut off together do not return together. */
  jitter: number;
}
export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0.2 };

/** The wait before reconnect attempt `attempt` (1 for the first). */
export function backoffDelay(b: Backoff, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, attempt - 1));
  return Math.round(Math.min(b.maxMs, base * (1 + b.jitter * (2 * random() - 1))));
}

/** Refusals another try cannot fix: the session ends with them. */
const FINAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNKNOWN_CHANNEL',
  'BAD_CHANNEL',
  'BAD_REQUEST',
]);
export function isFinalRefusal(err: RisklineError): boolean {
  return FINAL.has(err.code);
}

export interface ConnectionOptions {
  url: string;
  token?: string;
  channels: readonly string[];
  handshakeTimeoutMs?: number;
  /** Backoff after a lost connection; null: the connection ends instead. */
  reconnect: Backoff | null;
  /** A protocol ping this often while open (0: none); silence for three of them drops the connection. */
  keepaliveMs?: number;
}

export interface ConnectionListener {
  /** Every server message but the refusal of the connection's own subscribe (that is the error). */
  message(msg: ServerMessage, text: string): void;
  phase(phase: ConnectionPhase): void;
  /** A server message that could not be decoded; it is skipped. */
  badMessage?(err: RisklineError): void;
}

export interface Ended {
  code: number;
  reason: string;
  /** What ended it, when it did not end by `close()` or by the server with reconnects off. */
  error: RisklineError | null;
}

/** Close code reported when a final refusal ends the session (no close frame was exchanged). */
const ABNORMAL = 1006;
const CLOSE_GRACE_MS = 2000;
const MAX_PAYLOAD = 256 * 1024 * 1024;

export class WatchConnection {
  readonly ended: Promise<Ended>;
  private ws: WebSocket | null = null;
  private pending: WebSocket | null = null;
  private nextId = 1;
  private stopping = false;
  private finish!: (e: Ended) => void;
  private wake: (() => void) | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private heardAt = 0;

  constructor(
    private readonly o: ConnectionOptions,
    private readonly listener: ConnectionListener,
    private readonly now: () => number = Date.now,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  /** The first connection: resolves once every subscribe is confirmed, rejects with the refusal. */
  async start(): Promise<void> {
    this.listener.phase({ state: 'connecting', since: this.now() });
    await this.attempt();
  }

  /** Asks the server for the channel's snapshot; false when not connected. */
  requestSnapshot(channel: string): boolean {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WebSocket.OPEN) return false;
    this.send(ws, { op: 'snapshot', id: this.nextId++, channel });
    return true;
  }

  async close(): Promise<Ended> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopKeepalive();
      this.wake?.();
      this.pending?.terminate();
      const ws = this.ws;
      if (ws === null) this.finish({ code: 1000, reason: 'closed by the client', error: null });
      else {
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'bye');
        const grace = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
        ws.once('close', () => clearTimeout(grace));
      }
    }
    return this.ended;
  }

  private send(ws: WebSocket, op: ClientOp): void {
    ws.send(encodeClientOp(op, 'json'));
  }

  /** One connection: resolves when every subscribe is confirmed. */
  private attempt(): Promise<void> {
    const { url, token } = this.o;
    const ws = new WebSocket(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      handshakeTimeout: this.o.handshakeTimeoutMs ?? 10_000,
      maxPayload: MAX_PAYLOAD,
    });
    this.pending = ws;
    const waiting = new Set<number>();
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: RisklineError) => {
        if (settled) return;
        settled = true;
        if (this.ws === ws) this.ws = null;
        if (this.pending === ws) this.pending = null;
        ws.terminate();
        reject(err);
      };
      ws.on('unexpected-response', (_req, res) => void refusal(res).then(fail));
      ws.on('error', (err) => {
        if (!settled)
          fail(new RisklineError('UNAVAILABLE', `cannot connect to ${url}: ${err.message}`, { cause: err }));
      });
      ws.on('open', () => {
        for (let i = 0; i < this.o.channels.length; i += MAX_CHANNELS_PER_REQUEST) {
          const id = this.nextId++;
          waiting.add(id);
          this.send(ws, { op: 'subscribe', id, channels: this.o.channels.slice(i, i + MAX_CHANNELS_PER_REQUEST) });
        }
      });
      ws.on('close', (code, reason) => {
        const why = reason.toString();
        if (!settled) fail(new RisklineError('UNAVAILABLE', `connection closed (${describeClose(code, why)})`));
        else this.lost(ws, code, why);
      });
      ws.on('message', (data, isBinary) => {
        if (ws !== this.ws && ws !== this.pending) return;
        this.heardAt = this.now();
        const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        let msg: ServerMessage;
        try {
          msg = decodeServerMessage(raw, isBinary);
        } catch (err) {
          this.listener.badMessage?.(err as RisklineError);
          return;
        }
        const replyId = msg.type === 'subscribed' || msg.type === 'error' ? msg.id : null;
        const reply = typeof replyId === 'number' && waiting.has(replyId);
        if (reply && msg.type === 'error') return fail(new RisklineError(errorCode(msg.code), msg.message));
        if (reply) {
          waiting.delete(replyId);
          if (this.ws !== ws) this.connected(ws);
        }
        this.listener.message(msg, raw.toString());
        if (reply && waiting.size === 0 && !settled) {
          settled = true;
          resolve();
        }
      });
    });
  }

  /** The first subscribe is confirmed: this socket is the connection (before its frames are handed on). */
  private connected(ws: WebSocket): void {
    this.ws = ws;
    this.pending = null;
    this.heardAt = this.now();
    this.listener.phase({ state: 'connected', since: this.now() });
    this.startKeepalive(ws);
  }

  private startKeepalive(ws: WebSocket): void {
    this.stopKeepalive();
    const every = this.o.keepaliveMs ?? 0;
    if (every <= 0) return;
    this.keepalive = setInterval(() => {
      if (this.ws !== ws) return this.stopKeepalive();
      // Three pings unanswered: the peer or the path is gone without a close; drop it and reconnect.
      if (this.now() - this.heardAt > 3 * every) return void ws.terminate();
      this.send(ws, { op: 'ping', id: this.nextId++ });
    }, every);
    this.keepalive.unref();
  }

  private stopKeepalive(): void {
    if (this.keepalive !== null) clearInterval(this.keepalive);
    this.keepalive = null;
  }

  private lost(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.stopKeepalive();
    if (this.stopping) return this.finish({ code, reason, error: null });
    if (this.o.reconnect === null) {
      this.listener.phase({ state: 'closed', reason: describeClose(code, reason) });
      return this.finish({ code, reason, error: null });
    }
    void this.reconnect(this.o.reconnect, `connection lost (${describeClose(code, reason)})`);
  }

  private async reconnect(b: Backoff, reason: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const delay = backoffDelay(b, attempt);
      this.listener.phase({ state: 'reconnecting', attempt, retryAt: this.now() + delay, reason });
      await this.sleep(delay);
      if (this.stopping) return;
      try {
        await this.attempt();
        return;
      } catch (err) {
        if (this.stopping) return;
        const e = err instanceof RisklineError ? err : new RisklineError('UNAVAILABLE', String(err));
        if (isFinalRefusal(e)) {
          this.listener.phase({ state: 'closed', reason: e.message });
          return this.finish({ code: ABNORMAL, reason: e.message, error: e });
        }
        reason = e.message;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
        if (this.ws === null) this.finish({ code: 1000, reason: 'closed by the client', error: null });
      };
    });
  }
}

export function describeClose(code: number, reason: string): string {
  return reason ? `${code} ${reason}` : String(code);
}

function errorCode(code: string): ErrorCode {
  return Object.hasOwn(ERRORS, code) ? (code as ErrorCode) : 'UNAVAILABLE';
}

/** The catalogue error for an HTTP answer to the upgrade, with the server's own message when it sent one. */
function refusal(res: IncomingMessage): Promise<RisklineError> {
  const status = res.statusCode ?? 0;
  return new Promise((resolve) => {
    let body = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      let message = `server answered ${status}`;
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === 'string') message = parsed.message;
      } catch {
        /* not JSON: the status says it */
      }
      resolve(new RisklineError(statusCode(status), message));
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (body.length < 65_536) body += chunk;
    });
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', finish);
  });
}

function statusCode(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'UNAVAILABLE';
  }
}
