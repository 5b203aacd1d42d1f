// The desk's book over Kafka: every gateway builds it from the `alerts` topic, so an alert acknowledged
// through one gateway is acknowledged at another, and at a gateway started afterwards (a restart, a
// new process behind the load balancer); an action taken at the second reaches the first one's clients.
import t from 'tap';
import { pino } from 'pino';
import { startRiskline } from '../../../app/compose.js';
import { encodeEnvelope } from '../../../streams/envelope.js';
import { TOPIC } from '../../../streams/topics.js';
import { Client } from '../helpers.js';
import { eventually, kafkaConfig } from './helpers.js';

const quiet = pino({ level: 'silent' });

t.test('acknowledged at one gateway, known at another and at one started later', async (t) => {
  const { config, prefix } = kafkaConfig({ roles: ['gateway'] });
  const a = await startRiskline({ config, logger: quiet });
  t.teardown(() => a.close());
  const portfolio = config.portfolios[0].id;
  const alert = {
    id: `DESK-VAR:${portfolio}:1:raise`,
    portfolio,
    limit: 'DESK-VAR',
    state: 'breached',
    severity: 'critical',
    message: 'VaR over its limit',
    value: 1.2e6,
    threshold: 1e6,
    ts: Date.now(),
  };
  const producer = a.bus.producer();
  t.teardown(() => producer.close());
  await producer.send(prefix + TOPIC.alerts, [
    { key: portfolio, value: encodeEnvelope({ v: 1, type: 'alert', src: 'test', ts: alert.ts, seq: 1, body: alert }) },
  ]);
  const at = (port: number, path: string, method = 'GET', body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
  const path = `/v1/alerts/${encodeURIComponent(alert.id)}`;
  await eventually(
    async () => ((await at(a.gateway!.port, path)).status === 200 ? true : undefined),
    30_000,
    'A holds the alert',
  );
  const watcher = await Client.connect(a.gateway!.port);
  t.teardown(() => watcher.close());
  watcher.send({ op: 'subscribe', id: 1, channels: [`alerts:${portfolio}`] });
  await watcher.next((m) => m.type === 'subscribed');

  const ack = await at(a.gateway!.port, `${path}/acknowledge`, 'POST', { note: 'on it' });
  t.equal(ack.status, 202);
  await eventually(
    async () => ((await at(a.gateway!.port, path)).json.acknowledged !== null ? true : undefined),
    30_000,
    'A reads its own action back from the topic',
  );

  const { config: later } = kafkaConfig({ roles: ['gateway'] }, prefix);
  const b = await startRiskline({ config: later, logger: quiet });
  t.teardown(() => b.close());
  const seen = await eventually(
    async () => {
      const r = await at(b.gateway!.port, path);
      return r.status === 200 && r.json.acknowledged !== null ? r.json : undefined;
    },
    30_000,
    'B, started afterwards, holds the alert acknowledged',
  );
  t.match(seen, { acknowledged: { by: 'anonymous', note: 'on it' }, actions: [{ id: ack.json.id }] });
  t.match(
    (await at(b.gateway!.port, `${path}/acknowledge`, 'POST')).json,
    { code: 'ALERT_STATE' },
    'B refuses a second acknowledgement',
  );

  const assigned = await at(b.gateway!.port, `${path}/assign`, 'POST', { assignee: 'bob' });
  t.equal(assigned.status, 202);
  const frame = await watcher.next((m) => (m.data as { action?: string } | undefined)?.action === 'assign', 30_000);
  t.match(frame.data, { id: assigned.json.id, assignee: 'bob' }, "B's action reaches A's client");
});
