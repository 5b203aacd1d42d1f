// The Alerts view: limit breaches and clearances of every entitled portfolio as they arrive
// (`alerts:*`), newest first, filtered by severity, portfolio, state and acknowledgement, with an
// optional flash and short tone when a breach comes in, and the desk's actions: acknowledge an
// alert, assign its episode. An alerts channel carries events (an alert, or an action on one);
// the list is seeded from the desk's book (`GET /v1/alerts`) at each connection and kept from the
// page's start, whichever view is shown, up to the last 1,000.
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, RowClassParams, Theme } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { actionOf, AlertLog, alertRow, type AlertRow, type AlertState, type Severity } from './alert-log.js';
import { ApiError, getJson, postJson } from './api.js';
import type { PortfolioInfo } from './book.js';
import { age, money } from './format.js';
import { LIMIT_METRICS, loadLimits, type LimitDef } from './limits.js';
import type { LiveStream } from './live.js';

const NOTIFY_KEY = 'riskline.alertNotify';
export const ALERTS_KEPT = 1000;
const FLASH_MS = 4000;
/** At most one tone this often, however many breaches a burst brings. */
const TONE_GAP_MS = 1000;
/** Snapshots this soon after the connection opened are the subscription's resends. */
const SUBSCRIBE_BURST_MS = 2000;

/** The page's alerts: subscribed once per connection when the page goes live, whatever view is shown. */
export class AlertFeed {
  readonly log = new AlertLog(ALERTS_KEPT);
  notify = localStorage.getItem(NOTIFY_KEY) === 'on';
  /** Tones played (the page's tests read it). */
  tones = 0;
  /** Rises when the limits arrive (the metric column reads them). */
  limitsVersion = 0;
  private limits = new Map<string, LimitDef>();
  private readonly flashUntil = new Map<string, number>();
  private arrival = 0;
  private lastTone = -Infinity;
  private audio: AudioContext | null = null;

  /** The last action's refusal, for the toolbar (null when the last one went through). */
  actionError: string | null = null;
  private seededFor = -1;

  constructor(
    private readonly live: LiveStream,
    private readonly token: string | null,
  ) {
    live.onEvent((channel, event, type) => {
      if (!channel.startsWith('alerts:')) return;
      const action = actionOf(event.data);
      if (action !== undefined) return void this.log.act(action);
      const row = alertRow(event.data, event, ++this.arrival, Date.now());
      if (row === undefined || !this.log.add(row)) return;
      // The newest alert resent on (re)subscribing is history, not news; a channel's first frame ever
      // (seq 1, a snapshot) is news unless it came with the subscription, just after the connection opened.
      const news = type === 'update' || (event.seq === 1 && Date.now() - live.openedAt > SUBSCRIBE_BURST_MS);
      if (news && row.state === 'breached' && this.notify) this.announce(row);
    });
    live.subscribe(['alerts:*']);
    // The desk's book at each connection: alerts from before the page opened, and actions taken while away.
    live.listen(() => {
      if (live.openedAt !== this.seededFor && live.state === 'live') this.seed();
    });
    this.seed();
    void loadLimits(token).then((l) => {
      this.limits = new Map(l.map((x) => [x.id, x]));
      this.limitsVersion++;
      this.log.version++;
    });
    // Browsers start audio only after a gesture: a remembered "on" waits for the first one.
    if (this.notify) addEventListener('pointerdown', () => this.notify && this.audioContext(), { once: true });
  }

  private seed(): void {
    this.seededFor = this.live.openedAt;
    type Listed = Record<string, unknown> & { asOf: number; inputSeq: number };
    void getJson<{ alerts: Listed[] }>('/v1/alerts?limit=1000', this.token).then(
      ({ alerts }) => {
        const now = Date.now();
        // Oldest first, so arrival order follows event time as it does live.
        for (const a of alerts.reverse()) {
          const row = alertRow(a, a, ++this.arrival, now);
          if (row !== undefined) this.log.merge(row);
        }
      },
      () => undefined, // a gateway without the desk: the live alerts alone
    );
  }

  /** Acknowledges an alert, or assigns its episode, as the signed-in user; the row moves when the action's frame arrives. */
  async act(row: AlertRow, action: 'acknowledge' | 'assign', body: Record<string, string> = {}): Promise<void> {
    try {
      await postJson(`/v1/alerts/${encodeURIComponent(row.id)}/${action}`, this.token, body);
      this.actionError = null;
    } catch (err) {
      this.actionError = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
    }
    this.log.version++;
  }

  setNotify(on: boolean): void {
    this.notify = on;
    localStorage.setItem(NOTIFY_KEY, on ? 'on' : 'off');
    if (on) this.audioContext(); // inside the click: allowed to start
  }

  /** The metric of an alert's limit: from the limits, else the message's first word (the engine writes it first). */
  metricOf(row: AlertRow): string {
    const known = this.limits.get(row.limit)?.metric;
    if (known !== undefined) return known;
    const word = row.message.split(' ', 1)[0];
    return (LIMIT_METRICS as readonly string[]).includes(word) ? word : '';
  }

  flashing(id: string, now = Date.now()): boolean {
    return (this.flashUntil.get(id) ?? 0) > now;
  }

  private announce(row: AlertRow): void {
    const now = Date.now();
    for (const [id, until] of this.flashUntil) if (until <= now) this.flashUntil.delete(id);
    this.flashUntil.set(row.id, now + FLASH_MS);
    if (now - this.lastTone < TONE_GAP_MS) return;
    this.lastTone = now;
    this.tone(row.severity);
  }

  private audioContext(): AudioContext | null {
    try {
      this.audio ??= new AudioContext();
      if (this.audio.state === 'suspended') void this.audio.resume();
      return this.audio;
    } catch {
      return null;
    }
  }

  /** A short tone (no sound file): higher for critical. */
  private tone(severity: Severity): void {
    const ctx = this.audioContext();
    if (ctx === null) return;
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = severity === 'critical' ? 880 : 660;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.3);
    this.tones++;
  }
}

const feeds = new WeakMap<LiveStream, AlertFeed>();

/** The page's one alert feed for this connection (started by the first caller). */
export function alertFeed(live: LiveStream, token: string | null): AlertFeed {
  let feed = feeds.get(live);
  if (feed === undefined) feeds.set(live, (feed = new AlertFeed(live, token)));
  return feed;
}

/** True while the location is `#/alerts`. */
export function useAlertsRoute(): boolean {
  const read = () => location.hash === '#/alerts';
  const [on, setOn] = useState(read);
  useEffect(() => {
    const f = () => setOn(read());
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  return on;
}

const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function columns(feed: AlertFeed): ColDef<AlertRow>[] {
  return [
    {
      field: 'portfolio',
      headerName: 'Portfolio',
      pinned: 'left',
      width: 150,
      cellRenderer: (p: { value: string }) => <a href={`#/portfolio/${encodeURIComponent(p.value)}`}>{p.value}</a>,
    },
    {
      field: 'asOf',
      colId: 'time',
      headerName: 'Time',
      width: 95,
      valueFormatter: (p) => (typeof p.value === 'number' ? clock.format(p.value) : ''),
      tooltipValueGetter: (p) => (typeof p.value === 'number' ? new Date(p.value).toISOString() : ''),
    },
    {
      field: 'severity',
      headerName: 'Severity',
      width: 105,
      cellRenderer: (p: { value: Severity }) => <span className={`sev sev-${p.value}`}>{p.value}</span>,
    },
    {
      field: 'state',
      headerName: 'State',
      width: 110,
      cellRenderer: (p: { value: AlertState }) => (
        <span className={`alert-state ${p.value}`}>
          {p.value === 'breached' ? '▲' : p.value === 'warning' ? '△' : '✓'} {p.value}
        </span>
      ),
    },
    { field: 'limit', headerName: 'Limit', width: 150 },
    { colId: 'metric', headerName: 'Metric', width: 85, valueGetter: (p) => (p.data ? feed.metricOf(p.data) : '') },
    {
      field: 'value',
      headerName: 'Value',
      type: 'rightAligned',
      width: 140,
      valueFormatter: (p) => money(p.value),
    },
    {
      field: 'threshold',
      headerName: 'Limit at',
      type: 'rightAligned',
      width: 140,
      valueFormatter: (p) => money(p.value),
    },
    {
      field: 'acknowledged',
      colId: 'ack',
      headerName: 'Acknowledged',
      width: 170,
      cellRenderer: (p: { data?: AlertRow }) => <AckCell feed={feed} row={p.data} />,
    },
    {
      field: 'assignee',
      colId: 'assignee',
      headerName: 'Assignee',
      width: 150,
      cellRenderer: (p: { data?: AlertRow }) => <AssignCell feed={feed} row={p.data} />,
    },
    { field: 'message', headerName: 'Message', minWidth: 320, flex: 1 },
  ];
}

/** Who acknowledged the alert and when, or a button to (a clear needs none). */
function AckCell(props: { feed: AlertFeed; row: AlertRow | undefined }) {
  const { row } = props;
  if (row === undefined) return null;
  const ack = row.acknowledged;
  if (ack !== null)
    return (
      <span className="ack" title={ack.note ?? ''} data-by={ack.by}>
        ✓ {ack.by} {clock.format(ack.at)}
      </span>
    );
  if (row.state === 'cleared') return <span className="ack none">—</span>;
  return (
    <button type="button" className="ack-button" onClick={() => void props.feed.act(row, 'acknowledge')}>
      Acknowledge
    </button>
  );
}

/** Who owns the episode, and a button to give it to someone (asked by a prompt). */
function AssignCell(props: { feed: AlertFeed; row: AlertRow | undefined }) {
  const { row } = props;
  if (row === undefined) return null;
  const to = row.assignee?.to;
  const assign = () => {
    const who = prompt(`Assign ${row.episode} to`, to ?? '');
    if (who !== null && who.trim() !== '') void props.feed.act(row, 'assign', { assignee: who.trim() });
  };
  return (
    <span className="assignee" data-to={to ?? ''}>
      {to ?? ''}{' '}
      <button type="button" className="assign-button" title="Assign this alert's episode" onClick={assign}>
        {to === undefined ? 'Assign' : '⇄'}
      </button>
    </span>
  );
}

type Filter<T extends string> = 'all' | T;

function Choice<T extends string>(props: {
  label: string;
  value: Filter<T>;
  options: readonly T[];
  onChange: (v: Filter<T>) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        aria-label={props.label}
        name={props.label.toLowerCase()}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as Filter<T>)}
      >
        <option value="all">all</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Alerts(props: { portfolios: PortfolioInfo[]; live: LiveStream; theme: Theme; token: string | null }) {
  const { live } = props;
  const feed = alertFeed(live, props.token);
  const [version, setVersion] = useState(feed.log.version);
  const [now, setNow] = useState(Date.now);
  const [severity, setSeverity] = useState<Filter<Severity>>('all');
  const [portfolio, setPortfolio] = useState<Filter<string>>('all');
  const [state, setState] = useState<Filter<AlertState>>('all');
  const [ack, setAck] = useState<Filter<'waiting' | 'acknowledged'>>('all');
  const [notify, setNotify] = useState(feed.notify);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    const off = live.listen(() => setVersion(feed.log.version));
    return () => {
      clearInterval(timer);
      off();
    };
  }, [live, feed]);
  const all = useMemo(() => feed.log.newestFirst(), [feed, version]);
  const rows = useMemo(
    () =>
      all.filter(
        (r) =>
          (severity === 'all' || r.severity === severity) &&
          (portfolio === 'all' || r.portfolio === portfolio) &&
          (state === 'all' || r.state === state) &&
          (ack === 'all' || (ack === 'acknowledged') === (r.acknowledged !== null || r.state === 'cleared')),
      ),
    [all, severity, portfolio, state, ack],
  );
  const cols = useMemo(() => columns(feed), [feed, feed.limitsVersion]);
  const getRowId = useMemo(() => (p: GetRowIdParams<AlertRow>) => p.data.id, []);
  const rowClass = useMemo(
    () => (p: RowClassParams<AlertRow>) =>
      p.data ? `alert-row sev-row-${p.data.severity}${feed.flashing(p.data.id) ? ' flash' : ''}` : '',
    [feed],
  );
  const newest = feed.log.newestAsOf;
  return (
    <div className="alerts" data-count={rows.length} data-total={all.length} data-tones={feed.tones}>
      <div className="toolbar alerts-toolbar">
        <Choice label="Severity" value={severity} options={['critical', 'warning', 'info']} onChange={setSeverity} />
        <Choice
          label="Portfolio"
          value={portfolio}
          options={props.portfolios.map((p) => p.id)}
          onChange={setPortfolio}
        />
        <Choice label="State" value={state} options={['warning', 'breached', 'cleared']} onChange={setState} />
        <Choice label="Acknowledged" value={ack} options={['waiting', 'acknowledged']} onChange={setAck} />
        <label title="Flash the row and play a short tone when a breach arrives">
          <input
            type="checkbox"
            name="notify"
            checked={notify}
            onChange={(e) => {
              feed.setNotify(e.target.checked);
              setNotify(e.target.checked);
            }}
          />{' '}
          Flash and sound on breach
        </label>
        {feed.actionError !== null && (
          <span className="error action-error" role="alert">
            {feed.actionError}
          </span>
        )}
        <span className="age" data-newest-as-of={newest ?? ''}>
          {rows.length} of {all.length} alerts (the last {ALERTS_KEPT.toLocaleString('en-US')} kept) · newest{' '}
          {newest === undefined ? 'none yet' : `${age(now - newest)} old`}
        </span>
      </div>
      <div className="grid alerts-grid">
        <AgGridReact<AlertRow>
          theme={props.theme}
          rowData={rows}
          columnDefs={cols}
          getRowId={getRowId}
          getRowClass={rowClass}
          overlayNoRowsTemplate="No alerts: the desk's book and every one since this page opened are listed here"
        />
      </div>
    </div>
  );
}
