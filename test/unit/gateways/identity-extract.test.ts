// Where the token comes from: Authorization: Bearer, the browser's Sec-WebSocket-Protocol form
// `riskline.bearer.<jwt>` beside a real subprotocol (which alone is echoed), and ?token= only when
// enabled. Crafted headers — thousands of entries, huge values, several tokens — are refused with
// a clear error, quickly, never a crash.
import t, { type Test } from 'tap';
import { bearerFrom, protocolOffer, tokenFrom, type HeaderLookup } from '../../../gateways/identity/extract.js';
import { AuthFailure } from '../../../gateways/identity/failure.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
const URL_PLAIN = new URL('http://localhost/v1/stream');
const headers =
  (h: Record<string, string>): HeaderLookup =>
  (name) =>
    h[name];
const off = { allowQueryToken: false };

function refusedWith(t: Test, fn: () => unknown, code: string, kind: string, reason: RegExp): void {
  try {
    fn();
    t.fail(`expected a refusal (${kind})`);
  } catch (err) {
    t.type(err, AuthFailure);
    const f = err as AuthFailure;
    t.equal(f.code, code, `${code}: ${f.message}`);
    t.equal(f.kind, kind);
    t.match(f.message, reason);
    t.notMatch(f.message, /c2lnbmF0dXJl/, 'no token in the reason');
  }
}

t.test('Authorization: Bearer', async (t) => {
  t.same(tokenFrom(headers({ authorization: `Bearer ${JWT}` }), URL_PLAIN, off), { token: JWT, via: 'header' });
  t.same(tokenFrom(headers({ authorization: `bearer   ${JWT} ` }), URL_PLAIN, off).token, JWT, 'scheme without case');
  t.same(tokenFrom(headers({}), URL_PLAIN, off), { token: null, via: null }, 'none at all');
  t.equal(bearerFrom(undefined), null);

  refusedWith(t, () => bearerFrom(`Basic dXNlcjpwYXNz`), 'UNAUTHORIZED', 'missing', /scheme "Basic" is not accepted/);
  refusedWith(t, () => bearerFrom(''), 'UNAUTHORIZED', 'missing', /scheme "" is not accepted/);
  refusedWith(t, () => bearerFrom('Bearer'), 'BAD_REQUEST', 'malformed', /expected "Bearer <jwt>"/);
  refusedWith(t, () => bearerFrom(`Bearer ${JWT} extra`), 'BAD_REQUEST', 'malformed', /malformed/);
  refusedWith(t, () => bearerFrom(`Bearer ${JWT}, Bearer ${JWT}`), 'BAD_REQUEST', 'malformed', /more than one value/);
  refusedWith(t, () => bearerFrom(`Bearer ${JWT}\r\nX: y`), 'BAD_REQUEST', 'malformed', /malformed/);
  refusedWith(t, () => bearerFrom(`Bearer ${'a'.repeat(10_000)}`), 'UNAUTHORIZED', 'oversized', /longer than the 8192/);
  refusedWith(t, () => bearerFrom(`Bearer ${'a'.repeat(5_000)}`, 4096), 'UNAUTHORIZED', 'oversized', /4096/);
  const huge = `Bearer ${'a'.repeat(50_000_000)}`;
  const started = Date.now();
  refusedWith(t, () => bearerFrom(huge), 'UNAUTHORIZED', 'oversized', /longer/);
  t.ok(Date.now() - started < 50, 'a 50 MB header is refused by its length, without scanning it');
});

t.test('Sec-WebSocket-Protocol: riskline.bearer.<jwt> beside the real subprotocol', async (t) => {
  const found = tokenFrom(
    headers({ 'sec-websocket-protocol': `riskline.json, riskline.bearer.${JWT}` }),
    URL_PLAIN,
    off,
  );
  t.same(found, { token: JWT, via: 'protocol', protocolEcho: 'riskline.json' });
  const msgpack = tokenFrom(
    headers({ 'sec-websocket-protocol': `riskline.bearer.${JWT},riskline.msgpack` }),
    URL_PLAIN,
    off,
  );
  t.equal(msgpack.protocolEcho, 'riskline.msgpack', 'msgpack selected, whichever order');
  t.notMatch(String(msgpack.protocolEcho), /bearer/, 'the token-bearing entry is never the echo');
  const both = protocolOffer('riskline.msgpack, riskline.json');
  t.same(both, { token: null, protocolEcho: 'riskline.json' }, "the server's preference decides");
  t.same(
    protocolOffer('riskline.msgpack, riskline.json', { subprotocols: ['riskline.msgpack'] }).protocolEcho,
    'riskline.msgpack',
  );
  t.same(protocolOffer('chat, superchat'), { token: null }, 'nothing we speak, no token: nothing to echo, no error');

  const offer = (v: string) => () => protocolOffer(v);
  refusedWith(
    t,
    offer(`riskline.bearer.${JWT}`),
    'BAD_REQUEST',
    'malformed',
    /a token but none of riskline.json, riskline.msgpack/,
  );
  refusedWith(t, offer(`chat, riskline.bearer.${JWT}`), 'BAD_REQUEST', 'malformed', /none of/);
  refusedWith(
    t,
    offer(`riskline.json, riskline.bearer.${JWT}, riskline.bearer.${JWT}`),
    'BAD_REQUEST',
    'malformed',
    /more than one riskline.bearer/,
  );
  refusedWith(t, offer('riskline.json, riskline.bearer.'), 'BAD_REQUEST', 'malformed', /no token after it/);
  refusedWith(t, offer('riskline.json,,x'), 'BAD_REQUEST', 'malformed', /entry "" is not a valid/);
  refusedWith(t, offer('riskline.json, a b'), 'BAD_REQUEST', 'malformed', /entry "a b" is not a valid/);
  refusedWith(t, offer(`riskline.json, ${'p'.repeat(100)}`), 'BAD_REQUEST', 'malformed', /longer than 64 bytes/);
  refusedWith(t, offer(`riskline.json, riskline.bearer.${'a'.repeat(9000)}`), 'UNAUTHORIZED', 'oversized', /8192/);
});

t.test('crafted Sec-WebSocket-Protocol headers: thousands of entries, huge values', async (t) => {
  const many = Array.from({ length: 5000 }, (_, i) => `p${i}`).join(', ');
  refusedWith(t, () => protocolOffer(many), 'BAD_REQUEST', 'malformed', /longer than/);
  const seventeen = Array.from({ length: 17 }, (_, i) => `p${i}`).join(',');
  refusedWith(t, () => protocolOffer(seventeen), 'BAD_REQUEST', 'malformed', /more than 16 subprotocols/);
  const commas = ','.repeat(200);
  refusedWith(t, () => protocolOffer(commas), 'BAD_REQUEST', 'malformed', /more than 16|not a valid/);
  const started = Date.now();
  refusedWith(
    t,
    () => protocolOffer(`riskline.json, ${'x'.repeat(100_000_000)}`),
    'BAD_REQUEST',
    'malformed',
    /longer than/,
  );
  t.ok(Date.now() - started < 50, 'a 100 MB header is refused by its length');
  t.same(
    protocolOffer(Array.from({ length: 16 }, (_, i) => `p${i}`).join(',')),
    { token: null },
    '16 entries are fine',
  );
});

t.test('?token= only when allowed', async (t) => {
  const url = new URL(`http://localhost/v1/stream?token=${JWT}`);
  refusedWith(t, () => tokenFrom(headers({}), url, off), 'UNAUTHORIZED', 'query-disabled', /\?token=\) is refused/);
  t.same(tokenFrom(headers({}), url, { allowQueryToken: true }), { token: JWT, via: 'query' });
  const twice = new URL(`http://localhost/v1/stream?token=${JWT}&token=${JWT}`);
  refusedWith(
    t,
    () => tokenFrom(headers({}), twice, { allowQueryToken: true }),
    'BAD_REQUEST',
    'malformed',
    /more than one token/,
  );
  const long = new URL(`http://localhost/v1/stream?token=${'a'.repeat(9000)}`);
  refusedWith(t, () => tokenFrom(headers({}), long, { allowQueryToken: true }), 'UNAUTHORIZED', 'oversized', /8192/);
  t.same(
    tokenFrom(headers({}), new URL('http://localhost/?token='), { allowQueryToken: true }).token,
    null,
    'empty is none',
  );
});

t.test('a token in two places is refused, not one picked', async (t) => {
  const h = headers({
    authorization: `Bearer ${JWT}`,
    'sec-websocket-protocol': `riskline.json, riskline.bearer.${JWT}`,
  });
  refusedWith(
    t,
    () => tokenFrom(h, URL_PLAIN, off),
    'BAD_REQUEST',
    'malformed',
    /more than one place \(header, protocol\)/,
  );
  const q = new URL(`http://localhost/?token=${JWT}`);
  refusedWith(
    t,
    () => tokenFrom(headers({ authorization: `Bearer ${JWT}` }), q, { allowQueryToken: true }),
    'BAD_REQUEST',
    'malformed',
    /header, query/,
  );
  const plain = tokenFrom(
    headers({ authorization: `Bearer ${JWT}`, 'sec-websocket-protocol': 'riskline.msgpack' }),
    URL_PLAIN,
    off,
  );
  t.same(
    plain,
    { token: JWT, via: 'header', protocolEcho: 'riskline.msgpack' },
    'header token with a plain subprotocol',
  );
});
