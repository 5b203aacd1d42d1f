// GET /v1/limits: the configured limits, entitlement-filtered (a desk sees its books' limits and
// the firm-wide ones, nothing of other desks'), every reply checked against gateways/openapi.yaml.
import t from 'tap';
import type { LimitDef } from '../../../engine/limits.js';
import { NOBODY } from '../../../gateways/identity/identity.js';
import { limitRoutes, LIMITS_PATH } from '../../../gateways/rest/limits.js';
import { documented } from './openapi-check.js';
import { caller, invoke, parsed, portfolios, routeOf } from './rest-fixtures.js';

const api = documented();
const [a, b] = portfolios.map((p) => p.id);

const limits: LimitDef[] = [
  { id: 'A-GROSS', portfolio: a, metric: 'gross', max: 1e9, severity: 'warning' },
  { id: 'B-VAR99', portfolio: b, metric: 'var99', max: 5e6, severity: 'critical' },
  { id: 'ALL-NET', portfolio: '*', metric: 'net', min: -2.5e8, severity: 'warning' },
  { id: 'A-NAV', portfolio: a, metric: 'nav', min: 0, max: 5e9, severity: 'critical' },
];

t.test('/v1/limits lists the limits of the books the caller may see, and the firm-wide ones', async (t) => {
  const route = routeOf(limitRoutes({ riskLimits: limits, portfolios }), 'GET', LIMITS_PATH);
  t.equal(route.auth, true, 'needs a token');
  const list = async (who: Parameters<typeof invoke>[1]) => {
    const reply = await invoke(route, who);
    t.equal(reply.status, 200);
    t.same(api.check(route, reply), [], 'matches openapi.yaml');
    return (parsed(reply) as LimitDef[]).map((l) => l.id);
  };
  t.same(await list(caller('*')), ['A-GROSS', 'B-VAR99', 'ALL-NET', 'A-NAV'], 'everything, in configured order');
  t.same(await list(caller([a])), ['A-GROSS', 'ALL-NET', 'A-NAV'], "one book: its limits and the firm's");
  t.same(await list(caller([b, 'NO-SUCH-BOOK'])), ['B-VAR99', 'ALL-NET']);
  t.same(await list(caller(['NO-SUCH-BOOK'])), [], 'no known book: not even the firm-wide limits');
  t.same(await list(NOBODY), [], 'no entitlement: an empty list, not an error');
  const rows = parsed(await invoke(route, caller('*'))) as LimitDef[];
  t.same(rows[3], { id: 'A-NAV', portfolio: a, metric: 'nav', max: 5e9, min: 0, severity: 'critical' }, 'both bounds');
  t.notOk('min' in rows[0], 'a bound the limit does not have is left out');
});

t.test('/v1/limits with no limits configured is an empty list', async (t) => {
  const route = routeOf(limitRoutes({ portfolios }), 'GET', LIMITS_PATH);
  const reply = await invoke(route, caller('*'));
  t.equal(reply.status, 200);
  t.same(parsed(reply), []);
});
