// Both servers behind the Transport interface, the same checks on each: HTTP replies (HEAD, body
// limits), upgrades accepted and refused, the subprotocol, corked sends, the 1009 close of an
// oversized message with its reason, and hostile handshakes and fragment floods refused with the
// server still answering.
import t from 'tap';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { RisklineError } from '../../../errors/catalogue.js';
import { protocolOffer } from '../../../gateways/identity/index.js';
import { errorReply, json } from '../../../gateways/route.js';
import { startTransport, type Socket, type TransportKind } from '../../../gateways/transport/index.js';
import { loadUws } from '../../../gateways/transport/uws.js';

interface User {
  name: string;
}

async function server(kind: TransportKind) {
  const events: string[] = [];
  const sockets: Socket[] = [];
  const { transport, fellBack } = await startTransport<User>(kind, {
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1024,
    http: async (req) => {
      if (req.url.pathname === '/echo') {
        try {
          const body = await req.body(100);
          return json(200, { method: req.method, got: body.toString(), q: req.url.searchParams.get('q') });
        } catch (err) {
          return errorReply(err as RisklineError);
        }
      }
      return errorReply(new RisklineError('NOT_FOUND', `no route for ${req.url.pathname}`));
    },
    stream: {
      path: '/s',
      maxPayloadBytes: 1000,
      tooLargeReason: 'PAYLOAD_TOO_LARGE: frames are limited to 1000 bytes',
      idleTimeoutS: 60,
      handlers: {
        upgrade: async (req) => {
          if (req.header('authorization') !== 'Bearer ok')
            return { accept: false, reply: errorReply(new RisklineError('UNAUTHORIZED', 'no')) };
          // The gateway's one parser of Sec-WebSocket-Protocol (bounded; a crafted header is BAD_REQUEST).
          let offer;
          try {
            offer = protocolOffer(req.header('sec-websocket-protocol'), { subprotocols: ['p2'] });
          } catch (err) {
            return { accept: false, reply: errorReply(err as RisklineError) };
          }
          return { accept: true, user: { name: 'u' }, protocol: offer.protocolEcho ?? null };
        },
        open: (s, u) => {
          sockets.push(s);
          events.push(`open ${u.name}`);
        },
        message: (s, _u, data, binary) => {
          if (data.toString() === 'burst') s.cork(() => ['a', 'b', 'c'].forEach((m) => s.send(m, false)));
          else s.send(data, binary);
        },
        close: (_s, _u, code) => events.push(`close ${code}`),
        oversized: () => events.push('oversized'),
      },
    },
  });
  return { transport, fellBack, events, sockets, base: `http://127.0.0.1:${transport.port}` };
}

function open(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: reason.toString() })),
  );

/** Raw bytes to the server; resolves with what it answered before closing (or after `ms`). */
function raw(port: number, bytes: string, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', () => resolve(got));
    s.on('close', () => resolve(got));
    s.write(bytes);
    setTimeout(() => (s.destroy(), resolve(got)), ms).unref();
  });
}

const kinds: TransportKind[] = ['ws', 'uws'];
const uwsHere = loadUws();

for (const kind of kinds) {
  t.test(`${kind}: HTTP and WebSocket behind one interface`, async (t) => {
    const s = await server(kind);
    t.teardown(() => s.transport.close());
    t.equal(s.fellBack, kind === 'uws' && 'unavailable' in uwsHere ? uwsHere.unavailable : null);
    t.equal(s.transport.kind, kind === 'uws' && 'unavailable' in uwsHere ? 'ws' : kind, s.transport.detail);

    let r = await fetch(`${s.base}/echo?q=1`, { method: 'POST', body: 'hello' });
    t.same(await r.json(), { method: 'POST', got: 'hello', q: '1' });
    t.equal(r.headers.get('cache-control'), 'no-store');
    r = await fetch(`${s.base}/echo`, { method: 'POST', body: 'x'.repeat(101) });
    t.equal(r.status, 413, 'a body over the route limit');
    t.equal(((await r.json()) as { code: string }).code, 'PAYLOAD_TOO_LARGE');
    r = await fetch(`${s.base}/echo`, { method: 'POST', body: 'x'.repeat(5000) });
    t.equal(r.status, 413, 'a body over the transport limit');
    r = await fetch(`${s.base}/echo`, { method: 'HEAD' });
    t.equal(r.status, 200);
    t.equal(await r.text(), '', 'HEAD has no body');
    t.ok(Number(r.headers.get('content-length')) > 0, 'but says how long it would be');
    r = await fetch(`${s.base}/nope`);
    t.equal(r.status, 404);

    await t.rejects(open(`ws://127.0.0.1:${s.transport.port}/s`, {}), /HTTP 401/, 'upgrade refused with the reply');
    await t.rejects(open(`ws://127.0.0.1:${s.transport.port}/other`, { authorization: 'Bearer ok' }), /HTTP 404/);
    const ws = await open(`ws://127.0.0.1:${s.transport.port}/s`, { authorization: 'Bearer ok' }, ['p1', 'p2']);
    t.equal(ws.protocol, 'p2', 'the chosen subprotocol');
    const got: string[] = [];
    ws.on('message', (d) => got.push(d.toString()));
    ws.send('burst');
    ws.send('x');
    await new Promise((r) => setTimeout(r, 100));
    t.same(got, ['a', 'b', 'c', 'x'], 'corked sends arrive in order');
    t.ok(s.sockets[0].open);
    t.equal(s.sockets[0].bufferedAmount(), 0);
    const end = closed(ws);
    ws.send('y'.repeat(1001));
    const c = await end;
    t.equal(c.code, 1009, 'an oversized message closes with 1009');
    t.match(c.reason, /PAYLOAD_TOO_LARGE/, 'with the reason');
    t.ok(s.events.includes('oversized'), 'and the handlers hear of it');

    const ws2 = await open(`ws://127.0.0.1:${s.transport.port}/s`, { authorization: 'Bearer ok' });
    t.equal(ws2.protocol, '', 'no subprotocol when none is chosen');
    const end2 = closed(ws2);
    s.sockets[1].close(4001, 'because');
    t.same(await end2, { code: 4001, reason: 'because' }, 'a close code and reason reach the client');
    t.notOk(s.sockets[1].open);
    s.sockets[1].send('late', false); // dropped, not thrown
  });

  t.test(`${kind}: hostile handshakes and fragment floods are refused, the server answers after`, async (t) => {
    const s = await server(kind);
    t.teardown(() => s.transport.close());
    const port = s.transport.port;
    const upgrade = (extra: string) =>
      `GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ok\r\n${extra}\r\n`;
    const many = Array.from({ length: 5000 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    const a = await raw(port, upgrade(many));
    t.notMatch(a, /^HTTP\/1\.1 101/, `thousands of headers: no handshake (${a.split('\r\n')[0] || 'closed'})`);
    const protocols = `Sec-WebSocket-Protocol: ${Array.from({ length: 3000 }, (_, i) => `p${i}`).join(', ')}\r\n`;
    const b = await raw(port, upgrade(protocols));
    t.match(b, /^HTTP\/1\.1 4\d\d/, `a crafted Sec-WebSocket-Protocol is refused (${b.split('\r\n')[0] || 'closed'})`);

    const ws = await open(`ws://127.0.0.1:${port}/s`, { authorization: 'Bearer ok' });
    const end = closed(ws);
    // A million one-byte fragments of one message: refused once they pass maxPayloadBytes.
    for (let i = 0; i < 1_000_000 && ws.readyState === WebSocket.OPEN; i++) {
      ws.send('z', { fin: false });
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
    }
    // uWS cuts a message past twice the limit off without a close frame (1006); ws says 1009.
    const code = (await end).code;
    t.ok(code === 1009 || (s.transport.kind === 'uws' && code === 1006), `the fragment flood is closed (${code})`);
    const r = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'still here' });
    t.equal(r.status, 200, 'and the server still answers');
  });
}

for (const kind of ['uws', 'ws'] as const) {
  t.test(`${kind}: a second server on a port in use is refused, not started beside the first`, async (t) => {
    const first = await server(kind);
    t.teardown(() => first.transport.close());
    // uWS would otherwise share the port (SO_REUSEPORT) and hand each connection to either server.
    await t.rejects(
      startTransport(kind, {
        host: '127.0.0.1',
        port: first.transport.port,
        maxBodyBytes: 1024,
        http: async () => json(200, {}),
      }),
      /in use|EADDRINUSE/,
    );
    const res = await fetch(`${first.base}/echo?q=still`, { method: 'POST', body: 'x' });
    t.equal(((await res.json()) as { q: string }).q, 'still', 'the first still serves');
  });
}
