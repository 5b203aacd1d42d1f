// /health, /ready and /metrics as routes on the contract: liveness always 200, readiness 503 with a
// reason until the bus (and the role's own state) is ready, and /metrics behind its guard: a bearer
// token compared in constant time, open only on loopback or a listener of its own. Each reply is
// checked against gateways/openapi.yaml.
import t, { type Test } from 'tap';
import { Counter, Registry } from 'prom-client';
import { loadConfig } from '../../../config/load.js';
import { NOBODY } from '../../../gateways/identity/identity.js';
import {
  checkMetricsGuard,
  metricsGuardFor,
  opsRoutes,
  type MetricsGuard,
  type OpsDeps,
} from '../../../gateways/ops.js';
import type { Route } from '../../../gateways/route.js';
import { busHealth, type SubscriptionHealth } from '../../../streams/bus.js';
import { documented } from './openapi-check.js';
import { invoke, parsed, request, routeOf } from './rest-fixtures.js';

const api = documented();
const TOKEN = 'f3b1c0de9a8e4d7c6b5a49382716f0e1';

const sub = (group: string, state: SubscriptionHealth['state']): SubscriptionHealth => ({
  group,
  topics: ['riskline.state.positions'],
  state,
  assigned: 4,
  lag: 12,
  lastFetchAgoMs: state === 'unreachable' ? 9000 : 15,
});

/** The routes of a gateway process whose bus, start-up and store are whatever the test sets. */
function opsOf(over: Partial<OpsDeps> = {}) {
  const world = {
    subs: [sub('riskline-gateway-1', 'consuming')],
    starting: false,
    storeWaiting: null as string | null,
  };
  const registry = new Registry();
  new Counter({ name: 'riskline_test_scrapes_total', help: 'a metric of this test', registers: [registry] }).inc(3);
  const routes = opsRoutes({
    startedAt: Date.now() - 5000,
    roles: ['gateway'],
    bus: { health: () => busHealth('kafka', world.subs) },
    registry,
    metricsGuard: { open: true },
    details: () => ({ clients: 2, lastTickAsOf: 1795615200000 }),
    starting: () => world.starting,
    notReady: () => world.storeWaiting,
    ...over,
  });
  return { world, routes };
}

async function get(t: Test, routes: Route[], path: string, headers: Record<string, string> = {}) {
  const route = routeOf(routes, 'GET', path);
  const reply = await invoke(route, NOBODY, { req: request('GET', path, { headers }) });
  t.same(api.check(route, reply), [], `${path} ${reply.status} matches openapi.yaml`);
  return reply;
}

t.test('/health is 200 while the process runs, and says what it knows of the bus', async (t) => {
  const { world, routes } = opsOf();
  let reply = await get(t, routes, '/health');
  t.equal(reply.status, 200);
  t.match(parsed(reply), {
    status: 'ok',
    ready: true,
    uptimeS: 5,
    roles: ['gateway'],
    clients: 2,
    bus: { kind: 'kafka', connected: true, subscriptions: [{ group: 'riskline-gateway-1', lag: 12 }] },
  });
  world.subs = [sub('riskline-gateway-1', 'unreachable')];
  reply = await get(t, routes, '/health');
  t.equal(reply.status, 200, 'still alive with the bus away');
  t.match(parsed(reply), { status: 'degraded', ready: false });
  world.starting = true;
  t.match(parsed(await get(t, routes, '/health')), { status: 'starting', ready: false });
});

t.test('/ready is 503 with the reason until everything it waits for is in, then 200', async (t) => {
  const { world, routes } = opsOf();
  world.starting = true;
  world.subs = [sub('riskline-gateway-1', 'joining')];
  world.storeWaiting = 'no positions yet for P-EUR';
  const steps: [string, string | null][] = [
    ['starting', 'starting: not every role runs yet'],
    ['bus joining', 'riskline-gateway-1 joining'],
    ['bus rebuilding', 'riskline-gateway-1 rebuilding'],
    ['store waiting', 'no positions yet for P-EUR'],
    ['ready', null],
  ];
  for (const [step, reason] of steps) {
    if (step === 'bus joining') world.starting = false;
    if (step === 'bus rebuilding') world.subs = [sub('riskline-gateway-1', 'rebuilding')];
    if (step === 'store waiting') world.subs = [sub('riskline-gateway-1', 'consuming')];
    if (step === 'ready') world.storeWaiting = null;
    const reply = await get(t, routes, '/ready');
    const body = parsed(reply) as Record<string, unknown>;
    if (reason === null) {
      t.equal(reply.status, 200, step);
      t.equal(body.ready, true);
      t.notOk('reason' in body, 'no reason once ready');
    } else {
      t.equal(reply.status, 503, step);
      t.same([body.ready, body.reason], [false, reason], step);
    }
  }
  // The bus going away again: not ready, whatever the store holds.
  world.subs = [sub('riskline-gateway-1', 'unreachable')];
  const away = await get(t, routes, '/ready');
  t.equal(away.status, 503);
  t.match(parsed(away), { reason: 'riskline-gateway-1 unreachable', status: 'degraded' });
});

t.test('/metrics with a token: none 401, wrong 401, right 200', async (t) => {
  const { routes } = opsOf({ metricsGuard: { token: TOKEN } });
  const refused: [string, Record<string, string>, string][] = [
    ['no header', {}, '/metrics needs Authorization: Bearer <metrics token>'],
    ['another scheme', { authorization: `Basic ${TOKEN}` }, '/metrics needs Authorization: Bearer <metrics token>'],
    ['empty bearer', { authorization: 'Bearer ' }, '/metrics needs Authorization: Bearer <metrics token>'],
    [
      'wrong token, same length',
      { authorization: `Bearer ${TOKEN.replace(/.$/, '0')}` },
      '/metrics: wrong metrics token',
    ],
    ['a prefix of it', { authorization: `Bearer ${TOKEN.slice(0, 31)}` }, '/metrics: wrong metrics token'],
    ['it and more', { authorization: `Bearer ${TOKEN}x` }, '/metrics: wrong metrics token'],
    [
      'two tokens',
      { authorization: `Bearer ${TOKEN} ${TOKEN}` },
      '/metrics needs Authorization: Bearer <metrics token>',
    ],
  ];
  for (const [what, headers, message] of refused) {
    const reply = await get(t, routes, '/metrics', headers);
    t.equal(reply.status, 401, what);
    t.same(parsed(reply), { code: 'UNAUTHORIZED', message }, what);
    t.equal(reply.headers?.['www-authenticate'], 'Bearer realm="riskline"');
    t.notMatch(String(reply.body), /riskline_test_scrapes_total/, `${what}: no metric leaks`);
  }
  for (const scheme of ['Bearer', 'bearer']) {
    const ok = await get(t, routes, '/metrics', { authorization: `${scheme} ${TOKEN}` });
    t.equal(ok.status, 200, `${scheme} <right token>`);
    t.match(ok.headers?.['content-type'], /^text\/plain/);
    t.match(String(ok.body), /^riskline_test_scrapes_total 3$/m);
  }
});

t.test('/metrics without a token: open on loopback, refused elsewhere saying how to set one', async (t) => {
  t.same(metricsGuardFor(TOKEN, '0.0.0.0'), { token: TOKEN }, 'a configured token applies on any address');
  t.same(metricsGuardFor(TOKEN, '127.0.0.1'), { token: TOKEN });
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) {
    t.same(metricsGuardFor(null, host), { open: true }, `${host}: loopback`);
  }
  for (const host of ['0.0.0.0', '::', '10.1.2.3', 'gateway.desk.internal']) {
    t.same(metricsGuardFor(null, host), { token: null }, `${host}: reachable from outside`);
  }

  const open = opsOf({ metricsGuard: { open: true } });
  t.equal((await get(t, open.routes, '/metrics')).status, 200, 'open: no header needed');

  const closed = opsOf({ metricsGuard: metricsGuardFor(null, '0.0.0.0') });
  const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
  for (const headers of attempts) {
    const reply = await get(t, closed.routes, '/metrics', headers);
    t.equal(reply.status, 401);
    t.match(parsed(reply), { code: 'UNAUTHORIZED', message: /set server\.metricsToken \(RISKLINE_METRICS_TOKEN\)/ });
  }
});

t.test('the guard alone: throws UNAUTHORIZED or lets through', async (t) => {
  const header = (v?: string) => ({ header: (n: string) => (n === 'authorization' ? v : undefined) });
  const guard: MetricsGuard = { token: TOKEN };
  t.doesNotThrow(() => checkMetricsGuard(guard, header(`Bearer ${TOKEN}`)));
  t.doesNotThrow(() => checkMetricsGuard({ open: true }, header()));
  t.throws(() => checkMetricsGuard(guard, header('Bearer nope')), { code: 'UNAUTHORIZED' });
});

t.test('server.metricsToken: from riskline.json or RISKLINE_METRICS_TOKEN, never echoed', async (t) => {
  t.equal(loadConfig({ env: {} }).server.metricsToken, null, 'none by default');
  t.equal(loadConfig({ env: { RISKLINE_METRICS_TOKEN: TOKEN } }).server.metricsToken, TOKEN);
  for (const bad of ['', 'short-token']) {
    t.throws(
      () => loadConfig({ env: { RISKLINE_METRICS_TOKEN: bad } }),
      {
        code: 'CONFIG_INVALID',
        message: `RISKLINE_METRICS_TOKEN: expected a token of at least 32 characters, received ${
          bad === '' ? 'an empty string' : `${bad.length} bytes (not shown)`
        }`,
      },
      JSON.stringify(bad),
    );
  }
  const dir = t.testdir({ 'short.json': JSON.stringify({ server: { metricsToken: 'abc' } }) });
  t.throws(() => loadConfig({ env: {}, configFile: `${dir}/short.json` }), {
    code: 'CONFIG_INVALID',
    message: /short\.json: server\.metricsToken: expected a token of at least 32 characters/,
  });
});
