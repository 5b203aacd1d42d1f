// The what-if request at the gateway: field checks naming the field, entitlement before anything
// else, the HTTP route's statuses from the catalogue, and the WebSocket op's error frames (JSON and
// msgpack). The engine's answers are tested end to end (test/e2e/what-if.test.ts).
import t, { type Test } from 'tap';
import { Packr } from 'msgpackr';
import WebSocket from 'ws';
import { RisklineError } from '../../../errors/catalogue.js';
import { MSGPACK_SUBPROTOCOL, parseClientMessage, parseClientValue } from '../../../gateways/protocol.js';
import {
  answerWhatIf,
  parseWhatIf,
  WHAT_IF_BODY_LIMIT,
  WHAT_IF_PATH,
  whatIfRoute,
  type RiskQueries,
} from '../../../gateways/what-if.js';
import { localRiskQueries, remoteRiskQueries } from '../../../app/roles/risk-queries.js';
import { authConfig, httpServer, streamServer, token } from './servers.js';

const packr = new Packr({ useRecords: false });
const gatewayOnly = remoteRiskQueries(['gateway']);

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof RisklineError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a RisklineError');
}

/** The same, for a call that rejects. */
async function refusalOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RisklineError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a RisklineError');
}

t.test('a request parses; qty is signed', async (t) => {
  t.same(parseWhatIf({ portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', qty: 10000 }), {
    portfolio: 'GLOBAL-MACRO',
    instrument: 'AAPL',
    qty: 10000,
  });
  t.equal(parseWhatIf({ portfolio: 'P', instrument: 'X', qty: -2.5 }).qty, -2.5);
});

t.test('each bad field is BAD_REQUEST naming the field and what was received', async (t) => {
  const cases: [unknown, RegExp][] = [
    [{ portfolio: 'P', instrument: 'X', qty: 0 }, /^qty: expected a finite non-zero number .*received 0$/],
    [{ portfolio: 'P', instrument: 'X', qty: Infinity }, /^qty: .*finite.*received Infinity$/],
    [{ portfolio: 'P', instrument: 'X', qty: -Infinity }, /^qty: .*received -Infinity$/],
    [{ portfolio: 'P', instrument: 'X', qty: NaN }, /^qty: .*received NaN$/],
    [{ portfolio: 'P', instrument: 'X', qty: '10000' }, /^qty: .*received "10000"$/],
    [{ portfolio: 'P', instrument: 'X' }, /^qty: .*received nothing$/],
    [{ portfolio: '', instrument: 'X', qty: 1 }, /^portfolio: expected a non-empty portfolio id, received ""$/],
    [{ portfolio: 7, instrument: 'X', qty: 1 }, /^portfolio: expected a portfolio id \(string\), received 7$/],
    [{ portfolio: 'P', qty: 1 }, /^instrument: .*received nothing$/],
    [{ portfolio: 'P', instrument: 'X'.repeat(201), qty: 1 }, /^instrument: expected at most 200 characters/],
    [
      { portfolio: 'P', instrument: 'X', qty: 1, quantity: 5 },
      /unknown field "quantity"; expected portfolio, instrument, qty/,
    ],
    [[1, 2], /expected an object \{portfolio, instrument, qty\}/],
    [null, /expected an object/],
  ];
  for (const [body, message] of cases) {
    const r = refusal(() => parseWhatIf(body));
    t.equal(r.code, 'BAD_REQUEST', JSON.stringify(body) ?? String(body));
    t.match(r.message, message);
  }
});

t.test('entitlement is checked before the portfolio is looked at', async (t) => {
  const req = { portfolio: 'B', instrument: 'AAPL', qty: 1 };
  t.same(await refusalOf(answerWhatIf(gatewayOnly, new Set(['A']), req)), {
    code: 'FORBIDDEN',
    message: 'not entitled to portfolio B (what-if)',
  });
  // Entitled: the request reaches the queries, which here have no engine to ask.
  t.equal((await refusalOf(answerWhatIf(gatewayOnly, new Set(['B']), req))).code, 'UNAVAILABLE');
  t.equal((await refusalOf(answerWhatIf(gatewayOnly, '*', req))).code, 'UNAVAILABLE');
});

t.test('queries without an engine say why', async (t) => {
  t.match(
    refusal(() => gatewayOnly.whatIf('P', 'X', 1)),
    {
      code: 'UNAVAILABLE',
      message: /needs the engine role in the same process \(this process runs gateway\).*planned/,
    },
  );
  t.match(
    refusal(() => localRiskQueries(() => null).whatIf('P', 'X', 1)),
    {
      code: 'UNAVAILABLE',
      message: /engine role of this process is starting/,
    },
  );
});

t.test('the WebSocket op: fields checked the same way, the id kept for the error frame', async (t) => {
  t.same(parseClientValue({ op: 'whatIf', id: 'q1', portfolio: 'P', instrument: 'X', qty: -5 }), {
    ok: true,
    op: { op: 'whatIf', id: 'q1', portfolio: 'P', instrument: 'X', qty: -5 },
  });
  const zero = parseClientValue({ op: 'whatIf', id: 4, portfolio: 'P', instrument: 'X', qty: 0 });
  t.match(zero, { ok: false, id: 4, error: { code: 'BAD_REQUEST', message: /^qty: / } });
  // msgpack carries what JSON cannot: a non-finite qty.
  const inf = parseClientMessage(
    packr.pack({ op: 'whatIf', id: 5, portfolio: 'P', instrument: 'X', qty: Infinity }),
    true,
    'msgpack',
  );
  t.match(inf, { ok: false, id: 5, error: { code: 'BAD_REQUEST', message: /^qty: .*Infinity$/ } });
  t.match(parseClientValue({ op: 'whatIf', portfolio: 'P', instrument: 'X', qty: 1 }), {
    ok: false,
    error: { code: 'BAD_REQUEST', message: 'id is required' },
  });
});

t.test('HTTP: statuses and JSON errors from the catalogue', async (t) => {
  const url = `${await httpServer(t, [whatIfRoute(gatewayOnly)])}${WHAT_IF_PATH}`;
  const tokenA = await token(['A']);
  const post = (body: string, token: string | null = tokenA) =>
    fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  const ok = JSON.stringify({ portfolio: 'A', instrument: 'AAPL', qty: 10000 });

  const noToken = await post(ok, null);
  t.equal(noToken.status, 401);
  t.match(await noToken.json(), { code: 'UNAUTHORIZED' });

  const other = await post(JSON.stringify({ portfolio: 'B', instrument: 'AAPL', qty: 1 }));
  t.equal(other.status, 403);
  t.same(await other.json(), { code: 'FORBIDDEN', message: 'not entitled to portfolio B (what-if)' });

  const zero = await post(JSON.stringify({ portfolio: 'A', instrument: 'AAPL', qty: 0 }));
  t.equal(zero.status, 400);
  t.match(await zero.json(), { code: 'BAD_REQUEST', message: /^qty: .*received 0$/ });

  const notJson = await post('{qty:');
  t.equal(notJson.status, 400);
  t.match(await notJson.json(), { code: 'BAD_REQUEST', message: /^request body is not valid JSON/ });

  const empty = await post('');
  t.equal(empty.status, 400);
  t.match(await empty.json(), { code: 'BAD_REQUEST', message: /received nothing/ });

  const big = await post(
    JSON.stringify({ portfolio: 'A', instrument: 'AAPL', qty: 1, pad: 'x'.repeat(WHAT_IF_BODY_LIMIT) }),
  );
  t.equal(big.status, 413);
  t.match(await big.json(), {
    code: 'PAYLOAD_TOO_LARGE',
    message: `request bodies here are limited to ${WHAT_IF_BODY_LIMIT} bytes`,
  });

  const get = await fetch(url, { headers: { authorization: `Bearer ${tokenA}` } });
  t.equal(get.status, 405);
  t.equal(get.headers.get('allow'), 'POST');

  const noEngine = await post(ok);
  t.equal(noEngine.status, 503);
  t.match(await noEngine.json(), { code: 'UNAVAILABLE', message: /needs the engine role in the same process/ });
});

t.test('HTTP: a body streamed past the limit without content-length is refused too', async (t) => {
  const base = await httpServer(t, [whatIfRoute(gatewayOnly)], authConfig({}));
  const chunk = new TextEncoder().encode(' '.repeat(4096));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ < 8) c.enqueue(chunk);
      else c.close();
    },
  });
  const res = await fetch(`${base}${WHAT_IF_PATH}`, { method: 'POST', body, duplex: 'half' } as RequestInit);
  t.equal(res.status, 413);
  t.match(await res.json(), { code: 'PAYLOAD_TOO_LARGE' });
});

/** A WebSocket client of a StreamServer that answers `queries` (absent: none given). */
async function streamClient(
  t: Test,
  queries: RiskQueries | undefined,
  token: string,
  protocols: string[] = [],
): Promise<{ ws: WebSocket; next(): Promise<Record<string, unknown>> }> {
  const { url } = await streamServer(t, { riskQueries: queries });
  const ws = new WebSocket(url, protocols, { headers: { authorization: `Bearer ${token}` } });
  const queue: Record<string, unknown>[] = [];
  const waiting: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data: Buffer, binary) => {
    const m = (binary ? packr.unpack(data) : JSON.parse(data.toString())) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  t.teardown(() => ws.close());
  return {
    ws,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))),
  };
}

t.test('WebSocket: error frames carry the id, in JSON and msgpack', async (t) => {
  const tokenA = await token(['A']);
  const json = await streamClient(t, gatewayOnly, tokenA);
  json.ws.send(JSON.stringify({ op: 'whatIf', id: 'w1', portfolio: 'B', instrument: 'AAPL', qty: 100 }));
  t.same(await json.next(), {
    type: 'error',
    id: 'w1',
    code: 'FORBIDDEN',
    message: 'not entitled to portfolio B (what-if)',
  });
  json.ws.send(JSON.stringify({ op: 'whatIf', id: 'w2', portfolio: 'A', instrument: 'AAPL', qty: 0 }));
  t.match(await json.next(), { type: 'error', id: 'w2', code: 'BAD_REQUEST', message: /^qty: / });
  json.ws.send(JSON.stringify({ op: 'whatIf', id: 'w3', portfolio: 'A', instrument: 'AAPL', qty: 100 }));
  t.match(await json.next(), { type: 'error', id: 'w3', code: 'UNAVAILABLE', message: /engine role/ });
  json.ws.send(JSON.stringify({ op: 'ping', id: 'w4' }));
  t.same(await json.next(), { type: 'pong', id: 'w4' }, 'the connection goes on');

  const mp = await streamClient(t, gatewayOnly, tokenA, [MSGPACK_SUBPROTOCOL]);
  mp.ws.send(packr.pack({ op: 'whatIf', id: 9, portfolio: 'B', instrument: 'AAPL', qty: 1 }));
  t.match(await mp.next(), { type: 'error', id: 9, code: 'FORBIDDEN' });
  mp.ws.send(packr.pack({ op: 'whatIf', id: 10, portfolio: 'A', instrument: 'AAPL', qty: NaN }));
  t.match(await mp.next(), { type: 'error', id: 10, code: 'BAD_REQUEST', message: /^qty: .*NaN$/ });

  const unwired = await streamClient(t, undefined, tokenA);
  unwired.ws.send(JSON.stringify({ op: 'whatIf', id: 1, portfolio: 'A', instrument: 'AAPL', qty: 1 }));
  t.same(await unwired.next(), {
    type: 'error',
    id: 1,
    code: 'UNAVAILABLE',
    message: 'what-if is not served by this gateway',
  });
});
