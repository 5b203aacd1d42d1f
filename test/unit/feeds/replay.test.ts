import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { checkSpeed, pace, parseNdjsonLine, readReplay, type ReplayEvent } from '../../../feeds/replay.js';
import { caught, caughtAsync } from './fixtures.js';

async function collect(file: string): Promise<ReplayEvent[]> {
  const out: ReplayEvent[] = [];
  for await (const e of readReplay(file)) out.push(e);
  return out;
}

const NDJSON = [
  '# recorded by riskline',
  '{"type":"tick","instrument":"AAPL","ts":1764000000000,"bid":1,"ask":2,"last":1.5}',
  '',
  '   ',
  '{"instrument":"MSFT","ts":"2025-11-24T14:30:00Z","bid":10,"ask":10.5}',
  '{"type":"execution","id":"X1","portfolio":"P1","instrument":"AAPL","side":"buy","qty":10,"price":2,"fees":0.5,"ts":1764000000100}',
  '{"type":"frame","channel":"positions:P1","seq":3,"digest":"abc123"}',
].join('\n');

const EXPECTED: ReplayEvent[] = [
  { kind: 'tick', tick: { instrument: 'AAPL', ts: 1764000000000, bid: 1, ask: 2, last: 1.5 } },
  { kind: 'tick', tick: { instrument: 'MSFT', ts: Date.UTC(2025, 10, 24, 14, 30), bid: 10, ask: 10.5, last: 10.25 } },
  {
    kind: 'execution',
    execution: {
      id: 'X1',
      portfolio: 'P1',
      instrument: 'AAPL',
      side: 'buy',
      qty: 10,
      price: 2,
      fees: 0.5,
      ts: 1764000000100,
    },
  },
  { kind: 'frame', channel: 'positions:P1', seq: 3, digest: 'abc123' },
];

t.test(
  'NDJSON: ticks (type optional, ISO or epoch ts), executions, frames; comments, blanks, CRLF, gzip',
  async (t) => {
    const dir = t.testdir({
      'a.ndjson': NDJSON + '\n',
      'crlf.jsonl': NDJSON.replaceAll('\n', '\r\n'),
      'bom.ndjson': '\ufeff' + NDJSON,
      'z.ndjson.gz': gzipSync(Buffer.from(NDJSON)),
    });
    t.same(await collect(join(dir, 'a.ndjson')), EXPECTED);
    t.same(await collect(join(dir, 'crlf.jsonl')), EXPECTED);
    t.same(await collect(join(dir, 'bom.ndjson')), EXPECTED);
    t.same(await collect(join(dir, 'z.ndjson.gz')), EXPECTED);
    // Stopping early closes the file without error.
    for await (const e of readReplay(join(dir, 'a.ndjson'))) {
      t.equal(e.kind, 'tick');
      break;
    }
  },
);

t.test('CSV: columns in any order, last optional, quotes, ISO times', async (t) => {
  const dir = t.testdir({
    'a.csv': [
      '# header next',
      'ts,Instrument,ask,bid,last',
      '1000,AAPL,2,1,1.25',
      '',
      '2025-11-24T14:30:00Z,"MSFT",11,10,',
    ].join('\n'),
    'b.csv': 'instrument,bid,ask,ts\r\nEURUSD,1.08,1.0802,5\r\n',
  });
  t.same(await collect(join(dir, 'a.csv')), [
    { kind: 'tick', tick: { instrument: 'AAPL', ts: 1000, bid: 1, ask: 2, last: 1.25 } },
    { kind: 'tick', tick: { instrument: 'MSFT', ts: Date.UTC(2025, 10, 24, 14, 30), bid: 10, ask: 11, last: 10.5 } },
  ]);
  t.same(await collect(join(dir, 'b.csv')), [
    { kind: 'tick', tick: { instrument: 'EURUSD', ts: 5, bid: 1.08, ask: 1.0802, last: (1.08 + 1.0802) / 2 } },
  ]);
});

t.test('every bad line names file, line and field', async (t) => {
  const good = '{"instrument":"A","ts":1,"bid":1,"ask":2}';
  const cases: [name: string, content: string, message: string][] = [
    [
      'json.ndjson',
      `${good}\n{"instrument":"A",`,
      'json.ndjson:2: json: expected a JSON object, received invalid JSON',
    ],
    ['array.ndjson', '[1,2]', 'array.ndjson:1: json: expected a JSON object, received an array of 2'],
    ['number.ndjson', '# c\n42', 'number.ndjson:2: json: expected a JSON object, received 42'],
    [
      'missing.ndjson',
      `${good}\n${good}\n{"instrument":"A","ts":1,"ask":2}`,
      'missing.ndjson:3: bid: expected a positive number, received nothing',
    ],
    [
      'nonnum.ndjson',
      '{"instrument":"A","ts":1,"bid":"x","ask":2}',
      'nonnum.ndjson:1: bid: expected a positive number, received "x"',
    ],
    [
      'crossed.ndjson',
      '{"instrument":"A","ts":1,"bid":3,"ask":2}',
      'crossed.ndjson:1: ask: expected a price >= bid 3, received 2',
    ],
    [
      'ts.ndjson',
      '{"instrument":"A","ts":"yesterday","bid":1,"ask":2}',
      'ts.ndjson:1: ts: expected epoch milliseconds or an ISO-8601 time, received "yesterday"',
    ],
    [
      'type.ndjson',
      '{"type":"quote","instrument":"A"}',
      'type.ndjson:1: type: expected "tick", "execution", "heartbeat", "start" or "frame", received "quote"',
    ],
    [
      'exec.ndjson',
      '{"type":"execution","id":"X","portfolio":"P","instrument":"A","side":"hold","qty":1,"price":1,"ts":1}',
      'exec.ndjson:1: side: expected "buy" or "sell", received "hold"',
    ],
    [
      'frame.ndjson',
      '{"type":"frame","channel":"risk:P1","seq":-1,"digest":"d"}',
      'frame.ndjson:1: seq: expected a non-negative integer, received -1',
    ],
    [
      'header.csv',
      'sym,ts,bid,ask\nA,1,1,2',
      'header.csv:1: header: expected only the columns instrument, ts, bid, ask, last, received "sym"',
    ],
    [
      'nocol.csv',
      'instrument,ts,bid\nA,1,1',
      'nocol.csv:1: header: expected a column ask (columns: instrument, ts, bid, ask, last?), received "instrument,ts,bid"',
    ],
    ['dup.csv', 'instrument,ts,bid,ask,bid', 'dup.csv:1: header: expected each column once, received bid twice'],
    ['row.csv', 'instrument,ts,bid,ask\nA,1,1,2\nA,1,1', 'row.csv:3: row: expected 4 values, received 3'],
    ['cell.csv', 'instrument,ts,bid,ask\nA,1,abc,2', 'cell.csv:2: bid: expected a positive number, received "abc"'],
    ['empty.csv', 'instrument,ts,bid,ask\nA,1,,2', 'empty.csv:2: bid: expected a positive number, received nothing'],
    [
      'csvts.csv',
      'instrument,ts,bid,ask\nA,noon,1,2',
      'csvts.csv:2: ts: expected epoch milliseconds or an ISO-8601 time, received "noon"',
    ],
    ['nohead.csv', '# nothing\n\n', 'nohead.csv:3: header: expected a header row, received end of file'],
  ];
  const dir = t.testdir(Object.fromEntries(cases.map(([name, content]) => [name, content])));
  for (const [name, , message] of cases) {
    const file = join(dir, name);
    t.same(await caughtAsync(() => collect(file)), { code: 'REPLAY_FILE', message: `${dir}/${message}` }, name);
  }
  t.same(await caughtAsync(() => collect(join(dir, 'absent.ndjson'))), {
    code: 'REPLAY_FILE',
    message: `${dir}/absent.ndjson: file: expected a readable file, received ENOENT`,
  });
  t.same(await caughtAsync(() => collect(dir)), {
    code: 'REPLAY_FILE',
    message: `${dir}:1: file: expected readable ndjson, received EISDIR`,
  });
  const gz = t.testdir({ 'bad.ndjson.gz': 'not gzip at all' });
  t.same(await caughtAsync(() => collect(join(gz, 'bad.ndjson.gz'))), {
    code: 'REPLAY_FILE',
    message: `${gz}/bad.ndjson.gz:1: file: expected readable ndjson, received Z_DATA_ERROR`,
  });
});

const tick = (ts: number): ReplayEvent => ({ kind: 'tick', tick: { instrument: 'A', ts, bid: 1, ask: 2, last: 1.5 } });
const frame: ReplayEvent = { kind: 'frame', channel: 'risk:P1', seq: 1, digest: 'd' };

async function timed(
  events: ReplayEvent[],
  speed: number,
  onWait?: () => void,
): Promise<{ ms: number; out: ReplayEvent[] }> {
  const start = performance.now();
  const out: ReplayEvent[] = [];
  for await (const e of pace(events, { speed, onWait })) out.push(e);
  return { ms: performance.now() - start, out };
}

t.test('pace: event-time gaps / speed in real time, Infinity as fast as possible', async (t) => {
  const events = [tick(1000), frame, tick(1100), tick(1050), tick(1200), tick(1300)];
  let waits = 0;
  const real = await timed(events, 1, () => waits++);
  t.same(real.out, events, 'order and content kept');
  t.ok(real.ms >= 290 && real.ms < 1000, `speed 1 takes the 300 ms of event time: ${real.ms}`);
  t.equal(waits, 3, 'onWait runs before each wait (not for frames or time going back)');
  const fast = await timed(events, 10);
  t.ok(fast.ms >= 28 && fast.ms < 200, `speed 10 takes 30 ms: ${fast.ms}`);
  const inf = await timed(events, Infinity);
  t.ok(inf.ms < 25, `speed Infinity does not wait: ${inf.ms}`);
  // The event loop keeps running while pacing waits.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  await timed([tick(0), tick(100)], 1);
  clearInterval(timer);
  t.ok(ticks >= 10, `timers ran during the wait: ${ticks}`);
});

t.test('pace stops when aborted and rejects bad speeds', async (t) => {
  const ac = new AbortController();
  const start = performance.now();
  const out: ReplayEvent[] = [];
  // Aborted while pace waits the 10 s before the third tick: onWait runs just before each wait.
  const onWait = () => void (out.length === 2 && setImmediate(() => ac.abort()));
  for await (const e of pace([tick(0), tick(10), tick(10_000), tick(20_000)], { speed: 1, signal: ac.signal, onWait }))
    out.push(e);
  t.equal(out.length, 2);
  t.ok(performance.now() - start < 1000, 'returns promptly');
  for (const s of [0, -1, NaN]) {
    t.same(
      caught(() => checkSpeed(s)),
      { code: 'USAGE', message: `speed: expected a positive number or Infinity, received ${s}` },
    );
  }
  t.same(
    await caughtAsync(async () => {
      for await (const _ of pace([], { speed: 0 })) void _;
    }),
    {
      code: 'USAGE',
      message: 'speed: expected a positive number or Infinity, received 0',
    },
  );
});

t.test('heartbeats (recorded idle flushes) are read with their event time', async (t) => {
  t.same(parseNdjsonLine('{"type":"heartbeat","ts":1795000000100}', 'f:1'), { kind: 'heartbeat', ts: 1795000000100 });
  t.throws(() => parseNdjsonLine('{"type":"heartbeat","ts":"soon"}', 'f:2'), {
    code: 'REPLAY_FILE',
    message: /^f:2: ts: expected/,
  });
});
