// One `riskline watch` from start to end: find the portfolios, connect and subscribe, keep the
// state, and show it — a live table, one line per frame, or the raw JSON messages — until stopped,
// or, with --once, until one table has been printed. A refusal the user can fix (a token, a URL,
// a portfolio) comes back as one USAGE line; a gateway that cannot be reached as UNAVAILABLE.

import { RisklineError } from '../../errors/catalogue.js';
import { channelOf, parseChannel } from '../../engine/frames.js';
import { isEventKind, type ServerMessage } from '../protocol.js';
import { DEFAULT_BACKOFF, WatchConnection, type Backoff } from './connection.js';
import { duration } from './format.js';
import { formatFrame, gapLine } from './lines.js';
import type { WatchPlan } from './options.js';
import { listPortfolios } from './portfolios.js';
import { renderWatch } from './render.js';
import { TableScreen, type ScreenIO } from './screen.js';
import { WatchState, type ConnectionPhase, type FrameMessage, type PortfolioLabel } from './state.js';

export interface WatchIO extends ScreenIO {
  /** A line that is not the output itself (stderr beside --json). */
  notice(line: string): void;
  /** stdout is a terminal the table can be redrawn on in place. */
  live: boolean;
  /** ANSI colour in the table. */
  color: boolean;
}

export interface WatchTuning {
  backoff?: Backoff;
  keepaliveMs?: number;
  handshakeTimeoutMs?: number;
  /** --once prints what it has after this long even when a channel is still without state. */
  onceWaitMs?: number;
}
export const ONCE_WAIT_MS = 10_000;
export const KEEPALIVE_MS = 15_000;

export interface WatchSession {
  readonly state: WatchState;
  /** Resolves when the watch ends by itself (--once) or is stopped; rejects with what ended it. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** Connects and starts showing; rejects when the first connection or subscription is refused. */
export async function runWatch(plan: WatchPlan, io: WatchIO, tuning: WatchTuning = {}): Promise<WatchSession> {
  const labels = await portfoliosOf(plan).catch((err: unknown) => Promise.reject(userError(err, plan)));
  const session = new Session(plan, io, labels, tuning);
  await session.start();
  return session;
}

/** The portfolios to show: those named, those of the channels named, or the gateway's list. */
async function portfoliosOf(plan: WatchPlan): Promise<PortfolioLabel[]> {
  if (plan.allPortfolios) {
    const listed = await listPortfolios(plan.url, plan.token);
    if (listed.length === 0) throw new RisklineError('FORBIDDEN', 'the gateway lists no portfolio this token may see');
    return listed;
  }
  const ids = [...plan.portfolios];
  for (const c of plan.channels) {
    const p = parseChannel(c);
    if (p !== null && p.kind !== 'ticks' && p.id !== '*' && !ids.includes(p.id)) ids.push(p.id);
  }
  return ids.map((id) => ({ id }));
}

export function channelsOf(plan: WatchPlan, labels: readonly PortfolioLabel[]): string[] {
  const out = new Set(plan.channels);
  const named = plan.allPortfolios ? labels.map((p) => p.id) : plan.portfolios;
  for (const id of named) for (const kind of plan.kinds) out.add(channelOf(kind, id));
  return [...out];
}

/** A refusal the user can act on as one USAGE line (exit 2); anything else as it came. */
export function userError(err: unknown, plan: Pick<WatchPlan, 'url' | 'token'>): unknown {
  if (!(err instanceof RisklineError)) return err;
  switch (err.code) {
    case 'UNAUTHORIZED':
      return new RisklineError(
        'USAGE',
        plan.token === undefined
          ? `watch: ${plan.url} needs a token (401: ${err.message}); pass --token`
          : `watch: ${plan.url} refused the token (401: ${err.message})`,
      );
    case 'FORBIDDEN':
    case 'UNKNOWN_CHANNEL':
    case 'BAD_CHANNEL':
    case 'BAD_REQUEST':
      return new RisklineError('USAGE', `watch: ${err.message} (${err.code})`);
    case 'NOT_FOUND':
      return new RisklineError('USAGE', `watch: ${plan.url}: ${err.message} (404)`);
    default:
      return err;
  }
}

class Session implements WatchSession {
  readonly state: WatchState;
  readonly done: Promise<void>;
  private readonly conn: WatchConnection;
  private readonly screen: TableScreen | null;
  private resolveDone!: () => void;
  private rejectDone!: (err: unknown) => void;
  private onceTimer: NodeJS.Timeout | null = null;
  private connectedBefore = false;
  private finished = false;

  constructor(
    private readonly plan: WatchPlan,
    private readonly io: WatchIO,
    labels: PortfolioLabel[],
    private readonly tuning: WatchTuning,
  ) {
    const channels = channelsOf(plan, labels);
    this.state = new WatchState(plan.url, channels, labels, io.now());
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined); // the caller awaits it; no unhandled rejection before then
    const live = plan.format === 'table' && !plan.once;
    this.screen = live ? new TableScreen(io, (w, h, now) => this.render(w, h, now), plan.refreshHz, io.live) : null;
    this.conn = new WatchConnection(
      {
        url: plan.url,
        ...(plan.token !== undefined ? { token: plan.token } : {}),
        channels,
        reconnect: tuning.backoff ?? DEFAULT_BACKOFF,
        keepaliveMs: tuning.keepaliveMs ?? KEEPALIVE_MS,
        ...(tuning.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: tuning.handshakeTimeoutMs } : {}),
      },
      {
        message: (msg, text) => this.message(msg, text),
        phase: (p) => this.phase(p),
        badMessage: (err) => this.say(`bad message from the gateway: ${err.message}`),
      },
      io.now,
    );
  }

  async start(): Promise<void> {
    try {
      await this.conn.start();
    } catch (err) {
      throw userError(err, this.plan);
    }
    void this.conn.ended.then((e) => {
      if (e.error !== null) this.end(userError(e.error, this.plan));
      else this.end();
    });
    // Frames that came with the subscription may already have finished a --once.
    if (this.finished) return;
    this.screen?.start();
    if (this.plan.once) {
      this.onceTimer = setTimeout(() => this.printOnce(), this.tuning.onceWaitMs ?? ONCE_WAIT_MS);
      if (this.state.ready()) this.printOnce();
    }
  }

  async stop(): Promise<void> {
    this.end();
    await this.conn.close();
  }

  private render(width: number, height: number, now: number): string[] {
    return renderWatch(this.state.view(now), width, height, now, { color: this.io.color });
  }

  private end(err?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.screen?.stop();
    if (this.onceTimer !== null) clearTimeout(this.onceTimer);
    if (err === undefined) this.resolveDone();
    else this.rejectDone(err);
    if (err !== undefined || this.plan.once) void this.conn.close();
  }

  private printOnce(): void {
    if (this.finished) return;
    const { columns } = this.io.size();
    this.io.write(this.render(columns, Infinity, this.io.now()).join('\n') + '\n');
    this.end();
  }

  /** A line about the connection: printed among the lines, beside the JSON on stderr, and in the table's status line. */
  private say(line: string): void {
    if (this.plan.format === 'lines') this.io.write(line + '\n');
    else if (this.plan.format === 'json') this.io.notice(line);
  }

  private message(msg: ServerMessage, text: string): void {
    if (this.finished) return;
    const now = this.io.now();
    if (this.plan.format === 'json') this.io.write(text + '\n');
    switch (msg.type) {
      case 'snapshot':
      case 'update':
        this.frame(msg, now);
        break;
      case 'status':
        this.state.setGatewayStatus(msg);
        if (this.plan.format === 'lines') {
          this.say(msg.stale ? `gateway stale${msg.reason ? `: ${msg.reason}` : ''}` : 'gateway live again');
        }
        break;
      case 'error':
        this.state.setError(msg.code, msg.message, now);
        if (this.plan.format === 'lines') this.say(`error ${msg.code}: ${msg.message}`);
        break;
      case 'subscribed':
        if (this.plan.format === 'lines') this.say(`subscribed ${msg.channels.join(', ')}`);
        break;
      default:
        break;
    }
    this.screen?.invalidate();
  }

  private frame(f: FrameMessage, now: number): void {
    const outcome = this.state.apply(f, now);
    if (outcome.kind === 'gap') {
      const asked = outcome.askSnapshot && this.conn.requestSnapshot(f.channel);
      if (this.plan.format === 'lines') this.say(gapLine(f.channel, outcome.expected, f.seq, asked));
    } else if (outcome.kind === 'applied' && this.plan.format === 'lines' && outcome.held.state !== undefined) {
      this.io.write(formatFrame(outcome.held.kind, f, outcome.held.state) + '\n');
    }
    if (this.plan.once && outcome.kind === 'applied' && !isEventKind(outcome.held.kind) && this.state.ready()) {
      this.printOnce();
    }
  }

  private phase(p: ConnectionPhase): void {
    this.state.setPhase(p);
    const now = this.io.now();
    if (p.state === 'connected') {
      this.state.resubscribed(now);
      if (this.connectedBefore) this.say('reconnected');
      this.connectedBefore = true;
    } else if (p.state === 'reconnecting') {
      this.say(`${p.reason}; reconnecting in ${duration(Math.max(0, p.retryAt - now))} (attempt ${p.attempt})`);
    } else if (p.state === 'closed') {
      this.say(`closed: ${p.reason}`);
    }
    this.screen?.invalidate();
  }
}
