// What the transport calls on every WebSocket upgrade and every authenticated HTTP request. It
// decides once, at start, whether the gateway runs open or verifies tokens: open only when no key
// is configured AND the gateway listens on loopback; with no key on any other address it refuses
// to start (CONFIG_INVALID, exit 2). Failed logins reach `onFailure` (reason and kind, never the
// token) for the gateway's log and metrics.

import type { AuthConfig } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import { protocolOffer, tokenFrom, type HeaderLookup } from './extract.js';
import { AuthFailure, type FailureKind } from './failure.js';
import { OPEN, type Identity } from './identity.js';
import { isLoopback } from './loopback.js';
import { createVerifier, tokenTypesOf, type Verifier, type VerifierOptions } from './verifier.js';

export interface AuthenticatorOptions extends VerifierOptions {
  /** Called once per refused request, before the refusal is thrown. */
  onFailure?: (reason: string, kind: FailureKind) => void;
  /** Subprotocols the server speaks, preferred first (default riskline.json, riskline.msgpack). */
  subprotocols?: readonly string[];
}

export interface Upgrade {
  identity: Identity;
  /** The subprotocol to select in the 101 answer; never the token-bearing entry. */
  protocol: string | undefined;
}

export interface Authenticator {
  readonly mode: 'open' | 'verified';
  /** The start-up log line saying how callers are identified. */
  readonly banner: string;
  /** The caller of an HTTP request; rejects with a RisklineError (UNAUTHORIZED, BAD_REQUEST, UNAVAILABLE). */
  authenticate(header: HeaderLookup, url: URL): Promise<Identity>;
  /** The caller of a WebSocket upgrade, and the subprotocol to answer with. */
  authenticateUpgrade(header: HeaderLookup, url: URL): Promise<Upgrade>;
}

/** How the gateway identifies callers, given its auth settings and the address it listens on. */
export function authenticatorFor(
  config: AuthConfig,
  listenHost: string,
  opts: AuthenticatorOptions = {},
): Authenticator {
  const keyed = config.jwtSecret !== null || config.jwksUrl !== null;
  if (!keyed) return openAuthenticator(config, listenHost, opts);
  const verifier = createVerifier(config, opts);
  const extract = {
    allowQueryToken: config.allowQueryToken,
    maxTokenBytes: config.maxTokenBytes,
    subprotocols: opts.subprotocols,
  };

  const upgrade = async (header: HeaderLookup, url: URL): Promise<Upgrade> => {
    try {
      const found = tokenFrom(header, url, extract);
      if (found.token === null) {
        throw new AuthFailure(
          'missing',
          'a bearer token is required: Authorization: Bearer <jwt>, or Sec-WebSocket-Protocol riskline.bearer.<jwt>',
        );
      }
      return { identity: await verifier.verify(found.token), protocol: found.protocolEcho };
    } catch (err) {
      if (err instanceof AuthFailure) opts.onFailure?.(err.message, err.kind);
      throw err;
    }
  };
  return {
    mode: 'verified',
    banner: verifiedBanner(config, verifier),
    authenticate: async (header, url) => (await upgrade(header, url)).identity,
    authenticateUpgrade: upgrade,
  };
}

function openAuthenticator(config: AuthConfig, listenHost: string, opts: AuthenticatorOptions): Authenticator {
  const how = 'set auth.jwtSecret (RISKLINE_JWT_SECRET, at least 32 bytes) or auth.jwksUrl';
  if (config.required === true) {
    throw new RisklineError('CONFIG_INVALID', `auth.required: true, but no key to verify tokens with: ${how}`);
  }
  if (!isLoopback(listenHost)) {
    throw new RisklineError(
      'CONFIG_INVALID',
      `auth: server.host ${JSON.stringify(listenHost)} is not a loopback address, and only a loopback gateway may run without identity: ${how}`,
    );
  }
  const upgrade = async (header: HeaderLookup): Promise<Upgrade> => {
    try {
      // Credentials are ignored when open, but a crafted protocol header is refused all the same.
      const offer = protocolOffer(header('sec-websocket-protocol'), {
        maxTokenBytes: config.maxTokenBytes,
        subprotocols: opts.subprotocols,
      });
      return { identity: OPEN, protocol: offer.protocolEcho };
    } catch (err) {
      if (err instanceof AuthFailure) opts.onFailure?.(err.message, err.kind);
      throw err;
    }
  };
  return {
    mode: 'open',
    banner: `auth: OPEN on loopback ${listenHost} — every portfolio visible to anyone on this machine (${how} to require tokens)`,
    authenticate: async () => OPEN,
    authenticateUpgrade: upgrade,
  };
}

function verifiedBanner(config: AuthConfig, verifier: Verifier): string {
  const source = config.jwksUrl !== null ? `from JWKS ${config.jwksUrl}` : 'signed with the shared secret';
  const query = config.allowQueryToken ? '; ?token= accepted (development only)' : '';
  return (
    `auth: ${verifier.algorithms.join('/')} tokens ${source}, iss=${config.issuer}, aud=${config.audience}, ` +
    `typ=${tokenTypesOf(config).join('|')}, lifetime ≤ ${config.maxLifetimeS} s${query}`
  );
}
