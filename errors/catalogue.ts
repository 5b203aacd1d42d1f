// The one error catalogue. Every edge (HTTP, WebSocket, FIX, CLI, DLQ) maps errors through it, so a
// code means the same thing everywhere. Codes are stable: add new ones, never renumber or reuse.

export interface ErrorSpec {
  /** Stable machine-readable code (WebSocket `code`, HTTP body `code`, DLQ header `riskline-error`). */
  code: string;
  /** Default human message; call sites add specifics. */
  message: string;
  http: number;
  /** FIX mapping: SessionRejectReason (tag 373) for session-level problems, or BusinessRejectReason (380). */
  fix: { msgType: '3' | 'j'; reason: number } | null;
  /** Process exit code when the error ends a CLI command. */
  exit: 1 | 2;
}

const spec = (code: string, message: string, http: number, fix: ErrorSpec['fix'], exit: 1 | 2 = 1): ErrorSpec => ({
  code,
  message,
  http,
  fix,
  exit,
});

export const ERRORS = {
  BAD_REQUEST: spec('BAD_REQUEST', 'malformed request', 400, { msgType: '3', reason: 5 }, 2),
  BAD_FRAME: spec('BAD_FRAME', 'frame is not valid JSON or msgpack', 400, { msgType: '3', reason: 5 }),
  UNKNOWN_OP: spec('UNKNOWN_OP', 'unknown op', 400, { msgType: '3', reason: 11 }),
  BAD_CHANNEL: spec('BAD_CHANNEL', 'channel name is not one of the documented forms', 400, { msgType: 'j', reason: 0 }),
  UNKNOWN_CHANNEL: spec('UNKNOWN_CHANNEL', 'no such portfolio or instrument', 404, { msgType: 'j', reason: 2 }),
  NOT_SUBSCRIBED: spec('NOT_SUBSCRIBED', 'not subscribed to this channel', 400, { msgType: 'j', reason: 0 }),
  UNAUTHORIZED: spec('UNAUTHORIZED', 'missing or invalid credentials', 401, { msgType: '3', reason: 0 }),
  FORBIDDEN: spec('FORBIDDEN', 'not entitled to this portfolio', 403, { msgType: 'j', reason: 6 }),
  NOT_FOUND: spec('NOT_FOUND', 'not found', 404, { msgType: 'j', reason: 0 }),
  ORDER_STATE: spec('ORDER_STATE', 'the order is not in a state that allows this', 409, { msgType: 'j', reason: 0 }),
  ALERT_STATE: spec('ALERT_STATE', 'the alert is not in a state that allows this', 409, null),
  PRETRADE_REJECTED: spec('PRETRADE_REJECTED', 'the order failed a pre-trade check', 422, { msgType: 'j', reason: 0 }),
  METHOD_NOT_ALLOWED: spec('METHOD_NOT_ALLOWED', 'method not allowed', 405, null),
  PAYLOAD_TOO_LARGE: spec('PAYLOAD_TOO_LARGE', 'payload too large', 413, { msgType: '3', reason: 5 }),
  RATE_LIMITED: spec('RATE_LIMITED', 'too many requests', 429, null),
  UNKNOWN_INSTRUMENT: spec('UNKNOWN_INSTRUMENT', 'unknown instrument', 422, { msgType: 'j', reason: 2 }),
  UNKNOWN_PORTFOLIO: spec('UNKNOWN_PORTFOLIO', 'unknown portfolio', 422, { msgType: 'j', reason: 0 }),
  INVALID_TICK: spec('INVALID_TICK', 'tick fails validation', 422, null),
  STALE_TICK: spec('STALE_TICK', "tick is older than its instrument's newest mark", 422, null),
  INVALID_EXECUTION: spec('INVALID_EXECUTION', 'execution fails validation', 422, { msgType: 'j', reason: 0 }),
  WRONG_PARTITION: spec('WRONG_PARTITION', 'record is on a partition its key does not map to', 422, null),
  DECODE_FAILED: spec('DECODE_FAILED', 'record could not be decoded', 422, null),
  UNSUPPORTED_VERSION: spec('UNSUPPORTED_VERSION', 'unsupported envelope schema version', 422, null),
  CONFIG_INVALID: spec('CONFIG_INVALID', 'configuration is invalid', 500, null, 2),
  USAGE: spec('USAGE', 'invalid command line', 400, null, 2),
  REPLAY_FILE: spec('REPLAY_FILE', 'replay file is invalid', 422, null, 2),
  REPLAY_MISMATCH: spec('REPLAY_MISMATCH', 'replayed frames differ from the recording', 500, null, 1),
  BACKPRESSURE: spec('BACKPRESSURE', 'consumer is too slow; conflated', 503, null),
  UNAVAILABLE: spec('UNAVAILABLE', 'service unavailable', 503, null),
  INTERNAL: spec('INTERNAL', 'internal error', 500, null),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error that carries a catalogue code; edges render it, everything else is INTERNAL. */
export class RisklineError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERRORS[code].message, options);
    this.code = code;
    this.name = 'RisklineError';
  }
  get spec(): ErrorSpec {
    return ERRORS[this.code];
  }
}

export function toRisklineError(err: unknown): RisklineError {
  if (err instanceof RisklineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RisklineError('INTERNAL', message, { cause: err });
}

/** JSON body used by HTTP and WebSocket error frames. */
export function errorBody(err: RisklineError): { code: ErrorCode; message: string } {
  return { code: err.code, message: err.message };
}
