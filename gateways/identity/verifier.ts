// Verifies a bearer token and says who it names. HS256 (or HS384/512) with a shared secret, or
// RS256/ES256 (and the other public-key algorithms) through an identity provider's JWKS, picked by
// `kid` and refetched when an unknown one appears (key rotation). The algorithm list is pinned and
// never mixes families, so an HMAC token "signed" with the provider's public key is refused before
// any key is looked at. Every failure is an AuthFailure with a specific reason.

import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig, JwtAlgorithm } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import { checkLifetime, identityFrom } from './claims.js';
import { checkHeader, readCompact } from './compact.js';
import { AuthFailure, shown } from './failure.js';
import type { Identity } from './identity.js';

export interface Verifier {
  /** The identity a token grants; rejects with AuthFailure (UNAUTHORIZED; UNAVAILABLE if the JWKS is down). */
  verify(token: string): Promise<Identity>;
  /** The pinned `alg` values. */
  readonly algorithms: readonly JwtAlgorithm[];
}

export interface VerifierOptions {
  /** The clock, ms since the epoch (tests move it). */
  now?: () => number;
}

/** The `alg` values a configuration accepts: as pinned, or HS256 for a secret, RS256/ES256 for a JWKS. */
export function algorithmsOf(config: AuthConfig): JwtAlgorithm[] {
  if (config.algorithms !== null) return [...config.algorithms];
  return config.jwksUrl !== null ? ['RS256', 'ES256'] : ['HS256'];
}

/** The `typ` header values a configuration accepts. */
export function tokenTypesOf(config: AuthConfig): string[] {
  return typeof config.tokenType === 'string' ? [config.tokenType] : [...config.tokenType];
}

export function createVerifier(config: AuthConfig, opts: VerifierOptions = {}): Verifier {
  const now = opts.now ?? Date.now;
  const algorithms = algorithmsOf(config);
  const tokenTypes = tokenTypesOf(config);
  const keySet = config.jwksUrl !== null;
  const key = keyOf(config);
  const verifyOptions = {
    algorithms,
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockToleranceS,
    requiredClaims: ['exp'],
  };

  return {
    algorithms,
    async verify(token) {
      const header = readCompact(token, config.maxTokenBytes);
      checkHeader(header, { algorithms, tokenTypes, needKid: keySet });
      let payload: JWTPayload;
      const at = now();
      try {
        // `key` is a secret or a resolver; the two overloads of jwtVerify differ only in that.
        ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, { ...verifyOptions, currentDate: new Date(at) }));
      } catch (err) {
        throw refusal(err, header.kid, config);
      }
      checkLifetime(payload, Math.floor(at / 1000), config.maxLifetimeS, config.clockToleranceS);
      return identityFrom(payload);
    },
  };
}

function keyOf(config: AuthConfig): Uint8Array | JWTVerifyGetKey {
  if (config.jwtSecret !== null) return new TextEncoder().encode(config.jwtSecret);
  if (config.jwksUrl !== null) {
    return createRemoteJWKSet(new URL(config.jwksUrl), {
      timeoutDuration: config.jwksTimeoutMs,
      cooldownDuration: config.jwksCooldownMs,
    });
  }
  throw new RisklineError('CONFIG_INVALID', 'auth: a verifier needs auth.jwtSecret or auth.jwksUrl');
}

const CLAIM_KIND = { iss: 'issuer', aud: 'audience', nbf: 'not-yet-valid', exp: 'expired' } as const;

/** jose's error as an AuthFailure naming what was wrong (and never the token). */
function refusal(err: unknown, kid: string | undefined, config: AuthConfig): AuthFailure {
  if (err instanceof AuthFailure) return err;
  const cause = { cause: err };
  if (err instanceof errors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? new Date(err.payload.exp * 1000).toISOString() : '?';
    return new AuthFailure('expired', `token refused: expired at ${exp}`, 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'exp' && err.reason === 'missing') {
      return new AuthFailure(
        'lifetime',
        'token refused: no "exp" claim (every token must expire)',
        'UNAUTHORIZED',
        cause,
      );
    }
    const kind = CLAIM_KIND[err.claim as keyof typeof CLAIM_KIND] ?? 'claims';
    return new AuthFailure(kind, `token refused: ${claimReason(err, config)}`, 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new AuthFailure('algorithm', `token refused: ${err.message}`, 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthFailure('signature', 'token refused: signature does not verify', 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    const which = kid === undefined ? '' : ` ${shown(kid)}`;
    return new AuthFailure('key', `token refused: no single key${which} in the JWKS`, 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return new AuthFailure('malformed', `token refused: ${err.message}`, 'UNAUTHORIZED', cause);
  }
  if (err instanceof errors.JOSENotSupported) {
    return new AuthFailure('algorithm', `token refused: ${err.message}`, 'UNAUTHORIZED', cause);
  }
  // What is left comes from fetching the key set: a timeout, a non-200, an invalid JWKS, no route.
  if (config.jwksUrl !== null) {
    const why = err instanceof Error ? err.message : String(err);
    return new AuthFailure('unavailable', `key set ${config.jwksUrl} unavailable: ${why}`, 'UNAVAILABLE', cause);
  }
  return new AuthFailure('malformed', 'token refused: it could not be verified', 'UNAUTHORIZED', cause);
}

/** What a failed claim check means, with the value the token had where it helps (never the token). */
function claimReason(err: InstanceType<typeof errors.JWTClaimValidationFailed>, config: AuthConfig): string {
  const expected = err.claim === 'iss' ? config.issuer : err.claim === 'aud' ? config.audience : null;
  if (err.claim === 'nbf' && err.reason === 'check_failed') return '"nbf": not valid yet';
  if (expected === null) return `"${err.claim}": ${err.message}`;
  const got = err.payload[err.claim];
  if (got === undefined) return `no "${err.claim}" claim, expected ${shown(expected)}`;
  const list = Array.isArray(got) ? got.slice(0, 4).map(String).join(', ') : String(got);
  return `"${err.claim}" ${shown(list)}, expected ${shown(expected)}`;
}
