// A VaR breach as the desk meets it, in one process (engine, gateway and alerts roles): a fill that
// pushes US-TECH-LS's 99 % VaR over its limit raises exactly one alert, on the WebSocket and at a
// webhook receiver that checks its signature, and the fill back raises exactly one clearance on
// both. The limit sits halfway between the VaR before and after the fill, as a second engine fed
// the same book and fill computes them (no feed runs: the marks stay the configured prices, and
// heartbeats move event time on). Across an engine takeover over Kafka: test/chaos/limit-failover.
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { opening, varBeforeAndAfter } from '../../bench/scenarios/alert-latency.js';
import type { Execution } from '../../engine/model.js';
import { encodeEnvelope, type MessageType } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { eventually } from '../eventually.js';
import { Client, startEmbedded, testConfig, type Msg } from './helpers.js';

const P = 'US-TECH-LS';
const LIMIT = 'UT-VAR99-E2E';
const SECRET = 'desk-webhook-secret-var-breach';

t.test('a VaR breach: one alert on the WebSocket and at the webhook (signed), one clearance on both', async (t) => {
  const hooks: { id: string; state: string }[] = [];
  const badSignatures: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const [, ts, hmac] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(req.headers['riskline-signature'])) ?? [];
      const alert = (JSON.parse(body) as { alert: { id: string; state: string } }).alert;
      if (hmac !== createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')) badSignatures.push(alert.id);
      hooks.push(alert);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  const probe = testConfig({ roles: ['engine'] });
  const { gross, instrument } = opening(probe, P);
  // Half the book's gross in one name it does not hold: its VaR rises well past any rounding.
  const qty = Math.round((gross * 0.5) / instrument.price);
  const fill = (id: string, side: Execution['side'], ts: number): Execution => ({
    id,
    portfolio: P,
    instrument: instrument.id,
    side,
    qty,
    price: instrument.price,
    ts,
  });
  const v = await varBeforeAndAfter(probe, P, (ts) => fill('PROBE', 'buy', ts), Date.now());
  t.ok(v.after > v.before * 1.2, `VaR 99 % before ${v.before.toFixed(0)}, after the fill ${v.after.toFixed(0)}`);
  const dir = mkdtempSync(join(tmpdir(), 'riskline-var-breach-'));
  const max = (v.before + v.after) / 2;
  writeFileSync(
    join(dir, 'limits.json'),
    JSON.stringify([{ id: LIMIT, portfolio: P, metric: 'var99', max, severity: 'critical' }]),
  );
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const config = testConfig({
    roles: ['engine', 'gateway', 'alerts'],
    files: { limits: join(dir, 'limits.json') },
    // The portfolio's alerts only: the demo's other books raise their own (GLOBAL-MACRO's backtest starts yellow).
    alerts: { webhooks: [{ id: 'desk', url: hook, secret: SECRET, portfolios: [P] }] },
  });
  const running = await startEmbedded(config);
  t.teardown(() => running.close());
  const prefix = config.topics.prefix;
  const producer = running.bus.producer();
  let seq = 0;
  const send = (topic: string, key: string, type: MessageType, body: unknown, ts: number) =>
    producer.send(prefix + topic, [{ key, value: encodeEnvelope({ v: 1, type, src: 'test', ts, seq: ++seq, body }) }]);
  // Event time moves on with heartbeats, as a feed sends them on a quiet market.
  const beat = setInterval(() => void send(TOPIC.ticks, 'heartbeat', 'heartbeat', null, Date.now()), 100);
  t.teardown(() => clearInterval(beat));

  const client = await Client.connect(running.port);
  t.teardown(() => client.close());
  client.send({ op: 'subscribe', id: 1, channels: [`alerts:${P}`, `risk:${P}`] });
  const risk = await client.next((m) => m.channel === `risk:${P}`);
  const var99 = (m: Msg) => (m.data as { var: Record<string, number> }).var['99'];
  t.ok(var99(risk) < max, `VaR ${var99(risk).toFixed(0)} within the limit ${max.toFixed(0)} before the fill`);
  const alertsOnWs = () =>
    client.messages.filter((m) => m.channel === `alerts:${P}`).map((m) => (m.data as { id: string }).id);

  await send(TOPIC.executions, P, 'execution', fill('E2E-VAR-1', 'buy', Date.now()), Date.now());
  const raise = `${LIMIT}:${P}:1:raise`;
  await eventually(() => (alertsOnWs().includes(raise) ? true : undefined), 10_000, 'the breach on the WebSocket');
  await eventually(() => (hooks.some((h) => h.id === raise) ? true : undefined), 10_000, 'the breach at the webhook');
  await send(TOPIC.executions, P, 'execution', fill('E2E-VAR-2', 'sell', Date.now()), Date.now());
  const clear = `${LIMIT}:${P}:1:clear`;
  await eventually(() => (alertsOnWs().includes(clear) ? true : undefined), 10_000, 'the clearance on the WebSocket');
  await eventually(
    () => (hooks.some((h) => h.id === clear) ? true : undefined),
    10_000,
    'the clearance at the webhook',
  );
  // Two more risk runs: nothing else may come.
  await new Promise((r) => setTimeout(r, 2500));
  t.same(alertsOnWs(), [raise, clear], 'the WebSocket: one breach, one clearance');
  t.same(
    hooks.map((h) => [h.id, h.state]),
    [
      [raise, 'breached'],
      [clear, 'cleared'],
    ],
    'the webhook: the same two, in order',
  );
  t.same(badSignatures, [], 'each signed with the secret');
  await producer.close();
});
