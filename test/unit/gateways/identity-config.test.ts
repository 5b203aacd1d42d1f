// The auth settings (config/schema.ts `auth`, RISKLINE_JWT_SECRET), the open-or-verified decision
// of authenticatorFor, and `riskline token`, whose tokens the verifier must accept. A bad setting
// is one CONFIG_INVALID line (exit 2) naming the field — and never the secret.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { issueToken } from '../../../app/commands/token.js';
import { loadConfig } from '../../../config/load.js';
import { RisklineError } from '../../../errors/catalogue.js';
import { authenticatorFor } from '../../../gateways/identity/authenticator.js';
import { ALL, OPEN } from '../../../gateways/identity/identity.js';
import { isLoopback } from '../../../gateways/identity/loopback.js';
import { createVerifier } from '../../../gateways/identity/verifier.js';
import { NOW_MS, SECRET, authConfig, claims, refused, signed } from './identity-helpers.js';

/** loadConfig with `auth` from a --config file and the given environment. */
function load(t: Test, auth: Record<string, unknown> | null, env: Record<string, string> = {}) {
  const file = path.join(t.testdir({}), 'over.json');
  writeFileSync(file, JSON.stringify(auth === null ? {} : { auth }));
  return loadConfig({ configFile: file, env });
}

/** The one line a bad setting gives, checked for exit 2 and for not holding `secret`. */
function configFailure(t: Test, fn: () => unknown, secret?: string): string {
  try {
    fn();
  } catch (err) {
    t.ok(err instanceof RisklineError && err.code === 'CONFIG_INVALID', 'CONFIG_INVALID');
    const e = err as RisklineError;
    t.equal(e.spec.exit, 2, 'exit 2');
    t.notMatch(e.message, /\n/, 'one line');
    if (secret !== undefined && secret !== '') t.notOk(e.message.includes(secret), 'the secret is not in the message');
    return e.message;
  }
  t.fail('expected CONFIG_INVALID');
  return '';
}

t.test('defaults: no key, HS256 with a secret, RS256/ES256 with a JWKS', async (t) => {
  const { auth } = loadConfig({ env: {} });
  t.same(
    { ...auth },
    {
      jwtSecret: null,
      jwksUrl: null,
      algorithms: null,
      issuer: 'riskline',
      audience: 'riskline',
      tokenType: 'JWT',
      maxLifetimeS: 43200,
      clockToleranceS: 30,
      maxTokenBytes: 8192,
      allowQueryToken: false,
      required: null,
      jwksTimeoutMs: 5000,
      jwksCooldownMs: 30000,
      oidcClientId: null,
      oidcScope: 'openid',
    },
  );
  t.equal(loadConfig({ env: { RISKLINE_JWT_SECRET: SECRET } }).auth.jwtSecret, SECRET, 'a 32-byte secret from env');
  t.equal(load(t, { jwksUrl: 'https://idp.example/jwks' }).auth.jwksUrl, 'https://idp.example/jwks');
});

t.test('a short or empty secret is refused, naming the field and not the secret', async (t) => {
  const short = 'only-31-bytes-long-secret-value';
  t.equal(short.length, 31);
  let line = configFailure(t, () => load(t, { jwtSecret: short }), short);
  t.match(
    line,
    /over\.json: auth\.jwtSecret: expected a secret of at least 32 bytes \(256 bits\), received 31 bytes \(not shown\)$/,
  );
  line = configFailure(t, () => load(t, { jwtSecret: '' }));
  t.match(line, /auth\.jwtSecret: expected a secret of at least 32 bytes \(256 bits\), received an empty string$/);
  line = configFailure(t, () => load(t, null, { RISKLINE_JWT_SECRET: 's3cret' }), 's3cret');
  t.equal(line, 'RISKLINE_JWT_SECRET: expected a secret of at least 32 bytes (256 bits), received 6 bytes (not shown)');
  line = configFailure(t, () => load(t, null, { RISKLINE_JWT_SECRET: '' }));
  t.equal(line, 'RISKLINE_JWT_SECRET: expected a secret of at least 32 bytes (256 bits), received an empty string');
  line = configFailure(t, () => load(t, { jwtSecret: SECRET, algorithms: ['HS512'] }), SECRET);
  t.match(line, /auth\.jwtSecret: expected a secret of at least 64 bytes \(512 bits\)/, 'HS512 needs 64 bytes');
  const multibyte = 'é'.repeat(16); // 16 characters, 32 bytes
  t.equal(load(t, { jwtSecret: multibyte }).auth.jwtSecret, multibyte, 'bytes are counted, not characters');
});

t.test('a secret and a JWKS together, mixed or unsigned algorithms, a plain-http JWKS are refused', async (t) => {
  let line = configFailure(t, () => load(t, { jwtSecret: SECRET, jwksUrl: 'https://idp.example/jwks' }), SECRET);
  t.match(line, /auth\.jwksUrl: expected either auth\.jwtSecret or auth\.jwksUrl, not both/);
  line = configFailure(
    t,
    () => load(t, { jwksUrl: 'https://idp.example/jwks' }, { RISKLINE_JWT_SECRET: SECRET }),
    SECRET,
  );
  t.equal(line, 'RISKLINE_JWT_SECRET: auth.jwksUrl: expected either auth.jwtSecret or auth.jwksUrl, not both');
  line = configFailure(t, () => load(t, { algorithms: ['RS256'] }, { RISKLINE_JWT_SECRET: SECRET }), SECRET);
  t.match(
    line,
    /RISKLINE_JWT_SECRET: auth\.algorithms: expected HS256\|HS384\|HS512 with auth\.jwtSecret, received "RS256"/,
  );
  line = configFailure(t, () => load(t, { jwksUrl: 'https://idp.example/jwks', algorithms: ['RS256', 'HS256'] }));
  t.match(line, /auth\.algorithms: expected RS256\|.*ES512 with auth\.jwksUrl, received "HS256"/);
  line = configFailure(t, () => load(t, { jwtSecret: SECRET, algorithms: ['none'] }), SECRET);
  t.match(line, /auth\.algorithms\[0\]: expected one of "HS256"\|.*received "none"/);
  line = configFailure(t, () => load(t, { jwtSecret: SECRET, algorithms: [] }), SECRET);
  t.match(line, /auth\.algorithms: expected at least 1 item/);
  line = configFailure(t, () => load(t, { jwksUrl: 'http://idp.example/jwks' }));
  t.match(line, /auth\.jwksUrl: expected an https URL \(plain http only to a loopback host\)/);
  line = configFailure(t, () => load(t, { jwksUrl: 'not a url' }));
  t.match(line, /auth\.jwksUrl: expected an absolute https URL/);
  line = configFailure(t, () => load(t, { jwksUrl: 'https://user:pw@idp.example/jwks' }), 'pw');
  t.match(line, /without credentials/);
  t.equal(
    load(t, { jwksUrl: 'http://127.0.0.1:9999/jwks' }).auth.jwksUrl,
    'http://127.0.0.1:9999/jwks',
    'http on loopback',
  );
  line = configFailure(t, () => load(t, { jwtSecret: SECRET, required: false }), SECRET);
  t.match(line, /auth\.required: expected true or null when a key is set/);
  line = configFailure(t, () => load(t, { maxLifetimeS: 10 * 86400 }));
  t.match(line, /auth\.maxLifetimeS: expected integer 60\.\.604800, received 864000/);
  line = configFailure(t, () => load(t, { tokenType: 'J W T' }));
  t.match(line, /auth\.tokenType: expected a media type/);
  line = configFailure(t, () => load(t, { jwtSecrets: SECRET }), SECRET);
  t.match(line, /auth\.jwtSecrets: unknown key \(expected one of jwtSecret, jwksUrl, algorithms/);
});

t.test('isLoopback', async (t) => {
  for (const h of [
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    'localhost',
    'LOCALHOST',
  ]) {
    t.ok(isLoopback(h), `${h} is loopback`);
  }
  for (const h of [
    '0.0.0.0',
    '::',
    '',
    '10.0.0.1',
    '::ffff:10.0.0.1',
    '128.0.0.1',
    'fe80::1%lo',
    'example.com',
    'localhost.evil',
    '1.127.0.0',
  ]) {
    t.notOk(isLoopback(h), `${JSON.stringify(h)} is not loopback`);
  }
});

t.test('no key: open on loopback, saying so; refused anywhere else', async (t) => {
  const open = authenticatorFor(authConfig(), '127.0.0.1');
  t.equal(open.mode, 'open');
  t.match(open.banner, /^auth: OPEN on loopback 127\.0\.0\.1 — every portfolio visible to anyone on this machine/);
  const none = () => undefined;
  t.equal(await open.authenticate(none, new URL('http://x/')), OPEN);
  const up = await open.authenticateUpgrade(
    (n) => (n === 'sec-websocket-protocol' ? 'riskline.msgpack' : undefined),
    new URL('http://x/'),
  );
  t.same(up, { identity: OPEN, protocol: 'riskline.msgpack' });
  const crafted = (n: string) => (n === 'sec-websocket-protocol' ? 'p,'.repeat(5000) : undefined);
  await t.rejects(
    open.authenticateUpgrade(crafted, new URL('http://x/')),
    { code: 'BAD_REQUEST' },
    'crafted headers refused even when open',
  );
  t.equal(authenticatorFor(authConfig(), 'localhost').mode, 'open');
  t.equal(authenticatorFor(authConfig(), '::1').mode, 'open');

  for (const host of ['0.0.0.0', '::', '10.1.2.3', 'riskline.internal']) {
    const line = configFailure(t, () => authenticatorFor(authConfig(), host));
    t.match(
      line,
      new RegExp(`server\\.host "${host.replace(/\./g, '\\.')}" is not a loopback address.*auth\\.jwtSecret`),
    );
  }
  const line = configFailure(t, () => authenticatorFor(authConfig({ required: true }), '127.0.0.1'));
  t.match(line, /auth\.required: true, but no key/);
  t.equal(
    authenticatorFor(authConfig({ required: false }), '127.0.0.1').mode,
    'open',
    'required: false is open, on loopback',
  );
  configFailure(t, () => authenticatorFor(authConfig({ required: false }), '0.0.0.0'));
});

t.test('with a key: verified everywhere, failures counted without the token', async (t) => {
  const failures: [string, string][] = [];
  const auth = authenticatorFor(authConfig({ jwtSecret: SECRET }), '0.0.0.0', {
    now: () => NOW_MS,
    onFailure: (reason, kind) => failures.push([reason, kind]),
  });
  t.equal(auth.mode, 'verified');
  t.equal(
    auth.banner,
    'auth: HS256 tokens signed with the shared secret, iss=riskline, aud=riskline, typ=JWT, lifetime ≤ 43200 s',
  );
  t.equal(
    authenticatorFor(authConfig({ jwtSecret: SECRET }), '127.0.0.1').mode,
    'verified',
    'a key is used on loopback too',
  );
  const token = await signed(claims({ portfolios: ['A'] }));
  const url = new URL('http://x/v1/stream');
  const id = await auth.authenticate((n) => (n === 'authorization' ? `Bearer ${token}` : undefined), url);
  t.equal(id.subject, 'alice');
  const up = await auth.authenticateUpgrade(
    (n) => (n === 'sec-websocket-protocol' ? `riskline.bearer.${token}, riskline.json` : undefined),
    url,
  );
  t.equal(up.protocol, 'riskline.json', 'the real subprotocol is echoed, not the token');
  t.equal(up.identity.subject, 'alice');
  t.equal(failures.length, 0);

  await refused(
    t,
    auth.authenticate(() => undefined, url),
    'missing',
    /a bearer token is required/,
  );
  const expired = await signed(claims({ iat: 1, exp: 2 }));
  await refused(
    t,
    auth.authenticate((n) => (n === 'authorization' ? `Bearer ${expired}` : undefined), url),
    'expired',
    /expired/,
  );
  await refused(
    t,
    auth.authenticate(() => undefined, new URL(`http://x/?token=${token}`)),
    'query-disabled',
    /\?token=/,
  );
  t.same(
    failures.map(([, kind]) => kind),
    ['missing', 'expired', 'query-disabled'],
    'each refusal reached onFailure with its kind',
  );
  for (const [reason] of failures)
    t.notOk(reason.includes(token.split('.')[2]) || reason.includes(expired.split('.')[2]));

  const dev = authenticatorFor(authConfig({ jwtSecret: SECRET, allowQueryToken: true }), '127.0.0.1', {
    now: () => NOW_MS,
  });
  t.match(dev.banner, /\?token= accepted \(development only\)/);
  t.equal((await dev.authenticate(() => undefined, new URL(`http://x/?token=${token}`))).subject, 'alice');
  const jwks = authenticatorFor(
    authConfig({ jwksUrl: 'https://idp.example/jwks', issuer: 'https://idp.example' }),
    '0.0.0.0',
  );
  t.equal(
    jwks.banner,
    'auth: RS256/ES256 tokens from JWKS https://idp.example/jwks, iss=https://idp.example, aud=riskline, typ=JWT, lifetime ≤ 43200 s',
  );
});

t.test('riskline token signs what the verifier accepts', async (t) => {
  const env = { RISKLINE_JWT_SECRET: SECRET };
  const verify = (token: string, over: Record<string, unknown> = {}) =>
    createVerifier(authConfig({ jwtSecret: SECRET, ...over })).verify(token);
  const token = await issueToken(
    { portfolios: 'GLOBAL-MACRO, UK-INCOME', sub: 'desk-7', roles: 'trader,desk' },
    { env },
  );
  const id = await verify(token);
  t.equal(id.subject, 'desk-7');
  t.same([...(id.entitlement as Set<string>)].sort(), ['GLOBAL-MACRO', 'UK-INCOME']);
  t.same(id.roles, ['trader', 'desk']);
  t.ok(Math.abs((id.expiresAt as number) - (Date.now() + 12 * 3600_000)) < 5000, 'default lifetime 12 h');

  const officer = await issueToken({ portfolios: '*', sub: 'ro', roles: 'risk-officer', ttl: '30m' }, { env });
  t.equal((await verify(officer)).entitlement, ALL);
  const payload = JSON.parse(Buffer.from(officer.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  t.same(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'portfolios', 'roles', 'sub']);
  t.equal((payload.exp as number) - (payload.iat as number), 1800);
  const header = JSON.parse(Buffer.from(officer.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
  t.same(header, { alg: 'HS256', typ: 'JWT' });

  // Issuer, audience and typ come from the configuration the gateway reads too.
  const dir = t.testdir({
    'over.json': JSON.stringify({ auth: { issuer: 'desk-idp', audience: 'risk', tokenType: 'at+jwt' } }),
  });
  const custom = await issueToken({ portfolios: 'A', sub: 's', config: path.join(dir, 'over.json') }, { env });
  t.equal((await verify(custom, { issuer: 'desk-idp', audience: 'risk', tokenType: 'at+jwt' })).subject, 's');
  await refused(t, verify(custom), 'type', /typ "at\+jwt"/, custom);
  const viaFlag = await issueToken({ portfolios: 'A', sub: 's', secret: SECRET }, { env: {} });
  t.equal((await verify(viaFlag)).subject, 's', '--secret instead of the environment');
});

t.test('riskline token refuses what the verifier would', async (t) => {
  const env = { RISKLINE_JWT_SECRET: SECRET };
  const usage = async (p: Promise<unknown>, reason: RegExp, code = 'USAGE') => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    t.ok(err instanceof RisklineError, `refused: ${String(err)}`);
    t.equal((err as RisklineError).code, code);
    t.equal((err as RisklineError).spec.exit, 2, 'exit 2');
    t.match((err as RisklineError).message, reason);
  };
  await usage(
    issueToken({ portfolios: 'A', ttl: '13h' }, { env }),
    /--ttl: 13h is 46800 s, over auth\.maxLifetimeS \(43200 s\)/,
  );
  await usage(issueToken({ portfolios: 'A', ttl: '7d' }, { env }), /over auth\.maxLifetimeS/);
  await usage(issueToken({ portfolios: 'A', ttl: '0m' }, { env }), /above zero/);
  await usage(issueToken({ portfolios: 'A', ttl: 'forever' }, { env }), /--ttl: expected a duration/);
  await usage(
    issueToken({ portfolios: 'A', secret: 'short' }, { env: {} }),
    /--secret: expected at least 32 bytes.*5 bytes \(not shown\)/,
  );
  await usage(issueToken({ portfolios: 'A' }, { env: {} }), /no secret; set RISKLINE_JWT_SECRET or pass --secret/);
  await usage(
    issueToken({ portfolios: 'A' }, { env: { RISKLINE_JWT_SECRET: 'short' } }),
    /^RISKLINE_JWT_SECRET: expected a secret of at least 32 bytes/,
    'CONFIG_INVALID',
  );
  await usage(issueToken({ portfolios: ' , ' }, { env }), /--portfolios: expected ids/);
  await usage(issueToken({ portfolios: 'A,B:C' }, { env }), /--portfolios: "B:C" is not a portfolio id/);
  await usage(
    issueToken({ portfolios: 'A', roles: 'desk,bad role' }, { env }),
    /--roles: "bad role" is not a role name/,
  );
  await usage(issueToken({ portfolios: 'A', sub: '' }, { env }), /--sub: expected 1\.\.256 characters/);
  const dir = t.testdir({ 'jwks.json': JSON.stringify({ auth: { jwksUrl: 'https://idp.example/jwks' } }) });
  await usage(
    issueToken({ portfolios: 'A', secret: SECRET, config: path.join(dir, 'jwks.json') }, { env: {} }),
    /verifies tokens from a JWKS/,
  );
});
