// Limit monitoring: compares each portfolio's metrics with the configured limits and raises an
// alert when a limit is breached and again when it clears, never on every tick in between.
//
// Alert ids are deterministic, so that every engine process names the same transition alike:
// `<limit>:<portfolio>:<n>:raise` and `<limit>:<portfolio>:<n>:clear`, where n numbers this limit's
// breaches of this portfolio (1 for the first). n is part of the checkpoint, so an engine that takes
// the portfolio over continues the count; a per-process counter or the input count would differ
// between the old owner and the new one, and the event time of the crossing depends on where each
// process's publication happened to fall. With n, a transition the new owner repeats (one the old
// owner published after its last checkpoint) carries the id the old owner gave it.

import type { Alert, AlertSeverity } from './model.js';

export type LimitMetric = 'gross' | 'net' | 'long' | 'short' | 'nav' | 'var95' | 'var99' | 'es95' | 'es99';

export interface LimitDef {
  id: string;
  /** A portfolio id, or '*' for every portfolio. */
  portfolio: string;
  metric: LimitMetric;
  max?: number;
  min?: number;
  severity: AlertSeverity;
}

/** One limit's standing in one portfolio, as a checkpoint carries it: breaches raised so far, and whether one stands. */
export type LimitState = [limit: string, breaches: number, breached: boolean];

export class LimitMonitor {
  private readonly byPortfolio: LimitDef[][];
  /** Per portfolio, per entry of byPortfolio: breaches raised so far (the n of the alert ids). */
  private readonly breaches: Float64Array[];
  /** Per portfolio, per entry of byPortfolio: 1 while a breach stands. */
  private readonly breached: Uint8Array[];

  constructor(
    limits: LimitDef[],
    private readonly portfolioIds: string[],
  ) {
    this.byPortfolio = portfolioIds.map((id) => limits.filter((l) => l.portfolio === '*' || l.portfolio === id));
    this.breaches = this.byPortfolio.map((list) => new Float64Array(list.length));
    this.breached = this.byPortfolio.map((list) => new Uint8Array(list.length));
  }

  /** Checks the metrics present in `metrics` (others are left for a later call). */
  check(port: number, metrics: Partial<Record<LimitMetric, number>>, ts: number, out: Alert[]): void {
    const portfolio = this.portfolioIds[port];
    const limits = this.byPortfolio[port];
    const breached = this.breached[port];
    for (let k = 0; k < limits.length; k++) {
      const limit = limits[k];
      const value = metrics[limit.metric];
      if (value === undefined) continue;
      const over = limit.max !== undefined && value > limit.max;
      const under = limit.min !== undefined && value < limit.min;
      const isBreached = over || under;
      if (isBreached === (breached[k] === 1)) continue;
      const threshold = (over ? limit.max : under ? limit.min : (limit.max ?? limit.min)) as number;
      breached[k] = isBreached ? 1 : 0;
      // A clearance keeps the number of the breach it ends.
      const n = isBreached ? ++this.breaches[port][k] : this.breaches[port][k];
      out.push({
        id: `${limit.id}:${portfolio}:${n}:${isBreached ? 'raise' : 'clear'}`,
        portfolio,
        limit: limit.id,
        state: isBreached ? 'breached' : 'cleared',
        severity: isBreached ? limit.severity : 'info',
        message: isBreached
          ? `${limit.metric} ${fmt(value)} ${over ? 'above max' : 'below min'} ${fmt(threshold)} (${limit.id})`
          : `${limit.metric} ${fmt(value)} back within ${fmt(threshold)} (${limit.id})`,
        value,
        threshold,
        ts,
      });
    }
  }

  /** A portfolio's limit state for its checkpoint: every limit breached at least once so far. */
  export(port: number): LimitState[] {
    const out: LimitState[] = [];
    const limits = this.byPortfolio[port];
    for (let k = 0; k < limits.length; k++)
      if (this.breaches[port][k] > 0) out.push([limits[k].id, this.breaches[port][k], this.breached[port][k] === 1]);
    return out;
  }

  /**
   * Replaces a portfolio's limit state with a checkpoint's. Limits the checkpoint does not name
   * start unbreached with no breach counted; a limit it names that is no longer configured is
   * dropped (nothing monitors it any more).
   */
  import(port: number, states: readonly LimitState[]): void {
    const limits = this.byPortfolio[port];
    this.breaches[port].fill(0);
    this.breached[port].fill(0);
    for (const [id, n, isBreached] of states) {
      const k = limits.findIndex((l) => l.id === id);
      if (k < 0) continue;
      this.breaches[port][k] = n;
      this.breached[port][k] = isBreached ? 1 : 0;
    }
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)}m` : v.toFixed(2);
}
