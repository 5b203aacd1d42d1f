// Entitlements at the network edge. With a JWT secret configured, every WebSocket upgrade and
// every authenticated HTTP route needs an HS256 token (Authorization: Bearer, or ?token= for
// browsers, whose WebSocket API cannot set headers). The `portfolios` claim (an array of ids, or
// "*") limits which portfolio channels and rows the caller sees. Without a secret, everything is
// visible: the embedded default on loopback.

import { SignJWT, jwtVerify } from 'jose';
import type { IncomingMessage } from 'node:http';
import { RisklineError } from '../errors/catalogue.js';

/** Which portfolios a caller may see: all of them, or the listed ids. */
export type Entitlement = '*' | ReadonlySet<string>;
export const ALL: Entitlement = '*';

export const TOKEN_ISSUER = 'riskline';

export function entitled(ent: Entitlement, portfolio: string): boolean {
  return ent === '*' || ent.has(portfolio);
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs a token for `riskline token`. `ttl` is seconds or a jose time span ("12h", "7d").
 */
export async function signToken(
  secret: string,
  portfolios: readonly string[] | '*',
  ttl: number | string = '12h',
): Promise<string> {
  if (secret.length === 0) throw new RisklineError('USAGE', 'a JWT secret is required to sign tokens');
  const exp = typeof ttl === 'number' ? Math.floor(Date.now() / 1000) + Math.floor(ttl) : ttl;
  return new SignJWT({ portfolios: portfolios === '*' ? '*' : [...portfolios] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key(secret));
}

/** Verifies a token and returns its entitlement; any failure is UNAUTHORIZED. */
async function verifyToken(secret: string, token: string): Promise<Entitlement> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] }));
  } catch (err) {
    throw new RisklineError('UNAUTHORIZED', `invalid token: ${(err as Error).message}`);
  }
  const claim = payload.portfolios;
  if (claim === '*') return ALL;
  if (Array.isArray(claim) && claim.every((p) => typeof p === 'string')) return new Set(claim as string[]);
  throw new RisklineError('UNAUTHORIZED', 'token has no valid portfolios claim (an array of ids, or "*")');
}

/** The token a request carries: `Authorization: Bearer …` first, then the `token` query parameter. */
function tokenOf(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m !== null) return m[1];
  }
  return url.searchParams.get('token');
}

/** Resolves the caller's entitlement; with no secret every portfolio is visible. */
export async function authenticate(secret: string | null, req: IncomingMessage, url: URL): Promise<Entitlement> {
  if (secret === null) return ALL;
  const token = tokenOf(req, url);
  if (token === null)
    throw new RisklineError('UNAUTHORIZED', 'a bearer token is required (Authorization header or ?token=)');
  return verifyToken(secret, token);
}
