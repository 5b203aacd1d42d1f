// The desk's book of alerts: each alert as it stands with the people around it — who acknowledged
// it, who owns its episode — built from the `alerts` topic (alerts, then the actions taken on them,
// in topic order), so every gateway reading the topic holds the same book. An episode is a limit's
// run from leaving ok to coming back (an alert id without its last `:part`); an acknowledgement is
// of one alert (a breach after an acknowledged warning needs its own), an assignment of the episode.
// Bounded: past `capacity` alerts the oldest of ended episodes leave first (the store keeps them all).

import type { Alert } from '../../engine/model.js';
import type { AlertAction, AlertActionKind } from './actions.js';

export interface Acknowledgement {
  by: string;
  at: number;
  note?: string;
}
export interface Assignment {
  to: string;
  by: string;
  at: number;
  note?: string;
}

/** One alert as REST and the terminal show it. */
export interface DeskAlert extends Alert {
  /** Event time and inputSeq of the frame that carried it. */
  asOf: number;
  inputSeq: number;
  episode: string;
  /** Its episode has not cleared yet. */
  open: boolean;
  acknowledged: Acknowledgement | null;
  assignee: Assignment | null;
}

/** An alert with its episode's audit: every acknowledgement and assignment, oldest first. */
export interface DeskAlertDetail extends DeskAlert {
  actions: AlertAction[];
}

interface Held {
  alert: Alert;
  asOf: number;
  inputSeq: number;
  episode: Episode;
  acknowledged: Acknowledgement | null;
}

interface Episode {
  id: string;
  open: boolean;
  alerts: number;
  assignee: Assignment | null;
  actions: AlertAction[];
}

/** What became of an action read from the topic. */
export type ActionOutcome = 'applied' | 'repeat' | 'unknown';

export interface DeskQuery {
  /** Which portfolios the caller may see. */
  visible: (portfolio: string) => boolean;
  portfolio?: string;
  /** Only alerts of episodes still open (true) or ended (false). */
  open?: boolean;
  /** Only alerts not yet acknowledged (warnings and breaches). */
  unacknowledged?: boolean;
  limit: number;
}

/** The episode an alert id belongs to: `<limit>:<portfolio>:<n>:raise` → `<limit>:<portfolio>:<n>`. */
export function episodeOf(alertId: string): string {
  const colon = alertId.lastIndexOf(':');
  return colon > 0 ? alertId.slice(0, colon) : alertId;
}

export class AlertDesk {
  /** By id, oldest arrival first. */
  private readonly alerts = new Map<string, Held>();
  private readonly episodes = new Map<string, Episode>();

  constructor(
    readonly capacity = 10_000,
    /** Actions kept per episode (the newest; the store keeps every one). */
    readonly auditPerEpisode = 100,
  ) {}

  get size(): number {
    return this.alerts.size;
  }

  /** Takes an alert; false when it is held already (a new owner repeating its predecessor's last). */
  alert(a: Alert, asOf: number, inputSeq: number): boolean {
    if (this.alerts.has(a.id)) return false;
    const key = episodeOf(a.id);
    let episode = this.episodes.get(key);
    if (episode === undefined)
      this.episodes.set(key, (episode = { id: key, open: true, alerts: 0, assignee: null, actions: [] }));
    episode.alerts++;
    episode.open = a.state !== 'cleared';
    this.alerts.set(a.id, { alert: a, asOf, inputSeq, episode, acknowledged: null });
    if (this.alerts.size > this.capacity) this.evict();
    return true;
  }

  /** Why `action` cannot be taken on the alert now, in a line; null when it can (unknown alerts are the caller's NOT_FOUND). */
  refusal(alertId: string, action: AlertActionKind, assignee?: string): string | null {
    const held = this.alerts.get(alertId);
    if (held === undefined) return null;
    if (action === 'acknowledge') {
      if (held.alert.state === 'cleared') return `alert ${alertId} is a clear: there is nothing to acknowledge`;
      const ack = held.acknowledged;
      if (ack !== null) return `alert ${alertId} was acknowledged by ${ack.by} at ${new Date(ack.at).toISOString()}`;
      return null;
    }
    const owner = held.episode.assignee;
    if (owner !== null && owner.to === assignee) return `episode ${held.episode.id} is assigned to ${assignee} already`;
    return null;
  }

  /** Applies an action read from the topic. A second acknowledgement (two desks at once) is audited, not applied. */
  apply(action: AlertAction): ActionOutcome {
    const held = this.alerts.get(action.alert);
    if (held === undefined || held.alert.portfolio !== action.portfolio) return 'unknown';
    const episode = held.episode;
    if (episode.actions.some((a) => a.id === action.id)) return 'repeat';
    episode.actions.push(action);
    if (episode.actions.length > this.auditPerEpisode) episode.actions.shift();
    const note = action.note === undefined ? {} : { note: action.note };
    if (action.action === 'acknowledge') {
      if (held.acknowledged !== null) return 'repeat';
      held.acknowledged = { by: action.by, at: action.ts, ...note };
      return 'applied';
    }
    if (episode.assignee?.to === action.assignee) return 'repeat';
    episode.assignee = { to: action.assignee!, by: action.by, at: action.ts, ...note };
    return 'applied';
  }

  has(alertId: string): boolean {
    return this.alerts.has(alertId);
  }

  get(alertId: string): DeskAlert | undefined {
    const held = this.alerts.get(alertId);
    return held === undefined ? undefined : view(held);
  }

  detail(alertId: string): DeskAlertDetail | undefined {
    const held = this.alerts.get(alertId);
    return held === undefined ? undefined : { ...view(held), actions: held.episode.actions.slice() };
  }

  /** Newest first by event time (then arrival), at most `q.limit`. */
  list(q: DeskQuery): DeskAlert[] {
    const picked: Held[] = [];
    for (const held of this.alerts.values()) {
      const a = held.alert;
      if (q.portfolio !== undefined && a.portfolio !== q.portfolio) continue;
      if (!q.visible(a.portfolio)) continue;
      if (q.open !== undefined && held.episode.open !== q.open) continue;
      if (q.unacknowledged === true && (held.acknowledged !== null || a.state === 'cleared')) continue;
      picked.push(held);
    }
    // Arrival order breaks ties of event time: the Map is in arrival order and the sort is stable.
    picked.reverse().sort((x, y) => y.asOf - x.asOf);
    return picked.slice(0, q.limit).map(view);
  }

  /** Down to 90 % of capacity: alerts of ended episodes first, oldest first; then the oldest of any. */
  private evict(): void {
    let excess = this.alerts.size - Math.floor(this.capacity * 0.9);
    for (const pass of [true, false]) {
      for (const [id, held] of this.alerts) {
        if (excess === 0) return;
        if (pass && held.episode.open) continue;
        this.drop(id, held);
        excess--;
      }
    }
  }

  private drop(id: string, held: Held): void {
    this.alerts.delete(id);
    if (--held.episode.alerts === 0) this.episodes.delete(held.episode.id);
  }
}

function view(held: Held): DeskAlert {
  return {
    ...held.alert,
    asOf: held.asOf,
    inputSeq: held.inputSeq,
    episode: held.episode.id,
    open: held.episode.open,
    acknowledged: held.acknowledged,
    assignee: held.episode.assignee,
  };
}
