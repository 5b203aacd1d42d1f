// Alert latency in process: from the input that crosses a limit to the desk's webhook receiver.
// One Riskline (roles engine and alerts on the in-process bus, the demo book) with a gross limit
// on one portfolio and a 99 % VaR limit on another, a local HTTP receiver as its webhook, and a
// market ticking in the background (event time follows the wall clock, as with a live feed). Three
// kinds of breaching input, each alternating breach and clearance: a fill across the gross limit
// (bought, then sold back), a tick across it (the held instrument's price up 20 %, then back), and
// a fill across the VaR limit. Latency: the input handed to the bus → the receiver
// has the alert's body. The floor in the same run: a bare POST of the same body to the same
// receiver from this process.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startRiskline } from '../../app/compose.js';
import { engineOptions } from '../../app/roles/engine-start.js';
import { loadConfig } from '../../config/load.js';
import type { RisklineConfig } from '../../config/schema.js';
import { Engine } from '../../engine/engine.js';
import { decodeFrame } from '../../engine/frames.js';
import type { Execution } from '../../engine/model.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import { encodeEnvelope, type MessageType } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { checkTargets, latencyHistogram, percentiles, type Scenario } from '../harness.js';
import { cpuInfo } from './risk-common.js';

const PORTFOLIO = 'US-TECH-LS';
const LIMIT = 'BENCH-GROSS';
const VAR_PORTFOLIO = 'GLOBAL-MACRO';
const VAR_LIMIT = 'BENCH-VAR99';
/** Notional a breaching fill adds to gross, in USD. */
const FILL_NOTIONAL = 2_000_000;
const BACKGROUND_EVERY_MS = 5;

interface Receiver {
  server: Server;
  url: string;
  /** Alert id → performance.now() when its body arrived. */
  arrived: Map<string, number>;
  waiters: Map<string, () => void>;
}

async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { server: null as unknown as Server, url: '', arrived: new Map(), waiters: new Map() };
  r.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(204).end();
      try {
        const id = (JSON.parse(Buffer.concat(chunks).toString()) as { alert?: { id?: string } }).alert?.id;
        if (typeof id !== 'string') return;
        r.arrived.set(id, at);
        r.waiters.get(id)?.();
      } catch {
        // The floor's probe bodies are not alerts.
      }
    });
  });
  await new Promise<void>((res) => r.server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook`;
  return r;
}

function arrival(r: Receiver, id: string, timeoutMs: number): Promise<number> {
  const got = r.arrived.get(id);
  if (got !== undefined) return Promise.resolve(got);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`alert ${id} not delivered within ${timeoutMs} ms`)), timeoutMs);
    r.waiters.set(id, () => {
      clearTimeout(timer);
      r.waiters.delete(id);
      resolve(r.arrived.get(id)!);
    });
  });
}

/** A bare POST of `body` to the receiver, as the floor: ms from the call to the receiver's answer. */
function post(url: string, body: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A portfolio's opening gross, and an instrument of the universe it does not hold (with its price). */
export function opening(config: RisklineConfig, portfolio = PORTFOLIO) {
  const engine = new Engine(engineOptions(config, tsBackend, Date.now()), () => undefined);
  const b = engine.book;
  const port = engine.portfolioIndex(portfolio);
  const cell = new Float64Array(2);
  b.bucketValue(b.portfolioBuckets[port][0], cell);
  const held = new Set(config.portfolios.find((p) => p.id === portfolio)!.holdings.map((h) => h.instrument));
  const free = config.instruments.find((i) => !held.has(i.id) && i.currency === 'USD' && i.kind === 'equity');
  if (!free) throw new Error(`no USD equity outside ${portfolio}'s book`);
  const others = config.instruments.filter((i) => i.id !== free.id).slice(0, 20);
  return { gross: cell[0] - cell[1], instrument: free, others };
}

/**
 * A portfolio's delta-normal 99 % VaR before and after `fill`, from an engine of its own fed nothing
 * else (the marks stay the configured prices; event time from `t0`).
 */
export async function varBeforeAndAfter(
  config: RisklineConfig,
  portfolio: string,
  fill: (ts: number) => Execution,
  t0: number,
): Promise<{ before: number; after: number }> {
  let var99 = NaN;
  const e = new Engine(engineOptions(config, tsBackend, t0), (frames) => {
    for (const f of frames)
      if (f.channel === `risk:${portfolio}`) var99 = (decodeFrame(f).data as { var: Record<string, number> }).var['99'];
  });
  // The first input waits on the day's scenario sets (settled: applied once they are built).
  e.advanceTo(t0 + 2000);
  await e.settled();
  const before = var99;
  e.execute(fill(t0 + 2001));
  e.advanceTo(t0 + 4000);
  await e.settled();
  return { before, after: var99 };
}

export const alertLatency: Scenario = {
  name: 'alert-latency',
  description:
    'a fill or tick across a gross or VaR limit → the webhook receiver, in process, against a bare POST to it',
  async run({ quick, log }) {
    const receiver = await startReceiver();
    let seq = 0;
    const demo = loadConfig({ env: {} });
    const open = opening(demo);
    const px = open.instrument.price;
    const qty = Math.ceil(FILL_NOTIONAL / px);
    const max = open.gross + (qty * px) / 2;
    // A VaR limit on another book, halfway between its VaR before and after a fill of half its gross.
    const other = opening(demo, VAR_PORTFOLIO);
    const varQty = Math.round((other.gross * 0.5) / other.instrument.price);
    const varFill = (side: 'buy' | 'sell', ts: number): Execution => ({
      id: `V${++seq}`,
      portfolio: VAR_PORTFOLIO,
      instrument: other.instrument.id,
      side,
      qty: varQty,
      price: other.instrument.price,
      ts,
    });
    const v = await varBeforeAndAfter(demo, VAR_PORTFOLIO, (ts) => varFill('buy', ts), Date.now());
    log(`${VAR_PORTFOLIO} VaR 99 % ${v.before.toFixed(0)}, after the fill ${v.after.toFixed(0)}`);
    const dir = mkdtempSync(join(tmpdir(), 'riskline-alert-bench-'));
    writeFileSync(
      join(dir, 'limits.json'),
      JSON.stringify([
        { id: LIMIT, portfolio: PORTFOLIO, metric: 'gross', max, severity: 'critical' },
        {
          id: VAR_LIMIT,
          portfolio: VAR_PORTFOLIO,
          metric: 'var99',
          max: (v.before + v.after) / 2,
          severity: 'critical',
        },
      ]),
    );
    writeFileSync(
      join(dir, 'riskline.json'),
      JSON.stringify({
        log: { level: 'warn' },
        roles: ['engine', 'alerts'],
        files: { limits: join(dir, 'limits.json') },
        alerts: { webhooks: [{ id: 'desk', url: receiver.url, secret: 'bench-webhook-secret-0123456789' }] },
      }),
    );
    const config = loadConfig({ configFile: join(dir, 'riskline.json'), env: {} });
    const running = await startRiskline({ config, logger: pino({ level: 'warn' }), opsServer: false });
    const producer = running.bus.producer();
    const name = (t: string) => config.topics.prefix + t;
    const send = (topic: string, key: string, type: MessageType, body: unknown, ts: number) =>
      producer.send(name(topic), [{ key, value: encodeEnvelope({ v: 1, type, src: 'bench', ts, seq: ++seq, body }) }]);
    const tick = (id: string, price: number, ts: number) =>
      send(TOPIC.ticks, id, 'tick', { instrument: id, ts, bid: price - 0.01, ask: price + 0.01, last: price }, ts);
    // The market in the background: one tick every few ms on other instruments moves event time on.
    let k = 0;
    const background = setInterval(() => {
      const i = open.others[k++ % open.others.length];
      void tick(i.id, i.price, Date.now());
    }, BACKGROUND_EVERY_MS);
    const n = quick ? 40 : 200;
    const episodes = new Map<string, number>();
    const measure = async (
      what: string,
      limit: string,
      portfolio: string,
      input: (breach: boolean) => Promise<void>,
    ) => {
      const h = latencyHistogram();
      for (let j = 0; j < n; j++) {
        const breach = j % 2 === 0;
        if (breach) episodes.set(limit, (episodes.get(limit) ?? 0) + 1);
        const id = `${limit}:${portfolio}:${episodes.get(limit)}:${breach ? 'raise' : 'clear'}`;
        const t0 = performance.now();
        await input(breach);
        const at = await arrival(receiver, id, 10_000);
        h.recordValue(Math.max(1, Math.round((at - t0) * 1000)));
        // A pause between crossings, off the beat of the 100 ms publications.
        await new Promise((r) => setTimeout(r, 37 + (j % 7) * 11));
      }
      const p = percentiles(h, what);
      log(
        `${what}: p50 ${(p[`${what}_p50_us`] / 1000).toFixed(1)} ms, p99 ${(p[`${what}_p99_us`] / 1000).toFixed(1)} ms (${n} alerts)`,
      );
      return p;
    };
    const fill = (side: 'buy' | 'sell', q: number, ts: number) =>
      send(
        TOPIC.executions,
        PORTFOLIO,
        'execution',
        { id: `B${++seq}`, portfolio: PORTFOLIO, instrument: open.instrument.id, side, qty: q, price: px, ts },
        ts,
      );
    try {
      await new Promise((r) => setTimeout(r, 500));
      const fills = await measure('fill_alert', LIMIT, PORTFOLIO, (breach) =>
        fill(breach ? 'buy' : 'sell', qty, Date.now()),
      );
      // Holding 90 % of the room to the limit: a 20 % rise in its price crosses it, the fall back clears.
      const held = Math.floor((0.9 * (max - open.gross)) / px);
      await fill('buy', held, Date.now());
      await new Promise((r) => setTimeout(r, 300));
      const ticks = await measure('tick_alert', LIMIT, PORTFOLIO, (breach) =>
        tick(open.instrument.id, breach ? px * 1.2 : px, Date.now()),
      );
      const vars = await measure('var_alert', VAR_LIMIT, VAR_PORTFOLIO, (breach) => {
        const f = varFill(breach ? 'buy' : 'sell', Date.now());
        return send(TOPIC.executions, VAR_PORTFOLIO, 'execution', f, f.ts);
      });
      const body = JSON.stringify({ alert: { id: 'probe', portfolio: PORTFOLIO, message: 'x'.repeat(120) } });
      const floor = latencyHistogram();
      for (let j = 0; j < n; j++) floor.recordValue(Math.max(1, Math.round((await post(receiver.url, body)) * 1000)));
      const metrics: Record<string, number> = { ...fills, ...ticks, ...vars, ...percentiles(floor, 'bare_post') };
      const ms = (key: string) => metrics[key] / 1000;
      metrics.fill_alert_p99_ms = ms('fill_alert_p99_us');
      metrics.tick_alert_p99_ms = ms('tick_alert_p99_us');
      metrics.var_alert_p99_ms = ms('var_alert_p99_us');
      metrics.fill_p99_over_floor = metrics.fill_alert_p99_us / metrics.bare_post_p99_us;
      log(`bare POST: p50 ${ms('bare_post_p50_us').toFixed(2)} ms, p99 ${ms('bare_post_p99_us').toFixed(2)} ms`);
      return {
        params: {
          cpu: cpuInfo(),
          alertsPerKind: n,
          roles: config.roles.join(','),
          conflationMs: config.engine.conflationMs,
          backgroundTickEveryMs: BACKGROUND_EVERY_MS,
        },
        metrics,
        baseline: {
          name: 'a bare HTTP POST of an alert-sized body to the same receiver, same process, same run',
          metrics: { bare_post_p50_us: metrics.bare_post_p50_us, bare_post_p99_us: metrics.bare_post_p99_us },
        },
        ratio: metrics.fill_p99_over_floor,
        targets: checkTargets(metrics, [
          { metric: 'fill_alert_p99_ms', op: '<=', value: 50 },
          { metric: 'tick_alert_p99_ms', op: '<=', value: 50 },
          { metric: 'var_alert_p99_ms', op: '<=', value: 50 },
        ]),
      };
    } finally {
      clearInterval(background);
      await producer.close();
      await running.close();
      await new Promise<void>((r) => (receiver.server.closeAllConnections(), receiver.server.close(() => r())));
    }
  },
};
