// Backtest zone alerts: each risk frame's backtests (one per simulation method, engine/risk/
// day-backtest.ts) carry a Basel traffic-light zone; a change of zone is an alert. The zone is a
// value (green 0, yellow 1, red 2) watched by the limit status machine (engine/limits.ts) against a
// warning line at 1 and a limit above 1, so green → yellow warns, yellow → red raises (critical),
// red → yellow eases, back to green clears, each once, with the limits' episode ids
// (`backtest-<method>:<portfolio>:<n>:warn|raise|ease<c>|clear`) and their checkpoint state.

import { LimitMonitor, OK, type LimitState, type RuleDef } from './limits.js';
import type { Alert, BacktestSummary, RiskMethod } from './model.js';

const METHODS: readonly RiskMethod[] = ['parametric', 'historical', 'monteCarlo'];
const ZONE_VALUE = { green: 0, yellow: 1, red: 2 } as const;
const ZONE_NAME = ['green', 'yellow', 'red'] as const;

/** The rule of a method's backtest zone: a value 0–2, warning at 1 (half of 2), breached above 1. */
export function zoneRule(method: RiskMethod): RuleDef {
  return {
    id: `backtest-${method}`,
    portfolio: '*',
    metric: `backtest:${method}`,
    max: 1.5,
    warnAt: 2 / 3,
    severity: 'critical',
  };
}

export class BacktestZones {
  private readonly monitor: LimitMonitor;
  private readonly values: Record<string, number> = {};
  private readonly notes: Record<string, string> = {};

  constructor(portfolioIds: string[]) {
    this.monitor = new LimitMonitor(METHODS.map(zoneRule), portfolioIds, describeZone);
  }

  /** Checks a risk frame's backtests and pushes an alert for each zone that changed. */
  check(port: number, backtests: readonly BacktestSummary[], ts: number, out: Alert[]): void {
    if (backtests.length === 0) return;
    for (const k of Object.keys(this.values)) delete this.values[k];
    for (const b of backtests) {
      const key = `backtest:${b.method}`;
      this.values[key] = ZONE_VALUE[b.zone];
      this.notes[key] =
        `${b.exceptions} exceptions in ${b.observations} days at ${Math.round(b.confidence * 1000) / 10} %`;
    }
    this.monitor.check(port, this.values, ts, out, this.notes);
  }

  /** The zones' standing for a checkpoint (carried with the limits', ids apart). */
  export(port: number): LimitState[] {
    return this.monitor.export(port);
  }

  /** Takes the zones' standing from a checkpoint's limit states (others' ids are ignored). */
  import(port: number, states: readonly LimitState[]): void {
    this.monitor.import(port, states);
  }
}

function describeZone(
  def: RuleDef,
  _side: 'max' | 'min',
  status: number,
  value: number,
  _line: number,
  note?: string,
): string {
  const method = def.metric.slice('backtest:'.length);
  const zone = ZONE_NAME[value] ?? String(value);
  const detail = note === undefined ? '' : `: ${note}`;
  if (status === OK) return `backtest ${method} back to green${detail} (${def.id})`;
  return `backtest ${method} in zone ${zone}${detail} (${def.id})`;
}
