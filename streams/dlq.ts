// Dead-letter records: the original bytes (or the one bad item of a batch) with the reason in
// headers, so nothing rejected is lost and an operator can see why, replay or discard it.

import type { RisklineError } from '../errors/catalogue.js';
import type { BusMessage, ConsumedMessage } from './bus.js';
import { oneLine } from './envelope.js';

export const DLQ_HEADERS = {
  code: 'riskline-error',
  reason: 'riskline-reason',
  topic: 'riskline-source-topic',
  partition: 'riskline-source-partition',
  offset: 'riskline-source-offset',
} as const;

/** Longest `riskline-reason`: a reason names what failed and where, it never carries the record. */
export const REASON_MAX = 200;

/** The `riskline-reason` of an error: its message on one line, cut at REASON_MAX characters. */
export const dlqReason = (err: RisklineError): string => oneLine(err.message, REASON_MAX);

/**
 * The DLQ record of `source`: its key as read (a record written without a key is read as the
 * empty key, so its dead letter has an empty key, never null), `value`, and the reason headers.
 */
export function dlqMessage(source: ConsumedMessage, err: RisklineError, value: Uint8Array = source.value): BusMessage {
  return {
    key: source.key,
    value,
    headers: {
      [DLQ_HEADERS.code]: err.code,
      [DLQ_HEADERS.reason]: dlqReason(err),
      [DLQ_HEADERS.topic]: source.topic,
      [DLQ_HEADERS.partition]: String(source.partition),
      [DLQ_HEADERS.offset]: String(source.offset),
    },
  };
}
