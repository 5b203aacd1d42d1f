// The gateway's identity layer, transport-neutral: what a server calls to learn who a request is
// from. See docs/architecture.md ("Identity") for the rules.

export { authenticatorFor, type Authenticator, type AuthenticatorOptions, type Upgrade } from './authenticator.js';
export { RISK_OFFICER_ROLE, ROLE_PATTERN } from './claims.js';
export {
  BEARER_PROTOCOL_PREFIX,
  DEFAULT_SUBPROTOCOLS,
  JSON_SUBPROTOCOL,
  bearerFrom,
  protocolOffer,
  tokenFrom,
  type FoundToken,
  type HeaderLookup,
  type TokenSource,
  type TokenSourceOptions,
} from './extract.js';
export { AuthFailure, FAILURE_KINDS, type FailureKind } from './failure.js';
export { ALL, NOBODY, OPEN, entitled, type Entitlement, type Identity } from './identity.js';
export { isLoopback } from './loopback.js';
export { signToken, type TokenClaims } from './sign.js';
export { algorithmsOf, createVerifier, tokenTypesOf, type Verifier, type VerifierOptions } from './verifier.js';
