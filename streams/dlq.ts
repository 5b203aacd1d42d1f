// Dead-letter records: the original bytes (or the one bad item of a batch) with the reason in
// headers, so nothing rejected is lost and an operator can see why, replay or discard it.

import type { RisklineError } from '../errors/catalogue.js';
import type { BusMessage, ConsumedMessage } from './bus.js';

export const DLQ_HEADERS = {
  code: 'riskline-error',
  reason: 'riskline-reason',
  topic: 'riskline-source-topic',
  partition: 'riskline-source-partition',
  offset: 'riskline-source-offset',
} as const;

export function dlqMessage(source: ConsumedMessage, err: RisklineError, value: Uint8Array = source.value): BusMessage {
  return {
    key: source.key,
    value,
    headers: {
      [DLQ_HEADERS.code]: err.code,
      [DLQ_HEADERS.reason]: err.message,
      [DLQ_HEADERS.topic]: source.topic,
      [DLQ_HEADERS.partition]: String(source.partition),
      [DLQ_HEADERS.offset]: String(source.offset),
    },
  };
}
