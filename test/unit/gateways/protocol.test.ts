import t from 'tap';
import { Packr } from 'msgpackr';
import { RisklineError } from '../../../errors/catalogue.js';
import {
  checkChannel,
  decodeServerMessage,
  encodeClientOp,
  encodeFrame,
  encodeServerMessage,
  errorMessage,
  frameMessage,
  parseClientMessage,
  parseClientValue,
  pongMessage,
  subscribedMessage,
  unsubscribedMessage,
  type ParseResult,
} from '../../../gateways/protocol.js';

const packr = new Packr({ useRecords: false });

function failure(r: ParseResult): { code: string; id: unknown; message: string } {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.op)}`);
  t.ok(r.error instanceof RisklineError);
  return { code: r.error.code, id: r.id, message: r.error.message };
}

t.test('valid ops parse into typed ops', async (t) => {
  t.same(parseClientMessage('{"op":"subscribe","id":1,"channels":["positions:P1","risk:P1"]}', false, 'json'), {
    ok: true,
    op: { op: 'subscribe', id: 1, channels: ['positions:P1', 'risk:P1'] },
  });
  t.same(parseClientMessage('{"op":"unsubscribe","id":"a","channels":["ticks:AAPL"]}', false, 'json'), {
    ok: true,
    op: { op: 'unsubscribe', id: 'a', channels: ['ticks:AAPL'] },
  });
  t.same(parseClientMessage('{"op":"snapshot","id":3,"channel":"exposures:P2"}', false, 'json'), {
    ok: true,
    op: { op: 'snapshot', id: 3, channel: 'exposures:P2' },
  });
  t.same(parseClientMessage('{"op":"ping","id":4}', false, 'json'), { ok: true, op: { op: 'ping', id: 4 } });
  t.same(
    parseClientMessage('{"op":"subscribe","id":5,"channels":["alerts:*","alerts:*","orders:P1"]}', false, 'json'),
    {
      ok: true,
      op: { op: 'subscribe', id: 5, channels: ['alerts:*', 'orders:P1'] },
    },
  );
  // A JSON connection accepts JSON in binary frames too.
  t.same(parseClientMessage(Buffer.from('{"op":"ping","id":9}'), true, 'json'), {
    ok: true,
    op: { op: 'ping', id: 9 },
  });
});

t.test('BAD_FRAME: not JSON, not msgpack, not an object', async (t) => {
  t.equal(failure(parseClientMessage('{"op":', false, 'json')).code, 'BAD_FRAME');
  t.match(failure(parseClientMessage('nope', false, 'json')).message, /not valid JSON/);
  t.equal(failure(parseClientMessage(Buffer.from([0xff, 0xfe, 0x00]), true, 'json')).code, 'BAD_FRAME');
  t.match(failure(parseClientMessage(Buffer.from([0x81]), true, 'msgpack')).message, /not valid msgpack/);
  t.equal(failure(parseClientMessage(Buffer.from([0xc1]), true, 'msgpack')).code, 'BAD_FRAME', 'never-used byte');
  for (const v of ['[]', '42', '"ping"', 'null', 'true']) {
    const f = failure(parseClientMessage(v, false, 'json'));
    t.equal(f.code, 'BAD_FRAME', v);
    t.equal(f.id, null);
  }
  t.equal(failure(parseClientValue([1, 2])).code, 'BAD_FRAME');
});

t.test('UNKNOWN_OP keeps the request id', async (t) => {
  const f = failure(parseClientMessage('{"op":"launch","id":7}', false, 'json'));
  t.equal(f.code, 'UNKNOWN_OP');
  t.equal(f.id, 7);
  t.match(f.message, /"launch"/);
  t.equal(failure(parseClientValue({ op: 'SUBSCRIBE', id: 1, channels: ['risk:P1'] })).code, 'UNKNOWN_OP');
});

t.test('BAD_REQUEST for missing or wrong-typed fields', async (t) => {
  const cases: [unknown, RegExp, unknown][] = [
    [{ id: 1 }, /op is required/, 1],
    [{ op: 5, id: 1 }, /op must be a string/, 1],
    [{ op: 'ping' }, /id is required/, null],
    [{ op: 'ping', id: null }, /id must be a number or a string/, null],
    [{ op: 'ping', id: { x: 1 } }, /id must be a number or a string/, null],
    [{ op: 'ping', id: [1] }, /id must be a number or a string/, null],
    [{ op: 'ping', id: true }, /id must be a number or a string/, null],
    [{ op: 'subscribe', id: 1 }, /channels is required/, 1],
    [{ op: 'subscribe', id: 1, channels: 'positions:P1' }, /channels must be an array/, 1],
    [{ op: 'subscribe', id: 1, channels: [] }, /must not be empty/, 1],
    [{ op: 'subscribe', id: 1, channels: ['positions:P1', 3] }, /channels must be an array of strings/, 1],
    [{ op: 'unsubscribe', id: 'x', channels: {} }, /channels must be an array/, 'x'],
    [{ op: 'subscribe', id: 1, channels: Array.from({ length: 1001 }, (_, i) => `ticks:I${i}`) }, /at most 1000/, 1],
    [{ op: 'snapshot', id: 2 }, /channel is required/, 2],
    [{ op: 'snapshot', id: 2, channel: ['risk:P1'] }, /channel must be a string/, 2],
  ];
  for (const [value, message, id] of cases) {
    const f = failure(parseClientValue(value));
    t.equal(f.code, 'BAD_REQUEST', JSON.stringify(value).slice(0, 60));
    t.match(f.message, message);
    t.equal(f.id, id);
  }
  // NaN / Infinity cannot come from JSON but can from msgpack.
  t.equal(failure(parseClientValue({ op: 'ping', id: Number.NaN })).code, 'BAD_REQUEST');
});

t.test('BAD_CHANNEL for malformed channel names', async (t) => {
  for (const c of [
    'positions',
    'positions:',
    ':P1',
    'bogus:P1',
    'POSITIONS:P1',
    'positions:*',
    'ticks:*',
    'alerts:P*',
    'x'.repeat(201),
  ]) {
    const f = failure(parseClientValue({ op: 'subscribe', id: 1, channels: ['risk:P1', c] }));
    t.equal(f.code, 'BAD_CHANNEL', c.slice(0, 30));
    t.equal(f.id, 1);
    t.not(checkChannel(c), null);
  }
  t.equal(failure(parseClientValue({ op: 'snapshot', id: 1, channel: 'nope' })).code, 'BAD_CHANNEL');
  t.equal(checkChannel('alerts:*'), null);
  t.equal(checkChannel('ticks:EURUSD'), null);
  t.equal(checkChannel('positions:desk:a'), null, 'ids may contain colons');
});

t.test('golden JSON for server messages', async (t) => {
  const frame = {
    channel: 'positions:P1',
    type: 'snapshot' as const,
    seq: 41,
    asOf: 1700000000000,
    inputSeq: 7,
    data: { rows: { AAPL: { qty: 5 } } },
  };
  t.equal(
    encodeFrame(frame, 'json').toString(),
    '{"type":"snapshot","channel":"positions:P1","seq":41,"ts":1700000000000,"asOf":1700000000000,"inputSeq":7,"data":{"rows":{"AAPL":{"qty":5}}}}',
  );
  t.equal(
    encodeFrame({ ...frame, type: 'update', seq: 42, data: { rows: { AAPL: null } } }, 'json').toString(),
    '{"type":"update","channel":"positions:P1","seq":42,"ts":1700000000000,"asOf":1700000000000,"inputSeq":7,"data":{"rows":{"AAPL":null}}}',
  );
  t.equal(
    encodeServerMessage(subscribedMessage(1, ['positions:P1', 'risk:P1']), 'json').toString(),
    '{"type":"subscribed","id":1,"channels":["positions:P1","risk:P1"]}',
  );
  t.equal(
    encodeServerMessage(unsubscribedMessage(2, ['risk:P1']), 'json').toString(),
    '{"type":"unsubscribed","id":2,"channels":["risk:P1"]}',
  );
  t.equal(
    encodeServerMessage(
      errorMessage(1, new RisklineError('FORBIDDEN', 'not entitled to portfolio P9')),
      'json',
    ).toString(),
    '{"type":"error","id":1,"code":"FORBIDDEN","message":"not entitled to portfolio P9"}',
  );
  t.equal(
    encodeServerMessage(errorMessage(null, new RisklineError('BAD_FRAME', 'x')), 'json').toString(),
    '{"type":"error","id":null,"code":"BAD_FRAME","message":"x"}',
  );
  t.equal(encodeServerMessage(pongMessage(4), 'json').toString(), '{"type":"pong","id":4}');
  t.equal(encodeServerMessage(pongMessage('p'), 'json').toString(), '{"type":"pong","id":"p"}');
});

t.test('msgpack round trip', async (t) => {
  const frame = {
    channel: 'risk:P1',
    type: 'update' as const,
    seq: 7,
    asOf: 1700000000123,
    inputSeq: 7,
    data: { var: { '95': 1234.5 }, sigma: 0.25 },
  };
  const bytes = encodeFrame(frame, 'msgpack');
  t.ok(Buffer.isBuffer(bytes));
  t.same(decodeServerMessage(bytes, true), frameMessage(frame));
  t.same(packr.unpack(bytes), {
    type: 'update',
    channel: 'risk:P1',
    seq: 7,
    ts: 1700000000123,
    asOf: 1700000000123,
    inputSeq: 7,
    data: { var: { '95': 1234.5 }, sigma: 0.25 },
  });
  t.same(decodeServerMessage(encodeServerMessage(pongMessage(4), 'msgpack'), true), { type: 'pong', id: 4 });

  const op = { op: 'subscribe' as const, id: 1, channels: ['ticks:AAPL'] };
  const raw = encodeClientOp(op, 'msgpack');
  t.ok(Buffer.isBuffer(raw));
  t.same(parseClientMessage(raw as Buffer, true, 'msgpack'), { ok: true, op });
  // A text frame on a msgpack connection is still read as JSON.
  t.same(parseClientMessage('{"op":"ping","id":1}', false, 'msgpack'), { ok: true, op: { op: 'ping', id: 1 } });
  // msgpack that decodes to a non-object is BAD_FRAME; to an object with a bad op is UNKNOWN_OP.
  t.equal(failure(parseClientMessage(packr.pack([1, 2]), true, 'msgpack')).code, 'BAD_FRAME');
  t.equal(failure(parseClientMessage(packr.pack({ op: 'x', id: 1 }), true, 'msgpack')).code, 'UNKNOWN_OP');
  t.throws(() => decodeServerMessage('garbage', false), { code: 'BAD_FRAME' });
});
