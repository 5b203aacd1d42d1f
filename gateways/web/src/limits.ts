// The risk limits (GET /v1/limits) and how much of them a portfolio uses, from the metrics the
// engine checks them on (engine/engine.ts): exposure totals, NAV, and the delta-normal VaR/ES of
// the risk frame. Each value comes with the inputSeq of the channel it was read from.
import type { LimitDef, LimitMetric } from '../../../engine/limits.js';
import { LIMIT_METRIC_VALUES } from '../../../config/values.js';
import { getJson } from './api.js';
import type { LiveStream } from './live.js';

export type { LimitDef, LimitMetric };
export const LIMIT_METRICS: readonly LimitMetric[] = LIMIT_METRIC_VALUES;

const cache = new Map<string, Promise<LimitDef[]>>();

/** The limits the caller may see; none where the gateway does not serve them (fetched once per token). */
export function loadLimits(token: string | null): Promise<LimitDef[]> {
  const key = token ?? '';
  let held = cache.get(key);
  if (held === undefined) {
    held = getJson<LimitDef[]>('/v1/limits', token).catch(() => []);
    cache.set(key, held);
    // A failure is not remembered: the next view to ask tries again.
    void held.then((l) => l.length === 0 && cache.delete(key));
  }
  return held;
}

export const limitsOf = (limits: readonly LimitDef[], portfolio: string): LimitDef[] =>
  limits.filter((l) => l.portfolio === '*' || l.portfolio === portfolio);

/**
 * How much of a limit a value uses: value / max for a positive max, value / min for a negative min
 * (how far towards the floor), the larger where a limit has both, and 0 for a value on the other
 * side of zero; undefined when neither applies (a floor at or above zero, such as NAV ≥ 0, has no
 * proportion to show). Above 1 is a breach.
 */
export function utilisation(l: LimitDef, value: number): number | undefined {
  const parts: number[] = [];
  if (l.max !== undefined && l.max > 0) parts.push(value / l.max);
  if (l.min !== undefined && l.min < 0) parts.push(value / l.min);
  return parts.length === 0 ? undefined : Math.max(0, ...parts);
}

export interface MetricValue {
  value: number;
  /** The channel it was read from and that channel's inputSeq. */
  channel: string;
  inputSeq: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
type Data = Record<string, unknown>;

/** A limit metric of a portfolio as the page holds it now, or undefined before its channel has state. */
export function metricValue(live: LiveStream, portfolio: string, metric: LimitMetric): MetricValue | undefined {
  const read = (kind: string, pick: (d: Data) => unknown): MetricValue | undefined => {
    const channel = `${kind}:${portfolio}`;
    const state = live.channels.get(channel);
    const value = state && num(pick(state.data));
    return value === undefined ? undefined : { value, channel, inputSeq: state!.inputSeq };
  };
  const totals = (d: Data) => (d.totals as Data | undefined) ?? {};
  switch (metric) {
    case 'gross':
    case 'net':
    case 'long':
      return read('exposures', (d) => totals(d)[metric]);
    case 'short': {
      // The engine checks short exposure as a magnitude (the frame's `short` is ≤ 0).
      const short = read('exposures', (d) => totals(d).short);
      return short && { ...short, value: -short.value };
    }
    case 'nav':
      return read('positions', (d) => totals(d).nav);
    case 'drawdown':
    case 'concentration':
      // The engine keeps the day's high-water mark and the largest share; no frame carries them (their alerts do).
      return undefined;
    default: {
      const [, kind, label] = /^(var|es)(\d+)$/.exec(metric)!;
      return read('risk', (d) => (d[kind] as Data | undefined)?.[label]);
    }
  }
}

/** A portfolio's most used limit now: which, how much, and the value and inputSeq it was read at. */
export interface LimitUse extends MetricValue {
  limit: LimitDef;
  use: number;
  /** The bound the use is of (the max, or the negative min). */
  bound: number;
}

export function highestUse(live: LiveStream, limits: readonly LimitDef[], portfolio: string): LimitUse | undefined {
  let best: LimitUse | undefined;
  for (const limit of limitsOf(limits, portfolio)) {
    const m = metricValue(live, portfolio, limit.metric);
    const use = m && utilisation(limit, m.value);
    if (use === undefined || (best !== undefined && use <= best.use)) continue;
    const ofMax = limit.max !== undefined && limit.max > 0;
    const ofMin = limit.min !== undefined && limit.min < 0;
    const bound = ofMax && !(ofMin && m!.value / limit.min! > m!.value / limit.max!) ? limit.max! : limit.min!;
    best = { ...m!, limit, use, bound };
  }
  return best;
}
