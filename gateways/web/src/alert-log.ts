// The alerts a page has seen, newest first by event time, at most `capacity` of them (the oldest
// go), each once: an alert's id names its transition (`<limit>:<portfolio>:<n>:warn|raise|clear`,
// engine/limits.ts), so the same alert sent again (a resubscription's snapshot, a new owner
// repeating its predecessor's last) is recognised and kept once. No DOM here: the view renders it.

export type Severity = 'info' | 'warning' | 'critical';
export type AlertState = 'warning' | 'breached' | 'cleared';

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

  /** Newest first. */
  newestFirst(): AlertRow[] {
    return this.rows.slice().reverse();
  }

  /** The newest alert's event time, or undefined with none. */
  get newestAsOf(): number | undefined {
    return this.rows.at(-1)?.asOf;
  }
}
