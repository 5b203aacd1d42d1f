// The FIX codec and session on random and damaged input (fast-check): any message the writer makes
// comes back field for field however the stream is cut; damaged streams never throw and never
// grow the framer past its limit; and a session fed a damaged order answers by the class of the
// damage: garbled (no answer, no sequence number used), Reject or BusinessMessageReject (the
// sequence number used), the order delivered, or the session ended, and never an exception.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { FieldList } from '../../gateways/fix/codec/fields.js';
import { FixFramer } from '../../gateways/fix/codec/framer.js';
import { isGarbled, parseMessage, ParseStatus } from '../../gateways/fix/codec/parser.js';
import { FixWriter } from '../../gateways/fix/codec/writer.js';
import { sessionConfig } from '../../gateways/fix/session/config.js';
import { FixSession } from '../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../gateways/fix/session/store.js';
import { cut } from '../fix/streams.js';

const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-fuzz-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const value = fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
const field = fc.tuple(
  fc.integer({ min: 1, max: 9999 }).filter((k) => ![8, 9, 10, 35].includes(k)),
  value,
);
const message = fc.tuple(fc.constantFrom('0', 'D', '8', 'AE'), fc.array(field, { maxLength: 30 }));

function encode(w: FixWriter, [msgType, fields]: [string, [number, string][]]): Buffer {
  w.begin(msgType);
  for (const [k, v] of fields) w.str(k, v);
  return Buffer.from(w.finish());
}

t.test('what the writer makes, the framer and parser give back, however the stream is cut', async (t) => {
  const w = new FixWriter();
  const f = new FieldList();
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 5 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
      (msgs, at) => {
        const stream = Buffer.concat(msgs.map((m) => encode(w, m)));
        const got: [number, string][][] = [];
        const framer = new FixFramer();
        for (const r of cut(stream, at))
          framer.push(
            r,
            (b, s, e) => {
              if (parseMessage(b, s, e, f).status !== ParseStatus.Ok)
                throw new Error('a written message did not parse');
              got.push(f.entries().slice(2, -1));
            },
            (why) => {
              throw new Error(`garbled: ${why}`);
            },
          );
        const want = msgs.map(([type, fields]) => [[35, type] as [number, string], ...fields]);
        return JSON.stringify(got) === JSON.stringify(want) && framer.pending === 0;
      },
    ),
    { numRuns: 300 },
  );
  t.pass('300 random streams');
});

t.test('damaged streams: no exception, memory bounded, every message yielded is whole', async (t) => {
  const w = new FixWriter();
  const f = new FieldList();
  const damage = fc.array(
    fc.tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('set', 'insert', 'delete'),
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  );
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 4 }),
      damage,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
      (msgs, hits, at) => {
        const bytes = [...Buffer.concat(msgs.map((m) => encode(w, m)))];
        for (const [where, byte, how] of hits) {
          const i = Math.floor(where * bytes.length);
          if (how === 'set') bytes[i] = byte;
          else if (how === 'insert') bytes.splice(i, 0, byte);
          else bytes.splice(i, 1);
        }
        const framer = new FixFramer(4096);
        for (const r of cut(Buffer.from(bytes), at))
          framer.push(
            r,
            (b, s, e) => {
              const status = parseMessage(b, s, e, f).status;
              // The framer checked the length and the trailer's shape; the parser judges the rest.
              if (status === ParseStatus.GarbledBodyLength) throw new Error('the framer passed a wrong BodyLength');
            },
            () => undefined,
          );
        return framer.pending <= 4096 + bytes.length;
      },
    ),
    { numRuns: 500 },
  );
  t.pass('500 damaged streams');
});

t.test('a session answers a damaged order by the class of the damage', async (t) => {
  const sent: Buffer[] = [];
  const delivered: string[] = [];
  let ended = '';
  const config = sessionConfig({ role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'RISKLINE', heartBtIntS: 30 });
  const store = new FileSessionStore({ dir, id: 'fuzz' });
  const session = new FixSession(config, store, { onMessage: (type, m) => delivered.push(m.get(11) ?? '') });
  const io = { write: (b: Buffer) => void sent.push(Buffer.from(b)), disconnect: (why: string) => void (ended = why) };
  const w = new FixWriter();
  const f = new FieldList();
  const start = () => {
    session.connected(io);
    const logon = w
      .begin('A')
      .str(49, 'RISKLINE')
      .str(56, 'VENUE')
      .int(34, store.nextTarget)
      .time(52, Date.now())
      .int(98, 0)
      .int(108, 30)
      .finish();
    session.receive(Buffer.from(logon), 0, logon.length);
  };
  start();
  const answers = (): string[] =>
    sent.splice(0).map((b) => {
      parseMessage(b, 0, b.length, f);
      return f.get(35)!;
    });
  answers();
  let n = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 255 }), (where, byte) => {
      if (ended !== '') {
        ended = '';
        session.disconnected();
        start();
        answers();
      }
      const expected = store.nextTarget;
      const clOrdId = `C-${++n}`;
      const order = w
        .begin('D')
        .str(49, 'RISKLINE')
        .str(56, 'VENUE')
        .int(34, expected)
        .time(52, Date.now())
        .str(11, clOrdId)
        .str(55, 'AAPL')
        .str(54, '1')
        .time(60, Date.now())
        .int(38, 100)
        .str(40, '2')
        .num(44, 190.25)
        .finish();
      const bytes = Buffer.from(order);
      bytes[where % bytes.length] = byte;
      const status = parseMessage(bytes, 0, bytes.length, f).status;
      const before = delivered.length;
      session.receive(bytes, 0, bytes.length);
      const out = answers();
      if (isGarbled(status)) return out.length === 0 && store.nextTarget === expected && ended === '';
      if (ended !== '') return out.includes('5') || out.length === 0; // a fatal header problem: Logout (or a bare drop)
      if (delivered.length > before)
        return delivered.at(-1) === clOrdId && out.length === 0 && store.nextTarget === expected + 1;
      // A seq made higher by the damage is a gap (ResendRequest) rather than a Reject.
      return out.some((m) => m === '3' || m === 'j' || m === '2');
    }),
    { numRuns: 2000 },
  );
  t.pass('2,000 damaged orders, each answered by its class');
});
