// Signs the HS256 tokens `riskline token` hands out, with every claim the verifier requires: sub,
// portfolios, roles, iss, aud, iat, exp, and the `typ` header. Signing refuses what verifying would.

import { SignJWT } from 'jose';
import { MIN_SECRET_BYTES } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';

export interface TokenClaims {
  secret: string;
  subject: string;
  /** Portfolio ids, or '*' for all. */
  portfolios: readonly string[] | '*';
  roles?: readonly string[];
  issuer: string;
  audience: string;
  /** Seconds from now until `exp`. */
  ttlS: number;
  /** The `typ` header (default "JWT"). */
  tokenType?: string;
  /** The clock, ms since the epoch. */
  now?: number;
}

export async function signToken(c: TokenClaims): Promise<string> {
  if (Buffer.byteLength(c.secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new RisklineError('USAGE', `a signing secret needs at least ${MIN_SECRET_BYTES} bytes (256 bits)`);
  }
  if (!Number.isInteger(c.ttlS) || c.ttlS <= 0) {
    throw new RisklineError('USAGE', `a token lifetime must be a positive whole number of seconds, not ${c.ttlS}`);
  }
  const iat = Math.floor((c.now ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = { portfolios: c.portfolios === '*' ? '*' : [...c.portfolios] };
  if (c.roles !== undefined && c.roles.length > 0) claims.roles = [...c.roles];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: c.tokenType ?? 'JWT' })
    .setSubject(c.subject)
    .setIssuer(c.issuer)
    .setAudience(c.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + c.ttlS)
    .sign(new TextEncoder().encode(c.secret));
}
