// A refused credential: a catalogue error (UNAUTHORIZED, or UNAVAILABLE when the identity
// provider's key set cannot be fetched, or BAD_REQUEST for a malformed header) plus a short, fixed
// `kind` a gateway can count in metrics without the unbounded text of the reason. Messages never
// contain the token.

import { RisklineError, type ErrorCode } from '../../errors/catalogue.js';

export const FAILURE_KINDS = [
  'missing',
  'malformed',
  'oversized',
  'query-disabled',
  'unsigned',
  'algorithm',
  'type',
  'key',
  'signature',
  'expired',
  'not-yet-valid',
  'lifetime',
  'issuer',
  'audience',
  'claims',
  'unavailable',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export class AuthFailure extends RisklineError {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string, code: ErrorCode = 'UNAUTHORIZED', options?: { cause?: unknown }) {
    super(code, message, options);
    this.kind = kind;
  }
}

/** A header value or claim written into a reason: printable, and short whatever the caller sent. */
export function shown(value: string, max = 64): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}
