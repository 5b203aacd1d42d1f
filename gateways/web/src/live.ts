// One WebSocket per page (the public protocol, docs/wire-format.md): subscribe, a snapshot then
// updates per channel merged with the engine's own rule (applyFrame), a seq gap answered by asking
// for a snapshot, reconnect with backoff and resubscribe. Listeners hear once per animation frame
// which channels changed, so a burst of frames costs one render. Alerts and orders are events, not
// state: each frame is one complete event, the channel holds only the newest, and `onEvent` hears
// every one as it arrives (a burst in one animation frame, or a hidden tab, loses none).

import { Unpackr } from 'msgpackr';
import { FrameStrings, PackedFrame, readServerFrame } from '../../../codecs/frame-record.js';
import { applyFrame } from '../../../engine/frames.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'signed-out';

export interface ChannelState {
  seq: number;
  asOf: number;
  inputSeq: number;
  data: Record<string, unknown>;
}

type ServerMessage = Record<string, unknown> & { type: string };

/**
 * Hears one event: `type` is `snapshot` for a channel's first frame ever (seq 1) and for the newest
 * event resent on subscribing (or resubscribing after a reconnect), `update` for each later one.
 */
export type LiveEventListener = (channel: string, event: ChannelState, type: 'snapshot' | 'update') => void;

const MAX_BACKOFF_MS = 5000;

/** Standard MessagePack, plain maps, as the gateway writes it (gateways/protocol.ts). */
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** Channels whose frames are events (the gateway delivers every one, never conflated). */
export const isEventChannel = (channel: string): boolean =>
  channel.startsWith('alerts:') || channel.startsWith('orders:');

export class LiveStream {
  readonly channels = new Map<string, ChannelState>();
  /** What the server chose: MessagePack binary frames (smaller, faster to read) when it offers them. */
  encoding: 'msgpack' | 'json' = 'json';
  state: ConnectionState = 'connecting';
  /** Why the server last closed or refused us, for the status line. */
  reason = '';
  /** Wall-clock time the current connection opened (0 before the first). */
  openedAt = 0;
  private ws: WebSocket | null = null;
  private readonly wanted = new Set<string>();
  /** Channels whose next snapshot is taken whatever its seq: a new connection may reach a new server. */
  private readonly resync = new Set<string>();
  private readonly changed = new Set<string>();
  /** Keys of `rows` each channel's updates touched since the last flush; 'all' after a snapshot. */
  private readonly rowsTouched = new Map<string, Set<string> | 'all'>();
  /** What the last flush reported, per channel (read by listeners during their call). */
  private lastRows = new Map<string, Set<string> | 'all'>();
  private readonly listeners = new Set<(changed: ReadonlySet<string>) => void>();
  private readonly eventListeners = new Set<LiveEventListener>();
  /** Field names and instrument ids of the frames read in place, decoded once each. */
  private readonly strings = new FrameStrings();
  private frame = 0;
  private nextId = 1;
  private backoff = 250;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly token: string | null,
  ) {
    this.connect();
  }

  /** Calls `fn` with the channels that changed, at most once per animation frame. */
  listen(fn: (changed: ReadonlySet<string>) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls `fn` with every frame of an event channel (alerts, orders) as it is received. */
  onEvent(fn: LiveEventListener): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  subscribe(channels: string[]): void {
    const fresh = channels.filter((c) => !this.wanted.has(c));
    for (const c of fresh) this.wanted.add(c);
    if (fresh.length > 0 && this.ws?.readyState === WebSocket.OPEN) this.send({ op: 'subscribe', channels: fresh });
  }

  close(): void {
    this.closed = true;
    this.ws?.close(1000, 'page closed');
  }

  private send(op: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify({ id: this.nextId++, ...op }));
  }

  private connect(): void {
    // MessagePack first, JSON if the server speaks only that; ops go out as JSON text either way.
    const protocols = ['riskline.msgpack', 'riskline.json', ...(this.token ? [`riskline.bearer.${this.token}`] : [])];
    const ws = new WebSocket(this.url, protocols);
    this.ws = ws;
    ws.onopen = () => {
      this.openedAt = Date.now();
      this.encoding = ws.protocol === 'riskline.msgpack' ? 'msgpack' : 'json';
      this.backoff = 250;
      for (const c of this.channels.keys()) this.resync.add(c);
      this.setState('live');
      if (this.wanted.size > 0) this.send({ op: 'subscribe', channels: [...this.wanted] });
    };
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data === 'string') return this.receive(JSON.parse(e.data) as ServerMessage);
      const bytes = new Uint8Array(e.data);
      // A frame is read in place and an update merged from its bytes (codecs/frame-record.ts).
      const frame = readServerFrame(bytes, this.strings);
      if (frame !== null) this.apply(frame);
      else this.receive(unpackr.unpack(bytes) as ServerMessage);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (e.reason) this.reason = e.reason;
      if (this.closed) return;
      // 1008: the token expired or was refused; a new one is needed, not a retry.
      if (e.code === 1008) return this.setState('signed-out');
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    };
  }

  private receive(m: ServerMessage): void {
    if (m.type === 'snapshot' || m.type === 'update') return this.apply(m);
    if (m.type === 'status') this.setState(m.stale ? 'stale' : 'live');
    else if (m.type === 'error') this.reason = `${String(m.code)}: ${String(m.message)}`;
  }

  private apply(m: ServerMessage | PackedFrame): void {
    const channel = String(m.channel);
    const seq = Number(m.seq);
    if (m.type === 'snapshot' && this.resync.delete(channel)) this.channels.delete(channel);
    const held = this.channels.get(channel);
    if (held !== undefined && seq <= held.seq) return;
    const event = isEventChannel(channel);
    // An event frame is whole: one missed before it leaves nothing to repair (and no snapshot would bring it back).
    if (m.type === 'update' && !event && (held === undefined || seq !== held.seq + 1)) {
      // A gap: the state is unknown until a snapshot comes (docs/wire-format.md, rule 3).
      this.channels.delete(channel);
      this.rowsTouched.set(channel, 'all');
      this.send({ op: 'snapshot', channel });
      return this.touch(channel);
    }
    let data: Record<string, unknown>;
    if (m instanceof PackedFrame && m.type === 'update' && !event) {
      // Merged from the bytes into the rows held: no object per row (they are this stream's own).
      data = held!.data;
      const seen = this.touchedRows(channel);
      if (!m.mergeInto(data, seen && ((key) => seen.add(key)))) this.rowsTouched.set(channel, 'all');
    } else {
      const frame = { type: m.type as 'snapshot' | 'update', data: m.data as Record<string, unknown> };
      this.noteRows(channel, frame);
      // A frame's data was decoded for this stream alone: a snapshot's becomes the state as it is.
      data = event || frame.type === 'snapshot' ? frame.data : applyFrame(held?.data, frame, true);
    }
    const state: ChannelState = { seq, asOf: Number(m.asOf), inputSeq: Number(m.inputSeq), data };
    this.channels.set(channel, state);
    if (event) for (const fn of this.eventListeners) fn(channel, state, m.type as 'snapshot' | 'update');
    this.touch(channel);
  }

  /** Which rows of a channel changed in the frames of the last flush ('all': replace them all). */
  rowsChanged(channel: string): ReadonlySet<string> | 'all' {
    return this.lastRows.get(channel) ?? new Set();
  }

  private noteRows(channel: string, frame: { type: string; data: Record<string, unknown> }): void {
    const rows = frame.data.rows as Record<string, unknown> | undefined;
    if (frame.type === 'snapshot' || rows === undefined) return void this.rowsTouched.set(channel, 'all');
    const held = this.touchedRows(channel);
    if (held !== undefined) for (const key of Object.keys(rows)) held.add(key);
  }

  /** Where the rows a channel's frames touch before the next flush go; undefined once it is 'all'. */
  private touchedRows(channel: string): Set<string> | undefined {
    let held = this.rowsTouched.get(channel);
    if (held === 'all') return undefined;
    if (held === undefined) this.rowsTouched.set(channel, (held = new Set()));
    return held;
  }

  private touch(channel: string): void {
    this.changed.add(channel);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.touch('');
  }

  private flush(): void {
    this.frame = 0;
    const changed = new Set(this.changed);
    this.changed.clear();
    this.lastRows = new Map(this.rowsTouched);
    this.rowsTouched.clear();
    for (const fn of this.listeners) fn(changed);
  }
}
