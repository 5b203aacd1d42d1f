// Holds replies and route tables to gateways/openapi.yaml: the schema of a documented response is
// compiled with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) straight out of the document, so
// what is checked is exactly what is published.
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import { loadOpenApi, type OpenApiDocument } from '../../../gateways/rest/openapi.js';
import type { HttpReply, Route } from '../../../gateways/route.js';

const Ajv2020 = Ajv2020Module.default;
export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Json = Record<string, unknown>;

/** `/v1/portfolios/:id/positions` → `/v1/portfolios/{id}/positions`. */
export const openApiPath = (routePath: string): string => routePath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

const escape = (part: string): string => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** The object a local `$ref` (`#/components/...`) points at, or undefined. */
export function resolveRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof at !== 'object' || at === null || !(part in at)) return undefined;
    at = (at as Json)[part];
  }
  return at;
}

export function operation(doc: OpenApiDocument, method: string, routePath: string): Json | undefined {
  return doc.paths[openApiPath(routePath)]?.[method.toLowerCase()] as Json | undefined;
}

/** Disagreements between a route table and the document, both ways: empty when they agree. */
export function disagreements(routes: readonly Pick<Route, 'method' | 'path'>[], doc: OpenApiDocument): string[] {
  const served = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`));
  const documented = new Set<string>();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) if (METHODS.includes(m)) documented.add(`${m.toUpperCase()} ${p}`);
  }
  return [
    ...[...served].filter((s) => !documented.has(s)).map((s) => `served, not documented: ${s}`),
    ...[...documented].filter((d) => !served.has(d)).map((d) => `documented, not served: ${d}`),
  ];
}

export interface Documented {
  doc: OpenApiDocument;
  /** Why a route's reply does not match its documented response: empty when it does. */
  check(route: Pick<Route, 'method' | 'path'>, reply: HttpReply): string[];
  /** A validator for one component schema (`#/components/schemas/<name>`). */
  schema(name: string): ValidateFunction;
}

export function documented(doc: OpenApiDocument = loadOpenApi()): Documented {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // The document's own top-level fields are not JSON Schema keywords; naming them keeps ajv strict elsewhere.
  ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'paths', 'components']);
  ajv.addSchema(doc, 'openapi.json');
  const compiled = new Map<string, ValidateFunction>();
  const at = (pointer: string): ValidateFunction => {
    let v = compiled.get(pointer);
    if (v === undefined) compiled.set(pointer, (v = ajv.compile({ $ref: `openapi.json#${pointer}` })));
    return v;
  };
  return {
    doc,
    schema: (name) => at(`/components/schemas/${escape(name)}`),
    check(route, reply) {
      const where = `${route.method} ${route.path} ${reply.status}`;
      const p = openApiPath(route.path);
      const op = operation(doc, route.method, route.path);
      if (op === undefined) return [`${route.method} ${p} is not documented`];
      let pointer = `/paths/${escape(p)}/${route.method.toLowerCase()}/responses/${reply.status}`;
      let response = (op.responses as Json | undefined)?.[String(reply.status)] as Json | undefined;
      if (response === undefined) return [`${where}: status not documented`];
      if (typeof response.$ref === 'string') {
        pointer = response.$ref.slice(1);
        response = resolveRef(doc, response.$ref) as Json;
      }
      const type = (reply.headers?.['content-type'] ?? '').split(';')[0].trim();
      const content = (response.content as Json | undefined)?.[type];
      if (content === undefined) return [`${where}: content-type ${JSON.stringify(type)} not documented`];
      if (type !== 'application/json') return typeof reply.body === 'string' ? [] : [`${where}: expected text`];
      const text = typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body).toString('utf8');
      const validate = at(`${pointer}/content/${escape(type)}/schema`);
      if (validate(JSON.parse(text))) return [];
      return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
    },
  };
}
