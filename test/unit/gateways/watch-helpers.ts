// Shared by the watch tests: frames as the gateway sends them, and a scripted gateway (HTTP and
// WebSocket on one port) whose answers a test sets: tokens, refusals, replies, drops.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FrameMessage } from '../../../gateways/watch/state.js';

export const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

export function frame(
  channel: string,
  type: 'snapshot' | 'update',
  seq: number,
  data: Record<string, unknown>,
  asOf = T0,
  inputSeq = seq,
): FrameMessage {
  return { type, channel, seq, ts: asOf, asOf, inputSeq, data };
}

export function positionsData(portfolio: string, rows: Record<string, unknown>, totals: Record<string, unknown> = {}) {
  return { portfolio, baseCurrency: 'USD', totals: { nav: 1_000_000, cash: 100_000, ...totals }, rows };
}

export function row(instrument: string, qty: number, mark: number, extra: Record<string, unknown> = {}) {
  return { instrument, qty, mark, marketValue: qty * mark, unrealizedPnl: 0, realizedPnl: 0, ...extra };
}

export interface ScriptedGateway {
  url: string;
  http: string;
  /** Every client op received, in order. */
  received: Record<string, unknown>[];
  /** Authorization headers seen on upgrades and REST calls. */
  authorizations: (string | undefined)[];
  /** What GET /v1/portfolios answers. */
  portfolios: unknown;
  /** The token required (null: none). */
  token: string | null;
  /** Upgrades answered with this status instead (null: accepted). */
  refuseWith: number | null;
  /** Channels refused on subscribe, with the error code. */
  refuse: Map<string, string>;
  /** Frames sent after a subscribe confirms, per channel. */
  onSubscribe: Map<string, FrameMessage>;
  /** Whether pings are answered. */
  answerPings: boolean;
  upgrades: number;
  open(): WebSocket[];
  push(msg: unknown): void;
  dropAll(): void;
  waitFor(pred: () => boolean, ms?: number): Promise<void>;
}

export async function scriptedGateway(t: { teardown(fn: () => unknown): void }): Promise<ScriptedGateway> {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const g: ScriptedGateway = {
    url: '',
    http: '',
    received: [],
    authorizations: [],
    portfolios: [],
    token: null,
    refuseWith: null,
    refuse: new Map(),
    onSubscribe: new Map(),
    answerPings: true,
    upgrades: 0,
    open: () => [...sockets],
    push: (msg) => {
      for (const s of sockets) s.send(JSON.stringify(msg));
    },
    dropAll: () => {
      for (const s of sockets) s.terminate();
    },
    waitFor: async (pred, ms = 5000) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error('waitFor: condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
  const authorized = (req: IncomingMessage) => g.token === null || req.headers.authorization === `Bearer ${g.token}`;
  const deny = (status: number, code: string, message: string) =>
    `HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n` +
    JSON.stringify({ code, message });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    g.authorizations.push(req.headers.authorization);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url !== '/v1/portfolios') return send(404, { code: 'NOT_FOUND', message: `no route for ${req.url}` });
    if (!authorized(req)) return send(401, { code: 'UNAUTHORIZED', message: 'invalid token: signature mismatch' });
    send(200, g.portfolios);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    g.upgrades++;
    g.authorizations.push(req.headers.authorization);
    if (req.url !== '/v1/stream') return void socket.end(deny(404, 'NOT_FOUND', `no WebSocket endpoint at ${req.url}`));
    if (g.refuseWith !== null) return void socket.end(deny(g.refuseWith, 'UNAVAILABLE', 'not now'));
    if (!authorized(req)) return void socket.end(deny(401, 'UNAUTHORIZED', 'invalid token: signature mismatch'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (d) => {
        const msg = JSON.parse(d.toString()) as Record<string, unknown>;
        g.received.push(msg);
        if (msg.op === 'ping' && g.answerPings) ws.send(JSON.stringify({ type: 'pong', id: msg.id }));
        if (msg.op !== 'subscribe') return;
        const channels = msg.channels as string[];
        const refused = channels.find((c) => g.refuse.has(c));
        if (refused !== undefined) {
          return ws.send(
            JSON.stringify({ type: 'error', id: msg.id, code: g.refuse.get(refused), message: `refused ${refused}` }),
          );
        }
        ws.send(JSON.stringify({ type: 'subscribed', id: msg.id, channels }));
        for (const c of channels) {
          const f = g.onSubscribe.get(c);
          if (f !== undefined) ws.send(JSON.stringify(f));
        }
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  g.url = `ws://127.0.0.1:${port}/v1/stream`;
  g.http = `http://127.0.0.1:${port}`;
  t.teardown(async () => {
    g.dropAll();
    wss.close();
    await new Promise((r) => server.close(r));
  });
  return g;
}
