// The operational endpoints every process serves: /health always 200 with the bus's state,
// /ready 200 only while the bus answers and every subscription consumes, else 503 with the reason.
import t from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { notReadyReason, startOpsServer } from '../../../gateways/ops.js';
import { busHealth, type SubscriptionHealth } from '../../../streams/bus.js';

const sub = (group: string, state: SubscriptionHealth['state']): SubscriptionHealth => ({
  group,
  topics: ['t'],
  state,
  assigned: 4,
  lag: 7,
  lastFetchAgoMs: state === 'unreachable' ? 9000 : 10,
});

t.test('ready only when connected and every subscription consumes; closed ones do not count', async (t) => {
  t.equal(notReadyReason(busHealth('kafka', [sub('a', 'consuming'), sub('b', 'closed')])), null);
  const away = busHealth('kafka', [sub('a', 'unreachable'), sub('b', 'consuming')]);
  t.equal(away.connected, false);
  t.equal(notReadyReason(away), 'a unreachable');
  const rebuilding = busHealth('kafka', [sub('a', 'rebuilding'), sub('b', 'joining')]);
  t.equal(rebuilding.connected, true, 'rebuilding is connected, just not ready');
  t.equal(notReadyReason(rebuilding), 'a rebuilding; b joining');
});

t.test('/health, /ready and /metrics on a port of their own', async (t) => {
  let subs = [sub('riskline.engine', 'consuming')];
  const registry = new Registry();
  const ops = await startOpsServer({
    startedAt: Date.now(),
    roles: ['engine'],
    bus: { health: () => busHealth('kafka', subs) },
    registry,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => ops.close());
  const base = `http://127.0.0.1:${ops.port}`;
  let ready = await fetch(`${base}/ready`);
  t.equal(ready.status, 200);
  t.match(await ready.json(), {
    ready: true,
    roles: ['engine'],
    bus: { connected: true, subscriptions: [{ lag: 7 }] },
  });

  subs = [sub('riskline.engine', 'unreachable')];
  ready = await fetch(`${base}/ready`);
  t.equal(ready.status, 503, 'the bus away: not ready');
  t.match(await ready.json(), { ready: false, reason: 'riskline.engine unreachable' });
  const health = await fetch(`${base}/health`);
  t.equal(health.status, 200, '/health answers while the process lives');
  t.match(await health.json(), { status: 'degraded', ready: false });
  t.equal((await fetch(`${base}/metrics`)).status, 200);
  t.equal((await fetch(`${base}/v1/portfolios`)).status, 404, 'only the operational routes');
});
