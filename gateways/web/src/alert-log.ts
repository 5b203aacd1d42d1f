// The alerts a page has seen, newest first by event time, at most `capacity` of them (the oldest
// go), each once: an alert's id names its transition (`<limit>:<portfolio>:<n>:warn|raise|clear`,
// engine/limits.ts), so the same alert sent again (a resubscription's snapshot, a new owner
// repeating its predecessor's last) is recognised and kept once. Each row carries the desk's state
// (who acknowledged it, who owns its episode), seeded from `GET /v1/alerts` and moved by the action
// frames of the alerts channels. No DOM here: the view renders it.

export type Severity = 'info' | 'warning' | 'critical';
export type AlertState = 'warning' | 'breached' | 'cleared';

import type { Acknowledgement, Assignment } from '../../../services/alerts/desk.js';

export type { Acknowledgement, Assignment };

export interface AlertRow {
  id: string;
  portfolio: string;
  limit: string;
  state: AlertState;
  severity: Severity;
  message: string;
  value: number;
  threshold: number;
  /** Event time of the alert (its frame's asOf), epoch ms. */
  asOf: number;
  inputSeq: number;
  /** The metric the limit is on, when known (from the limits, else the message's first word). */
  metric?: string;
  /** Order of arrival on this page; breaks ties of event time. */
  arrival: number;
  /** Wall-clock time it arrived, epoch ms. */
  receivedAt: number;
  /** The limit's run from leaving ok to coming back: the id without its last part. */
  episode: string;
  acknowledged: Acknowledgement | null;
  /** Who owns the episode (the same on every row of it). */
  assignee: Assignment | null;
}

/** An action frame's data (`alerts:` frames with `action`; gateways/asyncapi.yaml AlertAction). */
export interface AlertActionData {
  id: string;
  alert: string;
  action: 'acknowledge' | 'assign';
  by: string;
  assignee?: string;
  note?: string;
  ts: number;
}

export const episodeOf = (id: string): string => (id.lastIndexOf(':') > 0 ? id.slice(0, id.lastIndexOf(':')) : id);

/** The data of an alerts frame that is an action on an alert, or undefined. */
export function actionOf(data: Record<string, unknown>): AlertActionData | undefined {
  const { action, alert, by, ts } = data;
  if (action !== 'acknowledge' && action !== 'assign') return undefined;
  if (typeof alert !== 'string' || typeof by !== 'string' || typeof ts !== 'number') return undefined;
  return data as unknown as AlertActionData;
}

const SEVERITIES: readonly string[] = ['info', 'warning', 'critical'];
const STATES: readonly string[] = ['warning', 'breached', 'cleared'];

/** An alert frame's data as a row, or undefined when it is not an alert. */
export function alertRow(
  data: Record<string, unknown>,
  frame: { asOf: number; inputSeq: number },
  arrival: number,
  receivedAt: number,
): AlertRow | undefined {
  const { id, portfolio, limit, state, severity, message, value, threshold } = data;
  if (typeof id !== 'string' || typeof portfolio !== 'string' || typeof limit !== 'string') return undefined;
  if (!STATES.includes(state as string) || !SEVERITIES.includes(severity as string)) return undefined;
  const asOf = Number.isFinite(frame.asOf) ? frame.asOf : Number(data.ts);
  return {
    id,
    portfolio,
    limit,
    state: state as AlertState,
    severity: severity as Severity,
    message: typeof message === 'string' ? message : '',
    value: Number(value),
    threshold: Number(threshold),
    asOf,
    inputSeq: frame.inputSeq,
    arrival,
    receivedAt,
    episode: episodeOf(id),
    // A desk listing (GET /v1/alerts) carries these; a live alert starts with neither.
    acknowledged: (data.acknowledged as Acknowledgement | null | undefined) ?? null,
    assignee: (data.assignee as Assignment | null | undefined) ?? null,
  };
}

export class AlertLog {
  /** Oldest first (by event time, then arrival); the view reads it reversed. */
  private readonly rows: AlertRow[] = [];
  private readonly ids = new Set<string>();
  /** Rises with every change, so a view can tell whether to render again. */
  version = 0;

  constructor(readonly capacity = 1000) {}

  get size(): number {
    return this.rows.length;
  }

  /** Keeps a row unless its id is held already; false when it was a repeat (or older than all kept at capacity). */
  add(row: AlertRow): boolean {
    if (this.ids.has(row.id)) return false;
    const rows = this.rows;
    // A new alert of an assigned episode stays with its owner.
    if (row.assignee === null)
      row.assignee = rows.find((r) => r.episode === row.episode && r.assignee)?.assignee ?? null;
    let at = rows.length;
    // Alerts mostly arrive in event-time order: the place is found from the end.
    while (
      at > 0 &&
      (rows[at - 1].asOf > row.asOf || (rows[at - 1].asOf === row.asOf && rows[at - 1].arrival > row.arrival))
    )
      at--;
    if (at === 0 && rows.length >= this.capacity) return false;
    rows.splice(at, 0, row);
    this.ids.add(row.id);
    while (rows.length > this.capacity) this.ids.delete(rows.shift()!.id);
    this.version++;
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** A row from the desk's listing: added, or where held, its desk state taken (the listing is newer). */
  merge(row: AlertRow): void {
    if (this.add(row)) return;
    const at = this.rows.findIndex((r) => r.id === row.id);
    if (at < 0) return;
    const held = this.rows[at];
    if (held.acknowledged === row.acknowledged && held.assignee === row.assignee) return;
    // New objects, so the grid sees the change.
    this.rows[at] = {
      ...held,
      acknowledged: row.acknowledged ?? held.acknowledged,
      assignee: row.assignee ?? held.assignee,
    };
    this.version++;
  }

  /** An acknowledgement (of its alert, the first one standing) or an assignment (of every row of the episode). */
  act(a: AlertActionData): boolean {
    const note = a.note === undefined ? {} : { note: a.note };
    let changed = false;
    if (a.action === 'acknowledge') {
      const at = this.rows.findIndex((r) => r.id === a.alert);
      if (at >= 0 && this.rows[at].acknowledged === null) {
        this.rows[at] = { ...this.rows[at], acknowledged: { by: a.by, at: a.ts, ...note } };
        changed = true;
      }
    } else if (a.assignee !== undefined) {
      const episode = episodeOf(a.alert);
      const assignee = { to: a.assignee, by: a.by, at: a.ts, ...note };
      this.rows.forEach((r, i) => {
        if (r.episode !== episode) return;
        this.rows[i] = { ...r, assignee };
        changed = true;
      });
    }
    if (changed) this.version++;
    return changed;
  }

  /** Newest first. */
  newestFirst(): AlertRow[] {
    return this.rows.slice().reverse();
  }

  /** The newest alert's event time, or undefined with none. */
  get newestAsOf(): number | undefined {
    return this.rows.at(-1)?.asOf;
  }
}
