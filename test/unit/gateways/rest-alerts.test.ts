// The desk's alerts over HTTP: the book filtered to what the caller may see (another desk's alert is
// answered as if it did not exist), acknowledgement and assignment recorded as the caller, refusals
// with ALERT_STATE naming who and when, bad bodies and queries named; every reply checked against
// gateways/openapi.yaml.
import t from 'tap';
import type { Alert } from '../../../engine/model.js';
import { ALERTS_PATH, alertRoutes } from '../../../gateways/rest/alerts.js';
import { documented } from './openapi-check.js';
import { alertDesk, caller, invoke, parsed, portfolios, request, routeOf } from './rest-fixtures.js';

const api = documented();
const [a, b] = portfolios.map((p) => p.id);
const breach = (portfolio: string, n: number): Alert => ({
  id: `VAR99-${portfolio}:${portfolio}:${n}:raise`,
  portfolio,
  limit: `VAR99-${portfolio}`,
  state: 'breached',
  severity: 'critical',
  message: 'VaR 99% over its limit',
  value: 1.2e6,
  threshold: 1e6,
  ts: 1_700_000_000_000 + n,
});

function setup() {
  const d = alertDesk();
  d.desk.alert(breach(a, 1), 1_700_000_000_001, 10);
  d.desk.alert(breach(b, 2), 1_700_000_000_002, 11);
  const routes = alertRoutes({ alerts: d.entry });
  return { ...d, routes };
}

const post = (path: string, body?: unknown) =>
  request('POST', path, body === undefined ? {} : { body: JSON.stringify(body) });

t.test('the book lists what the caller may see, newest first, each with its desk state', async (t) => {
  const { routes } = setup();
  const route = routeOf(routes, 'GET', ALERTS_PATH);
  const list = async (who: ReturnType<typeof caller>, query = '') => {
    const reply = await invoke(route, who, { req: request('GET', `${ALERTS_PATH}${query}`) });
    t.same(api.check(route, reply), [], 'matches openapi.yaml');
    return reply;
  };
  const all = parsed(await list(caller('*'))) as { alerts: { id: string; acknowledged: unknown; open: boolean }[] };
  t.same(
    all.alerts.map((x) => x.id),
    [breach(b, 2).id, breach(a, 1).id],
  );
  t.match(all.alerts[0], {
    acknowledged: null,
    assignee: null,
    open: true,
    episode: `VAR99-${b}:${b}:2`,
    asOf: 1_700_000_000_002,
    inputSeq: 11,
  });
  const mine = parsed(await list(caller([a]))) as { alerts: { id: string }[] };
  t.same(
    mine.alerts.map((x) => x.id),
    [breach(a, 1).id],
    "another desk's alert is not listed",
  );
  t.equal((await list(caller([a]), `?portfolio=${b}`)).status, 403, "asking for another desk's portfolio is refused");
  const bad = await list(caller('*'), '?open=maybe');
  t.equal(bad.status, 400);
  t.match(parsed(bad), { code: 'BAD_REQUEST', message: 'open: expected true or false, received "maybe"' });
  t.match(parsed(await list(caller('*'), '?limit=0')), {
    code: 'BAD_REQUEST',
    message: /^limit: expected an integer 1\.\.1000/,
  });
});

t.test('acknowledge and assign are recorded as the caller; refusals say who and when', async (t) => {
  const { routes, published } = setup();
  const id = breach(a, 1).id;
  const ack = routeOf(routes, 'POST', `${ALERTS_PATH}/:id/acknowledge`);
  const assign = routeOf(routes, 'POST', `${ALERTS_PATH}/:id/assign`);
  const get = routeOf(routes, 'GET', `${ALERTS_PATH}/:id`);
  const desk = caller([a]);

  const r1 = await invoke(ack, desk, { params: { id }, req: post(`${ALERTS_PATH}/x/acknowledge`) });
  t.equal(r1.status, 202, 'no body needed');
  t.same(api.check(ack, r1), []);
  t.match(parsed(r1), { alert: id, portfolio: a, action: 'acknowledge', by: desk.subject, ts: 1_800_000_000_000 });
  t.equal(published.length, 1, 'published once');

  const again = await invoke(ack, caller('*'), { params: { id }, req: post('/', { note: 'me too' }) });
  t.equal(again.status, 409);
  t.same(api.check(ack, again), []);
  t.match(parsed(again), {
    code: 'ALERT_STATE',
    message: `alert ${id} was acknowledged by ${desk.subject} at 2027-01-15T08:00:00.000Z`,
  });
  t.equal(published.length, 1, 'a refused action is not published');

  const r2 = await invoke(assign, desk, { params: { id }, req: post('/', { assignee: 'bob', note: 'yours' }) });
  t.equal(r2.status, 202);
  t.same(api.check(assign, r2), []);
  const twice = await invoke(assign, desk, { params: { id }, req: post('/', { assignee: 'bob' }) });
  t.match(parsed(twice), { code: 'ALERT_STATE', message: /assigned to bob already/ });

  const detail = await invoke(get, desk, { params: { id } });
  t.same(api.check(get, detail), []);
  t.match(parsed(detail), {
    id,
    acknowledged: { by: desk.subject },
    assignee: { to: 'bob', by: desk.subject, note: 'yours' },
    actions: [{ action: 'acknowledge' }, { action: 'assign', assignee: 'bob' }],
  });
});

t.test("another desk's alert is not found, by any route; bad bodies name the field", async (t) => {
  const { routes, published } = setup();
  const theirs = breach(b, 2).id;
  const desk = caller([a]);
  for (const [method, path, body] of [
    ['GET', `${ALERTS_PATH}/:id`, undefined],
    ['POST', `${ALERTS_PATH}/:id/acknowledge`, {}],
    ['POST', `${ALERTS_PATH}/:id/assign`, { assignee: 'bob' }],
  ] as const) {
    const route = routeOf(routes, method, path);
    const reply = await invoke(route, desk, {
      params: { id: theirs },
      req: request(method, path, body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    t.equal(reply.status, 404, `${method} ${path}`);
    t.match(parsed(reply), { code: 'NOT_FOUND', message: `no alert ${theirs}` });
  }
  const assign = routeOf(routes, 'POST', `${ALERTS_PATH}/:id/assign`);
  const ack = routeOf(routes, 'POST', `${ALERTS_PATH}/:id/acknowledge`);
  const mine = breach(a, 1).id;
  const cases: [typeof ack, unknown, RegExp][] = [
    [assign, {}, /^assignee: expected who to assign it to/],
    [assign, { assignee: '' }, /^assignee: expected who to assign it to/],
    [assign, { assignee: 'bob', colour: 'red' }, /^assignment: unknown field "colour"/],
    [ack, { note: 'x'.repeat(501) }, /^note: expected a note of at most 500 characters/],
    [ack, [], /^acknowledgement: expected an object/],
  ];
  for (const [route, body, message] of cases) {
    const reply = await invoke(route, desk, { params: { id: mine }, req: post('/', body) });
    t.equal(reply.status, 400, JSON.stringify(body));
    t.match(parsed(reply), { code: 'BAD_REQUEST', message });
  }
  t.equal(published.length, 0, 'nothing refused was published');
});
