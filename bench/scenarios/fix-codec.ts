// FIX codec throughput on one core: parse and encode messages/s for the C++ codec (batched, one
// call per 1,000 messages, and one call per message), the TypeScript codec, and jspurefix's parser,
// all in the same run on the same bytes: 1,000 distinct ExecutionReports (25 fields, 258 bytes)
// and 1,000 NewOrderSingles back to back, as a socket read would hold them.
//
// Every parse produces a view of the fields over the caller's buffer and checks what its codec
// checks: ours frames, splits and verifies BodyLength and CheckSum; jspurefix's AsciiParser (its own
// benchmark path, ParseCase at depth "view", over its own QuickFIX FIX44.xml dictionary) copies the
// bytes into its receive buffer, tokenises, and builds a MsgView with the message's structure from
// the dictionary, without verifying the CheckSum. Each rate is the median of several timed rounds
// after a warm-up round, so the JIT and caches are warm for everyone.

import { createRequire } from 'node:module';
import { FieldList } from '../../gateways/fix/codec/fields.js';
import { FixFramer } from '../../gateways/fix/codec/framer.js';
import { FixBatch, fixNative, fixNativeUnavailable, type FixNativeCodec } from '../../gateways/fix/codec/native.js';
import { parseMessage, ParseStatus } from '../../gateways/fix/codec/parser.js';
import { encodeFields } from '../../gateways/fix/codec/encode.js';
import { FixWriter } from '../../gateways/fix/codec/writer.js';
import { checkTargets, type Scenario } from '../harness.js';
import { cpuInfo } from './risk-common.js';

const MESSAGES = 1000;
const T0 = Date.UTC(2026, 11, 7, 9, 30, 5, 123);
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM'];

/** ExecutionReport k: a partial fill, its ids, quantities and prices varying with k. */
function executionReport(w: FixWriter, k: number): Buffer {
  const qty = 100 * (1 + (k % 50));
  const filled = qty / 4;
  return w
    .begin('8')
    .str(49, 'VENUE1')
    .str(56, 'RISKLINE')
    .int(34, 1000 + k)
    .time(52, T0 + k)
    .str(37, `O-${20261207000000 + k}`)
    .str(11, `C-${100000 + k}`)
    .str(17, `E-${20261207500000 + k}`)
    .str(150, 'F')
    .str(39, '1')
    .str(55, SYMBOLS[k % SYMBOLS.length])
    .str(54, k % 3 === 0 ? '2' : '1')
    .int(38, qty)
    .str(40, '2')
    .num(44, 100 + (k % 997) / 100)
    .int(32, filled)
    .num(31, 100 + (k % 991) / 100)
    .int(151, qty - filled)
    .int(14, filled)
    .num(6, 100 + (k % 991) / 100)
    .time(60, T0 + k - 2)
    .str(1, 'DESK-7')
    .finish();
}

function newOrderSingle(w: FixWriter, k: number): Buffer {
  return w
    .begin('D')
    .str(49, 'RISKLINE')
    .str(56, 'VENUE1')
    .int(34, 5000 + k)
    .time(52, T0 + k)
    .str(11, `C-${100000 + k}`)
    .str(1, 'DESK-7')
    .str(55, SYMBOLS[k % SYMBOLS.length])
    .str(54, k % 3 === 0 ? '2' : '1')
    .time(60, T0 + k - 1)
    .int(38, 100 * (1 + (k % 50)))
    .str(40, '2')
    .num(44, 100 + (k % 997) / 100)
    .str(59, '0')
    .finish();
}

interface Stream {
  bytes: Buffer;
  starts: Int32Array;
  ends: Int32Array;
}

function stream(make: (w: FixWriter, k: number) => Buffer): Stream {
  const w = new FixWriter();
  const parts = Array.from({ length: MESSAGES }, (_, k) => Buffer.from(make(w, k)));
  const starts = new Int32Array(MESSAGES);
  const ends = new Int32Array(MESSAGES);
  let at = 0;
  parts.forEach((p, k) => {
    starts[k] = at;
    ends[k] = at += p.length;
  });
  return { bytes: Buffer.concat(parts), starts, ends };
}

/**
 * Messages/s of `pass` (which handles `perPass` messages): the median of `rounds` rounds of
 * `roundMs` each, after one unrecorded round.
 */
function rate(pass: () => void, perPass: number, roundMs: number, rounds: number): number {
  const results: number[] = [];
  for (let r = -1; r < rounds; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let ns: number;
    do {
      pass();
      n += perPass;
      ns = Number(process.hrtime.bigint() - t0);
    } while (ns < roundMs * 1e6);
    if (r >= 0) results.push((n / ns) * 1e9);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)];
}

/** A pass check: every message parsed Ok, else the figure would be of the wrong work. */
function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`fix-codec bench: ${what}`);
}

function tsParse(s: Stream, f: FieldList) {
  return () => {
    for (let k = 0; k < MESSAGES; k++)
      if (parseMessage(s.bytes, s.starts[k], s.ends[k], f).status !== ParseStatus.Ok) expect(false, 'ts parse');
  };
}

function tsFrameParse(s: Stream, f: FieldList) {
  const framer = new FixFramer();
  let n = 0;
  const onMessage = (b: Buffer, start: number, end: number) => {
    if (parseMessage(b, start, end, f).status === ParseStatus.Ok) n++;
  };
  const onGarbled = () => expect(false, 'ts framer found garbage');
  return () => {
    n = 0;
    framer.push(s.bytes, onMessage, onGarbled);
    expect(n === MESSAGES, 'ts framer');
  };
}

function nativeSingle(codec: FixNativeCodec, s: Stream, f: FieldList) {
  return () => {
    for (let k = 0; k < MESSAGES; k++)
      if (codec.parseMessage(s.bytes, s.starts[k], s.ends[k], f).status !== ParseStatus.Ok) expect(false, 'native');
  };
}

function nativeBatch(codec: FixNativeCodec, s: Stream, batch: FixBatch) {
  return () => {
    const n = codec.parseBatch(s.bytes, 0, s.bytes.length, batch);
    expect(n === MESSAGES && batch.consumed === s.bytes.length && batch.status(n - 1) === 0, 'native batch');
  };
}

interface JspurefixCase {
  setup(): void;
  run(operations: number): number;
  operationsPerInvocation: number;
}

/** jspurefix's own parse benchmark case over `s`, or why it cannot run. */
async function jspurefix(ers: Stream, nos: Stream): Promise<{ er: JspurefixCase; nos: JspurefixCase } | string> {
  const require = createRequire(import.meta.url);
  try {
    require('reflect-metadata');
    const jsp = require('jspurefix');
    const bench = require('jspurefix/dist/benchmark');
    const sys = new jsp.SessionContainer();
    sys.registerGlobal('error');
    const description = {
      application: {
        type: 'initiator',
        name: 'bench',
        tcp: { host: 'localhost', port: 0 },
        protocol: 'ascii',
        dictionary: 'qf44',
        reconnectSeconds: 10,
      },
      BeginString: 'FIX.4.4',
      SenderCompId: 'RISKLINE',
      TargetCompID: 'VENUE1',
      HeartBtInt: 30,
    };
    const container = await sys.makeSystem(description);
    const config = container.resolve(jsp.DITokens.IJsFixConfig);
    // SOH on the wire and in its views: no delimiter rewriting, its cheapest path.
    config.delimiter = 1;
    config.logDelimiter = 1;
    const make = (s: Stream, name: string): JspurefixCase => {
      const c = new bench.ParseCase(name, {
        config,
        contents: s.bytes.toString('latin1'),
        depth: bench.ParseDepth.View,
      });
      c.setup();
      return c;
    };
    const er = make(ers, 'er');
    const no = make(nos, 'nos');
    if (er.operationsPerInvocation !== MESSAGES || no.operationsPerInvocation !== MESSAGES)
      return `jspurefix found ${er.operationsPerInvocation} and ${no.operationsPerInvocation} messages of ${MESSAGES}`;
    const viewCheck = checkJspurefixView(require, jsp, config, ers);
    return viewCheck === '' ? { er, nos: no } : viewCheck;
  } catch (err) {
    return `jspurefix did not load (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`;
  }
}

/** Its parser's view of the first ExecutionReport holds the fields we wrote (so the work is real). */
function checkJspurefixView(require: NodeJS.Require, jsp: Record<string, unknown>, config: unknown, s: Stream): string {
  const { makeSessionScope } = require('jspurefix/dist/runtime/session-scope');
  const tokens = jsp.DITokens as Record<string, unknown>;
  const scoped = makeSessionScope(config);
  const buffer = scoped.sessionContainer.resolve(tokens.ParseBuffer);
  const Parser = jsp.AsciiParser as new (...args: unknown[]) => {
    on(event: 'msg', f: (type: string, view: { getString(tag: number): string | null }) => void): void;
    parseBuffer(b: Buffer): void;
  };
  const parser = new Parser(scoped, null, buffer, 160 * 1024);
  const got: string[] = [];
  parser.on('msg', (type, view) => got.push(`${type} ${view.getString(17)} ${view.getString(55)}`));
  parser.parseBuffer(s.bytes.subarray(s.starts[0], s.ends[0]));
  const want = `8 E-${20261207500000} ${SYMBOLS[0]}`;
  return got[0] === want ? '' : `jspurefix's view of the first ExecutionReport is ${JSON.stringify(got)}, not ${want}`;
}

function encodeRates(codec: FixNativeCodec | null, s: Stream, roundMs: number, rounds: number) {
  const begin = Buffer.from('FIX.4.4', 'latin1');
  const w = new FixWriter();
  const writer = rate(
    () => {
      for (let k = 0; k < MESSAGES; k++) executionReport(w, k);
    },
    MESSAGES,
    roundMs,
    rounds,
  );
  // The parsed stream's bodies (fields 2 .. n-2 of each message) are the values to encode: the
  // output must be the stream itself, byte for byte.
  const f = new FieldList();
  const tags = new Int32Array(MESSAGES * 32);
  const starts = new Int32Array(MESSAGES * 32);
  const ends = new Int32Array(MESSAGES * 32);
  const messages = new Int32Array(2 * MESSAGES);
  let used = 0;
  for (let k = 0; k < MESSAGES; k++) {
    parseMessage(s.bytes, s.starts[k], s.ends[k], f);
    tags.set(f.tags.subarray(2, f.count - 1), used);
    starts.set(f.starts.subarray(2, f.count - 1), used);
    ends.set(f.ends.subarray(2, f.count - 1), used);
    messages[2 * k] = used;
    messages[2 * k + 1] = f.count - 3;
    used += f.count - 3;
  }
  const out = Buffer.alloc(s.bytes.length + 1024);
  const fields = rate(
    () => {
      let at = 0;
      for (let k = 0; k < MESSAGES; k++)
        at += encodeFields(begin, s.bytes, tags, starts, ends, messages[2 * k], messages[2 * k + 1], out, at);
    },
    MESSAGES,
    roundMs,
    rounds,
  );
  expect(out.subarray(0, s.bytes.length).equals(s.bytes), 'encodeFields did not rewrite the stream');
  if (!codec) return { writer, fields };
  const lengths = new Int32Array(MESSAGES);
  out.fill(0);
  const batch = rate(
    () => void codec.encodeBatch(begin, s.bytes, tags, starts, ends, messages, MESSAGES, out, 0, lengths),
    MESSAGES,
    roundMs,
    rounds,
  );
  expect(out.subarray(0, s.bytes.length).equals(s.bytes), 'native encodeBatch did not rewrite the stream');
  const single = rate(
    () => {
      let at = 0;
      for (let k = 0; k < MESSAGES; k++)
        at += codec.encode(begin, s.bytes, tags, starts, ends, messages[2 * k], messages[2 * k + 1], out, at);
    },
    MESSAGES,
    roundMs,
    rounds,
  );
  return { writer, fields, batch, single };
}

export const fixCodec: Scenario = {
  name: 'fix-codec',
  description:
    'FIX 4.4 parse/encode msgs/s on one core: native (batch, single call), TypeScript, jspurefix AsciiParser',
  async run({ quick, log }) {
    const roundMs = quick ? 100 : 400;
    const rounds = quick ? 3 : 7;
    const ers = stream(executionReport);
    const nos = stream(newOrderSingle);
    const f = new FieldList();
    const batch = new FixBatch();
    const codec = fixNative;
    if (!codec) log(`native codec unavailable: ${fixNativeUnavailable}`);
    const peer = await jspurefix(ers, nos);
    if (typeof peer === 'string') log(`jspurefix skipped: ${peer}`);

    const metrics: Record<string, number> = {};
    const put = (name: string, value: number) => {
      metrics[name] = value;
      log(`${name.padEnd(32)} ${(value / 1e6).toFixed(3)}M`);
    };
    for (const [kind, s] of [
      ['er', ers],
      ['nos', nos],
    ] as const) {
      if (codec) {
        put(`native_parse_${kind}_per_s`, rate(nativeBatch(codec, s, batch), MESSAGES, roundMs, rounds));
        put(`native_parse_single_${kind}_per_s`, rate(nativeSingle(codec, s, f), MESSAGES, roundMs, rounds));
      }
      put(`ts_parse_${kind}_per_s`, rate(tsParse(s, f), MESSAGES, roundMs, rounds));
      put(`ts_frame_parse_${kind}_per_s`, rate(tsFrameParse(s, f), MESSAGES, roundMs, rounds));
      if (typeof peer !== 'string') {
        const c = kind === 'er' ? peer.er : peer.nos;
        put(
          `jspurefix_parse_${kind}_per_s`,
          rate(() => void c.run(MESSAGES), MESSAGES, roundMs, rounds),
        );
      }
    }
    const enc = encodeRates(codec, ers, roundMs, rounds);
    put('ts_writer_encode_er_per_s', enc.writer);
    put('ts_encode_fields_er_per_s', enc.fields);
    if (enc.batch !== undefined) put('native_encode_er_per_s', enc.batch);
    if (enc.single !== undefined) put('native_encode_single_er_per_s', enc.single);

    const native = metrics.native_parse_er_per_s;
    const jsp = metrics.jspurefix_parse_er_per_s;
    if (native !== undefined && jsp !== undefined) metrics.native_vs_jspurefix = native / jsp;
    if (native !== undefined) metrics.native_vs_ts = native / metrics.ts_parse_er_per_s;
    if (native !== undefined) metrics.native_vs_ts_frame = native / metrics.ts_frame_parse_er_per_s;
    if (jsp !== undefined) metrics.ts_vs_jspurefix = metrics.ts_frame_parse_er_per_s / jsp;
    log(
      `native/jspurefix ${metrics.native_vs_jspurefix?.toFixed(1) ?? '—'}×, native/ts ${metrics.native_vs_ts?.toFixed(1) ?? '—'}×`,
    );
    const f2 = new FieldList();
    parseMessage(ers.bytes, ers.starts[0], ers.ends[0], f2);
    return {
      params: {
        messagesPerPass: MESSAGES,
        erBytes: ers.bytes.length / MESSAGES,
        erFields: f2.count,
        nosBytes: nos.bytes.length / MESSAGES,
        roundMs,
        rounds,
        statistic: 'median of rounds, one warm-up round discarded',
        nativeCodec: codec ? codec.path : `unavailable: ${fixNativeUnavailable}`,
        jspurefix:
          typeof peer === 'string'
            ? `skipped: ${peer}`
            : 'jspurefix 5.11.4, benchmark ParseCase (AsciiParser.parseBuffer, depth view), dictionary qf44 (its data/FIX44.xml)',
        cpu: cpuInfo(),
      },
      metrics,
      baseline:
        jsp === undefined ? null : { name: 'jspurefix 5.11.4 AsciiParser (view)', metrics: { parse_er_per_s: jsp } },
      ratio: metrics.native_vs_jspurefix ?? null,
      targets: checkTargets(metrics, [
        { metric: 'native_parse_er_per_s', op: '>=', value: 2_000_000 },
        { metric: 'native_vs_jspurefix', op: '>=', value: 10 },
      ]),
    };
  },
};
