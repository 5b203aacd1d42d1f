// The REST routes beside the portfolio views: /v1/portfolios (only the books a caller may see),
// /v1/instruments (reference data, no model parameters) and POST /v1/risk/what-if on the route
// contract, answered by a real engine. Every reply, success or error, is checked against
// gateways/openapi.yaml.
import t, { type Test } from 'tap';
import type { Frame } from '../../../engine/frames.js';
import type { Instrument } from '../../../engine/model.js';
import { NOBODY, type Identity } from '../../../gateways/identity/identity.js';
import { instrumentRoutes, INSTRUMENTS_PATH } from '../../../gateways/rest/instruments.js';
import { portfolioRoutes, PORTFOLIOS_PATH } from '../../../gateways/rest/portfolios.js';
import type { HttpRequest } from '../../../gateways/route.js';
import { WHAT_IF_BODY_LIMIT, WHAT_IF_PATH, whatIfRoute, type RiskQueries } from '../../../gateways/what-if.js';
import { remoteRiskQueries } from '../../../app/roles/risk-queries.js';
import { documented } from './openapi-check.js';
import {
  caller,
  drive,
  inputs,
  instruments,
  invoke,
  parsed,
  portfolios,
  request,
  routeOf,
  simulatingEngine,
} from './rest-fixtures.js';

const api = documented();

t.test('/v1/portfolios lists only the books the caller is entitled to', async (t) => {
  const route = routeOf(portfolioRoutes({ portfolios }), 'GET', PORTFOLIOS_PATH);
  t.equal(route.auth, true, 'needs a token');
  const list = async (who: Identity) => {
    const reply = await invoke(route, who);
    t.equal(reply.status, 200);
    t.same(api.check(route, reply), [], 'matches openapi.yaml');
    return parsed(reply);
  };
  t.same(await list(caller(['P-USD'])), [{ id: 'P-USD', name: 'Dollar book', baseCurrency: 'USD' }]);
  t.same(await list(caller(['P-EUR', 'NO-SUCH-BOOK'])), [{ id: 'P-EUR', name: 'Euro book', baseCurrency: 'EUR' }]);
  t.same(
    await list(caller('*')),
    portfolios.map((p) => ({ id: p.id, name: p.name, baseCurrency: p.baseCurrency })),
    'a risk officer sees every book, in configured order, and no cash or holdings',
  );
  t.same(await list(NOBODY), [], 'no entitlement: an empty list, not an error');
});

t.test('/v1/instruments: every configured instrument, its terms by kind, no model parameters', async (t) => {
  const named: Instrument[] = instruments.map((i) => (i.id === 'AAPL' ? { ...i, name: 'Apple Inc.' } : i));
  const route = routeOf(instrumentRoutes({ instruments: named }), 'GET', INSTRUMENTS_PATH);
  t.equal(route.auth, true);
  for (const who of [caller(['P-USD']), caller('*'), NOBODY]) {
    const reply = await invoke(route, who);
    t.equal(reply.status, 200, `${who.subject}: instruments are not entitled per book`);
    t.same(api.check(route, reply), [], 'matches openapi.yaml');
  }
  const rows = parsed(await invoke(route, caller('*'))) as Record<string, unknown>[];
  t.same(
    rows.map((r) => r.id),
    instruments.map((i) => i.id),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  t.same(byId.get('AAPL'), {
    id: 'AAPL',
    kind: 'equity',
    name: 'Apple Inc.',
    currency: 'USD',
    sector: 'Technology',
    country: 'US',
    multiplier: 1,
  });
  t.match(byId.get('ES-2027H'), { kind: 'future', expiry: '2027-03-19', multiplier: 50 });
  t.notOk('underlying' in byId.get('ES-2027H')!, 'a future without an underlying has none');
  t.match(byId.get('EURUSD'), { kind: 'fx', base: 'EUR', currency: 'USD' });
  t.match(byId.get('AAPL-C-200'), { kind: 'option', underlying: 'AAPL', strike: 200, right: 'call' });
  t.match(byId.get('UST-10Y'), { kind: 'bond', coupon: 0.04, maturity: '2035-11-15', rating: 'AA+' });
  for (const r of rows) {
    for (const model of ['price', 'factors', 'idioVol', 'impliedVol', 'duration', 'convexity']) {
      t.notOk(model in r, `${String(r.id)}: no ${model}`);
    }
  }
  // The document is strict: a row with a term of another kind is not an instrument it describes.
  const check = api.schema('Instrument');
  t.notOk(check({ ...byId.get('AAPL'), strike: 5 }), 'an equity with a strike fails the schema');
  t.notOk(check({ ...byId.get('AAPL-C-200'), right: undefined }), 'an option without its right fails');
});

/** The what-if route answered by `queries`, every reply checked against the document. */
function whatIf(t: Test, queries: RiskQueries) {
  const route = whatIfRoute(queries);
  return async (who: Identity, req: HttpRequest) => {
    const reply = await invoke(route, who, { req });
    t.same(api.check(route, reply), [], `what-if ${reply.status} matches openapi.yaml`);
    return { status: reply.status, body: parsed(reply) as Record<string, unknown> };
  };
}

const post = (body: unknown) =>
  request('POST', WHAT_IF_PATH, {
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

t.test('what-if: a real engine answers an entitled caller; the answer is documented', async (t) => {
  const frames: Frame[] = [];
  const engine = simulatingEngine(frames);
  await drive(engine, inputs(600));
  const ask = whatIf(t, { whatIf: (p, i, q) => engine.whatIf(p, i, q) });

  const ok = await ask(caller(['P-USD']), post({ portfolio: 'P-USD', instrument: 'MSFT', qty: -250 }));
  t.equal(ok.status, 200);
  t.same(ok.body, JSON.parse(JSON.stringify(engine.whatIf('P-USD', 'MSFT', -250))), "the engine's own answer");
  t.ok((ok.body.measures as unknown[]).length > 0);

  const other = await ask(caller(['P-USD']), post({ portfolio: 'P-EUR', instrument: 'MSFT', qty: 1 }));
  t.same(
    [other.status, other.body],
    [403, { code: 'FORBIDDEN', message: 'not entitled to portfolio P-EUR (what-if)' }],
  );
  const ghost = await ask(caller(['P-USD']), post({ portfolio: 'NO-SUCH-BOOK', instrument: 'MSFT', qty: 1 }));
  t.equal(ghost.status, 403, 'entitlement before existence');

  const unknownBook = await ask(caller('*'), post({ portfolio: 'NO-SUCH-BOOK', instrument: 'MSFT', qty: 1 }));
  t.same([unknownBook.status, unknownBook.body.code], [422, 'UNKNOWN_PORTFOLIO']);
  const unknownInstrument = await ask(caller('*'), post({ portfolio: 'P-USD', instrument: 'NOPE', qty: 1 }));
  t.same([unknownInstrument.status, unknownInstrument.body.code], [422, 'UNKNOWN_INSTRUMENT']);
});

t.test('what-if: bad bodies are 400 naming the fault, oversized ones 413', async (t) => {
  const ask = whatIf(t, remoteRiskQueries(['gateway']));
  const who = caller('*');
  const cases: [string, HttpRequest, number, RegExp][] = [
    ['empty', post(''), 400, /^request body: expected JSON, received nothing$/],
    ['blank', post('  \n'), 400, /received nothing/],
    ['not JSON', post('{qty:'), 400, /^request body is not valid JSON/],
    ['zero qty', post({ portfolio: 'P-USD', instrument: 'MSFT', qty: 0 }), 400, /^qty: .*received 0$/],
    ['unknown field', post({ portfolio: 'P', instrument: 'X', qty: 1, side: 'buy' }), 400, /unknown field "side"/],
    ['an array', post([1]), 400, /expected an object/],
    [
      'over the limit',
      post({ portfolio: 'P-USD', instrument: 'MSFT', qty: 1, pad: 'x'.repeat(WHAT_IF_BODY_LIMIT) }),
      413,
      new RegExp(`^request bodies here are limited to ${WHAT_IF_BODY_LIMIT} bytes$`),
    ],
  ];
  for (const [what, req, status, message] of cases) {
    const r = await ask(who, req);
    t.equal(r.status, status, what);
    t.match(r.body.message, message, what);
  }
  const limitSeen: number[] = [];
  const probe = { ...post({ portfolio: 'P-USD', instrument: 'MSFT', qty: 1 }) };
  const body = probe.body;
  probe.body = (limit) => (limitSeen.push(limit), body(limit));
  await ask(who, probe);
  t.same(limitSeen, [WHAT_IF_BODY_LIMIT], 'the route reads the body with its own limit');
});

t.test('what-if: a gateway without an engine says why, as a documented 503', async (t) => {
  const ask = whatIf(t, remoteRiskQueries(['gateway']));
  const r = await ask(caller(['P-USD']), post({ portfolio: 'P-USD', instrument: 'MSFT', qty: 10 }));
  t.equal(r.status, 503);
  t.match(r.body, { code: 'UNAVAILABLE', message: /needs the engine role in the same process/ });
});

t.test('what-if route: POST, needs a token', async (t) => {
  const route = whatIfRoute(remoteRiskQueries(['gateway']));
  t.same([route.method, route.path, route.auth], ['POST', WHAT_IF_PATH, true]);
});
