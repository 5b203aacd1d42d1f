// The router's alerts, sent as bare `alert` records on the `alerts` topic (the gateway, the store
// and the webhooks read them as they read the engine's):
//
// - an order rejected — before trade (`info`: the checks did their job, the trader was told at once)
//   or by a venue, or with no venue to take it (`warning`) — is one alert for the order's portfolio,
//   id `order-reject:<portfolio>:<order id>:reject` (the order is its episode), sent at the order's first Rejected state only (a venue
//   resending its reject, or a restart on the journal, sends nothing again; a reader that sees an id
//   twice drops it);
// - a venue session down (logged out or disconnected) for `sessionDownMs` is one `critical` alert,
//   cleared once it has been logged on again for `sessionUpMs`: a session that flaps within those
//   times raises nothing more, and one that is down at start counts from the start. Sessions are the
//   router's, not a portfolio's: the alert goes to each portfolio whose configured book holds an
//   instrument routed to the venue (every portfolio when none does). Id `fix-session:<portfolio>:
//   <venue>:<down since, ms>:raise|clear`; a raised episode is kept in a file beside the journal,
//   so a restarted router clears it under the same id rather than raising it again.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Alert, PortfolioDef } from '../../engine/model.js';
import type { Order } from '../../engine/orders.js';
import type { RoutingPolicy } from './policy.js';

export const REJECT_RULE = 'order-reject';
export const SESSION_RULE = 'fix-session';
const MAX_MESSAGE = 1000;
const MAX_REMEMBERED = 10_000;

export interface OrderAlertSettings {
  /** A session down this long (ms) is alerted. */
  sessionDownMs: number;
  /** A session logged on again this long (ms) clears it. */
  sessionUpMs: number;
}

export interface OrderAlertOptions {
  settings: OrderAlertSettings;
  /** The portfolios a venue's session alerts go to. */
  portfoliosOf(venue: string): readonly string[];
  publish(a: Alert): void;
  /** Where raised session episodes are kept across restarts (null: nowhere). */
  stateFile: string | null;
  now?: () => number;
  /** Runs `fn` after `ms`; returns what cancels it. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

interface Session {
  up: boolean;
  /** When the current down spell began (while down). */
  downSince: number;
  /** The raised episode's down-since, null when none is raised. */
  raised: number | null;
  cancel: (() => void) | null;
}

export class OrderAlerts {
  private readonly sessions = new Map<string, Session>();
  /** Orders whose rejection was alerted in this run, newest last (the router may pass the same state again). */
  private readonly rejected = new Set<string>();
  private closed = false;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;

  constructor(
    venues: readonly string[],
    private readonly o: OrderAlertOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.schedule = o.schedule ?? defaultSchedule;
    const raised = readRaised(o.stateFile);
    const start = this.now();
    for (const venue of venues) {
      const s: Session = { up: false, downSince: raised[venue] ?? start, raised: raised[venue] ?? null, cancel: null };
      this.sessions.set(venue, s);
      // Down from the start until it logs on: raised if that takes sessionDownMs.
      if (s.raised === null) this.wait(s, o.settings.sessionDownMs, () => this.raise(venue, s));
    }
  }

  /** Every change of an order: its first rejection is alerted. */
  onOrder(order: Order): void {
    if (order.status !== 'Rejected') return;
    const rejections = order.events.filter((e) => e.status === 'Rejected');
    const last = order.events[order.events.length - 1];
    if (rejections.length !== 1 || last !== rejections[0] || this.rejected.has(order.id)) return;
    this.rejected.add(order.id);
    if (this.rejected.size > MAX_REMEMBERED) this.rejected.delete(this.rejected.values().next().value!);
    const before = last.text.startsWith('pre-trade:');
    const where = before ? 'refused before trade' : order.venue === '' ? 'rejected' : `rejected at ${order.venue}`;
    const what = `${order.side} ${order.qty} ${order.instrument}`;
    this.o.publish({
      id: `${REJECT_RULE}:${order.portfolio}:${order.id}:reject`,
      portfolio: order.portfolio,
      limit: REJECT_RULE,
      state: 'warning',
      severity: before ? 'info' : 'warning',
      message: clip(`order ${order.id} ${what} ${where}: ${last.text || 'no reason given'} (${REJECT_RULE})`),
      value: order.qty,
      threshold: 0,
      ts: last.ts,
    });
  }

  /** A venue session logged on. */
  up(venue: string): void {
    const s = this.sessions.get(venue);
    if (s === undefined || s.up || this.closed) return;
    s.up = true;
    s.cancel?.();
    s.cancel = null;
    if (s.raised !== null) this.wait(s, this.o.settings.sessionUpMs, () => this.clear(venue, s));
  }

  /** A venue session logged out or lost its connection. */
  down(venue: string): void {
    const s = this.sessions.get(venue);
    if (s === undefined || !s.up || this.closed) return;
    s.up = false;
    s.cancel?.();
    s.cancel = null;
    // Still within a raised episode (it did not stay up long enough to clear): nothing new.
    if (s.raised !== null) return;
    s.downSince = this.now();
    this.wait(s, this.o.settings.sessionDownMs, () => this.raise(venue, s));
  }

  /** Stops the timers (a stopping router's sessions logging out raise nothing). */
  close(): void {
    this.closed = true;
    for (const s of this.sessions.values()) s.cancel?.();
  }

  private wait(s: Session, ms: number, then: () => void): void {
    s.cancel = this.schedule(() => {
      s.cancel = null;
      then();
    }, ms);
  }

  private raise(venue: string, s: Session): void {
    s.raised = s.downSince;
    this.save();
    const ts = this.now();
    const down = Math.round((ts - s.downSince) / 1000);
    for (const portfolio of this.o.portfoliosOf(venue))
      this.o.publish({
        ...this.head(venue, portfolio, s.raised, 'raise'),
        state: 'breached',
        severity: 'critical',
        message: `FIX session to ${venue} down for ${down} s, since ${iso(s.downSince)}: orders cannot go there (${SESSION_RULE})`,
        value: ts - s.downSince,
        ts,
      });
  }

  private clear(venue: string, s: Session): void {
    const since = s.raised!;
    s.raised = null;
    this.save();
    const ts = this.now();
    for (const portfolio of this.o.portfoliosOf(venue))
      this.o.publish({
        ...this.head(venue, portfolio, since, 'clear'),
        state: 'cleared',
        severity: 'info',
        message: `FIX session to ${venue} logged on again (down since ${iso(since)}) (${SESSION_RULE})`,
        value: 0,
        ts,
      });
  }

  private head(venue: string, portfolio: string, since: number, verb: 'raise' | 'clear') {
    const id = `${SESSION_RULE}:${portfolio}:${venue}:${since}:${verb}`;
    return { id, portfolio, limit: SESSION_RULE, threshold: this.o.settings.sessionDownMs };
  }

  private save(): void {
    const file = this.o.stateFile;
    if (file === null) return;
    const raised: Record<string, number> = {};
    for (const [venue, s] of this.sessions) if (s.raised !== null) raised[venue] = s.raised;
    // Written whole and renamed into place: a crash leaves the old file or the new one.
    writeFileSync(`${file}.tmp`, JSON.stringify(raised));
    renameSync(`${file}.tmp`, file);
  }
}

/**
 * The portfolios a venue's session alerts go to: those whose configured book holds an instrument
 * the venue is on the route of (primary or fallback); every portfolio when none is.
 */
export function sessionPortfolios(portfolios: readonly PortfolioDef[], policy: RoutingPolicy, venue: string): string[] {
  const routed = portfolios.filter((p) => p.holdings.some((h) => policy.venuesFor(h.instrument).includes(venue)));
  return (routed.length > 0 ? routed : portfolios).map((p) => p.id);
}

function readRaised(file: string | null): Record<string, number> {
  if (file === null || !existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])),
    );
  } catch {
    // A damaged file forgets the episodes: at worst one is raised again under a new id.
    return {};
  }
}

function defaultSchedule(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

const iso = (ms: number): string => new Date(ms).toISOString();

const clip = (text: string): string => (text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`);
