// The verifier with an identity provider's JWKS, served by a local HTTP server the test controls:
// RS256 and ES256 accepted, keys rotated (a new kid appears, an old one goes), an unknown kid
// refused after a refetch, the HMAC-with-the-public-key trap refused, and a key set that is down
// reported as UNAVAILABLE, not as a bad token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import t, { type Test } from 'tap';
import { createVerifier } from '../../../gateways/identity/verifier.js';
import { NOW_MS, authConfig, claims, refused, signed } from './identity-helpers.js';

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
  spki: string;
}

async function key(kid: string, alg: Key['alg']): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    spki: await exportSPKI(publicKey),
  };
}

/** A JWKS endpoint whose key list the test changes; counts the fetches. */
async function keySetServer(t: Test, keys: Key[]) {
  const state = { keys, fetches: 0, hang: false };
  const server: Server = createServer((req, res) => {
    state.fetches++;
    if (state.hang) return; // never answers: the verifier's timeout must end the wait
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return { state, url };
}

const tokenOf = (k: Key, over = {}, header: Record<string, unknown> = {}) =>
  signed(claims(over), k.privateKey, { alg: k.alg, typ: 'JWT', kid: k.kid, ...header });

t.test('RS256 and ES256 tokens verify against the JWKS; rotation brings a new kid in', async (t) => {
  const rsa = await key('rsa-1', 'RS256');
  const ec = await key('ec-1', 'ES256');
  const { state, url } = await keySetServer(t, [rsa, ec]);
  const v = createVerifier(authConfig({ jwksUrl: url, jwksCooldownMs: 0 }), { now: () => NOW_MS });
  t.same(v.algorithms, ['RS256', 'ES256'], 'RS256 and ES256 pinned by default with a JWKS');

  t.equal((await v.verify(await tokenOf(rsa))).subject, 'alice', 'RS256');
  t.equal((await v.verify(await tokenOf(ec, { sub: 'bob' }))).subject, 'bob', 'ES256');
  t.equal(state.fetches, 1, 'the key set is fetched once and cached');

  const next = await key('rsa-2', 'RS256');
  state.keys = [next, ec];
  t.equal((await v.verify(await tokenOf(next))).subject, 'alice', 'a token with the new kid verifies');
  t.equal(state.fetches, 2, 'the unknown kid made the verifier fetch the key set again');
  await refused(t, v.verify(await tokenOf(rsa)), 'key', /no single key "rsa-1" in the JWKS/);
  t.equal(state.fetches, 3, 'the retired kid was looked for again before refusing');
});

t.test('JWKS traps: unknown kid, HMAC with the public key, no kid, wrong key, alg none', async (t) => {
  const rsa = await key('rsa-1', 'RS256');
  const { state, url } = await keySetServer(t, [rsa]);
  const v = createVerifier(authConfig({ jwksUrl: url, jwksCooldownMs: 0 }), { now: () => NOW_MS });
  t.ok(await v.verify(await tokenOf(rsa)), 'the key set works');

  const stranger = await key('stranger', 'RS256');
  const before = state.fetches;
  await refused(t, v.verify(await tokenOf(stranger)), 'key', /no single key "stranger"/);
  t.equal(state.fetches, before + 1, 'refused only after refetching the key set');

  // The classic confusion: the provider's public key, as PEM text, used as an HMAC secret.
  const confused = await signed(claims(), new TextEncoder().encode(rsa.spki), {
    alg: 'HS256',
    typ: 'JWT',
    kid: 'rsa-1',
  });
  await refused(t, v.verify(confused), 'algorithm', /"HS256" is not accepted \(expected RS256\|ES256\)/, confused);
  const jwkSecret = new TextEncoder().encode(JSON.stringify(rsa.jwk));
  const confusedJwk = await signed(claims(), jwkSecret, { alg: 'HS256', typ: 'JWT', kid: 'rsa-1' });
  await refused(t, v.verify(confusedJwk), 'algorithm', /HS256/);

  await refused(t, v.verify(await tokenOf(rsa, {}, { kid: undefined })), 'key', /no "kid"/);
  const forged = await signed(claims(), stranger.privateKey, { alg: 'RS256', typ: 'JWT', kid: 'rsa-1' });
  await refused(t, v.verify(forged), 'signature', /signature does not verify/, forged);
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT","kid":"rsa-1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
  await refused(t, v.verify(unsigned), 'unsigned', /unsigned/);
  await refused(t, v.verify(await tokenOf(rsa, { aud: 'x' })), 'audience', /"aud" "x"/);
  await refused(
    t,
    v.verify(await tokenOf(rsa, { exp: NOW_MS / 1000 - 3600, iat: NOW_MS / 1000 - 7200 })),
    'expired',
    /expired/,
  );
});

t.test('a flood of unknown kids does not hammer the identity provider (cooldown)', async (t) => {
  const rsa = await key('rsa-1', 'RS256');
  const { state, url } = await keySetServer(t, [rsa]);
  const v = createVerifier(authConfig({ jwksUrl: url }), { now: () => NOW_MS });
  t.ok(await v.verify(await tokenOf(rsa)));
  for (let i = 0; i < 20; i++) {
    const bogus = await tokenOf(rsa, {}, { kid: `bogus-${i}` });
    await refused(t, v.verify(bogus), 'key', new RegExp(`"bogus-${i}"`));
  }
  t.equal(state.fetches, 1, 'within the 30 s cooldown no unknown kid refetches the key set');
});

t.test('ES256 pinned alone refuses RS256 from the same key set', async (t) => {
  const rsa = await key('rsa-1', 'RS256');
  const { url } = await keySetServer(t, [rsa]);
  const v = createVerifier(authConfig({ jwksUrl: url, algorithms: ['ES256'] }), { now: () => NOW_MS });
  await refused(t, v.verify(await tokenOf(rsa)), 'algorithm', /"RS256" is not accepted \(expected ES256\)/);
});

t.test('a key set that is down or hangs is UNAVAILABLE, not a bad token', async (t) => {
  const rsa = await key('rsa-1', 'RS256');
  const { state, url } = await keySetServer(t, [rsa]);
  state.hang = true;
  const slow = createVerifier(authConfig({ jwksUrl: url, jwksTimeoutMs: 200 }), { now: () => NOW_MS });
  const started = Date.now();
  await refused(t, slow.verify(await tokenOf(rsa)), 'unavailable', /unavailable/, undefined, 'UNAVAILABLE');
  t.ok(Date.now() - started < 5000, 'the timeout ended the wait');

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const gone = createVerifier(authConfig({ jwksUrl: `http://127.0.0.1:${port}/jwks` }), { now: () => NOW_MS });
  await refused(
    t,
    gone.verify(await tokenOf(rsa)),
    'unavailable',
    /127\.0\.0\.1.*unavailable/,
    undefined,
    'UNAVAILABLE',
  );
});
