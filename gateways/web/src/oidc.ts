// Sign-in at an OpenID Connect provider: the OAuth 2.0 authorization-code flow with PKCE (RFC 7636,
// S256) for a public client, as the gateway's /v1/auth/config describes it. `beginSignIn` reads the
// provider's discovery document, keeps a fresh code_verifier, state and nonce in sessionStorage and
// leaves for the authorization endpoint; back at `/?code=&state=`, `completeSignIn` checks the state,
// redeems the code at the token endpoint and returns the access token (a JWT from the issuer, what the
// gateway verifies). The query is cleared from the address; the hash route is kept.
import { getJson } from './api.js';

/** `GET /v1/auth/config`. */
export type AuthMode =
  { mode: 'open' } | { mode: 'token' } | { mode: 'oidc'; issuer: string; clientId: string; scope: string };

/** What a sign-in attempt keeps across the round trip to the provider (this tab only). */
const PENDING_KEY = 'riskline.oidc.pending';

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  issuer: string;
  clientId: string;
  tokenEndpoint: string;
  redirectUri: string;
  /** The hash route to return to. */
  hash: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  code_challenge_methods_supported?: string[];
}

/** A failed sign-in, said the way the sign-in page shows it. */
export class SignInError extends Error {}

export async function authMode(): Promise<AuthMode> {
  return getJson<AuthMode>('/v1/auth/config', null);
}

/** RFC 4648 §5, unpadded. */
function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `bytes` random bytes as base64url: 32 give 43 characters, RFC 7636's shortest verifier. */
function random(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** A code_verifier: 64 random bytes, 86 characters of [A-Za-z0-9-_] (RFC 7636 §4.1: 43 to 128). */
export function codeVerifier(): string {
  return random(64);
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

async function discover(issuer: string): Promise<Discovery> {
  const url = `${trimSlash(issuer)}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new SignInError(`cannot reach the identity provider at ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new SignInError(`the identity provider's discovery document ${url} answered ${res.status}`);
  const d = (await res.json()) as Partial<Discovery>;
  if (typeof d.authorization_endpoint !== 'string' || typeof d.token_endpoint !== 'string') {
    throw new SignInError(`the discovery document ${url} names no authorization or token endpoint`);
  }
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
  if (typeof d.issuer !== 'string' || trimSlash(d.issuer) !== trimSlash(issuer)) {
    throw new SignInError(`the discovery document ${url} is for issuer ${String(d.issuer)}, not ${issuer}`);
  }
  const methods = d.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes('S256')) {
    throw new SignInError('the identity provider does not support PKCE with S256');
  }
  return d as Discovery;
}

/** Where the provider sends the browser back: the page itself, without query or hash. */
const redirectUri = () => `${location.origin}/`;

/** Leaves for the provider's sign-in page (resolves only if it fails before leaving). */
export async function beginSignIn(cfg: { issuer: string; clientId: string; scope: string }): Promise<void> {
  const d = await discover(cfg.issuer);
  const pending: Pending = {
    state: random(32),
    nonce: random(32),
    verifier: codeVerifier(),
    issuer: cfg.issuer,
    clientId: cfg.clientId,
    tokenEndpoint: d.token_endpoint,
    redirectUri: redirectUri(),
    hash: location.hash,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(d.authorization_endpoint);
  url.search = new URLSearchParams({
    ...Object.fromEntries(url.searchParams),
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: pending.redirectUri,
    scope: cfg.scope,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  location.assign(url.toString());
}

/** Whether the address is a provider's answer (`?code=` or `?error=` with `state`, or an error). */
export function isReturning(): boolean {
  const q = new URLSearchParams(location.search);
  return q.has('state') || q.has('code') || q.has('error');
}

/** Drops the query from the address (the code is single-use, but it should not stay in history), keeping the hash. */
function clearQuery(hash: string): void {
  history.replaceState(history.state, '', `${location.pathname}${hash}`);
}

/**
 * Finishes a sign-in the provider sent the browser back from: the access token, or a SignInError
 * naming what failed (the provider's `error` and `error_description` as it gave them).
 */
export function completeSignIn(): Promise<string> {
  // Once per page load: the pending sign-in and the code are single-use.
  return (completing ??= redeem());
}

let completing: Promise<string> | null = null;

async function redeem(): Promise<string> {
  const q = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  let pending: Pending | null;
  try {
    pending = raw === null ? null : (JSON.parse(raw) as Pending);
  } catch {
    pending = null;
  }
  clearQuery(pending?.hash || location.hash);
  const error = q.get('error');
  if (error !== null) {
    const description = q.get('error_description');
    throw new SignInError(
      `The identity provider refused the sign-in: ${error}${description ? ` — ${description}` : ''}`,
    );
  }
  if (pending === null) throw new SignInError('Sign-in failed: no sign-in was started in this tab. Sign in again.');
  if (q.get('state') !== pending.state) {
    throw new SignInError('Sign-in failed: the answer does not match the sign-in this tab started (state mismatch).');
  }
  const code = q.get('code');
  if (code === null || code === '') throw new SignInError('Sign-in failed: the identity provider returned no code.');
  // RFC 9207: where the provider names itself in the answer, it must be the one asked.
  const iss = q.get('iss');
  if (iss !== null && trimSlash(iss) !== trimSlash(pending.issuer)) {
    throw new SignInError(`Sign-in failed: the answer came from ${iss}, not ${pending.issuer}.`);
  }
  let res: Response;
  try {
    res = await fetch(pending.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch (err) {
    throw new SignInError(`Sign-in failed: cannot reach the token endpoint: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: unknown;
    token_type?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  if (!res.ok || typeof body.error === 'string') {
    const what = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    const description = typeof body.error_description === 'string' ? ` — ${body.error_description}` : '';
    throw new SignInError(`The identity provider refused the code: ${what}${description}`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new SignInError('Sign-in failed: the token endpoint returned no access token.');
  }
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
    throw new SignInError(`Sign-in failed: expected a bearer token, received token_type ${body.token_type}.`);
  }
  return body.access_token;
}
