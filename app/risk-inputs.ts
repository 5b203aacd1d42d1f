// What the engine's simulation methods need from outside the engine: the settings from the
// configuration and the market history file, read and checked here (config/history.ts) so the
// engine stays free of I/O.

import { loadHistory } from '../config/history.js';
import { displayPath } from '../config/issues.js';
import type { RisklineConfig } from '../config/schema.js';
import type { EngineOptions } from '../engine/engine.js';

export function simulationOptions(config: RisklineConfig): NonNullable<EngineOptions['simulation']> {
  const r = config.risk;
  const history = r.history
    ? loadHistory(r.history.file, {
        factors: config.market.factors.map((f) => f.id),
        instruments: config.instruments.map((i) => i.id),
        minDays: r.methods.includes('historical') ? r.history.window : 1,
      })
    : null;
  return {
    settings: {
      methods: r.methods.filter((m) => m !== 'parametric') as ('historical' | 'monteCarlo')[],
      horizons: r.horizons,
      confidence: r.confidence,
      monteCarlo: r.monteCarlo,
      reprice: r.reprice,
      riskFreeRate: r.riskFreeRate,
      topComponents: r.topComponents,
      ewmaLambda: r.ewmaLambda,
      window: r.history?.window ?? 500,
      backtest: r.backtest,
    },
    history: history ? { ...history, file: displayPath(history.file) } : null,
    scenarios: config.scenarios,
  };
}
