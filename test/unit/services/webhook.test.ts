// Alerts to webhooks against a real local HTTP receiver: the signature checked by recomputing the
// HMAC here, retries with backoff in order, a dead letter with the reason after the last attempt
// (or at once for a refusal or a full queue), timeouts, and the targets' filters.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import type { Alert } from '../../../engine/model.js';
import { Webhooks, type WebhookOptions, type WebhookTarget } from '../../../services/alerts/webhook.js';

type Got = { headers: IncomingMessage['headers']; body: string };

async function receiver(answer: (n: number, got: Got) => number | null) {
  const got: Got[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const status = answer(got.length, got[got.length - 1]);
      if (status === null) return; // never answers
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const alert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id,
  portfolio: 'P1',
  limit: 'var',
  state: 'breached',
  severity: 'critical',
  message: 'VaR over its limit',
  value: 120,
  threshold: 100,
  ts: 1_796_630_000_000,
  ...over,
});

function hooks(targets: WebhookTarget[], over: Partial<WebhookOptions> = {}) {
  const dead: { id: string; target: string; reason: string }[] = [];
  const done: { id: string; attempts: number }[] = [];
  const w = new Webhooks(targets, {
    maxAttempts: 3,
    firstBackoffMs: 10,
    maxBackoffMs: 40,
    timeoutMs: 500,
    maxQueued: 100,
    deadLetter: (a, target, reason) => void dead.push({ id: a.id, target: target.id, reason }),
    onDelivered: (a, _t, attempts) => void done.push({ id: a.id, attempts }),
    ...over,
  });
  return { w, dead, done };
}

const SECRET = 'a-secret-of-sixteen+';

t.test('a delivery is signed: HMAC-SHA256 over "t.body", and names the alert', async (t) => {
  const r = await receiver(() => 200);
  const { w, done } = hooks([{ id: 'desk', url: r.url, secret: SECRET }], { nowS: () => 1_796_630_000 });
  await w.deliver(alert('var:P1:1:raise'));
  t.same(done, [{ id: 'var:P1:1:raise', attempts: 1 }]);
  const [{ headers, body }] = r.got;
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['riskline-signature']));
  t.ok(m, 'the signature header has its form');
  t.equal(m![1], '1796630000');
  t.equal(m![2], createHmac('sha256', SECRET).update(`${m![1]}.${body}`).digest('hex'), 'the HMAC checks out');
  t.equal(headers['riskline-alert-id'], 'var:P1:1:raise');
  t.equal(headers['content-type'], 'application/json');
  t.match(JSON.parse(body), { type: 'alert', target: 'desk', alert: { id: 'var:P1:1:raise', severity: 'critical' } });
});

t.test('a failing receiver is tried again with backoff, and alerts keep their order', async (t) => {
  const r = await receiver((n) => (n <= 2 ? 503 : 200));
  const { w, done, dead } = hooks([{ id: 'desk', url: r.url, secret: SECRET }]);
  await Promise.all([w.deliver(alert('a:raise')), w.deliver(alert('a:clear', { state: 'cleared' }))]);
  t.same(done, [
    { id: 'a:raise', attempts: 3 },
    { id: 'a:clear', attempts: 1 },
  ]);
  t.same(dead, []);
  t.same(
    r.got.map((g) => JSON.parse(g.body).alert.id),
    ['a:raise', 'a:raise', 'a:raise', 'a:clear'],
    'the clearance waits for its breach',
  );
});

t.test('after the last attempt, or at once on a refusal, the alert is dead-lettered with the reason', async (t) => {
  const down = await receiver(() => 500);
  const refusing = await receiver(() => 400);
  const { w, dead } = hooks([
    { id: 'down', url: down.url, secret: SECRET },
    { id: 'refusing', url: refusing.url, secret: SECRET },
  ]);
  await w.deliver(alert('x'));
  t.same(
    dead.sort((a, b) => a.target.localeCompare(b.target)),
    [
      { id: 'x', target: 'down', reason: 'webhook down: HTTP 500' },
      { id: 'x', target: 'refusing', reason: 'webhook refusing: HTTP 400' },
    ],
  );
  t.equal(down.got.length, 3, 'three tries');
  t.equal(refusing.got.length, 1, 'a 400 is not tried again');
});

t.test('a receiver that never answers times out; a full queue dead-letters at once', async (t) => {
  const silent = await receiver(() => null);
  const { w, dead } = hooks([{ id: 'silent', url: silent.url, secret: SECRET }], {
    maxAttempts: 1,
    timeoutMs: 100,
    maxQueued: 1,
  });
  await Promise.all([w.deliver(alert('first')), w.deliver(alert('second'))]);
  t.same(
    dead.map((d) => [d.id, d.reason]),
    [
      ['second', '1 alerts already wait for this target'],
      ['first', 'webhook silent: no answer in 100 ms'],
    ],
  );
  const closed = hooks([{ id: 'nobody', url: 'http://127.0.0.1:9/hook', secret: SECRET }], { maxAttempts: 2 });
  await closed.w.deliver(alert('y'));
  t.match(closed.dead[0].reason, /^webhook nobody: /, 'a refused connection is dead-lettered too');
});

t.test('targets take only the severities and portfolios they name', async (t) => {
  const r = await receiver(() => 200);
  const { w } = hooks([{ id: 'pager', url: r.url, secret: SECRET, severities: ['critical'], portfolios: ['P1'] }]);
  await w.deliver(alert('critical-p1'));
  await w.deliver(alert('warning-p1', { severity: 'warning' }));
  await w.deliver(alert('critical-p2', { portfolio: 'P2' }));
  t.same(
    r.got.map((g) => JSON.parse(g.body).alert.id),
    ['critical-p1'],
  );
});
