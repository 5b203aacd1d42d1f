// The client protocol of `/v1/stream`, as a pure codec: client messages in (JSON text frames, or
// msgpack binary frames on connections that negotiated `riskline.msgpack`), typed ops or a
// catalogue error out; server messages encoded once per encoding so the same bytes go to every
// subscriber. Shapes follow docs/architecture.md and asyncapi.yaml; a server frame's `ts` is the frame's `asOf`.

import { Packr } from 'msgpackr';
import { MsgpackWriter } from '../codecs/msgpack.js';
import { z } from 'zod';
import { RisklineError, type ErrorCode } from '../errors/catalogue.js';
import { parseChannel, type ChannelKind, type Frame } from '../engine/frames.js';
import { orderIdSchema, parseTicket, replaceSchema, type OrderView } from './orders/entry.js';
import { acknowledgeSchema, assignSchema } from './alerts/entry.js';
import type { AlertAction } from '../services/alerts/actions.js';
import type { OrderTicket, PretradeAnswer } from './orders/router.js';
import { parseRequest } from './route.js';
import { parseWhatIf, type WhatIf, type WhatIfRequest } from './what-if.js';

export const STREAM_PATH = '/v1/stream';
export const MSGPACK_SUBPROTOCOL = 'riskline.msgpack';
/** JSON, the default; named so a browser that also offers a bearer-token protocol entry has one to be given. */
export const JSON_SUBPROTOCOL = 'riskline.json';
/** Most channels one subscribe/unsubscribe may name. */
export const MAX_CHANNELS_PER_REQUEST = 1000;
/** Longest channel name accepted. */
export const MAX_CHANNEL_LENGTH = 200;

export type Encoding = 'json' | 'msgpack';
export type RequestId = number | string;

export type ClientOp =
  | { op: 'subscribe'; id: RequestId; channels: string[] }
  | { op: 'unsubscribe'; id: RequestId; channels: string[] }
  | { op: 'snapshot'; id: RequestId; channel: string }
  | { op: 'ping'; id: RequestId }
  | ({ op: 'whatIf'; id: RequestId } & WhatIfRequest)
  | ({ op: 'order'; id: RequestId } & OrderTicket)
  | { op: 'cancelOrder'; id: RequestId; orderId: string }
  | { op: 'replaceOrder'; id: RequestId; orderId: string; qty: number; price: number | null }
  | { op: 'acknowledgeAlert'; id: RequestId; alert: string; note?: string }
  | { op: 'assignAlert'; id: RequestId; alert: string; assignee: string; note?: string };
export type OpName = ClientOp['op'];
export const OPS: readonly OpName[] = [
  'subscribe',
  'unsubscribe',
  'snapshot',
  'ping',
  'whatIf',
  'order',
  'cancelOrder',
  'replaceOrder',
  'acknowledgeAlert',
  'assignAlert',
];

/** A parse failure: the catalogue error and the request id when one could be read. */
export interface ParseFailure {
  id: RequestId | null;
  error: RisklineError;
}
export type ParseResult = { ok: true; op: ClientOp } | ({ ok: false } & ParseFailure);

/** Channel kinds whose frames are events: every one is delivered, none is conflated away. */
export function isEventKind(kind: ChannelKind): boolean {
  return kind === 'alerts' || kind === 'orders';
}

// Standard MessagePack (plain maps), as for the bus envelope, so any client library reads it.
const packr = new Packr({ useRecords: false, moreTypes: false, variableMapSize: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses one client message. Text frames are JSON; binary frames are msgpack on a msgpack
 * connection and UTF-8 JSON otherwise. Never throws.
 */
export function parseClientMessage(raw: Uint8Array | string, binary: boolean, encoding: Encoding): ParseResult {
  let value: unknown;
  if (binary && encoding === 'msgpack') {
    const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
    try {
      value = packr.unpack(bytes);
    } catch (err) {
      return fail(null, 'BAD_FRAME', `frame is not valid msgpack: ${(err as Error).message}`);
    }
  } else {
    let text: string;
    try {
      text = typeof raw === 'string' ? raw : utf8.decode(raw);
    } catch {
      return fail(null, 'BAD_FRAME', 'frame is not valid UTF-8 text');
    }
    try {
      value = JSON.parse(text);
    } catch (err) {
      return fail(null, 'BAD_FRAME', `frame is not valid JSON: ${(err as Error).message}`);
    }
  }
  return parseClientValue(value);
}

/** Validates an already-decoded message. Exported for tests and non-WebSocket transports. */
export function parseClientValue(value: unknown): ParseResult {
  if (!isPlainObject(value)) {
    return fail(null, 'BAD_FRAME', 'message must be an object like {"op":"subscribe","id":1,"channels":[...]}');
  }
  const msg = value as Record<string, unknown>;
  const rawId = msg.id;
  const idOk = (typeof rawId === 'number' && Number.isFinite(rawId)) || typeof rawId === 'string';
  const id = idOk ? (rawId as RequestId) : null;

  if (msg.op === undefined) return fail(id, 'BAD_REQUEST', 'op is required');
  if (typeof msg.op !== 'string') return fail(id, 'BAD_REQUEST', 'op must be a string');
  if (!(OPS as readonly string[]).includes(msg.op)) {
    return fail(id, 'UNKNOWN_OP', `unknown op ${JSON.stringify(msg.op)}; expected one of ${OPS.join(', ')}`);
  }
  const op = msg.op as OpName;
  if (rawId === undefined) return fail(null, 'BAD_REQUEST', 'id is required');
  if (id === null) return fail(null, 'BAD_REQUEST', 'id must be a number or a string');

  switch (op) {
    case 'ping':
      return { ok: true, op: { op, id } };
    case 'whatIf':
    case 'order':
    case 'cancelOrder':
    case 'replaceOrder':
    case 'acknowledgeAlert':
    case 'assignAlert': {
      // The HTTP routes' checks, on the fields besides op and id.
      const { op: _op, id: _id, ...fields } = msg;
      try {
        return { ok: true, op: { op, id, ...parseFields(op, fields) } as ClientOp };
      } catch (err) {
        return { ok: false, id, error: err as RisklineError };
      }
    }
    case 'snapshot': {
      if (msg.channel === undefined) return fail(id, 'BAD_REQUEST', 'channel is required');
      if (typeof msg.channel !== 'string') return fail(id, 'BAD_REQUEST', 'channel must be a string');
      const bad = checkChannel(msg.channel);
      if (bad !== null) return fail(id, 'BAD_CHANNEL', bad);
      return { ok: true, op: { op, id, channel: msg.channel } };
    }
    case 'subscribe':
    case 'unsubscribe': {
      const list = msg.channels;
      if (list === undefined) return fail(id, 'BAD_REQUEST', 'channels is required');
      if (!Array.isArray(list)) return fail(id, 'BAD_REQUEST', 'channels must be an array of strings');
      if (list.length === 0) return fail(id, 'BAD_REQUEST', 'channels must not be empty');
      if (list.length > MAX_CHANNELS_PER_REQUEST) {
        return fail(id, 'BAD_REQUEST', `at most ${MAX_CHANNELS_PER_REQUEST} channels per request`);
      }
      const channels: string[] = [];
      const seen = new Set<string>();
      for (const c of list) {
        if (typeof c !== 'string') return fail(id, 'BAD_REQUEST', 'channels must be an array of strings');
        const bad = checkChannel(c);
        if (bad !== null) return fail(id, 'BAD_CHANNEL', bad);
        if (!seen.has(c)) {
          seen.add(c);
          channels.push(c);
        }
      }
      return { ok: true, op: { op, id, channels } };
    }
  }
}

/** The fields of a request op, as its HTTP route checks them (BAD_REQUEST naming the field). */
function parseFields(
  op: 'whatIf' | 'order' | 'cancelOrder' | 'replaceOrder' | 'acknowledgeAlert' | 'assignAlert',
  fields: Record<string, unknown>,
) {
  switch (op) {
    case 'whatIf':
      return parseWhatIf(fields);
    case 'order':
      return parseTicket(fields);
    case 'cancelOrder':
      return parseRequest(orderIdSchema, fields, 'cancelOrder', 'orderId');
    case 'replaceOrder':
      return parseRequest(orderIdSchema.extend(replaceSchema.shape), fields, 'replaceOrder', 'orderId, qty, price');
    case 'acknowledgeAlert':
      return parseRequest(acknowledgeSchema.extend(ALERT_ID), fields, 'acknowledgeAlert', 'alert, note');
    case 'assignAlert':
      return parseRequest(assignSchema.extend(ALERT_ID), fields, 'assignAlert', 'alert, assignee, note');
  }
}

const ALERT_ID = {
  alert: z
    .string({ error: 'expected an alert id (string)' })
    .min(1, { error: 'expected a non-empty alert id' })
    .max(200, { error: 'expected at most 200 characters' }),
};

/** Null when the name is one of the documented forms, else the reason. */
export function checkChannel(channel: string): string | null {
  if (channel.length > MAX_CHANNEL_LENGTH) return `channel name longer than ${MAX_CHANNEL_LENGTH} characters`;
  const parsed = parseChannel(channel);
  if (parsed === null) {
    return `channel ${JSON.stringify(channel)} is not one of ticks:<instrument>, positions:<portfolio>, exposures:<portfolio>, risk:<portfolio>, alerts:<portfolio>|alerts:*, orders:<portfolio>`;
  }
  if (parsed.id.includes('*') && !(parsed.kind === 'alerts' && parsed.id === '*')) {
    return `channel ${JSON.stringify(channel)}: the wildcard is only allowed as alerts:*`;
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function fail(id: RequestId | null, code: ErrorCode, message: string): { ok: false } & ParseFailure {
  return { ok: false, id, error: new RisklineError(code, message) };
}

// ---- server → client -------------------------------------------------------------------------

export type ServerMessage =
  | { type: 'subscribed'; id: RequestId; channels: string[] }
  | { type: 'unsubscribed'; id: RequestId; channels: string[] }
  | {
      type: 'snapshot' | 'update';
      channel: string;
      seq: number;
      ts: number;
      asOf: number;
      inputSeq: number;
      data: Record<string, unknown>;
    }
  | { type: 'error'; id: RequestId | null; code: string; message: string }
  | { type: 'pong'; id: RequestId }
  | { type: 'whatIf'; id: RequestId; data: WhatIf }
  /** The answer to an order op: the order as it stands now (its life follows on `orders:<portfolio>`). */
  | { type: 'order'; id: RequestId; data: OrderView; pretrade: PretradeAnswer | null }
  /** The answer to an alert op: the action as recorded (every subscriber of `alerts:<portfolio>` sees it next). */
  | { type: 'alertAction'; id: RequestId; data: AlertAction }
  | { type: 'status'; stale: boolean; since: number; reason: string | null };

/** Encoded bytes ready for `ws.send` (text frame for JSON, binary frame for msgpack). */
export type Encoded = Buffer;

export function frameMessage(frame: Frame): ServerMessage {
  // `ts` is the field the protocol has always named; `asOf` says what it means. Both: event time
  // of the newest input the frame reflects.
  return {
    type: frame.type,
    channel: frame.channel,
    seq: frame.seq,
    ts: frame.asOf,
    asOf: frame.asOf,
    inputSeq: frame.inputSeq,
    data: frame.data,
  };
}
export function subscribedMessage(id: RequestId, channels: string[]): ServerMessage {
  return { type: 'subscribed', id, channels };
}
export function unsubscribedMessage(id: RequestId, channels: string[]): ServerMessage {
  return { type: 'unsubscribed', id, channels };
}
export function errorMessage(id: RequestId | null, err: RisklineError): ServerMessage {
  return { type: 'error', id, code: err.code, message: err.message };
}
export function pongMessage(id: RequestId): ServerMessage {
  return { type: 'pong', id };
}
export function whatIfMessage(id: RequestId, data: WhatIf): ServerMessage {
  return { type: 'whatIf', id, data };
}
export function orderMessage(id: RequestId, data: OrderView, pretrade: PretradeAnswer | null): ServerMessage {
  return { type: 'order', id, data, pretrade };
}
export function alertActionMessage(id: RequestId, data: AlertAction): ServerMessage {
  return { type: 'alertAction', id, data };
}
/**
 * Whether what this gateway serves is stale: true while its bus is unreachable (frames stop and the
 * newest held may be behind), false once it answers again; `since` is the wall-clock change.
 */
export type StatusMessage = Extract<ServerMessage, { type: 'status' }>;
export function statusMessage(stale: boolean, since: number, reason: string | null): StatusMessage {
  return { type: 'status', stale, since, reason };
}

export function encodeServerMessage(msg: ServerMessage, encoding: Encoding): Encoded {
  return encoding === 'msgpack' ? packr.pack(msg) : Buffer.from(JSON.stringify(msg));
}

/** A frame as a server message, encoded once; callers cache the result per encoding. */
export function encodeFrame(frame: Frame, encoding: Encoding): Encoded {
  if (encoding === 'msgpack' && frame.packed !== undefined) return encodePackedFrame(frame, frame.packed);
  return encodeServerMessage(frameMessage(frame), encoding);
}

const head = new MsgpackWriter();

/** frameMessage's map, its data the bytes the engine wrote (no decode and re-encode on the way out). */
function encodePackedFrame(f: Frame, packed: Uint8Array): Encoded {
  head.reset().map(7).str('type').str(f.type).str('channel').str(f.channel);
  head.str('seq').num(f.seq).str('ts').num(f.asOf).str('asOf').num(f.asOf).str('inputSeq').num(f.inputSeq);
  // The header copied out once and the data once, into the one buffer sent.
  const header = head.str('data').take();
  return Buffer.concat([header, packed], header.length + packed.length);
}

/** Decodes a server message (clients and tests). Throws a BAD_FRAME RisklineError on garbage. */
export function decodeServerMessage(raw: Uint8Array | string, binary: boolean): ServerMessage {
  let value: unknown;
  try {
    if (binary && typeof raw !== 'string') value = packr.unpack(raw);
    else value = JSON.parse(typeof raw === 'string' ? raw : utf8.decode(raw));
  } catch (err) {
    throw new RisklineError(
      'BAD_FRAME',
      `server message is not valid ${binary ? 'msgpack' : 'JSON'}: ${(err as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    throw new RisklineError('BAD_FRAME', 'server message has no type');
  }
  return value as ServerMessage;
}

/** Encodes a client op (clients and tests). */
export function encodeClientOp(op: ClientOp, encoding: Encoding): string | Buffer {
  return encoding === 'msgpack' ? packr.pack(op) : JSON.stringify(op);
}
