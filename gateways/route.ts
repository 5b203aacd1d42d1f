// The HTTP contract every gateway route is written against, whatever server carries it
// (uWebSockets.js or node:http, see gateways/transport/): a request read through a small
// interface, and a reply returned as a value. Routes never touch sockets, so each is a pure
// function of the request and the state it reads, testable without a server.

import type { z } from 'zod';
import { ERRORS, RisklineError, errorBody } from '../errors/catalogue.js';
import type { Identity } from './identity/identity.js';

export interface HttpRequest {
  /** Upper-case method; HEAD is given as GET (the body is dropped by the transport). */
  readonly method: string;
  /** Path and query, against http://localhost. */
  readonly url: URL;
  /** A header by lower-case name (the first of repeated ones), or undefined. */
  header(name: string): string | undefined;
  /** The peer's address as the socket reports it. */
  readonly remoteAddress: string;
  /** The body, at most `limit` bytes: PAYLOAD_TOO_LARGE past it, told by content-length when it can be. */
  body(limit: number): Promise<Buffer>;
}

export interface HttpReply {
  status: number;
  /** Lower-case names; content-type and content-length are set by `json` or the transport. */
  headers?: Record<string, string>;
  body: string | Uint8Array;
}

export interface RouteContext {
  req: HttpRequest;
  /** `:name` segments of the route's path, URI-decoded. */
  params: Record<string, string>;
  /** The caller (on routes without `auth`, the anonymous identity that sees nothing private). */
  identity: Identity;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/v1/portfolios/:id/positions`: literal segments and `:name` parameters. */
  path: string;
  /** Needs a valid token whenever the gateway has identity configured. */
  auth?: boolean;
  handler(ctx: RouteContext): HttpReply | Promise<HttpReply>;
}

/** A JSON reply; `no-store`, since every answer is live state. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The catalogue's error as a reply: its HTTP status and `{ code, message }`. */
export function errorReply(err: RisklineError, headers: Record<string, string> = {}): HttpReply {
  const extra = err.code === 'UNAUTHORIZED' ? { 'www-authenticate': 'Bearer realm="riskline"', ...headers } : headers;
  return json(ERRORS[err.code].http, errorBody(err), extra);
}

/** The body parsed as JSON: BAD_REQUEST when it is not JSON, or empty with no `empty` value to stand for it. */
export async function jsonBody(req: HttpRequest, limit: number, empty?: unknown): Promise<unknown> {
  const text = (await req.body(limit)).toString('utf8');
  if (text.trim() === '') {
    if (empty !== undefined) return empty;
    throw new RisklineError('BAD_REQUEST', 'request body: expected JSON, received nothing');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RisklineError('BAD_REQUEST', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * A request body checked against its schema: BAD_REQUEST naming the first field at fault and what
 * was received (`what` names the request, `expected` lists its fields for unknown ones).
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  expected: string,
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    throw new RisklineError('BAD_REQUEST', `${what}: unknown field ${keys}; expected ${expected}`);
  }
  if (issue.path.length === 0) throw new RisklineError('BAD_REQUEST', `${what}: expected an object {${expected}}`);
  const field = issue.path.map(String).join('.');
  const received = (value as Record<string, unknown>)[String(issue.path[0])];
  throw new RisklineError('BAD_REQUEST', `${field}: ${issue.message}, received ${shown(received)}`);
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
