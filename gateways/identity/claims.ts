// From a verified token's claims to an Identity: who (`sub`), which portfolios (`portfolios`, an
// array of ids or "*"), which roles (`roles`; "risk-officer" sees every portfolio), until when
// (`exp`). Also the lifetime rule jose has no option for: exp − iat, or exp − now without an iat.

import type { JWTPayload } from 'jose';
import { ID_PATTERN } from '../../config/schema.js';
import { AuthFailure, shown } from './failure.js';
import { ALL, type Identity } from './identity.js';

/** The role that entitles a caller to every portfolio, whatever `portfolios` says. */
export const RISK_OFFICER_ROLE = 'risk-officer';

const MAX_SUBJECT = 256;
const MAX_ROLES = 64;
/** A role name as a token or `riskline token --roles` may carry it. */
export const ROLE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const MAX_PORTFOLIOS = 10_000;

const refuse = (message: string) => new AuthFailure('claims', `token refused: ${message}`);
/** A claim's element as a reason names it: the string itself (shortened), else its kind. */
const what = (v: unknown) =>
  typeof v === 'string'
    ? shown(v)
    : Array.isArray(v)
      ? 'an array'
      : v === null
        ? 'null'
        : typeof v === 'object'
          ? 'an object'
          : `a ${typeof v}`;

function subjectOf(p: JWTPayload): string {
  if (p.sub === undefined) throw refuse('no "sub" claim');
  if (typeof p.sub !== 'string' || p.sub === '' || p.sub.length > MAX_SUBJECT) {
    throw refuse(`"sub" must be a string of 1..${MAX_SUBJECT} characters`);
  }
  return p.sub;
}

function rolesOf(p: JWTPayload): string[] {
  const roles = p.roles;
  if (roles === undefined) return [];
  if (!Array.isArray(roles) || roles.length > MAX_ROLES) {
    throw refuse(`"roles" must be an array of at most ${MAX_ROLES} strings`);
  }
  for (const r of roles as unknown[]) {
    if (typeof r !== 'string' || !ROLE_PATTERN.test(r)) {
      throw refuse(`"roles" holds ${what(r)}, not a role name`);
    }
  }
  return roles as string[];
}

function entitlementOf(p: JWTPayload, roles: readonly string[]): Identity['entitlement'] {
  const claim = p.portfolios;
  const officer = roles.includes(RISK_OFFICER_ROLE);
  if (claim === undefined) {
    if (officer) return ALL;
    throw refuse('no "portfolios" claim (an array of portfolio ids, or "*")');
  }
  if (claim === '*') return ALL;
  if (!Array.isArray(claim) || claim.length > MAX_PORTFOLIOS) {
    throw refuse(`"portfolios" must be "*" or an array of at most ${MAX_PORTFOLIOS} portfolio ids`);
  }
  for (const id of claim as unknown[]) {
    if (typeof id !== 'string' || (id !== '*' && !ID_PATTERN.test(id))) {
      throw refuse(`"portfolios" holds ${what(id)}, not a portfolio id`);
    }
  }
  // An identity provider that can only emit arrays writes "all" as ["*"].
  if (officer || claim.includes('*')) return ALL;
  return new Set(claim as string[]);
}

/** The Identity a verified payload grants; `exp` has been checked present and numeric by then. */
export function identityFrom(p: JWTPayload): Identity {
  const subject = subjectOf(p);
  const roles = rolesOf(p);
  return { subject, entitlement: entitlementOf(p, roles), roles, expiresAt: (p.exp as number) * 1000 };
}

/** exp − iat (exp − now when there is no iat) within `maxS`; an iat in the future is refused too. */
export function checkLifetime(p: JWTPayload, nowS: number, maxS: number, toleranceS: number): void {
  const exp = p.exp;
  // jose was told exp is required; checked again here because an unbounded token is the worst case.
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new AuthFailure('lifetime', 'token refused: no "exp" claim (every token must expire)');
  }
  if (p.iat !== undefined && (typeof p.iat !== 'number' || !Number.isFinite(p.iat))) {
    throw new AuthFailure('claims', 'token refused: "iat" is not a number');
  }
  if (p.iat !== undefined && p.iat > nowS + toleranceS) {
    throw new AuthFailure('not-yet-valid', 'token refused: issued in the future ("iat")');
  }
  const from = p.iat ?? nowS;
  const lifetime = Math.round(exp - from);
  if (lifetime > maxS) {
    throw new AuthFailure(
      'lifetime',
      `token refused: lifetime ${lifetime} s (exp − ${p.iat === undefined ? 'now' : 'iat'}) exceeds the ${maxS} s allowed`,
    );
  }
}
