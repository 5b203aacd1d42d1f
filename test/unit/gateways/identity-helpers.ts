// Shared by the identity tests: settings as the schema fills them in, tokens signed or hand-built,
// and one assertion for "refused, for this reason, without the token in the message".
import { SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { Test } from 'tap';
import { authSchema, type AuthConfig } from '../../../config/schema.js';
import { AuthFailure, type FailureKind } from '../../../gateways/identity/failure.js';

export const SECRET = 'a-test-secret-of-exactly-32-byte';
export const NOW_S = 1_795_000_000;
export const NOW_MS = NOW_S * 1000;

export function authConfig(over: Record<string, unknown> = {}): AuthConfig {
  return authSchema.parse(over);
}

/** Claims a valid token carries; each test removes or spoils one. */
export function claims(over: JWTPayload = {}): JWTPayload {
  return {
    sub: 'alice',
    portfolios: ['GLOBAL-MACRO'],
    iss: 'riskline',
    aud: 'riskline',
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    ...over,
  };
}

/** A token signed with `key`; `drop` removes claims (exp, sub...) a valid token would have. */
export async function signed(
  payload: JWTPayload,
  key: Uint8Array | CryptoKey = new TextEncoder().encode(SECRET),
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
  drop: string[] = [],
): Promise<string> {
  const body = { ...payload };
  for (const k of drop) delete body[k];
  return new SignJWT(body).setProtectedHeader(header as { alg: string }).sign(key);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A token assembled by hand: header, payload and a signature part as given. */
export function handmade(header: unknown, payload: unknown, signature = ''): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** Asserts `p` rejects with an AuthFailure of this kind and code, naming the reason, not the token. */
export async function refused(
  t: Test,
  p: Promise<unknown>,
  kind: FailureKind,
  reason: RegExp,
  token?: string,
  code = 'UNAUTHORIZED',
): Promise<AuthFailure | null> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AuthFailure)) {
    t.fail(`expected an AuthFailure (${kind}), got ${err === null ? 'success' : String(err)}`);
    return null;
  }
  t.equal(err.code, code, `code ${code}`);
  t.equal(err.kind, kind, `kind ${kind}: ${err.message}`);
  t.match(err.message, reason);
  if (token !== undefined) {
    for (const part of token.split('.').filter((s) => s.length >= 8)) {
      t.notOk(err.message.includes(part), 'the reason does not echo the token');
    }
  }
  return err;
}
