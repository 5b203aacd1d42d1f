// Generates docs/wire-format.examples.md: one example of each bus message, built with the real
// encoders (the envelope codec, the feed's TickEncoder, a tiny real Engine run for the frames),
// with its topic, key and partition, its JSON bytes and an annotated MessagePack hex dump.
// test/unit/streams/wire-format.test.ts checks the committed file against renderWireExamples(),
// so the examples cannot drift from the encoders.
//
//   node dist/tools/wire-examples.js      writes docs/wire-format.examples.md
//   node dist/tools/wire-examples.js -    prints it to stdout

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfigDir } from '../config/load.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { decodeFrame, type EncodedFrame } from '../engine/frames.js';
import type { Alert, Instrument } from '../engine/model.js';
import { tsBackend } from '../engine/risk/ts-backend.js';
import { validateExecution, validateTick, validateTickTuple } from '../engine/validate.js';
import { TickEncoder } from '../feeds/publish.js';
import type { BusMessage } from '../streams/bus.js';
import {
  ENVELOPE_VERSION,
  encodeEnvelope,
  encodeFrameEnvelope,
  type Codec,
  type Envelope,
  type TickTuple,
} from '../streams/envelope.js';
import { partitionFor } from '../streams/partitioner.js';
import { TOPIC, type TopicConfig, type TopicName } from '../streams/topics.js';

export interface WireExample {
  /** Section title. */
  title: string;
  /** One or two sentences: who writes it and what to notice. */
  note: string;
  /** Physical topic name (with the prefix). */
  topic: string;
  key: string;
  partitions: number;
  partition: number;
  /** The topic's configured codec. */
  codec: Codec;
  json: string;
  msgpack: Uint8Array;
}

/** Event time of the examples: 2026-11-25T14:30:00.250Z. */
const T0 = Date.parse('2026-11-25T14:30:00.250Z');
const FEED = 'feed-1';
const ENGINE = 'engine-1';
const PORTFOLIO = 'P-DEMO';

function topicConfig(): TopicConfig {
  return JSON.parse(readFileSync(path.join(defaultConfigDir(), 'topics.json'), 'utf8')) as TopicConfig;
}

function equity(id: string, price: number): Instrument {
  return {
    id,
    kind: 'equity',
    currency: 'USD',
    sector: 'Technology',
    country: 'US',
    multiplier: 1,
    price,
    factors: { EQ_US: 1.1 },
    idioVol: 0.25,
  };
}

/** A one-portfolio, two-instrument engine with one gross limit that the example execution breaches. */
function engineOptions(): EngineOptions {
  return {
    valuationTime: T0 - 250,
    instruments: [equity('AAPL', 200), equity('AMZN', 180)],
    portfolios: [
      {
        id: PORTFOLIO,
        name: 'Demo book',
        baseCurrency: 'USD',
        cash: { USD: 100_000 },
        holdings: [{ instrument: 'AAPL', qty: 100, price: 190 }],
      },
    ],
    market: { factors: [{ id: 'EQ_US', vol: 0.18 }], correlations: [[1]] },
    limits: [{ id: 'gross-max', portfolio: '*', metric: 'gross', max: 25_000, severity: 'warning' }],
    markSource: 'mid',
    conflationMs: 100,
    snapshotEveryMs: 10_000,
    risk: { confidence: [0.95, 0.99], horizonDays: 1, intervalMs: 1000, riskFreeRate: 0.03 },
    backend: tsBackend,
  };
}

/** Builds every example with the encoders the product uses. Deterministic: same output every run. */
export function buildWireExamples(): WireExample[] {
  const cfg = topicConfig();
  const topic = (name: TopicName) => ({
    topic: cfg.prefix + name,
    partitions: cfg.topics[name].partitions,
    codec: cfg.topics[name].codec,
  });
  const out: WireExample[] = [];
  const add = (
    title: string,
    note: string,
    name: TopicName,
    key: string,
    encoded: { msgpack: Uint8Array; json: string },
    partition?: number,
  ) => {
    const t = topic(name);
    const p = partitionFor(key, t.partitions);
    if (partition !== undefined && partition !== p) throw new Error(`${title}: partition ${partition} ≠ ${p}`);
    out.push({ title, note, ...t, key, partition: p, ...encoded });
  };

  // --- inputs: what a feed or an order system writes ---------------------------------------------
  const tick = validateTick({ instrument: 'AAPL', ts: T0, bid: 199.98, ask: 200.02, last: 200 });
  add(
    '`tick`: one tick, map body',
    'For clients that write one tick at a time. `last` is a whole number here, so it is written as an ' +
      'integer (uint8 200): a reader takes any MessagePack int or float for a number field.',
    TOPIC.ticks,
    tick.instrument,
    both({ v: ENVELOPE_VERSION, type: 'tick', src: FEED, ts: tick.ts, seq: 41, body: tick }),
  );

  const encoder = new TickEncoder(topic(TOPIC.ticks).partitions, FEED, 256, 'msgpack', 42);
  const tuples: TickTuple[] = [
    ['AAPL', T0 + 5, 199.99, 200.03, 200.01],
    ['AMZN', T0 + 7, 181.24, 181.3, 181.27],
  ];
  tuples.forEach((tuple, k) => validateTickTuple(tuple, `ticks[${k}]`));
  const batch: BusMessage[] = encoder.encode(tuples, tuples.length, []);
  const jsonBatch: BusMessage[] = new TickEncoder(topic(TOPIC.ticks).partitions, FEED, 256, 'json', 42).encode(
    tuples,
    tuples.length,
    [],
  );
  if (batch.length !== 1 || jsonBatch.length !== 1) throw new Error('the example ticks must share one partition');
  add(
    '`ticks`: a batch of two ticks',
    "What the feed writes (feeds/publish.ts `TickEncoder`): every tuple of a record is on the record's " +
      "partition (AAPL and AMZN both hash to it); key = the first tuple's instrument; envelope `ts` = the " +
      "last tuple's `ts`. The zero-allocation reader takes this record without building objects.",
    TOPIC.ticks,
    batch[0].key,
    { msgpack: batch[0].value, json: text(jsonBatch[0].value) },
    batch[0].partition,
  );

  const execution = validateExecution({
    id: 'X-1001',
    orderId: 'O-77',
    portfolio: PORTFOLIO,
    instrument: 'AAPL',
    side: 'buy',
    qty: 50,
    price: 200.01,
    fees: 1.25,
    venue: 'XNAS',
    ts: T0 + 40,
  });
  encoder.seq = 43;
  const exec = encoder.execution(execution, 'msgpack');
  const execJson = new TickEncoder(1, FEED, 256, 'json', 43).execution(execution);
  add(
    '`execution`: a fill',
    'Keyed by portfolio, so all fills of a portfolio stay in order on one partition. `orderId`, `fees` ' +
      'and `venue` are optional.',
    TOPIC.executions,
    exec.key,
    { msgpack: exec.value, json: text(execJson.value) },
  );

  // --- outputs: a tiny real engine run ----------------------------------------------------------
  const emitted: EncodedFrame[] = [];
  const engine = new Engine(engineOptions(), (frames) => emitted.push(...frames));
  engine.tick(engine.instrumentIndex(tick.instrument), tick.ts, tick.bid, tick.ask, tick.last);
  for (const [id, ts, bid, ask, last] of tuples) engine.tick(engine.instrumentIndex(id), ts, bid, ask, last);
  engine.execute(execution);
  engine.flush();
  engine.publishSnapshots();
  // The engine role numbers its output envelopes with one counter across all frame topics.
  const envSeq = (f: EncodedFrame) => emitted.indexOf(f) + 1;
  const frame = (f: EncodedFrame) => ({
    msgpack: encodeFrameEnvelope(ENGINE, envSeq(f), f, 'msgpack'),
    json: text(encodeFrameEnvelope(ENGINE, envSeq(f), f, 'json')),
  });
  const last = (pred: (f: EncodedFrame) => boolean): EncodedFrame => {
    const f = emitted.filter(pred).pop();
    if (f === undefined) throw new Error('the example engine run did not publish the expected frame');
    return f;
  };

  const positions = last((f) => f.channel === `positions:${PORTFOLIO}` && f.type === 'snapshot' && f.seq > 1);
  add(
    '`frame`: positions snapshot',
    `What the engine writes to \`state.positions\`, key = portfolio. Frame \`seq\` (${positions.seq}) counts per ` +
      'channel; the envelope `seq` counts all frames this engine wrote. The body is the frame as the ' +
      'engine wrote it (fixmap headers, ints where a value is a whole number within 32 bits).',
    TOPIC.positions,
    PORTFOLIO,
    frame(positions),
  );

  const alertFrame = last((f) => f.channel === `alerts:${PORTFOLIO}`);
  add(
    '`frame`: an alert, as the engine writes it',
    'The engine publishes a limit alert as a frame of channel `alerts:<portfolio>` on the alerts topic, key = ' +
      'portfolio; `data` is the whole alert. Like every channel, its first frame has type `snapshot` (this one), ' +
      'later ones `update`.',
    TOPIC.alerts,
    PORTFOLIO,
    frame(alertFrame),
  );

  const alert = decodeFrame(alertFrame).data as unknown as Alert;
  add(
    '`alert`: a bare alert',
    'An alert from a producer other than the engine: the body is the alert itself. The gateway turns ' +
      'it into the next frame of `alerts:<portfolio>`.',
    TOPIC.alerts,
    alert.portfolio,
    both({ v: ENVELOPE_VERSION, type: 'alert', src: 'limits-1', ts: alert.ts, seq: 7, body: alert }),
  );

  add(
    '`heartbeat`: event time passes',
    'Tells the engine that event time has reached `ts` with no input, so it publishes what is due. The body is ignored but must be present (`{}`).',
    TOPIC.ticks,
    FEED,
    both({ v: ENVELOPE_VERSION, type: 'heartbeat', src: FEED, ts: T0 + 1000, seq: 44, body: {} }),
  );
  return out;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const both = (env: Envelope) => ({ msgpack: encodeEnvelope(env, 'msgpack'), json: text(encodeEnvelope(env, 'json')) });

// ---- annotated hex dump -----------------------------------------------------------------------

interface DumpLine {
  offset: number;
  bytes: Uint8Array;
  text: string;
}

const BYTES_PER_LINE = 16;
const HEX_WIDTH = BYTES_PER_LINE * 3 - 1;

/** A complete walk of standard MessagePack: one line per header or scalar, keys and values labelled. */

/** MessagePack number types: name, payload bytes, reader. */
const NUMBERS: Record<number, [string, number, (v: DataView, at: number) => number | bigint]> = {
  0xca: ['float32', 4, (v, at) => v.getFloat32(at)],
  0xcb: ['float64', 8, (v, at) => v.getFloat64(at)],
  0xcc: ['uint8', 1, (v, at) => v.getUint8(at)],
  0xcd: ['uint16', 2, (v, at) => v.getUint16(at)],
  0xce: ['uint32', 4, (v, at) => v.getUint32(at)],
  0xcf: ['uint64', 8, (v, at) => v.getBigUint64(at)],
  0xd0: ['int8', 1, (v, at) => v.getInt8(at)],
  0xd1: ['int16', 2, (v, at) => v.getInt16(at)],
  0xd2: ['int32', 4, (v, at) => v.getInt32(at)],
  0xd3: ['int64', 8, (v, at) => v.getBigInt64(at)],
};
/** Types with a length field: family and the field's bytes. */
const WIDE: Record<number, ['bin' | 'str' | 'array' | 'map', 1 | 2 | 4]> = {
  0xc4: ['bin', 1],
  0xc5: ['bin', 2],
  0xc6: ['bin', 4],
  0xd9: ['str', 1],
  0xda: ['str', 2],
  0xdb: ['str', 4],
  0xdc: ['array', 2],
  0xdd: ['array', 4],
  0xde: ['map', 2],
  0xdf: ['map', 4],
};

class Annotator {
  readonly lines: DumpLine[] = [];
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private emit(pos: number, length: number, depth: number, text: string): number {
    if (pos + length > this.b.length) throw new Error(`truncated MessagePack at ${pos}`);
    for (let at = pos; at < pos + length; at += BYTES_PER_LINE) {
      const end = Math.min(pos + length, at + BYTES_PER_LINE);
      this.lines.push({
        offset: at,
        bytes: this.b.subarray(at, end),
        text: at === pos ? '  '.repeat(depth) + text : '',
      });
    }
    return pos + length;
  }

  /** Walks one value at pos; returns the position after it. `label` prefixes its text (`key `, `[3] `). */
  value(pos: number, depth: number, label = ''): number {
    const b = this.b;
    const v = this.view;
    const c = b[pos];
    const line = (length: number, text: string) => this.emit(pos, length, depth, label + text);
    if (c <= 0x7f) return line(1, `positive fixint ${c}`);
    if (c >= 0xe0) return line(1, `negative fixint ${c - 0x100}`);
    if (c >= 0x80 && c <= 0x8f) return this.map(line(1, `fixmap, ${c & 0x0f} pairs`), depth, c & 0x0f);
    if (c >= 0x90 && c <= 0x9f) return this.array(line(1, `fixarray, ${c & 0x0f} items`), depth, c & 0x0f);
    if (c >= 0xa0 && c <= 0xbf) return line(1 + (c & 0x1f), `fixstr(${c & 0x1f}) ${this.text(pos + 1, c & 0x1f)}`);
    if (c === 0xc0) return line(1, 'nil');
    if (c === 0xc2 || c === 0xc3) return line(1, c === 0xc3 ? 'true' : 'false');
    const number = NUMBERS[c];
    if (number) return line(1 + number[1], `${number[0]} ${number[2](v, pos + 1)}`);
    const wide = WIDE[c];
    // ext (0xc7-0xc9, 0xd4-0xd8) and the unused 0xc1: never written by Riskline's encoders.
    if (!wide) throw new Error(`unexpected MessagePack type byte 0x${c.toString(16)} at ${pos}`);
    const [family, w] = wide;
    const n = w === 1 ? b[pos + 1] : w === 2 ? v.getUint16(pos + 1) : v.getUint32(pos + 1);
    const head = 1 + w;
    if (family === 'map') return this.map(line(head, `map${8 * w}, ${n} pairs`), depth, n);
    if (family === 'array') return this.array(line(head, `array${8 * w}, ${n} items`), depth, n);
    if (family === 'str') return line(head + n, `str${8 * w}(${n}) ${this.text(pos + head, n)}`);
    return line(head + n, `bin${8 * w}(${n}) (not used in envelopes)`);
  }

  private map(pos: number, depth: number, pairs: number): number {
    for (let i = 0; i < pairs; i++) {
      pos = this.value(pos, depth + 1, 'key ');
      pos = this.value(pos, depth + 2);
    }
    return pos;
  }

  private array(pos: number, depth: number, items: number): number {
    for (let i = 0; i < items; i++) pos = this.value(pos, depth + 1, `[${i}] `);
    return pos;
  }

  private text(start: number, length: number): string {
    return JSON.stringify(this.utf8.decode(this.b.subarray(start, start + length)));
  }
}

/** Hex dump of one MessagePack value: `offset  bytes  meaning`, one line per part. */
export function annotatedHex(bytes: Uint8Array): string {
  const a = new Annotator(bytes);
  const end = a.value(0, 0);
  if (end !== bytes.length) throw new Error(`${bytes.length - end} bytes after the value`);
  const width = Math.max(4, (bytes.length - 1).toString(16).length);
  const rows = a.lines.map((l) => {
    const hex = Array.from(l.bytes, (x) => x.toString(16).padStart(2, '0')).join(' ');
    return `${l.offset.toString(16).padStart(width, '0')}  ${hex.padEnd(HEX_WIDTH)}  ${l.text}`.trimEnd();
  });
  return [`${'off'.padEnd(width)}  ${'bytes'.padEnd(HEX_WIDTH)}  meaning`, ...rows].join('\n');
}

// ---- markdown ---------------------------------------------------------------------------------

export function renderWireExamples(): string {
  const examples = buildWireExamples();
  const out: string[] = [
    '<!-- Generated by tools/wire-examples.ts (npm run gen:wire). Do not edit: test/unit/streams/wire-format.test.ts compares it with the encoders. -->',
    '',
    '# Bus wire format: generated examples',
    '',
    "Every example below was built by the product's own encoders (`streams/envelope.ts`, `feeds/publish.ts`, a small `Engine` run) " +
      'and is checked by the unit tests: each JSON form and each MessagePack form decode to the same envelope. The rules are in ' +
      "[wire-format.md](wire-format.md). Partitions are for the partition counts in `config/topics.json` (murmur2 of the key, as Kafka's Java client). " +
      "Hex dumps show the offset (hex), the bytes, and what they are; a map's keys are indented under it and each value under its key.",
    '',
    '<!-- prettier-ignore-start -->',
  ];
  examples.forEach((e, k) => {
    out.push(
      '',
      `## ${k + 1}. ${e.title}`,
      '',
      e.note,
      '',
      `- topic \`${e.topic}\` (codec ${e.codec}), key \`${e.key}\`, partition ${e.partition} of ${e.partitions}`,
      '',
      `JSON, ${new TextEncoder().encode(e.json).length} bytes:`,
      '',
      '```json',
      e.json,
      '```',
      '',
      `MessagePack, ${e.msgpack.length} bytes:`,
      '',
      '```text',
      annotatedHex(e.msgpack),
      '```',
    );
  });
  out.push('', '<!-- prettier-ignore-end -->', '');
  return out.join('\n');
}

/** Where the committed examples live: docs/wire-format.examples.md beside the package's config/. */
export function examplesPath(): string {
  return path.join(path.dirname(defaultConfigDir()), 'docs', 'wire-format.examples.md');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = renderWireExamples();
  if (process.argv[2] === '-') process.stdout.write(text);
  else {
    const file = examplesPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
