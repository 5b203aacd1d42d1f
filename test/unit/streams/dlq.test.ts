// Dead letters as docs/wire-format.md describes them: each reason one line naming what failed and
// where (never a dump of the record), the key as read (empty for a keyless record), and a refused
// tick of a batch dead-lettered alone with its index in the batch, stale ones included.
import t from 'tap';
import { DeadLetters } from '../../../app/roles/dead-letters.js';
import { InputApplier } from '../../../app/roles/engine-input.js';
import { RisklineError } from '../../../errors/catalogue.js';
import type { BusMessage, ConsumedMessage } from '../../../streams/bus.js';
import { DLQ_HEADERS, dlqMessage, REASON_MAX } from '../../../streams/dlq.js';
import { decodeEnvelope, decodeEnvelopeAuto, encodeEnvelope } from '../../../streams/envelope.js';
import { env, EXECUTIONS, newEngine, record, silent, T0, TICKS } from '../app/roles/fixtures.js';

const text = (s: string) => new TextEncoder().encode(s);
const reason = (bytes: Uint8Array): string => {
  try {
    decodeEnvelopeAuto(bytes);
  } catch (err) {
    return `${(err as RisklineError).code} ${(err as RisklineError).message}`;
  }
  return 'decoded';
};

t.test('undecodable bytes: one line naming what failed and at which byte', async (t) => {
  const good = encodeEnvelope({ v: 1, type: 'heartbeat', src: 'x', ts: 1, seq: 1, body: { pad: 'x'.repeat(300) } });
  const n = good.length;
  t.equal(
    reason(new Uint8Array([...good, 0x01, 0x02])),
    `DECODE_FAILED not valid msgpack: ${n} bytes decoded as one value, 2 bytes left over at byte ${n}`,
  );
  t.equal(
    reason(new Uint8Array([0xc1, 0xff, 0x00])),
    "DECODE_FAILED not valid msgpack: first byte 0xc1 is not a map header (nor '{' for JSON)",
  );
  t.equal(
    reason(text('not an envelope')),
    "DECODE_FAILED not valid msgpack: first byte 0x6e is not a map header (nor '{' for JSON)",
  );
  t.equal(
    reason(good.subarray(0, 20)),
    'DECODE_FAILED not valid msgpack: cut short: the map needs more than its 20 bytes (de 00 06 a1 …)',
  );
  t.equal(reason(new Uint8Array(0)), 'DECODE_FAILED not valid msgpack: empty value');
  t.equal(
    reason(text('{"v":1')),
    "DECODE_FAILED not valid JSON: Expected ',' or '}' after property value at position 6 (6 bytes)",
  );
  t.equal(reason(new Uint8Array([0x7b, 0xff, 0xfe])), 'DECODE_FAILED not valid JSON: not UTF-8 (3 bytes: 7b ff fe)');
  const long = `{"v":tru,"body":"${'x'.repeat(500)}"}`;
  t.equal(reason(text(long)), `DECODE_FAILED not valid JSON: Unexpected token ',' (${long.length} bytes)`, 'no text');
  t.equal(
    reason(encodeEnvelope({ v: 'v'.repeat(100) } as never)),
    `UNSUPPORTED_VERSION envelope v="${'v'.repeat(40)}…"; this build reads v=1`,
  );
  t.equal(reason(encodeEnvelope({} as never)), 'UNSUPPORTED_VERSION envelope has no v; this build reads v=1');
});

const source: ConsumedMessage = { topic: 'p.md.ticks', partition: 3, offset: 41, key: '', value: new Uint8Array(1) };

t.test('the DLQ record: the key as read, the reason on one line and short', async (t) => {
  const m = dlqMessage(source, new RisklineError('INTERNAL', `boom\n    at frame (x.js:1:1)\n${'y'.repeat(400)}`));
  t.equal(m.key, '', 'a keyless record (read as the empty key) keeps the empty key');
  const r = m.headers![DLQ_HEADERS.reason];
  t.notMatch(r, /\n/, 'one line');
  t.equal(r.length, REASON_MAX, `cut at ${REASON_MAX} characters`);
  t.match(r, /^boom at frame \(x\.js:1:1\) y+…$/);
  t.same(m.headers, { ...m.headers, 'riskline-source-partition': '3', 'riskline-source-offset': '41' });
});

t.test('a stale tick is dead-lettered alone, as its tuple, with its index in the batch', async (t) => {
  const engine = newEngine(() => undefined);
  const dlq: BusMessage[] = [];
  const applier = new InputApplier({
    engine,
    executionsTopic: EXECUTIONS,
    deadLetters: new DeadLetters(() => dlq, silent),
    admits: () => true,
  });
  const batch = [
    ['AAPL', T0 + 100, 250, 250.2, 250.1],
    ['AAPL', T0 + 50, 249, 249.2, 249.1],
    ['AAPL', T0 + 120, 'oops', 250.2, 250.1],
    ['AAPL', T0 + 60, 249, 249.2, 249.1],
  ];
  applier.apply(record(TICKS, env('ticks', batch))); // the zero-allocation reader
  applier.apply(record(TICKS, env('ticks', batch, 'json'))); // the generic decoder
  applier.apply(record(TICKS, env('tick', { instrument: 'AAPL', ts: T0 + 10, bid: 1, ask: 2 }, 'json')));
  const got = dlq.map((m) => [m.headers?.[DLQ_HEADERS.code], decodeEnvelope(m.value, 'json').seq]);
  const twice = [
    ['STALE_TICK', 1],
    ['INVALID_TICK', 2],
    ['STALE_TICK', 3],
  ];
  t.same(got, [...twice, ...twice, ['STALE_TICK', 0]], 'both decoders alike; a single tick is number 0');
  t.equal(
    dlq[0].headers?.[DLQ_HEADERS.reason],
    `AAPL: tick at ${T0 + 50} is older than the newest mark at ${T0 + 100}`,
  );
});
