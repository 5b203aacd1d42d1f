// Who is calling: the subject of a verified token and what it may see. The gateway authorises
// every subscribe, snapshot and REST call against `entitlement`; nothing else decides access.

/** Which portfolios a caller may see: all of them, or the listed ids. */
export type Entitlement = '*' | ReadonlySet<string>;
export const ALL: Entitlement = '*';

export interface Identity {
  /** The token's `sub` (or "anonymous" where the gateway runs open on loopback). */
  subject: string;
  entitlement: Entitlement;
  /** Roles from the token (e.g. "risk-officer"); empty when none. */
  roles: readonly string[];
  /** When the token stops being valid, ms since the epoch (null: never, only when running open). */
  expiresAt: number | null;
}

/** The identity of every caller when the gateway runs open (loopback, no identity configured). */
export const OPEN: Identity = { subject: 'anonymous', entitlement: ALL, roles: [], expiresAt: null };

/** No portfolio at all: what an unauthenticated route sees. */
export const NOBODY: Identity = { subject: 'anonymous', entitlement: new Set<string>(), roles: [], expiresAt: null };

export function entitled(ent: Entitlement, portfolio: string): boolean {
  return ent === '*' || ent.has(portfolio);
}
