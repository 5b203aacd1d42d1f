// `riskline watch CHANNEL`: a terminal client of the public protocol. It subscribes, keeps each
// channel's state with applyFrame, prints one compact line per frame, and on a seq gap asks for a
// snapshot instead of applying an update to state it no longer has.

import WebSocket from 'ws';
import { DEFAULT_WATCH_URL } from '../config/values.js';
import { RisklineError } from '../errors/catalogue.js';
import { applyFrame, parseChannel, type ChannelKind } from '../engine/frames.js';
import {
  checkChannel,
  decodeServerMessage,
  encodeClientOp,
  isEventKind,
  type ClientOp,
  type ServerMessage,
} from './protocol.js';

export interface WatchOptions {
  channel: string;
  url?: string;
  token?: string;
  /** Connection timeout in ms (default 10 s). */
  timeoutMs?: number;
}

export interface WatchHandle {
  close(): Promise<void>;
  /** Resolves when the connection ends, with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

type FrameMessage = Extract<ServerMessage, { type: 'snapshot' | 'update' }>;

interface Held {
  seq: number;
  state: Record<string, unknown> | undefined;
}

/**
 * Connects, subscribes and streams lines to `out`. Resolves once the server confirms the
 * subscription; rejects with a RisklineError when the connection or the subscription is refused.
 */
export function watch(options: WatchOptions, out: (line: string) => void): Promise<WatchHandle> {
  const bad = checkChannel(options.channel);
  if (bad !== null) return Promise.reject(new RisklineError('BAD_CHANNEL', bad));
  const url = options.url ?? DEFAULT_WATCH_URL;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const ws = new WebSocket(url, {
    headers,
    handshakeTimeout: options.timeoutMs ?? 10_000,
    maxPayload: 256 * 1024 * 1024,
  });
  const held = new Map<string, Held>();
  let nextId = 1;
  const send = (op: ClientOp): void => ws.send(encodeClientOp(op, 'json'));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });

  return new Promise<WatchHandle>((resolve, reject) => {
    let subscribed = false;
    const handle: WatchHandle = {
      closed,
      close: async () => {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, 'bye');
        await closed;
      },
    };
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        let message = `server answered ${status}`;
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? message;
        } catch {
          /* not JSON */
        }
        reject(
          new RisklineError(status === 401 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE', message),
        );
        ws.terminate();
      });
    });
    ws.on('error', (err) => {
      if (!subscribed)
        reject(new RisklineError('UNAVAILABLE', `cannot connect to ${url}: ${err.message}`, { cause: err }));
      else out(`connection error: ${err.message}`);
    });
    ws.on('open', () => send({ op: 'subscribe', id: nextId++, channels: [options.channel] }));
    ws.on('close', (code, reason) => {
      if (!subscribed)
        reject(
          new RisklineError(
            'UNAVAILABLE',
            `connection closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`,
          ),
        );
      else out(`closed ${code}${reason.length ? ` ${reason.toString()}` : ''}`);
    });
    ws.on('message', (data, isBinary) => {
      let msg: ServerMessage;
      try {
        msg = decodeServerMessage(data as Buffer, isBinary);
      } catch (err) {
        out(`bad message from server: ${(err as Error).message}`);
        return;
      }
      switch (msg.type) {
        case 'subscribed':
          subscribed = true;
          out(`subscribed ${msg.channels.join(', ')}`);
          resolve(handle);
          return;
        case 'error':
          if (!subscribed && msg.id === 1) {
            reject(new RisklineError(msg.code as RisklineError['code'], msg.message));
            ws.close(1000, 'subscription refused');
            return;
          }
          out(`error ${msg.code}: ${msg.message}`);
          return;
        case 'snapshot':
        case 'update':
          onFrame(msg);
          return;
        default:
          return;
      }
    });

    function onFrame(f: FrameMessage): void {
      const kind = parseChannel(f.channel)?.kind;
      if (kind === undefined) return;
      const h = held.get(f.channel);
      if (f.type === 'update' && !isEventKind(kind)) {
        if (h === undefined || h.state === undefined || f.seq !== h.seq + 1) {
          if (h !== undefined && f.seq <= h.seq) return; // replayed frame
          out(`${f.channel} gap: expected seq ${h ? h.seq + 1 : '(snapshot)'}, got ${f.seq}; requesting a snapshot`);
          send({ op: 'snapshot', id: nextId++, channel: f.channel });
          if (h) h.state = undefined;
          return;
        }
      } else if (isEventKind(kind) && h !== undefined && f.seq <= h.seq) {
        return;
      }
      const state = applyFrame(isEventKind(kind) ? undefined : h?.state, f);
      held.set(f.channel, { seq: f.seq, state });
      out(formatFrame(kind, f, state));
    }
  });
}

const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const px = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

function n(v: unknown, fmt = num): string {
  return typeof v === 'number' && Number.isFinite(v) ? fmt.format(v) : '-';
}

function iso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** One human line for a frame, given the channel's state after applying it. */
export function formatFrame(kind: ChannelKind, f: FrameMessage, state: Record<string, unknown>): string {
  const head = `${f.channel} #${f.seq} ${f.type === 'snapshot' ? 'S' : 'U'} ${iso(f.ts)}`;
  switch (kind) {
    case 'positions': {
      const t = { ...state, ...obj(state.totals) };
      const changed = Object.keys(obj(f.data.rows)).length;
      const total = Object.keys(obj(state.rows)).length;
      return `${head} NAV ${n(t.nav)} uPnL ${n(t.unrealizedPnl)} rPnL ${n(t.realizedPnl)} rows ${changed}/${total}`;
    }
    case 'exposures': {
      const t = { ...state, ...obj(state.totals) };
      return `${head} gross ${n(t.gross)} net ${n(t.net)} long ${n(t.long)} short ${n(t.short)}`;
    }
    case 'risk': {
      const parts: string[] = [];
      for (const [label, v] of Object.entries(obj(state.var))) parts.push(`VaR${label} ${n(v)}`);
      for (const [label, v] of Object.entries(obj(state.es))) parts.push(`ES${label} ${n(v)}`);
      const method = typeof state.method === 'string' ? ` (${state.method})` : '';
      return `${head} ${parts.join(' ') || 'no risk figures'}${method}`;
    }
    case 'ticks':
      return `${head} bid ${n(state.bid, px)} ask ${n(state.ask, px)} last ${n(state.last, px)}`;
    case 'alerts': {
      const sev = typeof state.severity === 'string' ? state.severity.toUpperCase() : 'ALERT';
      return `${head} ${sev} ${typeof state.message === 'string' ? state.message : JSON.stringify(state)}`;
    }
    case 'orders':
      return `${head} ${JSON.stringify(f.data)}`;
  }
}
