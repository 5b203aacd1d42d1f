// Field validation of ticks, executions and alerts at every edge (replay files, the bus, HTTP). Hand-written
// and allocation-light because it runs per message. A failure is one line naming where and which
// field: `<where>: <field>: expected <what>, received <value>`, thrown as a RisklineError whose code
// the caller picks (INVALID_TICK / INVALID_EXECUTION by default, REPLAY_FILE for replay files).

import { RisklineError, type ErrorCode } from '../errors/catalogue.js';
import type { Alert, AlertSeverity, Execution, Tick } from './model.js';

/** Positional tick, the shape of a `ticks` batch entry: [instrument, ts, bid, ask, last]. */
export type TickFields = [instrument: string, ts: number, bid: number, ask: number, last: number];

/** How a received value is named in messages: strings quoted (cut at 40 characters), numbers as written. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object':
      return Array.isArray(v) ? `an array of ${v.length}` : 'an object';
    default:
      return `a ${typeof v}`;
  }
}

/** Throws `<where>: <field>: expected <expected>, received <describe(value)>`. */
export function fail(code: ErrorCode, where: string, field: string, expected: string, value: unknown): never {
  return failText(code, where, field, expected, describe(value));
}

/** Like fail, with the received part written out as is (`4 values`, `ENOENT`). */
export function failText(code: ErrorCode, where: string, field: string, expected: string, received: string): never {
  throw new RisklineError(code, `${where}: ${field}: expected ${expected}, received ${received}`);
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds of an ISO-8601 date or date-time (`2025-11-24`, `2025-11-24T14:30:00.250Z`,
 * `2025-11-24 14:30:00+01:00`); a time without an offset is UTC, never local time. NaN if not ISO.
 */
export function parseIsoTime(s: string): number {
  const m = ISO_TIME.exec(s);
  if (m === null) return NaN;
  const [, date, time, zone] = m;
  const ms = Date.parse(time === undefined ? `${date}T00:00:00${zone ?? 'Z'}` : `${date}T${time}${zone ?? 'Z'}`);
  // Date.parse rolls 2025-02-30 over to March; reject dates that do not round-trip.
  if (!Number.isFinite(ms)) return NaN;
  if (zone === undefined || /^z$/i.test(zone)) {
    if (new Date(ms).toISOString().slice(0, 10) !== date) return NaN;
  }
  return ms;
}

/** Event time: a finite number (epoch ms) or an ISO-8601 string; NaN otherwise. */
export function parseTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string') return parseIsoTime(v);
  return NaN;
}

const TIME = 'epoch milliseconds or an ISO-8601 time';
const PRICE = 'a positive number';

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositive(v: unknown): v is number {
  return typeof v === 'number' && v > 0 && v < Infinity;
}

export function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/**
 * A Tick from an untrusted object: non-empty `instrument`, `ts` as epoch ms or ISO string, finite
 * positive `bid` ≤ `ask`, and `last` (optional: the mid when absent). Returns a new normalised Tick.
 */
export function validateTick(obj: unknown, where = 'tick', code: ErrorCode = 'INVALID_TICK'): Tick {
  if (!isObject(obj)) return fail(code, where, 'tick', 'an object', obj);
  const { instrument, bid, ask, last } = obj;
  if (!isId(instrument)) fail(code, where, 'instrument', 'a non-empty string', instrument);
  const ts = parseTime(obj.ts);
  if (Number.isNaN(ts)) fail(code, where, 'ts', TIME, obj.ts);
  if (!isPositive(bid)) fail(code, where, 'bid', PRICE, bid);
  if (!isPositive(ask)) fail(code, where, 'ask', PRICE, ask);
  if (ask < bid) fail(code, where, 'ask', `a price >= bid ${bid}`, ask);
  let px: number;
  if (last === undefined || last === null) px = (bid + ask) / 2;
  else if (isPositive(last)) px = last;
  else return fail(code, where, 'last', PRICE, last);
  return { instrument, ts, bid, ask, last: px };
}

/** Checks a positional tick [instrument, ts (epoch ms), bid, ask, last] in place and returns it typed. */
export function validateTickTuple(t: unknown, where = 'tick', code: ErrorCode = 'INVALID_TICK'): TickFields {
  if (!Array.isArray(t) || t.length !== 5) {
    const expected = 'an array [instrument, ts, bid, ask, last]';
    if (Array.isArray(t)) failText(code, where, 'tick', expected, `${t.length} items`);
    return fail(code, where, 'tick', expected, t);
  }
  const instrument: unknown = t[0];
  const ts: unknown = t[1];
  const bid: unknown = t[2];
  const ask: unknown = t[3];
  const last: unknown = t[4];
  if (!isId(instrument)) fail(code, where, 'instrument', 'a non-empty string', instrument);
  if (typeof ts !== 'number') fail(code, where, 'ts', 'epoch milliseconds', ts);
  if (typeof bid !== 'number') fail(code, where, 'bid', PRICE, bid);
  if (typeof ask !== 'number') fail(code, where, 'ask', PRICE, ask);
  if (typeof last !== 'number') fail(code, where, 'last', PRICE, last);
  const bad = tickNumbersError(ts, bid, ask, last);
  if (bad !== null) fail(code, where, bad[0], bad[1], bad[2]);
  return t as TickFields;
}

/**
 * The first of a tick's numbers that breaks the rules, as [field, expected, received], or null.
 * One rule for every decoder (the generic one above, the zero-allocation batch reader), so a bad
 * tick gets the same reason however it arrived; allocates only when it fails.
 */
export function tickNumbersError(
  ts: number,
  bid: number,
  ask: number,
  last: number,
): [field: string, expected: string, received: number] | null {
  if (!Number.isFinite(ts)) return ['ts', 'epoch milliseconds', ts];
  if (!isPositive(bid)) return ['bid', PRICE, bid];
  if (!isPositive(ask)) return ['ask', PRICE, ask];
  if (ask < bid) return ['ask', `a price >= bid ${bid}`, ask];
  if (!isPositive(last)) return ['last', PRICE, last];
  return null;
}

/**
 * An Execution from an untrusted object: non-empty `id`, `portfolio`, `instrument`; `side` buy or
 * sell; finite positive `qty` and `price`; `ts` as epoch ms or ISO string; optional finite `fees`
 * and non-empty `orderId` / `venue`. Unknown fields are dropped; returns a new object.
 */
export function validateExecution(obj: unknown, where = 'execution', code: ErrorCode = 'INVALID_EXECUTION'): Execution {
  if (!isObject(obj)) return fail(code, where, 'execution', 'an object', obj);
  const { id, portfolio, instrument, side, qty, price, fees, orderId, venue } = obj;
  if (!isId(id)) fail(code, where, 'id', 'a non-empty string', id);
  if (!isId(portfolio)) fail(code, where, 'portfolio', 'a non-empty string', portfolio);
  if (!isId(instrument)) fail(code, where, 'instrument', 'a non-empty string', instrument);
  if (side !== 'buy' && side !== 'sell') return fail(code, where, 'side', '"buy" or "sell"', side);
  if (!isPositive(qty)) fail(code, where, 'qty', 'a positive number', qty);
  if (!isPositive(price)) fail(code, where, 'price', PRICE, price);
  const ts = parseTime(obj.ts);
  if (Number.isNaN(ts)) fail(code, where, 'ts', TIME, obj.ts);
  const out: Execution = { id, portfolio, instrument, side, qty, price, ts };
  if (fees !== undefined && fees !== null) {
    if (!isFiniteNumber(fees)) fail(code, where, 'fees', 'a finite number', fees);
    out.fees = fees;
  }
  if (orderId !== undefined && orderId !== null) {
    if (!isId(orderId)) fail(code, where, 'orderId', 'a non-empty string', orderId);
    out.orderId = orderId;
  }
  if (venue !== undefined && venue !== null) {
    if (!isId(venue)) fail(code, where, 'venue', 'a non-empty string', venue);
    out.venue = venue;
  }
  return out;
}

const SEVERITIES = new Set(['info', 'warning', 'critical']);
const ALERT_FIELDS = new Set(['id', 'portfolio', 'limit', 'state', 'severity', 'message', 'value', 'threshold', 'ts']);
const MAX_ALERT_TEXT = 1000;

/**
 * An Alert from an untrusted object (a bus record another process wrote): every field of the
 * documented shape, with its type, and nothing else (a client must never receive more than the
 * contract says). Returns a new object.
 */
export function validateAlert(obj: unknown, where = 'alert', code: ErrorCode = 'DECODE_FAILED'): Alert {
  if (!isObject(obj)) return fail(code, where, 'alert', 'an object', obj);
  const { id, portfolio, limit, state, severity, message, value, threshold, ts } = obj;
  if (!isText(id, 200)) fail(code, where, 'id', 'a non-empty string of at most 200 characters', id);
  if (!isText(portfolio, 200))
    fail(code, where, 'portfolio', 'a non-empty string of at most 200 characters', portfolio);
  if (!isText(limit, 200)) fail(code, where, 'limit', 'a non-empty string of at most 200 characters', limit);
  if (state !== 'warning' && state !== 'breached' && state !== 'cleared')
    return fail(code, where, 'state', '"warning", "breached" or "cleared"', state);
  if (typeof severity !== 'string' || !SEVERITIES.has(severity))
    return fail(code, where, 'severity', '"info", "warning" or "critical"', severity);
  if (!isText(message, MAX_ALERT_TEXT))
    fail(code, where, 'message', `a non-empty string of at most ${MAX_ALERT_TEXT} characters`, message);
  if (!isFiniteNumber(value)) fail(code, where, 'value', 'a finite number', value);
  if (!isFiniteNumber(threshold)) fail(code, where, 'threshold', 'a finite number', threshold);
  if (!isFiniteNumber(ts)) fail(code, where, 'ts', 'epoch milliseconds', ts);
  const extra = Object.keys(obj).find((k) => !ALERT_FIELDS.has(k));
  if (extra !== undefined)
    fail(code, where, extra, 'no such field (an alert has exactly the documented ones)', obj[extra]);
  return { id, portfolio, limit, state, severity: severity as AlertSeverity, message, value, threshold, ts };
}
