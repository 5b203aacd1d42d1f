// The alerts role in the embedded process: an alert record on the `alerts` topic reaches a webhook,
// signed; one whose webhook keeps failing goes to the DLQ with the reason after its last attempt.
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { startRiskline } from '../../app/compose.js';
import { opening } from '../../bench/scenarios/alert-latency.js';
import type { ConsumedMessage } from '../../streams/bus.js';
import { DLQ_HEADERS } from '../../streams/dlq.js';
import { encodeEnvelope } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { eventually } from '../eventually.js';
import { testConfig } from './helpers.js';

const SECRET = 'desk-webhook-secret-1';

t.test('an alert reaches the webhook signed; a failing webhook dead-letters it with the reason', async (t) => {
  const got: { signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/down') return void res.writeHead(502).end();
      got.push({ signature: String(req.headers['riskline-signature']), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = testConfig({
    roles: ['alerts'],
    alerts: {
      webhooks: [
        { id: 'desk', url: `${base}/hook`, secret: SECRET },
        { id: 'pager', url: `${base}/down`, secret: SECRET, severities: ['critical'] },
      ],
      maxAttempts: 2,
      firstBackoffMs: 10,
    },
  });
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }), opsServer: false });
  t.teardown(() => running.close());
  const dlq: ConsumedMessage[] = [];
  const sub = await running.bus.subscribe({
    group: 'test-dlq',
    topics: [config.topics.prefix + TOPIC.dlq],
    from: 'earliest',
    onBatch: (b) => void dlq.push(...b.messages),
  });
  t.teardown(() => sub.close());
  const alert = {
    id: 'var-99:GLOBAL-MACRO:1:raise',
    portfolio: 'GLOBAL-MACRO',
    limit: 'var-99',
    state: 'breached',
    severity: 'critical',
    message: 'VaR 99% over its limit',
    value: 1.2e6,
    threshold: 1e6,
    ts: Date.now(),
  };
  const producer = running.bus.producer();
  await producer.send(config.topics.prefix + TOPIC.alerts, [
    {
      key: alert.portfolio,
      value: encodeEnvelope({ v: 1, type: 'alert', src: 'test', ts: alert.ts, seq: 1, body: alert }),
    },
  ]);
  await eventually(() => (got.length > 0 ? true : undefined), 10_000, 'the webhook called');
  const [, ts, hmac] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(got[0].signature)!;
  t.equal(hmac, createHmac('sha256', SECRET).update(`${ts}.${got[0].body}`).digest('hex'), 'signed with the secret');
  t.match(JSON.parse(got[0].body), { alert: { id: alert.id, severity: 'critical' } });
  await eventually(() => (dlq.length > 0 ? true : undefined), 10_000, 'the failing webhook dead-lettered');
  t.equal(dlq[0].headers?.[DLQ_HEADERS.code], 'UNAVAILABLE');
  t.match(dlq[0].headers?.[DLQ_HEADERS.reason], /webhook pager: HTTP 502/);
  t.equal(got.length, 1, 'delivered once');
  await producer.close();
});

t.test(
  'a fill across a gross limit reaches the webhook once as a breach, the fill back once as its clearance',
  async (t) => {
    const got: { id: string; state: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push((JSON.parse(body) as { alert: { id: string; state: string } }).alert);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    // An instrument US-TECH-LS does not hold, and its opening gross: 1,000 of it crosses the limit, selling them clears it.
    const { gross, instrument: free } = opening(testConfig({ roles: ['engine'] }), 'US-TECH-LS');
    const max = gross + 500 * free.price;
    const dir = mkdtempSync(join(tmpdir(), 'riskline-alert-e2e-'));
    writeFileSync(
      join(dir, 'limits.json'),
      JSON.stringify([{ id: 'UT-GROSS-E2E', portfolio: 'US-TECH-LS', metric: 'gross', max, severity: 'critical' }]),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = testConfig({
      roles: ['engine', 'alerts'],
      files: { limits: join(dir, 'limits.json') },
      // US-TECH-LS's alerts only: the demo's other books raise their own (GLOBAL-MACRO's backtest starts yellow).
      alerts: { webhooks: [{ id: 'desk', url: `${base}/hook`, secret: SECRET, portfolios: ['US-TECH-LS'] }] },
    });
    const running = await startRiskline({ config, logger: pino({ level: 'silent' }), opsServer: false });
    t.teardown(() => running.close());
    const producer = running.bus.producer();
    const fill = (id: string, side: 'buy' | 'sell') => {
      const body = {
        id,
        portfolio: 'US-TECH-LS',
        instrument: free.id,
        side,
        qty: 1000,
        price: free.price,
        ts: Date.now(),
      };
      return producer.send(config.topics.prefix + TOPIC.executions, [
        {
          key: body.portfolio,
          value: encodeEnvelope({ v: 1, type: 'execution', src: 'test', ts: body.ts, seq: 1, body }),
        },
      ]);
    };
    await fill('E2E-1', 'buy');
    await eventually(() => (got.length >= 1 ? true : undefined), 10_000, 'the breach delivered');
    await fill('E2E-2', 'sell');
    await eventually(() => (got.length >= 2 ? true : undefined), 10_000, 'the clearance delivered');
    await new Promise((r) => setTimeout(r, 300));
    t.same(
      got.map((a) => [a.id, a.state]),
      [
        ['UT-GROSS-E2E:US-TECH-LS:1:raise', 'breached'],
        ['UT-GROSS-E2E:US-TECH-LS:1:clear', 'cleared'],
      ],
      'once each, in order',
    );
    await producer.close();
  },
);
