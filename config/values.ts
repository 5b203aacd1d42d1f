// The closed vocabularies of the configuration, apart from the schema so the CLI can offer them
// as choices without loading zod.

export const ASSET_CLASS_VALUES = ['equity', 'etf', 'future', 'fx', 'option', 'bond'] as const;
export const ROLE_VALUES = ['feed', 'engine', 'gateway', 'router', 'venue', 'store', 'alerts', 'analytics'] as const;
export const BACKEND_VALUES = ['auto', 'ts', 'cpu', 'cuda', 'gpujs'] as const;
export const LOG_LEVEL_VALUES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Limit metrics read from the book's sums (engine/limits.ts); the others are the risk run's. */
export const EXPOSURE_METRIC_VALUES = ['gross', 'net', 'long', 'short', 'nav', 'drawdown', 'concentration'] as const;
export const LIMIT_METRIC_VALUES = [...EXPOSURE_METRIC_VALUES, 'var95', 'var99', 'es95', 'es99'] as const;
/** What a concentration limit's shares are of (engine/concentration.ts). */
export const CONCENTRATION_DIMENSION_VALUES = ['instrument', 'assetClass', 'sector', 'currency', 'country'] as const;
export const SEVERITY_VALUES = ['info', 'warning', 'critical'] as const;

/** Where `riskline watch` connects by default: the embedded server's stream endpoint. */
export const DEFAULT_WATCH_URL = 'ws://127.0.0.1:8080/v1/stream';

/** Full bid/ask spread in basis points of the mid, by asset class: the simulator's defaults. */
export const DEFAULT_SPREAD_BPS = { equity: 2, etf: 1, future: 0.5, fx: 0.3, option: 20, bond: 5 } as const;
