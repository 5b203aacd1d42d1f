// `GET /v1/auth/config`: how the terminal's sign-in page should ask for a token, before it has one.
// Public (it names no secret: a public client id and the issuer every token already carries).
// 'open': the gateway runs without identity; 'token': a bearer token is required, pasted; 'oidc':
// the page may also run the authorization-code flow with PKCE at `issuer` for `clientId`.

import type { AuthConfig } from '../../config/schema.js';
import { json, type Route } from '../route.js';

export const AUTH_CONFIG_PATH = '/v1/auth/config';

export type PublicAuthConfig =
  { mode: 'open' } | { mode: 'token' } | { mode: 'oidc'; issuer: string; clientId: string; scope: string };

/** What the page is told, from the auth settings and whether the gateway verifies tokens at all. */
export function publicAuthConfig(auth: AuthConfig, verified: boolean): PublicAuthConfig {
  if (!verified) return { mode: 'open' };
  if (auth.oidcClientId === null) return { mode: 'token' };
  return { mode: 'oidc', issuer: auth.issuer, clientId: auth.oidcClientId, scope: auth.oidcScope };
}

export function authConfigRoute(reply: PublicAuthConfig): Route {
  const body = { ...reply };
  return { method: 'GET', path: AUTH_CONFIG_PATH, handler: () => json(200, body) };
}
