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

t.test('the ops server takes a metrics guard; errors are JSON from the catalogue', async (t) => {
  const token = 'a7c3e9f1b2d4608a7c3e9f1b2d4608aa';
  const ops = await startOpsServer({
    startedAt: Date.now(),
    roles: ['feed'],
    bus: { health: () => busHealth('kafka', []) },
    registry: new Registry(),
    metricsGuard: { token },
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => ops.close());
  const base = `http://127.0.0.1:${ops.port}`;
  const refused = await fetch(`${base}/metrics`);
  t.equal(refused.status, 401);
  t.equal(refused.headers.get('www-authenticate'), 'Bearer realm="riskline"');
  t.match(await refused.json(), { code: 'UNAUTHORIZED' });
  t.equal((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
  const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(ok.status, 200);
  t.match(ok.headers.get('content-type'), /^text\/plain/);
  const post = await fetch(`${base}/health`, { method: 'POST' });
  t.equal(post.status, 405);
  t.equal(post.headers.get('allow'), 'GET');
  t.match(await post.json(), { code: 'METHOD_NOT_ALLOWED' });
  t.equal((await fetch(`${base}/health`)).status, 200, '/health needs no token');
});

t.test('a port already taken is UNAVAILABLE naming the address', async (t) => {
  const deps = {
    startedAt: Date.now(),
    roles: ['engine'],
    bus: { health: () => busHealth('kafka', []) },
    registry: new Registry(),
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
  };
  const first = await startOpsServer({ ...deps, port: 0 });
  t.teardown(() => first.close());
  await t.rejects(startOpsServer({ ...deps, port: first.port }), {
    code: 'UNAVAILABLE',
    message: new RegExp(
      `^health/metrics server could not start on 127\\.0\\.0\\.1:${first.port}: .*EADDRINUSE.*\\(set --port\\)$`,
    ),
  });
});
