// The verifier with a shared secret (HS256): a valid token's identity, and every JWT trap refused
// with UNAUTHORIZED, its own reason, and no echo of the token.
import { createHmac } from 'node:crypto';
import t from 'tap';
import { createVerifier } from '../../../gateways/identity/verifier.js';
import { ALL } from '../../../gateways/identity/identity.js';
import { NOW_MS, NOW_S, SECRET, authConfig, claims, handmade, refused, signed } from './identity-helpers.js';

const verifier = (over: Record<string, unknown> = {}) =>
  createVerifier(authConfig({ jwtSecret: SECRET, ...over }), { now: () => NOW_MS });

t.test('a valid HS256 token names its subject, portfolios, roles and expiry', async (t) => {
  const v = verifier();
  t.same(v.algorithms, ['HS256'], 'HS256 pinned by default with a secret');
  const id = await v.verify(await signed(claims({ portfolios: ['A', 'B'], roles: ['desk'] })));
  t.equal(id.subject, 'alice');
  t.same([...(id.entitlement as Set<string>)].sort(), ['A', 'B']);
  t.same(id.roles, ['desk']);
  t.equal(id.expiresAt, (NOW_S + 3600) * 1000);

  t.equal((await v.verify(await signed(claims({ portfolios: '*' })))).entitlement, ALL, '"*" is every portfolio');
  t.equal((await v.verify(await signed(claims({ portfolios: ['*'] })))).entitlement, ALL, '["*"] too');
  const officer = await v.verify(await signed(claims({ portfolios: ['A'], roles: ['risk-officer'] })));
  t.equal(officer.entitlement, ALL, 'a risk officer sees every portfolio');
  const noList = await v.verify(
    await signed(claims({ roles: ['risk-officer'] }), undefined, undefined, ['portfolios']),
  );
  t.equal(noList.entitlement, ALL, 'a risk officer needs no portfolios claim');
  t.same((await v.verify(await signed(claims()))).roles, [], 'no roles claim: no roles');
  const noIat = await v.verify(await signed(claims(), undefined, undefined, ['iat']));
  t.equal(noIat.subject, 'alice', 'iat is optional');
});

t.test('configured issuer, audience, typ and algorithms are what is accepted', async (t) => {
  const v = verifier({ issuer: 'https://idp.example', audience: 'desk-api', tokenType: ['JWT', 'at+jwt'] });
  const ok = claims({ iss: 'https://idp.example', aud: ['other', 'desk-api'] });
  t.equal((await v.verify(await signed(ok, undefined, { alg: 'HS256', typ: 'at+jwt' }))).subject, 'alice');
  t.equal((await v.verify(await signed(ok, undefined, { alg: 'HS256', typ: 'application/AT+JWT' }))).subject, 'alice');
  const hs512 = createVerifier(authConfig({ jwtSecret: SECRET.repeat(2), algorithms: ['HS512'] }), {
    now: () => NOW_MS,
  });
  const key = new TextEncoder().encode(SECRET.repeat(2));
  t.equal((await hs512.verify(await signed(claims(), key, { alg: 'HS512', typ: 'JWT' }))).subject, 'alice');
  await refused(
    t,
    hs512.verify(await signed(claims(), key)),
    'algorithm',
    /"HS256" is not accepted \(expected HS512\)/,
  );
});

t.test('every JWT trap is refused with its own reason', async (t) => {
  const v = verifier();
  const trap = async (name: string, token: string, kind: Parameters<typeof refused>[2], reason: RegExp) =>
    t.test(name, async (t) => void (await refused(t, v.verify(token), kind, reason, token)));

  const unsigned = handmade({ alg: 'none', typ: 'JWT' }, claims());
  await trap('alg none, unsigned', unsigned, 'unsigned', /unsigned/);
  await trap(
    'alg none with a signature part',
    handmade({ alg: 'none', typ: 'JWT' }, claims(), 'c2ln'),
    'unsigned',
    /none/,
  );
  await trap(
    'alg HS256 with the signature stripped',
    (await signed(claims())).replace(/[^.]+$/, ''),
    'unsigned',
    /no signature/,
  );
  await trap(
    'another secret',
    await signed(claims(), new TextEncoder().encode('x'.repeat(32))),
    'signature',
    /signature does not verify/,
  );
  const good = await signed(claims());
  const [h, p] = good.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify(claims({ portfolios: '*' }))).toString('base64url')}.${good.split('.')[2]}`;
  await trap('payload changed after signing', tampered, 'signature', /signature/);
  await trap('expired', await signed(claims({ iat: NOW_S - 7200, exp: NOW_S - 3600 })), 'expired', /expired at 2026/);
  await trap(
    'not yet valid (nbf)',
    await signed(claims({ nbf: NOW_S + 600 })),
    'not-yet-valid',
    /"nbf": not valid yet/,
  );
  await trap(
    'iat in the future',
    await signed(claims({ iat: NOW_S + 600, exp: NOW_S + 1200 })),
    'not-yet-valid',
    /iat/,
  );
  await trap('no exp', await signed(claims(), undefined, undefined, ['exp']), 'lifetime', /no "exp"/);
  await trap(
    'exp a century away',
    await signed(claims({ exp: NOW_S + 100 * 365 * 86400 })),
    'lifetime',
    /exceeds the 43200 s/,
  );
  await trap(
    '13 h without iat',
    await signed(claims({ exp: NOW_S + 13 * 3600 }), undefined, undefined, ['iat']),
    'lifetime',
    /exp − now/,
  );
  await trap(
    '13 h from iat',
    await signed(claims({ iat: NOW_S - 3600, exp: NOW_S + 12 * 3600 })),
    'lifetime',
    /46800 s \(exp − iat\)/,
  );
  await trap(
    'wrong audience',
    await signed(claims({ aud: 'someone-else' })),
    'audience',
    /"aud" "someone-else", expected "riskline"/,
  );
  await trap('no audience', await signed(claims(), undefined, undefined, ['aud']), 'audience', /no "aud" claim/);
  await trap('wrong issuer', await signed(claims({ iss: 'evil' })), 'issuer', /"iss" "evil", expected "riskline"/);
  await trap(
    'wrong typ',
    await signed(claims(), undefined, { alg: 'HS256', typ: 'at+jwt' }),
    'type',
    /typ "at\+jwt", expected JWT/,
  );
  await trap('no typ', await signed(claims(), undefined, { alg: 'HS256' }), 'type', /typ none/);
  await trap(
    'an algorithm not pinned',
    await signed(claims(), new TextEncoder().encode(SECRET), { alg: 'HS384', typ: 'JWT' }),
    'algorithm',
    /"HS384" is not accepted/,
  );
  await trap('oversized', await signed(claims({ pad: 'x'.repeat(9000) })), 'oversized', /more than the 8192 allowed/);
  await trap('malformed base64', `${h}.${p}!.abc`, 'malformed', /a part is not base64url/);
  await trap('two parts', `${h}.${p}`, 'malformed', /2 parts, not 3/);
  await trap(
    'header not JSON',
    `${Buffer.from('{alg').toString('base64url')}.${p}.abc`,
    'malformed',
    /header is not base64url-encoded JSON/,
  );
  await trap('header an array', handmade(['HS256'], claims(), 'abc'), 'malformed', /not a JSON object/);
  const notJson = `${h}.${Buffer.from('nope').toString('base64url')}`;
  const hmac = createHmac('sha256', SECRET).update(notJson).digest('base64url');
  await trap('payload not JSON, signed', `${notJson}.${hmac}`, 'malformed', /Claims Set/);
  await trap(
    'portfolios missing',
    await signed(claims(), undefined, undefined, ['portfolios']),
    'claims',
    /no "portfolios" claim/,
  );
  await trap(
    'portfolios a string',
    await signed(claims({ portfolios: 'A' })),
    'claims',
    /"portfolios" must be "\*" or an array/,
  );
  await trap('portfolios holding a number', await signed(claims({ portfolios: ['A', 7] })), 'claims', /holds a number/);
  await trap('portfolios holding a bad id', await signed(claims({ portfolios: ['A:B'] })), 'claims', /holds "A:B"/);
  await trap('no sub', await signed(claims(), undefined, undefined, ['sub']), 'claims', /no "sub" claim/);
  await trap('sub empty', await signed(claims({ sub: '' })), 'claims', /"sub" must be a string/);
  await trap(
    'roles not an array',
    await signed(claims({ roles: 'risk-officer' })),
    'claims',
    /"roles" must be an array/,
  );
  await trap('roles holding an object', await signed(claims({ roles: [{}] })), 'claims', /holds an object/);
});

t.test('clock tolerance: 30 s by default, configurable', async (t) => {
  const justExpired = await signed(claims({ iat: NOW_S - 3600, exp: NOW_S - 20 }));
  t.equal((await verifier().verify(justExpired)).subject, 'alice', '20 s past exp is within 30 s');
  await refused(t, verifier({ clockToleranceS: 5 }).verify(justExpired), 'expired', /expired/);
  const soon = await signed(claims({ nbf: NOW_S + 20 }));
  t.equal((await verifier().verify(soon)).subject, 'alice', 'nbf 20 s ahead is within 30 s');
  await refused(t, verifier({ clockToleranceS: 0 }).verify(soon), 'not-yet-valid', /nbf/);
  const long = await signed(claims({ iat: NOW_S, exp: NOW_S + 7200 }));
  await refused(t, verifier({ maxLifetimeS: 3600 }).verify(long), 'lifetime', /7200 s/);
});

t.test('a verifier needs a key', async (t) => {
  t.throws(() => createVerifier(authConfig()), { code: 'CONFIG_INVALID' });
});
