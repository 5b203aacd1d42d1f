// Replay files: NDJSON or CSV recordings read as a stream (files can be gigabytes; `.gz` is
// gunzipped on the fly) and turned into input events, plus `pace`, which replays them in real time
// at a speed factor or as fast as possible. Every bad line fails with one line naming the file,
// the line number and the field: `<file>:<line>: <field>: expected …, received …` (REPLAY_FILE).
//
// NDJSON, one object per line (blank lines and lines starting with `#` are skipped):
//   {"type":"tick","instrument":"AAPL","ts":1764000000000,"bid":1,"ask":2,"last":1.5}
//     (`type` may be omitted for ticks; `ts` is epoch ms or ISO-8601; `last` defaults to the mid)
//   {"type":"execution","id":"X1","portfolio":"P1","instrument":"AAPL","side":"buy","qty":10,"price":1.5,"fees":0.1,"ts":...}
//   {"type":"frame","channel":"positions:P1","seq":42,"digest":"…"}   (recordings made by the engine)
//   {"type":"heartbeat","ts":…}   event time passing without input
//   {"type":"start","ts":…}       the valuation time before the first event (first record only;
//                                 recordings begin with it; without it the first event's time)
// CSV: a header row naming the columns instrument, ts, bid, ask and optionally last, in any order;
// then one tick per row. Cells may be wrapped in double quotes but may not contain commas.

import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { RisklineError } from '../errors/catalogue.js';
import type { Execution, Tick } from '../engine/model.js';
import { describe, fail, failText, parseTime, validateExecution, validateTick } from '../engine/validate.js';

export type ReplayEvent =
  | { kind: 'tick'; tick: Tick }
  | { kind: 'execution'; execution: Execution }
  | { kind: 'frame'; channel: string; seq: number; digest: string }
  /** Event time passing without input: `{"type":"heartbeat","ts":…}`. */
  | { kind: 'heartbeat'; ts: number }
  /** The valuation time before the first event: `{"type":"start","ts":…}`, first record only. */
  | { kind: 'start'; ts: number };

export type ReplayFormat = 'ndjson' | 'csv';

const CODE = 'REPLAY_FILE';

/** CSV for `.csv` / `.csv.gz`, NDJSON for anything else (`.ndjson`, `.jsonl`, `.log`, …). */
function replayFormat(file: string): ReplayFormat {
  return /\.csv(\.gz)?$/i.test(file) ? 'csv' : 'ndjson';
}

/** Event time of an input (tick, execution, heartbeat), or undefined for the rest (frames, start). */
export function eventTime(e: ReplayEvent): number | undefined {
  if (e.kind === 'tick') return e.tick.ts;
  if (e.kind === 'execution') return e.execution.ts;
  return e.kind === 'heartbeat' ? e.ts : undefined;
}

/** Parses one NDJSON line; null for blank and comment lines. `where` prefixes errors (`file:line`). */
export function parseNdjsonLine(line: string, where: string): ReplayEvent | null {
  const s = line.trim();
  if (s === '' || s.charCodeAt(0) === 35 /* # */) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(s);
  } catch {
    throw new RisklineError(CODE, `${where}: json: expected a JSON object, received invalid JSON`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) fail(CODE, where, 'json', 'a JSON object', obj);
  const type = (obj as { type?: unknown }).type;
  if (type === undefined || type === 'tick') return { kind: 'tick', tick: validateTick(obj, where, CODE) };
  if (type === 'execution') return { kind: 'execution', execution: validateExecution(obj, where, CODE) };
  if (type === 'frame') {
    const { channel, seq, digest } = obj as Record<string, unknown>;
    if (typeof channel !== 'string' || channel === '') fail(CODE, where, 'channel', 'a non-empty string', channel);
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      fail(CODE, where, 'seq', 'a non-negative integer', seq);
    }
    if (typeof digest !== 'string' || digest === '') fail(CODE, where, 'digest', 'a non-empty string', digest);
    return { kind: 'frame', channel, seq, digest };
  }
  if (type === 'heartbeat' || type === 'start') {
    const ts = parseTime((obj as { ts?: unknown }).ts);
    if (Number.isNaN(ts)) fail(CODE, where, 'ts', 'epoch milliseconds or an ISO time', (obj as { ts?: unknown }).ts);
    return { kind: type, ts };
  }
  return fail(CODE, where, 'type', '"tick", "execution", "heartbeat", "start" or "frame"', type);
}

const CSV_COLUMNS = ['instrument', 'ts', 'bid', 'ask', 'last'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly CsvColumn[] = ['instrument', 'ts', 'bid', 'ask'];
const NUMERIC_TS = /^\s*-?\d+(\.\d+)?\s*$/;

function cell(raw: string): string {
  const s = raw.trim();
  return s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34 ? s.slice(1, -1) : s;
}

function csvNumber(s: string): number | string | undefined {
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

/** CSV tick rows under a header; built from the header line, then fed the rows. */
class CsvTickParser {
  private readonly columns: CsvColumn[];
  private readonly pos: Record<CsvColumn, number>;

  constructor(header: string, where: string) {
    const names = header.split(',').map((h) => cell(h).toLowerCase());
    const pos = { instrument: -1, ts: -1, bid: -1, ask: -1, last: -1 };
    names.forEach((name, i) => {
      if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
        fail(CODE, where, 'header', 'only the columns instrument, ts, bid, ask, last', name);
      }
      if (pos[name as CsvColumn] >= 0) failText(CODE, where, 'header', 'each column once', `${name} twice`);
      pos[name as CsvColumn] = i;
    });
    for (const c of REQUIRED) {
      if (pos[c] < 0) fail(CODE, where, 'header', `a column ${c} (columns: instrument, ts, bid, ask, last?)`, header);
    }
    this.columns = names as CsvColumn[];
    this.pos = pos;
  }

  /** Parses a data row; null for blank and comment lines. */
  parse(line: string, where: string): ReplayEvent | null {
    const s = line.trim();
    if (s === '' || s.charCodeAt(0) === 35 /* # */) return null;
    const cells = s.split(',');
    if (cells.length !== this.columns.length) {
      failText(CODE, where, 'row', `${this.columns.length} values`, String(cells.length));
    }
    const p = this.pos;
    const ts = cell(cells[p.ts]);
    const raw = {
      instrument: cell(cells[p.instrument]),
      ts: NUMERIC_TS.test(ts) ? Number(ts) : ts === '' ? undefined : ts,
      bid: csvNumber(cell(cells[p.bid])),
      ask: csvNumber(cell(cells[p.ask])),
      last: p.last >= 0 ? csvNumber(cell(cells[p.last])) : undefined,
    };
    return { kind: 'tick', tick: validateTick(raw, where, CODE) };
  }
}

export interface ReadReplayOptions {
  /** Overrides the format guessed from the file name. */
  format?: ReplayFormat;
}

/**
 * Reads a replay file line by line (constant memory) and yields its events in file order. Throws
 * RisklineError REPLAY_FILE on the first bad line, or when the file cannot be read.
 */
export async function* readReplay(file: string, options: ReadReplayOptions = {}): AsyncGenerator<ReplayEvent> {
  const format = options.format ?? replayFormat(file);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return failText(CODE, file, 'file', 'a readable file', e.code ?? describe(e.message));
  }
  const raw = handle.createReadStream({ highWaterMark: 1 << 20 });
  let input: Readable = raw;
  if (/\.gz$/i.test(file)) input = raw.pipe(createGunzip());
  let failure: Error | undefined;
  const rl = createInterface({ input, crlfDelay: Infinity });
  const onError = (err: Error): void => {
    failure = err;
    rl.close();
  };
  raw.on('error', onError);
  input.on('error', onError);
  let n = 0;
  let yielded = 0;
  let csv: CsvTickParser | null = null;
  try {
    for await (let line of rl) {
      n++;
      if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      const where = `${file}:${n}`;
      let event: ReplayEvent | null;
      if (format === 'ndjson') {
        event = parseNdjsonLine(line, where);
      } else if (csv === null) {
        const s = line.trim();
        if (s !== '' && s.charCodeAt(0) !== 35) csv = new CsvTickParser(s, where);
        event = null;
      } else {
        event = csv.parse(line, where);
      }
      if (event !== null) {
        if (event.kind === 'start' && yielded > 0)
          failText(CODE, where, 'type', 'a start record only before every other record', 'start later');
        yielded++;
        yield event;
      }
    }
  } catch (err) {
    if (err instanceof RisklineError) throw err;
    failure = err as Error;
  } finally {
    rl.close();
    raw.destroy();
  }
  if (failure !== undefined) {
    const code = (failure as NodeJS.ErrnoException).code;
    failText(CODE, `${file}:${n + 1}`, 'file', `readable ${format}`, code ?? describe(failure.message));
  }
  if (format === 'csv' && csv === null) {
    throw new RisklineError(CODE, `${file}:${n + 1}: header: expected a header row, received end of file`);
  }
}

export interface PaceOptions {
  /** Event-time gaps are divided by speed: 1 is real time, 10 ten times faster, Infinity no delay. */
  speed: number;
  /** Stops the iteration (without an error) when aborted. */
  signal?: AbortSignal;
  /** Awaited before each wait, e.g. to flush a partial batch so nothing sits in a buffer while idle. */
  onWait?: () => void | Promise<void>;
}

/** Checks a speed factor: a positive number or Infinity. */
export function checkSpeed(speed: number): number {
  if (typeof speed !== 'number' || !(speed > 0)) {
    throw new RisklineError('USAGE', `speed: expected a positive number or Infinity, received ${describe(speed)}`);
  }
  return speed;
}

/**
 * Re-emits events so that the real time between two events is their event-time gap / speed,
 * measured from the first timed event (an absolute schedule: no drift, and a slow consumer is not
 * made slower). Waits are timers, never busy loops; gaps under a millisecond are not waited for
 * but still accrue. Events without a time (frames) and events whose time goes back pass at once.
 */
export async function* pace<T extends ReplayEvent>(
  events: AsyncIterable<T> | Iterable<T>,
  options: PaceOptions,
): AsyncGenerator<T> {
  const speed = checkSpeed(options.speed);
  const { signal, onWait } = options;
  let t0 = NaN;
  let w0 = 0;
  let lastTs = NaN;
  for await (const e of events) {
    if (signal?.aborted) return;
    if (speed !== Infinity) {
      const ts = eventTime(e);
      // Events of one time never wait between them (a timer may fire a little early): the group
      // stays whole, so what the consumer sees at any speed is the same.
      if (ts !== undefined && ts !== lastTs) {
        lastTs = ts;
        if (Number.isNaN(t0)) {
          t0 = ts;
          w0 = performance.now();
        } else {
          const target = w0 + (ts - t0) / speed;
          if (target - performance.now() >= 1) {
            if (onWait) await onWait();
            const wait = target - performance.now();
            if (wait >= 1) {
              try {
                await sleep(wait, undefined, signal ? { signal } : undefined);
              } catch (err) {
                if (signal?.aborted) return;
                throw err;
              }
            }
          }
        }
      }
    }
    yield e;
  }
}

/**
 * The valuation time a replay starts from: its `start` record, else its first event's time; null
 * for a file with no timed event. Reads only up to that record.
 */
export async function replayStartTime(file: string): Promise<number | null> {
  for await (const e of readReplay(file)) {
    if (e.kind === 'start') return e.ts;
    const ts = eventTime(e);
    if (ts !== undefined) return ts;
  }
  return null;
}

/**
 * Adds a heartbeat at each multiple of `intervalMs` that falls strictly inside a gap between two
 * timed events (or after a file's `start`), so a quiet stretch still publishes on the grid. Made
 * from the file alone, the heartbeats are the same at every speed, and so are the frames.
 */
export async function* withHeartbeats(
  events: AsyncIterable<ReplayEvent>,
  intervalMs: number,
): AsyncGenerator<ReplayEvent> {
  let prev = NaN;
  for await (const e of events) {
    const ts = e.kind === 'start' ? e.ts : eventTime(e);
    if (ts !== undefined && !Number.isNaN(prev)) {
      for (let g = (Math.floor(prev / intervalMs) + 1) * intervalMs; g < ts; g += intervalMs)
        yield { kind: 'heartbeat', ts: g };
    }
    if (ts !== undefined && !(ts < prev)) prev = ts;
    yield e;
  }
}
