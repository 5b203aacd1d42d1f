// Limit monitoring: compares each portfolio's metrics with the configured limits and raises an
// alert when a limit is breached and again when it clears, never on every tick in between.

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

export class LimitMonitor {
  private readonly byPortfolio: LimitDef[][];
  /** `limit|portfolio` of each of byPortfolio's entries, built once. */
  private readonly keys: string[][];
  private readonly breached = new Set<string>();
  private raised = 0;

  constructor(
    limits: LimitDef[],
    private readonly portfolioIds: string[],
  ) {
    this.byPortfolio = portfolioIds.map((id) => limits.filter((l) => l.portfolio === '*' || l.portfolio === id));
    this.keys = this.byPortfolio.map((list, port) => list.map((l) => `${l.id}|${portfolioIds[port]}`));
  }

  /** Checks the metrics present in `metrics` (others are left for a later call). */
  check(port: number, metrics: Partial<Record<LimitMetric, number>>, ts: number, out: Alert[]): void {
    const portfolio = this.portfolioIds[port];
    const limits = this.byPortfolio[port];
    for (let k = 0; k < limits.length; k++) {
      const limit = limits[k];
      const value = metrics[limit.metric];
      if (value === undefined) continue;
      const key = this.keys[port][k];
      const over = limit.max !== undefined && value > limit.max;
      const under = limit.min !== undefined && value < limit.min;
      const isBreached = over || under;
      if (isBreached === this.breached.has(key)) continue;
      const threshold = (over ? limit.max : under ? limit.min : (limit.max ?? limit.min)) as number;
      if (isBreached) this.breached.add(key);
      else this.breached.delete(key);
      this.raised++;
      out.push({
        id: `${limit.id}:${portfolio}:${this.raised}`,
        portfolio,
        limit: limit.id,
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
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)}m` : v.toFixed(2);
}
