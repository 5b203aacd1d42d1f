// The FIX 4.4 session layer, written once for both roles: logon and logout, heartbeats and
// TestRequest, MsgSeqNum checks, resend and gap fill, sequence reset, session Reject. It is pure:
// bytes in (`receive`), time in (`tick`), bytes out through `io.write`, with its store flushed
// before each turn's bytes leave; the TCP glue is in transport.ts.
//
// Invariants:
// - every message sent takes the store's next sender seq, and application messages are stored;
//   a ResendRequest is answered from the store: application messages again with PossDupFlag and
//   OrigSendingTime, everything else as SequenceReset-GapFill;
// - a message is applied only at the expected MsgSeqNum: higher ones wait (bounded) while a
//   ResendRequest fills the gap; a lower one without PossDupFlag ends the session (Logout);
// - garbled messages are ignored without using a sequence number; well-framed bad ones are
//   answered with Reject (35=3) and use theirs.

import { FieldList } from '../codec/fields.js';
import { isGarbled, parseMessage, PARSE_STATUS_TEXT, ParseStatus } from '../codec/parser.js';
import { FixWriter } from '../codec/writer.js';
import { lastResetBefore, type SessionConfig } from './config.js';
import type { FileSessionStore } from './store.js';
import { FIELDS, MESSAGES } from '../generated/fix44.js';
import { Reason, validate } from './validate.js';

export type SessionState = 'disconnected' | 'logon-sent' | 'awaiting-logon' | 'active' | 'logout-sent';

/** What the session tells its owner about (logged, counted, shown). */
export type SessionEvent =
  | { type: 'logon' }
  | { type: 'logout'; text: string }
  | { type: 'garbled'; text: string }
  | { type: 'reject-sent'; refSeqNum: number; reason: number; text: string }
  | { type: 'reject-received'; refSeqNum: number; reason: number; text: string }
  | { type: 'gap'; from: number; to: number }
  | { type: 'resent'; from: number; to: number }
  | { type: 'sequence-reset'; newSeqNo: number }
  | { type: 'disconnect'; text: string };

export interface SessionIO {
  write(bytes: Buffer): void;
  disconnect(reason: string): void;
}

export interface SessionApp {
  /** An application message, in sequence (possDup: a resend of one already received, maybe). */
  onMessage(msgType: string, fields: FieldList, possDup: boolean): void;
  onEvent?(e: SessionEvent): void;
}

/** Body fields of an outgoing message, written after the session's header. */
export type Body = (w: FixWriter) => void;

const ADMIN = new Set(['0', '1', '2', '3', '4', '5', 'A']);
/** Header fields the session writes itself (a resend rewrites them). */
const SESSION_HEADER = new Set([8, 9, 35, 49, 56, 34, 52, 43, 97, 122, 10]);

export class FixSession {
  state: SessionState = 'disconnected';
  private readonly w: FixWriter;
  private readonly fields = new FieldList();
  /** Messages received above the expected seq, waiting for the gap to fill. */
  private readonly queue = new Map<number, FieldList>();
  /** The end of the gap we asked to be resent (0: none outstanding). */
  private resendUpTo = 0;
  private heartBtMs: number;
  private lastReceived = 0;
  private lastSent = 0;
  private stateSince = 0;
  private testRequest: { id: string; at: number } | null = null;
  private testRequests = 0;
  /** This turn's outgoing bytes, gathered in one reused buffer; the socket gets one copy per turn. */
  private out = Buffer.allocUnsafe(64 * 1024);
  private outBytes = 0;
  private flushScheduled = false;

  /** The connection of the moment (set by `connected`). */
  private io: SessionIO = { write: () => undefined, disconnect: () => undefined };

  constructor(
    readonly config: SessionConfig,
    readonly store: FileSessionStore,
    private readonly app: SessionApp,
    private readonly now: () => number = Date.now,
  ) {
    this.w = new FixWriter(config.beginString);
    this.heartBtMs = config.heartBtIntS * 1000;
  }

  /** Whether application messages can be sent. */
  get loggedOn(): boolean {
    return this.state === 'active';
  }

  /** The transport connected: an initiator sends its Logon, an acceptor waits for one. */
  connected(io: SessionIO): void {
    this.io = io;
    const now = this.now();
    this.lastReceived = this.lastSent = this.stateSince = now;
    this.testRequest = null;
    this.queue.clear();
    this.resendUpTo = 0;
    if (this.store.creationTime < lastResetBefore(this.config.dailyResetUtc, now)) this.store.reset();
    if (this.config.role === 'acceptor') return this.enter('awaiting-logon');
    if (this.config.resetOnLogon) this.store.reset();
    this.sendLogon(this.config.resetOnLogon);
    this.enter('logon-sent');
  }

  /** The transport is gone. */
  disconnected(): void {
    if (this.state === 'disconnected') return;
    this.enter('disconnected');
    this.queue.clear();
    if (this.config.resetOnDisconnect) this.store.reset();
    this.flush();
  }

  /** Sends an application message now (logged on), returning its MsgSeqNum. */
  send(msgType: string, body: Body): number {
    if (this.state !== 'active') throw new Error(`FIX session ${this.config.senderCompId}: not logged on`);
    return this.emit(msgType, body, true);
  }

  /** Starts a logout: Logout sent, the session waits for the other side's (or the timeout). */
  logout(text = ''): void {
    if (this.state !== 'active' && this.state !== 'awaiting-logon' && this.state !== 'logon-sent') return;
    this.sendLogout(text);
    this.enter('logout-sent');
  }

  /** Garbled bytes found by the framer: ignored, reported. */
  garbled(text: string): void {
    this.app.onEvent?.({ type: 'garbled', text });
  }

  /** One framed message from the stream. */
  receive(buf: Buffer, start: number, end: number): void {
    const f = this.fields;
    const parsed = parseMessage(buf, start, end, f);
    if (isGarbled(parsed.status)) return this.garbled(PARSE_STATUS_TEXT[parsed.status]);
    this.lastReceived = this.now();
    if (f.get(8) !== this.config.beginString)
      return this.fatal(`BeginString ${f.get(8)} is not ${this.config.beginString}`);
    const seq = f.int(34);
    const msgType = f.get(35)!;
    if (!(seq > 0)) return this.fatal('MsgSeqNum (34) missing or not a positive integer');
    if (this.state === 'awaiting-logon' || this.state === 'logon-sent') {
      // No Logout to a counterparty that never logged on: the connection just ends.
      if (msgType !== 'A') return this.drop(`the first message is MsgType ${msgType}, not Logon`);
    }
    if (parsed.status !== ParseStatus.Ok) {
      const reason = parsed.status === ParseStatus.EmptyValue ? Reason.TagWithoutValue : Reason.InvalidTagNumber;
      return this.rejectAndAdvance(f, seq, msgType, reason, parsed.errorTag, PARSE_STATUS_TEXT[parsed.status]);
    }
    this.dispatch(f, seq, msgType);
    if (this.state !== 'disconnected') this.drainQueue();
    this.flush();
  }

  /** Time passes: heartbeats, TestRequests, logon and logout timeouts, the daily reset. */
  tick(): void {
    const now = this.now();
    if (this.state === 'logon-sent' || this.state === 'awaiting-logon') {
      if (now - this.stateSince > this.config.logonTimeoutS * 1000) this.drop('no Logon in time');
      return;
    }
    if (this.state === 'logout-sent') {
      if (now - this.stateSince > this.config.logoutTimeoutS * 1000) this.drop('no Logout answer in time');
      return;
    }
    if (this.state !== 'active') return;
    if (this.store.creationTime < lastResetBefore(this.config.dailyResetUtc, now)) {
      this.logout('end of the session day');
      return;
    }
    if (this.heartBtMs > 0 && now - this.lastSent >= this.heartBtMs) this.emit('0', null, false);
    this.checkSilence(now);
    this.flush();
  }

  // ---- receiving ---------------------------------------------------------------------------

  private dispatch(f: FieldList, seq: number, msgType: string): void {
    const possDup = f.get(43) === 'Y';
    if (!this.checkHeader(f, seq, msgType, possDup)) return;
    // A SequenceReset-Reset ignores MsgSeqNum; every other message is taken only in sequence.
    if (msgType === '4' && f.get(123) !== 'Y') return this.onSequenceReset(f, seq);
    if (msgType === 'A') this.resetAtLogon(f, seq);
    const expected = this.store.nextTarget;
    if (seq > expected) return this.tooHigh(f, seq, msgType);
    if (seq < expected) {
      if (possDup) return; // a duplicate of what was applied already
      return this.fatal(`MsgSeqNum too low, expecting ${expected} but received ${seq}`);
    }
    if (MESSAGES[msgType] === undefined) return this.unsupported(f, seq, msgType);
    const problem = validate(f, msgType);
    if (problem !== null) return this.rejectAndAdvance(f, seq, msgType, problem.reason, problem.refTag, problem.text);
    this.apply(f, seq, msgType, possDup);
  }

  /**
   * A Logon that starts the sequence again (ResetSeqNumFlag, or this acceptor's reset-on-logon):
   * the other side's numbers restart at this Logon's, and an acceptor's own at 1 for its reply.
   */
  private resetAtLogon(f: FieldList, seq: number): void {
    const asked = f.get(141) === 'Y';
    const acceptor = this.state === 'awaiting-logon' || this.state === 'active';
    if (!asked && !(this.state === 'awaiting-logon' && this.config.resetOnLogon)) return;
    if (acceptor) this.store.reset();
    this.store.setNextTarget(seq);
    if (this.state === 'active') {
      this.state = 'awaiting-logon'; // answered with a Logon that resets ours too
    }
  }

  /** A MsgType this engine does not handle: a FIX one gets BusinessMessageReject, anything else Reject 373=11. */
  private unsupported(f: FieldList, seq: number, msgType: string): void {
    const expected = this.store.nextTarget;
    if (seq > expected) return this.tooHigh(f, seq, msgType);
    if (!(msgType in (FIELDS[35].values ?? {})))
      return this.rejectAndAdvance(
        f,
        seq,
        msgType,
        Reason.InvalidMsgType,
        35,
        `MsgType "${msgType}" is not a FIX 4.4 message`,
      );
    this.store.setNextTarget(seq + 1);
    this.emit(
      'j',
      (w) => w.int(45, seq).str(372, msgType).int(380, 3).str(58, `MsgType ${msgType} is not supported here`),
      true,
    );
  }

  /** CompIDs, SendingTime and, on a possible duplicate, OrigSendingTime. False: handled (rejected or fatal). */
  private checkHeader(f: FieldList, seq: number, msgType: string, possDup: boolean): boolean {
    if (f.get(49) !== this.config.targetCompId || f.get(56) !== this.config.senderCompId) {
      this.reject(
        seq,
        msgType,
        Reason.CompIdProblem,
        f.get(49) !== this.config.targetCompId ? 49 : 56,
        'CompID problem',
      );
      this.fatal(
        `CompIDs ${f.get(49)} -> ${f.get(56)} are not ${this.config.targetCompId} -> ${this.config.senderCompId}`,
      );
      return false;
    }
    const sending = parseUtcTimestamp(f.get(52));
    if (Number.isNaN(sending) || Math.abs(sending - this.now()) > this.config.sendingTimeToleranceS * 1000) {
      this.reject(seq, msgType, Reason.SendingTimeAccuracy, 52, 'SendingTime accuracy problem');
      this.fatal('SendingTime (52) missing or outside the tolerance');
      return false;
    }
    if (!possDup || msgType === '4') return true;
    const orig = f.get(122);
    if (orig === undefined) {
      this.rejectAndAdvance(
        f,
        seq,
        msgType,
        Reason.RequiredTagMissing,
        122,
        'OrigSendingTime (122) required with PossDupFlag',
      );
      return false;
    }
    if (parseUtcTimestamp(orig) > sending) {
      this.rejectAndAdvance(f, seq, msgType, Reason.SendingTimeAccuracy, 122, 'OrigSendingTime is after SendingTime');
      return false;
    }
    return true;
  }

  /** A message past a gap: ask for the gap (once) and keep the message for when it is filled. */
  private tooHigh(f: FieldList, seq: number, msgType: string): void {
    // A ResendRequest is answered at once, so two sides that both lost messages cannot deadlock.
    if (msgType === '2') this.onResendRequest(f);
    if (msgType === '5') return this.fatal('Logout received with a sequence gap');
    if (msgType === 'A') this.onLogon(f);
    const expected = this.store.nextTarget;
    if (this.resendUpTo < seq - 1) {
      this.app.onEvent?.({ type: 'gap', from: expected, to: seq - 1 });
      this.emit('2', (w) => w.int(7, expected).int(16, 0), false);
      this.resendUpTo = seq - 1;
    }
    if (msgType !== '2' && msgType !== 'A' && this.queue.size < this.config.maxQueued) this.queue.set(seq, f.copy());
  }

  private drainQueue(): void {
    for (
      let next = this.queue.get(this.store.nextTarget);
      next !== undefined;
      next = this.queue.get(this.store.nextTarget)
    ) {
      const seq = this.store.nextTarget;
      this.queue.delete(seq);
      this.dispatch(next, seq, next.get(35)!);
    }
    if (this.store.nextTarget > this.resendUpTo) this.resendUpTo = 0;
    if (this.queue.size > 0 && this.resendUpTo === 0) {
      // What is left queued lies past a further gap: drop it, a new ResendRequest brings it back.
      const above = Math.min(...this.queue.keys());
      this.queue.clear();
      this.emit('2', (w) => w.int(7, this.store.nextTarget).int(16, 0), false);
      this.resendUpTo = above - 1;
    }
  }

  /** The message at the expected seq, valid: act on it. */
  private apply(f: FieldList, seq: number, msgType: string, possDup: boolean): void {
    if (msgType !== '4') this.store.setNextTarget(seq + 1);
    switch (msgType) {
      case 'A':
        return this.onLogon(f);
      case '0':
        if (this.testRequest !== null && f.get(112) === this.testRequest.id) this.testRequest = null;
        return;
      case '1':
        return void this.emit('0', (w) => w.str(112, f.get(112)!), false);
      case '2':
        return this.onResendRequest(f);
      case '3':
        return this.app.onEvent?.({
          type: 'reject-received',
          refSeqNum: f.int(45),
          reason: f.int(373),
          text: f.get(58) ?? '',
        });
      case '4':
        return this.onGapFill(f, seq);
      case '5':
        return this.onLogout(f);
      default:
        if (this.state !== 'active') return this.fatal(`MsgType ${msgType} before logon`);
        this.app.onMessage(msgType, f, possDup);
    }
  }

  private onLogon(f: FieldList): void {
    if (this.state === 'active') return; // a Logon while logged on: nothing to do (seq applied)
    const hb = f.int(108);
    if (!(hb >= 0) || f.get(98) !== '0')
      return this.fatal('Logon needs HeartBtInt (108) >= 0 and EncryptMethod (98) 0');
    if (this.state === 'awaiting-logon') {
      this.heartBtMs = hb * 1000;
      this.sendLogon(f.get(141) === 'Y' || this.config.resetOnLogon);
    }
    this.enter('active');
    this.app.onEvent?.({ type: 'logon' });
  }

  private onLogout(f: FieldList): void {
    const text = f.get(58) ?? '';
    if (this.state !== 'logout-sent') this.sendLogout('');
    this.app.onEvent?.({ type: 'logout', text });
    if (this.config.resetOnLogout) this.store.reset();
    this.drop(`logout${text ? `: ${text}` : ''}`);
  }

  /** SequenceReset-GapFill at the expected seq: the next expected becomes NewSeqNo (never lower). */
  private onGapFill(f: FieldList, seq: number): void {
    const newSeqNo = f.int(36);
    if (!(newSeqNo > seq)) {
      this.store.setNextTarget(seq + 1);
      this.reject(seq, '4', Reason.ValueIncorrect, 36, `NewSeqNo ${f.get(36)} would lower the sequence`);
      return;
    }
    this.store.setNextTarget(newSeqNo);
    this.app.onEvent?.({ type: 'sequence-reset', newSeqNo });
  }

  /** SequenceReset-Reset: MsgSeqNum ignored; NewSeqNo may not go back. */
  private onSequenceReset(f: FieldList, seq: number): void {
    const newSeqNo = f.int(36);
    const expected = this.store.nextTarget;
    if (!(newSeqNo > 0)) return this.reject(seq, '4', Reason.RequiredTagMissing, 36, 'NewSeqNo (36) missing');
    if (newSeqNo < expected)
      return this.reject(seq, '4', Reason.ValueIncorrect, 36, `NewSeqNo ${newSeqNo} is below ${expected}`);
    this.store.setNextTarget(newSeqNo);
    for (const k of this.queue.keys()) if (k < newSeqNo) this.queue.delete(k);
    this.app.onEvent?.({ type: 'sequence-reset', newSeqNo });
  }

  /** Resends [BeginSeqNo, EndSeqNo]: application messages as PossDup, the rest as one GapFill per run. */
  private onResendRequest(f: FieldList): void {
    const last = this.store.lastSent;
    const begin = Math.max(1, f.int(7));
    const endAsked = f.int(16);
    const end = endAsked === 0 || endAsked > last ? last : endAsked;
    if (!(begin <= end)) return;
    let gapFrom = 0;
    const fill = (upTo: number) => {
      if (gapFrom === 0) return;
      const at = gapFrom;
      this.emitAt(at, '4', (w) => w.str(123, 'Y').int(36, upTo), true);
      gapFrom = 0;
    };
    let next = begin;
    for (const [seq, bytes] of this.store.range(begin, end)) {
      if (seq > next && gapFrom === 0) gapFrom = next;
      fill(seq);
      this.resend(seq, bytes);
      next = seq + 1;
    }
    if (next <= end) gapFrom ||= next;
    fill(end + 1);
    this.app.onEvent?.({ type: 'resent', from: begin, to: end });
  }

  // ---- sending -------------------------------------------------------------------------------

  private sendLogon(reset: boolean): void {
    this.emit(
      'A',
      (w) => {
        w.int(98, 0).int(108, Math.round(this.heartBtMs / 1000));
        if (reset) w.str(141, 'Y');
      },
      false,
    );
  }

  private sendLogout(text: string): void {
    this.emit('5', text ? (w) => w.str(58, freeText(text)) : null, false);
  }

  /** A new message with the next sender seq; application messages are stored for resends. */
  private emit(msgType: string, body: Body | null, store: boolean): number {
    const seq = this.store.nextSender;
    this.store.setNextSender(seq + 1);
    const bytes = this.encode(msgType, seq, body, null);
    if (store && !ADMIN.has(msgType)) this.store.save(seq, bytes);
    this.queueOut(bytes);
    return seq;
  }

  /** A gap fill written at an old seq (PossDup), not taking a new one. */
  private emitAt(seq: number, msgType: string, body: Body, possDup: boolean): void {
    this.queueOut(this.encode(msgType, seq, body, possDup ? this.now() : null));
  }

  private encode(msgType: string, seq: number, body: Body | null, origSendingTime: number | null): Buffer {
    const w = this.w.begin(msgType).str(49, this.config.senderCompId).str(56, this.config.targetCompId).int(34, seq);
    if (origSendingTime !== null) w.str(43, 'Y').time(122, origSendingTime);
    w.time(52, this.now());
    body?.(w);
    return w.finish();
  }

  /** A stored application message again: same seq and body, PossDupFlag Y, OrigSendingTime its old SendingTime. */
  private resend(seq: number, stored: Buffer): void {
    const f = new FieldList();
    if (parseMessage(stored, 0, stored.length, f).status !== ParseStatus.Ok) return;
    const w = this.w.begin(f.get(35)!).str(49, this.config.senderCompId).str(56, this.config.targetCompId).int(34, seq);
    w.str(43, 'Y')
      .str(122, f.get(52) ?? '')
      .time(52, this.now());
    for (let i = 0; i < f.count; i++)
      if (!SESSION_HEADER.has(f.tags[i])) w.raw(stored.subarray(f.ends[i - 1] + 1, f.ends[i] + 1));
    this.queueOut(w.finish());
  }

  private queueOut(bytes: Buffer): void {
    if (this.outBytes + bytes.length > this.out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outBytes + bytes.length));
      this.out.copy(bigger, 0, 0, this.outBytes);
      this.out = bigger;
    }
    this.outBytes += bytes.copy(this.out, this.outBytes);
    this.lastSent = this.now();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** The store first, then the wire: nothing leaves that a restart would not know was sent. */
  private flush(): void {
    this.flushScheduled = false;
    this.store.flush();
    if (this.outBytes === 0) return;
    // A copy: the socket may hold on to what it is given until the kernel takes it.
    const out = Buffer.from(this.out.subarray(0, this.outBytes));
    this.outBytes = 0;
    if (this.state !== 'disconnected') this.io.write(out);
  }

  // ---- errors and state ------------------------------------------------------------------------

  private reject(refSeq: number, refMsgType: string, reason: number, refTag: number, text: string): void {
    this.emit(
      '3',
      (w) => {
        w.int(45, refSeq);
        if (refTag > 0) w.int(371, refTag);
        w.str(372, refMsgType).int(373, reason).str(58, freeText(text));
      },
      false,
    );
    this.app.onEvent?.({ type: 'reject-sent', refSeqNum: refSeq, reason, text });
  }

  /** Reject a message at the expected seq and take its seq; above it, treat it as a gap first. */
  private rejectAndAdvance(
    f: FieldList,
    seq: number,
    msgType: string,
    reason: number,
    refTag: number,
    text: string,
  ): void {
    const expected = this.store.nextTarget;
    if (seq > expected) return this.tooHigh(f, seq, msgType);
    if (seq < expected) return; // already applied: a possible duplicate, not answered again
    if (seq === expected) this.store.setNextTarget(seq + 1);
    this.reject(seq, msgType, reason, refTag, text);
    this.flush();
  }

  /** A breach that ends the session: Logout with the reason, then disconnect. */
  private fatal(text: string): void {
    if (this.state !== 'disconnected') this.sendLogout(text);
    this.drop(text);
  }

  private drop(text: string): void {
    this.flush();
    this.app.onEvent?.({ type: 'disconnect', text });
    this.enter('disconnected');
    this.io.disconnect(text);
  }

  private checkSilence(now: number): void {
    const silent = now - this.lastReceived;
    if (this.testRequest === null) {
      // Silence a fifth past the interval (transmission time): ask the other side to prove it is there.
      if (silent >= this.heartBtMs * 1.2 && this.heartBtMs > 0) {
        const id = `TEST-${++this.testRequests}`;
        this.testRequest = { id, at: now };
        this.emit('1', (w) => w.str(112, id), false);
      }
    } else if (now - this.testRequest.at >= this.heartBtMs) this.fatal('no answer to TestRequest: the link is lost');
  }

  private enter(s: SessionState): void {
    this.state = s;
    this.stateSince = this.now();
  }
}

/** Text (58) as FIX carries it: no control characters, nothing outside Latin-1. */
function freeText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c > 0xff ? '?' : ch;
  }
  return out;
}

/** UTCTimestamp YYYYMMDD-HH:MM:SS[.sss] → epoch ms, NaN if malformed. */
export function parseUtcTimestamp(v: string | undefined): number {
  const m = v === undefined ? null : /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(v);
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}
