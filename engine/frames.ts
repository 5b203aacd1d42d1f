// What the engine publishes and every subscriber applies: channel frames and the one merge rule.
// A snapshot carries the whole state of a channel; an update carries only what changed since the
// previous frame of that channel. Keyed sections merge by key (null removes a key); every other
// field is replaced. The gateway, `riskline watch` and the terminal all use applyFrame.

import { unpack } from 'msgpackr';
import { RisklineError } from '../errors/catalogue.js';
import { isObject } from './validate.js';
import type { MsgpackWriter } from '../codecs/msgpack.js';

export type ChannelKind = 'ticks' | 'positions' | 'exposures' | 'risk' | 'alerts' | 'orders';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['ticks', 'positions', 'exposures', 'risk', 'alerts', 'orders'];

export interface Frame {
  channel: string;
  type: 'snapshot' | 'update';
  /** Increases by one per channel; a gap tells the reader to ask for a snapshot. */
  seq: number;
  /** Event time (epoch ms) of the newest input this frame reflects. */
  asOf: number;
  /**
   * How many inputs the publishing engine had applied when it wrote the frame: the frames of one
   * portfolio with the same inputSeq describe one moment (see docs/architecture.md, "One moment").
   */
  inputSeq: number;
  data: Record<string, unknown>;
  /**
   * A frame read without decoding its data (codecs/frame-record.ts) keeps it as the MessagePack it
   * came in: sent on as it is to MessagePack clients, and an update merged from it (mergeInto).
   */
  packed?: Uint8Array;
  /**
   * Merges this update into `state` as applyFrame(state, this, true) does, from `packed`; `onRow`
   * hears each key of its `rows` section. Whether it had one.
   */
  mergeInto?(state: Record<string, unknown>, onRow?: (key: string) => void): boolean;
}

/**
 * A frame as the engine publishes it: its routing fields, and `bytes`, the whole frame
 * {channel, type, seq, asOf, inputSeq, data} as standard MessagePack (written straight from the book).
 */
export interface EncodedFrame {
  channel: string;
  type: Frame['type'];
  seq: number;
  asOf: number;
  inputSeq: number;
  bytes: Uint8Array;
  /**
   * The frame inside the bytes its owner's `FramePrefix` wrote before it (a bus envelope), when
   * one did: `bytes` is then a view of this buffer's tail, so the frame is copied out once.
   */
  wrapped?: Uint8Array;
}

/**
 * Writes whatever must precede a frame's bytes in the same buffer (the role's bus envelope
 * header, say) and says whether it wrote anything; `asOf` is the frame's event time.
 */
export type FramePrefix = (w: MsgpackWriter, channel: string, asOf: number) => boolean;

/** The frame object of an encoded frame (what subscribers see after the bus). */
export function decodeFrame(f: EncodedFrame | Uint8Array): Frame {
  return unpack(f instanceof Uint8Array ? f : f.bytes) as Frame;
}

/** Sections merged key by key; everything else in `data` is replaced whole. */
export const KEYED_SECTIONS: ReadonlySet<string> = new Set([
  'rows',
  'byInstrument',
  'byAssetClass',
  'bySector',
  'byCurrency',
  'byCountry',
]);

export function channelOf(kind: ChannelKind, id: string): string {
  return `${kind}:${id}`;
}

/** Splits `positions:P1` into kind and id; null if the kind is unknown or the id empty. */
export function parseChannel(channel: string): { kind: ChannelKind; id: string } | null {
  const colon = channel.indexOf(':');
  if (colon <= 0 || colon === channel.length - 1) return null;
  const kind = channel.slice(0, colon) as ChannelKind;
  if (!CHANNEL_KINDS.includes(kind)) return null;
  return { kind, id: channel.slice(colon + 1) };
}

/**
 * Applies a frame to the state held for its channel and returns the new state. A snapshot replaces
 * the state; an update merges into it (the previous state object is mutated and returned): keyed
 * sections entry by entry (null removes one; a map entry merges field by field into the one held),
 * every other field replaced whole.
 *
 * `ownRows`: the state's row objects belong to the caller and to nothing else (the gateway's store,
 * which encodes whatever it hands out at once): a snapshot's and a new row's objects are copied in,
 * and an update's fields are then written into the row held. Otherwise a merged row is a new object,
 * as the one held may be shared with an earlier frame or a snapshot a reader still holds.
 */
export function applyFrame(
  state: Record<string, unknown> | undefined,
  frame: Pick<Frame, 'type' | 'data' | 'mergeInto'>,
  ownRows = false,
): Record<string, unknown> {
  if (frame.type === 'snapshot' || state === undefined) return cloneSections(frame.data, ownRows);
  // A frame still packed merges from its bytes: no object per row (ownRows: the rows are the caller's).
  if (ownRows && frame.mergeInto !== undefined) return (frame.mergeInto(state), state);
  for (const [field, value] of Object.entries(frame.data)) {
    if (KEYED_SECTIONS.has(field) && value !== null && typeof value === 'object') {
      const section = (state[field] ??= {}) as Record<string, unknown>;
      for (const [key, row] of Object.entries(value as Record<string, unknown>)) {
        const held = section[key];
        if (row === null) delete section[key];
        else if (isObject(row) && isObject(held)) {
          // An update's row carries its changed fields only: they are merged into the row held.
          if (ownRows) for (const f in row) held[f] = row[f];
          else section[key] = { ...held, ...row };
        } else section[key] = ownRows && isObject(row) ? { ...row } : row;
      }
    } else {
      state[field] = value;
    }
  }
  return state;
}

function cloneSections(data: Record<string, unknown>, ownRows: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const field of KEYED_SECTIONS) {
    const v = out[field];
    if (v === null || typeof v !== 'object') continue;
    const section: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    if (ownRows) for (const key in section) if (isObject(section[key])) section[key] = { ...section[key] };
    out[field] = section;
  }
  return out;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A frame read off the bus: its routing fields checked (DECODE_FAILED otherwise); `data` as it came. */
export function checkFrame(body: unknown): Frame {
  const f = body as Partial<Frame> | null;
  if (
    f === null ||
    typeof f !== 'object' ||
    typeof f.channel !== 'string' ||
    (f.type !== 'snapshot' && f.type !== 'update') ||
    !isNum(f.seq) ||
    !isNum(f.asOf) ||
    f.data === null ||
    typeof f.data !== 'object' ||
    Array.isArray(f.data)
  ) {
    throw new RisklineError('DECODE_FAILED', 'frame body must be {channel, type: snapshot|update, seq, asOf, data}');
  }
  return f as Frame;
}
