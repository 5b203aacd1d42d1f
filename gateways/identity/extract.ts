// Where a request carries its token, whatever server carries the request: `Authorization: Bearer`
// for every client that can set headers; for browsers, whose WebSocket API cannot, an entry
// `riskline.bearer.<jwt>` in Sec-WebSocket-Protocol next to the real subprotocol; the `token`
// query parameter only when configured for development (URLs end up in logs). Parsing is bounded
// before it starts, so a crafted header costs a length check, and every refusal says why.
//
// The browser form, exactly: `new WebSocket(url, ['riskline.json', 'riskline.bearer.' + jwt])`
// (or 'riskline.msgpack' for binary frames). The server selects the real subprotocol and never
// echoes the token-bearing entry; an offer holding a token but no subprotocol to select is refused,
// since a browser fails a handshake whose answer names no protocol it offered.

import { MSGPACK_SUBPROTOCOL } from '../protocol.js';
import { AuthFailure, shown } from './failure.js';

export const BEARER_PROTOCOL_PREFIX = 'riskline.bearer.';
/** JSON text frames, named, for clients that must offer some subprotocol (browsers sending a token). */
export const JSON_SUBPROTOCOL = 'riskline.json';
export const DEFAULT_SUBPROTOCOLS: readonly string[] = [JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL];

/** A request header by lower-case name (the first of repeated ones; joined with ", " is refused). */
export type HeaderLookup = (name: string) => string | undefined;

export interface TokenSourceOptions {
  allowQueryToken: boolean;
  /** Longest token accepted (default 8192 bytes). */
  maxTokenBytes?: number;
  /** Subprotocols the server speaks, in the order it prefers them (default riskline.json, riskline.msgpack). */
  subprotocols?: readonly string[];
}

export type TokenSource = 'header' | 'protocol' | 'query';

export interface FoundToken {
  token: string | null;
  via: TokenSource | null;
  /** The subprotocol to select and echo: an offered one the server speaks, never a token entry. */
  protocolEcho?: string;
}

const DEFAULT_MAX_TOKEN = 8192;
const MAX_PROTOCOL_ENTRIES = 16;
const MAX_PROTOCOL_NAME = 64;
/** RFC 6750 §2.1 b64token: what may follow "Bearer ". */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** RFC 7230 tchar: what a subprotocol name may be made of. */
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const bad = (message: string) => new AuthFailure('malformed', message, 'BAD_REQUEST');
const tooLong = (what: string, max: number) =>
  new AuthFailure('oversized', `${what} is longer than the ${max} bytes a token may have`);

/** The token in an Authorization header, or null when there is none. */
export function bearerFrom(value: string | undefined, maxTokenBytes = DEFAULT_MAX_TOKEN): string | null {
  if (value === undefined) return null;
  if (value.length > maxTokenBytes + 32) throw tooLong('the Authorization header', maxTokenBytes);
  const scheme = /^\s*(\S*)/.exec(value)?.[1] ?? '';
  if (scheme.toLowerCase() !== 'bearer') {
    throw new AuthFailure('missing', `Authorization scheme ${shown(scheme, 16)} is not accepted; send Bearer <jwt>`);
  }
  if (value.includes(',')) throw bad('Authorization header holds more than one value; send one Bearer token');
  const m = BEARER.exec(value.trim());
  if (m === null) throw bad('Authorization header is malformed: expected "Bearer <jwt>"');
  return m[1];
}

/** A Sec-WebSocket-Protocol offer split into its token (if any) and the subprotocol to echo. */
export function protocolOffer(
  value: string | undefined,
  opts: { maxTokenBytes?: number; subprotocols?: readonly string[] } = {},
): { token: string | null; protocolEcho?: string } {
  if (value === undefined) return { token: null };
  const maxToken = opts.maxTokenBytes ?? DEFAULT_MAX_TOKEN;
  const limit = maxToken + BEARER_PROTOCOL_PREFIX.length + MAX_PROTOCOL_ENTRIES * (MAX_PROTOCOL_NAME + 2);
  if (value.length > limit) throw bad(`Sec-WebSocket-Protocol is longer than ${limit} bytes`);
  const entries = value.split(',', MAX_PROTOCOL_ENTRIES + 1).map((e) => e.trim());
  if (entries.length > MAX_PROTOCOL_ENTRIES) {
    throw bad(`Sec-WebSocket-Protocol offers more than ${MAX_PROTOCOL_ENTRIES} subprotocols`);
  }
  let token: string | null = null;
  const offered: string[] = [];
  for (const entry of entries) {
    if (entry === '' || !TOKEN_CHARS.test(entry)) {
      throw bad(`Sec-WebSocket-Protocol entry ${shown(entry, 32)} is not a valid subprotocol name`);
    }
    if (entry.startsWith(BEARER_PROTOCOL_PREFIX)) {
      if (token !== null) throw bad('Sec-WebSocket-Protocol carries more than one riskline.bearer. token');
      token = entry.slice(BEARER_PROTOCOL_PREFIX.length);
      if (token === '') throw bad('Sec-WebSocket-Protocol entry riskline.bearer. has no token after it');
      if (token.length > maxToken) throw tooLong('the riskline.bearer. token', maxToken);
    } else if (entry.length > MAX_PROTOCOL_NAME) {
      throw bad(`Sec-WebSocket-Protocol entry ${shown(entry, 32)} is longer than ${MAX_PROTOCOL_NAME} bytes`);
    } else offered.push(entry);
  }
  const speaks = opts.subprotocols ?? DEFAULT_SUBPROTOCOLS;
  const protocolEcho = speaks.find((p) => offered.includes(p));
  if (token !== null && protocolEcho === undefined) {
    throw bad(`Sec-WebSocket-Protocol carries a token but none of ${speaks.join(', ')} to select beside it`);
  }
  return protocolEcho === undefined ? { token } : { token, protocolEcho };
}

/** The token in a `token` query parameter, refused unless the configuration allows it. */
function queryToken(url: URL, allowed: boolean, maxTokenBytes: number): string | null {
  const values = url.searchParams.getAll('token');
  if (values.length === 0) return null;
  if (!allowed) {
    throw new AuthFailure(
      'query-disabled',
      'a token in the URL (?token=) is refused: send Authorization: Bearer, or the riskline.bearer. subprotocol',
    );
  }
  if (values.length > 1) throw bad('more than one token query parameter');
  if (values[0].length > maxTokenBytes) throw tooLong('the token query parameter', maxTokenBytes);
  return values[0] === '' ? null : values[0];
}

/** Finds the request's one token; two in different places are refused rather than one picked. */
export function tokenFrom(header: HeaderLookup, url: URL, opts: TokenSourceOptions): FoundToken {
  const max = opts.maxTokenBytes ?? DEFAULT_MAX_TOKEN;
  const fromHeader = bearerFrom(header('authorization'), max);
  const offer = protocolOffer(header('sec-websocket-protocol'), {
    maxTokenBytes: max,
    subprotocols: opts.subprotocols,
  });
  const fromQuery = queryToken(url, opts.allowQueryToken, max);
  const found: [TokenSource, string][] = [];
  if (fromHeader !== null) found.push(['header', fromHeader]);
  if (offer.token !== null) found.push(['protocol', offer.token]);
  if (fromQuery !== null) found.push(['query', fromQuery]);
  if (found.length > 1) throw bad(`a token in more than one place (${found.map(([via]) => via).join(', ')}); send one`);
  const echo = offer.protocolEcho === undefined ? {} : { protocolEcho: offer.protocolEcho };
  if (found.length === 0) return { token: null, via: null, ...echo };
  return { token: found[0][1], via: found[0][0], ...echo };
}
