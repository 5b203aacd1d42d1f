// The gateway's HTTP contract, gateways/openapi.yaml, read and parsed once at start and served as
// JSON at /v1/openapi.json. Tests hold the route table and this document to each other both ways.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RisklineError } from '../../errors/catalogue.js';
import { json, type Route } from '../route.js';

export const OPENAPI_PATH = '/v1/openapi.json';

/** The parts of an OpenAPI 3 document the gateway and its tests read; the rest passes through. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; [k: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

/** gateways/openapi.yaml of this package, found from this module whether it runs as .ts or from dist/. */
export function openApiFile(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'gateways', 'openapi.yaml');
    if (path.dirname(dir) === dir) {
      throw new RisklineError('INTERNAL', `cannot find the package root (package.json) above ${start}`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and parses the document; INTERNAL naming the file and the fault when it cannot be served. */
export function loadOpenApi(file: string = openApiFile()): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RisklineError('INTERNAL', `cannot read the OpenAPI document ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new RisklineError('INTERNAL', `${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) {
    throw new RisklineError('INTERNAL', `${file}: expected an OpenAPI 3 document (an \`openapi: 3.x.y\` field)`);
  }
  if (!isObject(doc.info) || !isObject(doc.paths)) {
    throw new RisklineError('INTERNAL', `${file}: an OpenAPI document needs \`info\` and \`paths\` objects`);
  }
  return doc as OpenApiDocument;
}

/** `GET /v1/openapi.json`: public (it describes the API, no data), cacheable for a minute. */
export function openApiRoute(doc: OpenApiDocument): Route {
  return {
    method: 'GET',
    path: OPENAPI_PATH,
    handler: () => json(200, doc, { 'cache-control': 'public, max-age=60' }),
  };
}
