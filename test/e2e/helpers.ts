// Shared pieces of the end-to-end tests: a real embedded Riskline on a free port and a WebSocket
// client that collects server messages and waits for the ones a test expects.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import WebSocket from 'ws';
import { loadConfig } from '../../config/load.js';
import type { RisklineConfig } from '../../config/schema.js';
import { startRiskline, type Running } from '../../app/compose.js';
import { freePort } from '../../tools/ports.js';
import { eventually } from '../eventually.js';

export type Msg = Record<string, unknown> & { type: string; channel?: string; seq?: number; id?: unknown };

/** Settings merged over the defaults for a test: a fast simulator, quiet logs, a free port. */
export function testConfig(settings: Record<string, unknown> = {}): RisklineConfig {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-e2e-'));
  const file = join(dir, 'test.json');
  writeFileSync(file, JSON.stringify({ log: { level: 'silent' }, ...settings }));
  return loadConfig({ configFile: file, flags: { port: 0 }, env: {} });
}

export async function startEmbedded(config: RisklineConfig): Promise<Running & { port: number }> {
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  return Object.assign(running, { port: running.gateway!.port });
}

/**
 * The embedded process with the router and venue roles (the venue on this thread, so a test can
 * read its sessions), its venues' FIX acceptors on free loopback ports; `orders` over the demo's.
 * Closed at the end of the test file.
 */
export async function startOrderDesk(name: string, orders: Record<string, unknown>) {
  const config = testConfig({
    simulator: { ticksPerSecond: 200, executionsPerSecond: 0 },
    roles: ['feed', 'engine', 'gateway', 'router', 'venue'],
    bus: { ownThread: false },
    orders: { dir: mkdtempSync(join(tmpdir(), `riskline-${name}-`)), ...orders },
  });
  for (const v of config.venues) v.fix.port = await freePort();
  const running = await startEmbedded(config);
  t.teardown(() => running.close());
  const base = `http://127.0.0.1:${running.port}`;
  /** An HTTP call on the gateway: its status and JSON body. */
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reply bodies are read field by field
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  return {
    config,
    running,
    base,
    call,
    portfolio: config.portfolios[0].id,
    equity: config.instruments.find((i) => i.kind === 'equity' && i.id !== 'TSLA')!,
  };
}

export class Client {
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      const m = JSON.parse(binary ? data.toString() : data.toString()) as Msg;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
  }
  static async connect(port: number, protocols?: string[]): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`, protocols);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Client(ws);
  }
  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }
  /** Resolves with the first message (already received or future) that matches. */
  next(pred: (m: Msg) => boolean, timeoutMs = 10_000): Promise<Msg> {
    const have = this.messages.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; last messages: ${JSON.stringify(this.messages.slice(-3))}`)),
        timeoutMs,
      );
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  /** Waits until `n` messages of a channel have arrived and returns them. */
  async frames(channel: string, n: number, timeoutMs = 10_000): Promise<Msg[]> {
    const got = () =>
      this.messages.filter((m) => m.channel === channel && (m.type === 'snapshot' || m.type === 'update'));
    return eventually(() => (got().length >= n ? got() : undefined), timeoutMs, `${n} frames of ${channel}`).catch(
      (err: Error) => Promise.reject(new Error(`${err.message}; ${got().length} arrived`)),
    );
  }
  close(): void {
    this.ws.close();
  }
}
