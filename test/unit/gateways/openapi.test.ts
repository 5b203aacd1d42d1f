// gateways/openapi.yaml and the gateway's route table, held to each other both ways: every route
// is documented with its method, parameters and security, every documented operation is served;
// the error codes are the catalogue's; every reference resolves and every schema compiles under a
// strict validator; and /v1/openapi.json serves exactly the file.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { ERRORS } from '../../../errors/catalogue.js';
import { NOBODY } from '../../../gateways/identity/identity.js';
import { gatewayHttpRoutes, restRoutes } from '../../../gateways/rest/index.js';
import { orderRoutes } from '../../../gateways/rest/orders.js';
import { OrderEntry } from '../../../gateways/orders/entry.js';
import type { OrderRouter } from '../../../gateways/orders/router.js';
import { loadOpenApi, openApiFile, openApiRoute, OPENAPI_PATH } from '../../../gateways/rest/openapi.js';
import type { Route } from '../../../gateways/route.js';
import { remoteRiskQueries } from '../../../app/roles/risk-queries.js';
import { busHealth } from '../../../streams/bus.js';
import { disagreements, documented, METHODS, openApiPath, operation, resolveRef } from './openapi-check.js';
import { alertDesk, emptyStore, instruments, invoke, parsed, portfolios } from './rest-fixtures.js';

type Json = Record<string, unknown>;
const doc = loadOpenApi();
const api = documented(doc);

/** The whole table on the gateway's port, as gateway.ts builds it from these functions. */
const table: Route[] = [
  ...gatewayHttpRoutes({
    ops: {
      startedAt: Date.now(),
      roles: ['gateway'],
      bus: { health: () => busHealth('inprocess', []) },
      registry: new Registry(),
      metricsGuard: { open: true },
    },
    store: emptyStore(),
    portfolios,
    instruments,
    riskQueries: remoteRiskQueries(['gateway']),
    alerts: alertDesk().entry,
    openApi: doc,
  }),
  // The router role's routes, served by the gateway of its process.
  ...orderRoutes(new OrderEntry({} as OrderRouter)),
];

t.test('every route is documented with its method, and every documented operation is served', async (t) => {
  t.same(disagreements(table, doc), []);
  t.ok(table.length >= 10, `${table.length} routes`);
  // The check itself bites, both ways.
  const extra: Route = { method: 'GET', path: '/v1/trades', auth: true, handler: () => ({ status: 200, body: '' }) };
  t.same(disagreements([...table, extra], doc), ['served, not documented: GET /v1/trades']);
  const wrongMethod = table.map((r) => (r.path === '/v1/instruments' ? { ...r, method: 'POST' as const } : r));
  t.same(disagreements(wrongMethod, doc), [
    'served, not documented: POST /v1/instruments',
    'documented, not served: GET /v1/instruments',
  ]);
  t.same(
    disagreements(
      table.filter((r) => r.path !== '/v1/portfolios/:id/risk'),
      doc,
    ),
    ['documented, not served: GET /v1/portfolios/{id}/risk'],
  );
});

t.test('restRoutes reads the document itself when not given one, the same document', async (t) => {
  const routes = restRoutes({ store: emptyStore(), portfolios, instruments, alerts: alertDesk().entry });
  const served = routes.find((r) => r.path === OPENAPI_PATH)!;
  t.same(parsed(await invoke(served, NOBODY)), doc);
});

/** The security requirements in force for an operation (its own, else the document's). */
const securityOf = (op: Json): Json[] => (op.security ?? doc.security ?? []) as Json[];

t.test('a route needs a token exactly when the document says it needs the bearer JWT', async (t) => {
  for (const r of table) {
    const op = operation(doc, r.method, r.path)!;
    const requirements = securityOf(op);
    const jwt = requirements.length > 0 && requirements.every((s) => 'bearerJwt' in s);
    t.equal(jwt, r.auth === true, `${r.method} ${r.path}: auth ${String(r.auth === true)}`);
  }
  // /metrics has its own guard, not the JWT: a metrics token, or nothing where it is open.
  t.same(securityOf(operation(doc, 'GET', '/metrics')!), [{ metricsToken: [] }, {}]);
  const schemes = Object.keys((doc.components?.securitySchemes ?? {}) as Json).sort();
  t.same(schemes, ['bearerJwt', 'metricsToken']);
  t.match(doc.components?.securitySchemes?.bearerJwt, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
});

t.test("path parameters agree with the route's `:name` segments", async (t) => {
  for (const r of table) {
    const op = operation(doc, r.method, r.path)!;
    const params = ((op.parameters ?? []) as Json[]).map((p) =>
      typeof p.$ref === 'string' ? (resolveRef(doc, p.$ref) as Json) : p,
    );
    const inPath = params.filter((p) => p.in === 'path');
    const names = [...r.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    t.same(
      inPath.map((p) => p.name),
      names,
      `${r.method} ${r.path}: ${names.join(', ') || 'no'} path parameters`,
    );
    for (const p of inPath) t.equal(p.required, true, `${String(p.name)} is required`);
  }
});

t.test("the error schema's codes are exactly the catalogue's", async (t) => {
  const error = doc.components!.schemas.Error as { properties: { code: { enum: string[] } } };
  t.same([...error.properties.code.enum].sort(), Object.keys(ERRORS).sort());
});

t.test("every documented status is 200 or a catalogue code's status, with a body schema", async (t) => {
  const statuses = new Set(Object.values(ERRORS).map((e) => String(e.http)));
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (!METHODS.includes(m)) continue;
      const responses = (op as Json).responses as Json;
      for (const [status, raw] of Object.entries(responses)) {
        const where = `${m.toUpperCase()} ${p} ${status}`;
        t.ok(status.startsWith('2') || statuses.has(status), `${where}: a known status`);
        const res = (
          typeof (raw as Json).$ref === 'string' ? resolveRef(doc, (raw as Json).$ref as string) : raw
        ) as Json;
        const content = res.content as Record<string, Json>;
        t.ok(content && Object.values(content).every((c) => c.schema !== undefined), `${where}: a body schema`);
        // Failures are the catalogue's {code, message}; /ready's 503 is the one answer that is a state.
        const failure = p === '/ready' ? 'NotReady' : 'Error';
        if (!status.startsWith('2')) {
          t.same(
            content['application/json']?.schema,
            { $ref: `#/components/schemas/${failure}` },
            `${where}: ${failure}`,
          );
        }
      }
    }
  }
});

t.test('every $ref resolves, operation ids are unique, every schema compiles strictly', async (t) => {
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') refs.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  t.ok(refs.length > 30);
  for (const ref of new Set(refs)) t.not(resolveRef(doc, ref), undefined, ref);

  const ids = Object.values(doc.paths).flatMap((item) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([, op]) => (op as Json).operationId),
  );
  t.ok(ids.every((id) => typeof id === 'string'));
  t.equal(new Set(ids).size, ids.length, 'operationIds unique');

  for (const name of Object.keys(doc.components!.schemas)) {
    t.doesNotThrow(() => api.schema(name), `${name} compiles`);
  }
  t.equal(openApiPath('/v1/portfolios/:id/positions'), '/v1/portfolios/{id}/positions');
});

t.test('/v1/openapi.json serves the file as JSON, without a token', async (t) => {
  const route = openApiRoute(doc);
  t.same([route.method, route.path, route.auth ?? false], ['GET', OPENAPI_PATH, false]);
  const reply = await invoke(route, NOBODY);
  t.equal(reply.status, 200);
  t.match(reply.headers?.['content-type'], /^application\/json/);
  t.same(api.check(route, reply), []);
  t.same(parsed(reply), loadOpenApi(openApiFile()), 'the file, parsed');
  t.match(parsed(reply), { openapi: /^3\.1\./, info: { title: 'Riskline gateway HTTP' } });
});

t.test('a document that cannot be served stops the start with the file and the fault named', async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'openapi: 3.1.0\npaths: {\n',
    'v2.yaml': 'swagger: "2.0"\ninfo: { title: x, version: "1" }\npaths: {}\n',
    'nopaths.yaml': 'openapi: 3.1.0\ninfo: { title: x, version: "1" }\n',
    'list.yaml': '- 1\n',
  });
  const cases: [string, RegExp][] = [
    ['missing.yaml', /^cannot read the OpenAPI document .*missing\.yaml: ENOENT/],
    ['bad.yaml', /bad\.yaml: not valid YAML: /],
    ['v2.yaml', /v2\.yaml: expected an OpenAPI 3 document/],
    ['nopaths.yaml', /nopaths\.yaml: an OpenAPI document needs `info` and `paths` objects/],
    ['list.yaml', /list\.yaml: expected an OpenAPI 3 document/],
  ];
  for (const [file, message] of cases) {
    t.throws(() => loadOpenApi(path.join(dir, file)), { code: 'INTERNAL', message }, file);
  }
  writeFileSync(path.join(dir, 'dup.yaml'), 'openapi: 3.1.0\nopenapi: 3.0.0\ninfo: {}\npaths: {}\n');
  t.throws(() => loadOpenApi(path.join(dir, 'dup.yaml')), { code: 'INTERNAL', message: /not valid YAML/ });
});
