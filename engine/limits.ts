// Limit monitoring: compares each portfolio's metrics with the configured limits and raises an
// alert when a limit's status changes (ok → warning → breached and back), never on every tick in
// between.
//
// Status: `breached` beyond the limit (above `max`, below `min`); `warning` within it but past
// `warnAt` of it (a limit with `warnAt`, e.g. 0.8 for "warn at 80 % utilisation"); otherwise ok. A
// status is left only once the metric is back by `hysteresis` of its line (0.05: a breach of a
// 100 max clears at 95 or below), so a metric hovering at a line raises one alert, not a storm.
//
// Alert ids are deterministic, so that every engine process names the same transition alike. An
// episode runs from leaving ok to coming back; n numbers this limit's episodes in this portfolio
// (1 for the first). The episode's first alert is `<limit>:<portfolio>:<n>:warn` or `…:raise`, its
// last `…:clear`, and a change in between (breached → warning `ease`, warning → breached `raise`)
// carries its place in the episode, `…:<verb><c>`. n and c are part of the checkpoint, so an
// engine that takes the portfolio over continues the count; a per-process counter or the input
// count would differ between the old owner and the new one, and the event time of the crossing
// depends on where each process's publication happened to fall. A transition the new owner repeats
// (one the old owner published after its last checkpoint) carries the id the old owner gave it.
//
// The same machine watches the engine's own rules (RuleDef): a backtest's traffic-light zone is a
// value of 0, 1 or 2 against a warning line and a limit (engine/backtest-zones.ts).

import { EXPOSURE_METRIC_VALUES } from '../config/values.js';
import type { Alert, AlertSeverity } from './model.js';

/**
 * What a limit is on: exposure totals, NAV, `drawdown` (the fall of NAV from the day's high-water
 * mark, a fraction of that mark: 0.02 is 2 %), `concentration` (the largest share of gross exposure
 * in one key of the limit's `dimension`: 0.25 is 25 %), or the delta-normal VaR/ES of the risk frame.
 */
export type LimitMetric =
  'gross' | 'net' | 'long' | 'short' | 'nav' | 'drawdown' | 'concentration' | 'var95' | 'var99' | 'es95' | 'es99';

/** What a concentration limit groups gross exposure by: the position itself or an exposure bucket. */
export type ConcentrationDimension = 'instrument' | 'assetClass' | 'sector' | 'currency' | 'country';

/** A rule the status machine watches: a configured limit, or one of the engine's own (backtest zones). */
export interface RuleDef {
  id: string;
  /** A portfolio id, or '*' for every portfolio. */
  portfolio: string;
  metric: string;
  dimension?: string;
  max?: number;
  min?: number;
  warnAt?: number;
  hysteresis?: number;
  severity: AlertSeverity;
}

export interface LimitDef extends RuleDef {
  metric: LimitMetric;
  /** Concentration limits only: what the shares are of (default `instrument`). */
  dimension?: ConcentrationDimension;
  max?: number;
  min?: number;
  /** Utilisation (0–1) past which a warning is raised: of a positive `max`, of a negative `min`. */
  warnAt?: number;
  /** How far (a fraction of the line) the metric must come back before a status is left. */
  hysteresis?: number;
  severity: AlertSeverity;
}

/** Metrics read from the book's sums; the rest are the risk run's. */
const EXPOSURE_METRICS: ReadonlySet<string> = new Set(EXPOSURE_METRIC_VALUES);

/** The key a rule's value is looked up by in `check`'s metrics: the metric, with a concentration's dimension. */
export function metricKey(def: RuleDef): string {
  return def.metric === 'concentration' ? `concentration:${def.dimension ?? 'instrument'}` : def.metric;
}

/** A rule's value by metric key (see metricKey); a rule whose key is absent is left as it was. */
export type MetricValues = Readonly<Partial<Record<string, number>>>;

/** Writes an alert's message: the rule, the status it enters (OK, WARNING, BREACHED), the value and line. */
export type Describe = (
  def: RuleDef,
  side: 'max' | 'min',
  status: number,
  value: number,
  line: number,
  note?: string,
) => string;

/** The statuses a rule moves between (what a Describe is told it enters). */
export const OK = 0;
export const WARNING = 1;
export const BREACHED = 2;

/**
 * One limit's standing in one portfolio, as a checkpoint carries it: episodes so far, the status
 * (2 breached, 1 warning, 0 ok; a boolean in checkpoints written before warnings existed) and the
 * changes within the current episode.
 */
export type LimitState = [limit: string, episodes: number, status: number | boolean, changes?: number];

/** A limit's lines, resolved once: where each status begins and where it ends. */
interface Lines {
  def: RuleDef;
  key: string;
  warnMax: number;
  warnMin: number;
  /** Leaving a status: the metric must be at or inside these. */
  clearMax: number;
  clearMin: number;
  clearWarnMax: number;
  clearWarnMin: number;
}

function linesOf(def: RuleDef): Lines {
  const h = def.hysteresis ?? 0;
  const max = def.max ?? Infinity;
  const min = def.min ?? -Infinity;
  const warnMax = def.warnAt !== undefined && max > 0 && max < Infinity ? max * def.warnAt : Infinity;
  const warnMin = def.warnAt !== undefined && min < 0 && min > -Infinity ? min * def.warnAt : -Infinity;
  const back = (line: number, sign: 1 | -1) => (Number.isFinite(line) ? line - sign * h * Math.abs(line) : line);
  return {
    def,
    key: metricKey(def),
    warnMax,
    warnMin,
    clearMax: back(max, 1),
    clearMin: back(min, -1),
    clearWarnMax: back(warnMax, 1),
    clearWarnMin: back(warnMin, -1),
  };
}

export class LimitMonitor {
  private readonly byPortfolio: Lines[][];
  /** Per portfolio, per entry of byPortfolio: episodes so far (the n of the alert ids). */
  private readonly episodes: Float64Array[];
  /** Per portfolio, per entry of byPortfolio: the status (OK, WARNING, BREACHED). */
  private readonly status: Uint8Array[];
  /** Per portfolio, per entry of byPortfolio: alerts raised in the current episode. */
  private readonly changes: Float64Array[];
  /** Per portfolio: 1 when a limit is on an exposure metric (checked on every fill). */
  private readonly exposureWatched: Uint8Array;
  /** Per portfolio: 1 when a limit is on VaR or ES (checked at the next limit check after a fill). */
  private readonly riskWatched: Uint8Array;

  constructor(
    limits: readonly RuleDef[],
    private readonly portfolioIds: string[],
    private readonly describe: Describe = messageOf,
  ) {
    const lines = limits.map(linesOf);
    this.byPortfolio = portfolioIds.map((id) => lines.filter((l) => l.def.portfolio === '*' || l.def.portfolio === id));
    this.episodes = this.byPortfolio.map((list) => new Float64Array(list.length));
    this.status = this.byPortfolio.map((list) => new Uint8Array(list.length));
    this.changes = this.byPortfolio.map((list) => new Float64Array(list.length));
    this.exposureWatched = Uint8Array.from(this.byPortfolio, (list) =>
      list.some((l) => EXPOSURE_METRICS.has(l.def.metric)) ? 1 : 0,
    );
    this.riskWatched = Uint8Array.from(this.byPortfolio, (list) =>
      list.some((l) => !EXPOSURE_METRICS.has(l.def.metric)) ? 1 : 0,
    );
  }

  /** Whether any limit of the portfolio is on a book metric (gross, net, long, short, nav, drawdown). */
  watchesExposure(port: number): boolean {
    return this.exposureWatched[port] === 1;
  }

  /** Whether any limit of the portfolio is on VaR or ES. */
  watchesRisk(port: number): boolean {
    return this.riskWatched[port] === 1;
  }

  /** The dimensions the portfolio's concentration limits are on (empty: none). */
  concentrationDims(port: number): ConcentrationDimension[] {
    const out: ConcentrationDimension[] = [];
    for (const l of this.byPortfolio[port]) {
      const d = (l.def.dimension ?? 'instrument') as ConcentrationDimension;
      if (l.def.metric === 'concentration' && !out.includes(d)) out.push(d);
    }
    return out;
  }

  /**
   * Checks the values present in `metrics` (others are left for a later call); `notes` adds a word
   * to a message by the same key (the largest key of a concentration, a backtest's exceptions).
   */
  check(port: number, metrics: MetricValues, ts: number, out: Alert[], notes?: Readonly<Record<string, string>>): void {
    const limits = this.byPortfolio[port];
    const status = this.status[port];
    for (let k = 0; k < limits.length; k++) {
      const value = metrics[limits[k].key];
      if (value === undefined) continue;
      const next = statusOf(limits[k], value, status[k]);
      if (next === status[k]) continue;
      out.push(this.transition(port, k, next, value, ts, notes?.[limits[k].key]));
    }
  }

  private transition(port: number, k: number, next: number, value: number, ts: number, note?: string): Alert {
    const l = this.byPortfolio[port][k];
    const def = l.def;
    const was = this.status[port][k];
    this.status[port][k] = next;
    if (was === OK) {
      this.episodes[port][k]++;
      this.changes[port][k] = 0;
    }
    const c = ++this.changes[port][k];
    const verb = next === OK ? 'clear' : next === WARNING ? (was === OK ? 'warn' : 'ease') : 'raise';
    const n = this.episodes[port][k];
    const place = next === OK || c === 1 ? '' : String(c);
    const portfolio = this.portfolioIds[port];
    const side = sideOf(def, value);
    const threshold =
      next === WARNING ? (side === 'max' ? l.warnMax : l.warnMin) : ((side === 'max' ? def.max : def.min) as number);
    return {
      id: `${def.id}:${portfolio}:${n}:${verb}${place}`,
      portfolio,
      limit: def.id,
      state: next === OK ? 'cleared' : next === WARNING ? 'warning' : 'breached',
      severity: next === OK ? 'info' : next === WARNING ? 'warning' : def.severity,
      message: this.describe(def, side, next, value, threshold, note),
      value,
      threshold,
      ts,
    };
  }

  /** A portfolio's limit state for its checkpoint: every limit that has left ok at least once. */
  export(port: number): LimitState[] {
    const out: LimitState[] = [];
    const limits = this.byPortfolio[port];
    for (let k = 0; k < limits.length; k++)
      if (this.episodes[port][k] > 0)
        out.push([limits[k].def.id, this.episodes[port][k], this.status[port][k], this.changes[port][k]]);
    return out;
  }

  /**
   * Replaces a portfolio's limit state with a checkpoint's. Limits the checkpoint does not name
   * start ok with no episode counted; a limit it names that is no longer configured is dropped
   * (nothing monitors it any more).
   */
  import(port: number, states: readonly LimitState[]): void {
    const limits = this.byPortfolio[port];
    this.episodes[port].fill(0);
    this.status[port].fill(0);
    this.changes[port].fill(0);
    for (const [id, n, status, changes] of states) {
      const k = limits.findIndex((l) => l.def.id === id);
      if (k < 0) continue;
      const s = typeof status === 'boolean' ? (status ? BREACHED : OK) : status;
      this.episodes[port][k] = n;
      this.status[port][k] = s;
      this.changes[port][k] = changes ?? (s === OK ? 2 : 1);
    }
  }
}

/** The status `value` puts a limit in, from `was`: up at once, down only past the hysteresis. */
function statusOf(l: Lines, value: number, was: number): number {
  const def = l.def;
  const target =
    (def.max !== undefined && value > def.max) || (def.min !== undefined && value < def.min)
      ? BREACHED
      : value >= l.warnMax || value <= l.warnMin
        ? WARNING
        : OK;
  if (target >= was) return target;
  let s = was;
  while (s > target && !stillIn(l, s, value)) s--;
  return s;
}

/** Whether `value` is still inside status `s`'s hysteresis band. */
function stillIn(l: Lines, s: number, value: number): boolean {
  if (s === BREACHED) return value > l.clearMax || value < l.clearMin;
  return value > l.clearWarnMax || value < l.clearWarnMin;
}

/** Which of a limit's lines `value` is near: the one it has, or the nearer of the two. */
function sideOf(def: RuleDef, value: number): 'max' | 'min' {
  if (def.min === undefined) return 'max';
  if (def.max === undefined) return 'min';
  return value >= (def.max + def.min) / 2 ? 'max' : 'min';
}

const messageOf: Describe = (def, side, status, value, line, note) => {
  const limit = (side === 'max' ? def.max : def.min) as number;
  // A drawdown and a concentration are fractions: shown in percent.
  const fmt = FRACTIONS.has(def.metric) ? (v: number) => `${(v * 100).toFixed(2)} %` : money;
  const head = `${def.metric} ${fmt(value)}${note === undefined ? '' : ` ${note}`}`;
  const use = limit !== 0 ? `, ${pct(value, limit)} of ${side} ${fmt(limit)}` : '';
  const at = limit !== 0 ? ` at ${pct(value, limit)}` : '';
  if (status === BREACHED)
    return `${head} ${side === 'max' ? 'above max' : 'below min'} ${fmt(limit)}${at} (${def.id})`;
  if (status === WARNING) return `${head} past the warning line ${fmt(line)}${use} (${def.id})`;
  return `${head} back within ${fmt(limit)} (${def.id})`;
};

const FRACTIONS: ReadonlySet<string> = new Set(['drawdown', 'concentration']);

/** Utilisation to a tenth of a percent, so a value just past a line never reads as the line itself. */
function pct(value: number, limit: number): string {
  return `${((value / limit) * 100).toFixed(1)} %`;
}

function money(v: number): string {
  return Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)}m` : v.toFixed(2);
}
