// The desk's alerts end to end in the embedded process (engine → bus → gateway): a fill across a
// gross limit raises an alert the desk lists; a trader of that book acknowledges it over HTTP and
// assigns it over the WebSocket, each recorded as the token's subject on the `alerts` topic and
// seen by every subscriber of `alerts:<portfolio>`; another book's trader can neither see nor touch it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { opening } from '../../bench/scenarios/alert-latency.js';
import { signToken } from '../../gateways/identity/index.js';
import { encodeEnvelope } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { eventually } from '../eventually.js';
import { Client, startEmbedded, testConfig, type Msg } from './helpers.js';

const SECRET = 'a-desk-secret-of-at-least-thirty-two-bytes';
const BOOK = 'US-TECH-LS';
const { gross, instrument: free } = opening(testConfig({ roles: ['engine'] }), BOOK);
const dir = mkdtempSync(join(tmpdir(), 'riskline-desk-e2e-'));
writeFileSync(
  join(dir, 'limits.json'),
  JSON.stringify([
    { id: 'UT-GROSS-DESK', portfolio: BOOK, metric: 'gross', max: gross + 500 * free.price, severity: 'critical' },
  ]),
);
const config = testConfig({
  roles: ['engine', 'gateway'],
  files: { limits: join(dir, 'limits.json') },
  auth: { jwtSecret: SECRET },
});
const other = config.portfolios.find((p) => p.id !== BOOK)!.id;
const running = await startEmbedded(config);
t.teardown(() => running.close());
const base = `http://127.0.0.1:${running.port}`;
const token = (subject: string, portfolios: string[]) =>
  signToken({ secret: SECRET, subject, portfolios, issuer: 'riskline', audience: 'riskline', ttlS: 600 });
const trader = await token('alice', [BOOK]);
const stranger = await token('mallory', [other]);
const call = async (jwt: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${jwt}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

const watcher = await Client.connect(running.port, ['riskline.json', `riskline.bearer.${trader}`]);
t.teardown(() => watcher.close());
watcher.send({ op: 'subscribe', id: 1, channels: [`alerts:${BOOK}`] });
await watcher.next((m) => m.type === 'subscribed');

const producer = running.bus.producer();
t.teardown(() => producer.close());
const body = {
  id: 'DESK-1',
  portfolio: BOOK,
  instrument: free.id,
  side: 'buy',
  qty: 1000,
  price: free.price,
  ts: Date.now(),
};
await producer.send(config.topics.prefix + TOPIC.executions, [
  { key: BOOK, value: encodeEnvelope({ v: 1, type: 'execution', src: 'test', ts: body.ts, seq: 1, body }) },
]);
const alertId = `UT-GROSS-DESK:${BOOK}:1:raise`;
const isAction = (m: Msg) =>
  m.channel === `alerts:${BOOK}` && typeof (m.data as { action?: unknown }).action === 'string';

t.test('the breach is in the desk, for its book only', async (t) => {
  type Listed = { id: string; portfolio: string }[];
  const ours = (r: { json: Record<string, unknown> }) => (r.json.alerts as Listed).find((a) => a.id === alertId);
  const listed = await eventually(
    async () => {
      const r = await call(trader, 'GET', `/v1/alerts?portfolio=${BOOK}`);
      return ours(r) !== undefined ? r : undefined;
    },
    15_000,
    'the breach listed',
  );
  t.equal(listed.status, 200);
  t.match(ours(listed), { id: alertId, state: 'breached', open: true, acknowledged: null, assignee: null });
  const theirs = (await call(stranger, 'GET', '/v1/alerts')).json.alerts as Listed;
  t.notOk(
    theirs.some((a) => a.portfolio === BOOK),
    "another book's trader sees none of this book's alerts",
  );
  t.match(await call(stranger, 'GET', `/v1/alerts/${encodeURIComponent(alertId)}`), {
    status: 404,
    json: { code: 'NOT_FOUND' },
  });
  t.match(await call(stranger, 'POST', `/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`), { status: 404 });
  t.match(await call(stranger, 'GET', `/v1/alerts?portfolio=${BOOK}`), { status: 403, json: { code: 'FORBIDDEN' } });
});

t.test('acknowledged over HTTP as the token subject; every subscriber sees it; a second is refused', async (t) => {
  const r = await call(trader, 'POST', `/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, { note: 'cutting it' });
  t.equal(r.status, 202);
  t.match(r.json, { alert: alertId, portfolio: BOOK, action: 'acknowledge', by: 'alice', note: 'cutting it' });
  const frame = await watcher.next(isAction);
  t.match(frame.data, { id: r.json.id, action: 'acknowledge', by: 'alice' });
  const again = await call(trader, 'POST', `/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`);
  t.equal(again.status, 409);
  t.match(again.json, { code: 'ALERT_STATE', message: new RegExp(`acknowledged by alice at `) });
  t.match((await call(trader, 'GET', `/v1/alerts/${encodeURIComponent(alertId)}`)).json, {
    acknowledged: { by: 'alice', note: 'cutting it' },
    actions: [{ action: 'acknowledge', by: 'alice' }],
  });
  const waiting = (await call(trader, 'GET', '/v1/alerts?unacknowledged=true')).json.alerts as { id: string }[];
  t.notOk(
    waiting.some((a) => a.id === alertId),
    'no longer waiting for acknowledgement',
  );
});

t.test('assigned over the WebSocket; refusals are error frames with the request id', async (t) => {
  const c = await Client.connect(running.port, ['riskline.json', `riskline.bearer.${trader}`]);
  t.teardown(() => c.close());
  c.send({ op: 'assignAlert', id: 'as1', alert: alertId, assignee: 'bob', note: 'your book' });
  const reply = await c.next((m) => m.id === 'as1');
  t.match(reply, { type: 'alertAction', data: { action: 'assign', assignee: 'bob', by: 'alice' } });
  await eventually(
    () => (watcher.messages.filter(isAction).length >= 2 ? true : undefined),
    10_000,
    'the assignment on the channel',
  );
  c.send({ op: 'assignAlert', id: 'as2', alert: alertId, assignee: 'bob' });
  t.match(await c.next((m) => m.id === 'as2'), { type: 'error', code: 'ALERT_STATE' });
  c.send({ op: 'acknowledgeAlert', id: 'as3', alert: 'NO-SUCH:ALERT:1:raise' });
  t.match(await c.next((m) => m.id === 'as3'), { type: 'error', code: 'NOT_FOUND' });
  c.send({ op: 'assignAlert', id: 'as4', alert: alertId });
  t.match(await c.next((m) => m.id === 'as4'), { type: 'error', code: 'BAD_REQUEST', message: /^assignee: / });
  const s = await Client.connect(running.port, ['riskline.json', `riskline.bearer.${stranger}`]);
  t.teardown(() => s.close());
  s.send({ op: 'acknowledgeAlert', id: 'x1', alert: alertId });
  t.match(
    await s.next((m) => m.id === 'x1'),
    { type: 'error', code: 'NOT_FOUND' },
    "another book's alert does not exist for them",
  );
  t.match((await call(trader, 'GET', `/v1/alerts/${encodeURIComponent(alertId)}`)).json, {
    assignee: { to: 'bob', by: 'alice' },
  });
});

t.test('a bad alert-action record on the topic is skipped, and the desk goes on', async (t) => {
  await producer.send(config.topics.prefix + TOPIC.alerts, [
    {
      key: BOOK,
      value: encodeEnvelope({
        v: 1,
        type: 'alert-action',
        src: 'test',
        ts: Date.now(),
        seq: 1,
        body: { alert: alertId },
      }),
    },
  ]);
  const r = await call(trader, 'POST', `/v1/alerts/${encodeURIComponent(alertId)}/assign`, { assignee: 'carol' });
  t.equal(r.status, 202);
  await eventually(
    async () => {
      const d = await call(trader, 'GET', `/v1/alerts/${encodeURIComponent(alertId)}`);
      return (d.json.assignee as { to?: string } | null)?.to === 'carol' ? true : undefined;
    },
    10_000,
    'the assignment after the bad record applied',
  );
});
