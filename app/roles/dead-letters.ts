// Bad input records to the DLQ topic, with the reason in headers (streams/dlq.ts), counted and
// logged sparingly: a stream of poison records must not become a stream of log lines.

import type { Logger } from 'pino';
import type { RisklineError } from '../../errors/catalogue.js';
import type { BusMessage, ConsumedMessage } from '../../streams/bus.js';
import { dlqMessage, dlqReason } from '../../streams/dlq.js';

/** Records dead-lettered are logged on the first ten, then every LOG_EVERY-th. */
const LOG_EVERY = 1000;

export class DeadLetters {
  /** Records dead-lettered so far. */
  count = 0;

  constructor(
    /** Where the records go: the DLQ topic's batch of the current cycle. */
    private readonly out: () => BusMessage[],
    private readonly logger: Logger,
  ) {}

  /** Dead-letters `value` (by default the record itself) as read at `m`, for `err`. */
  add(m: ConsumedMessage, err: RisklineError, value: Uint8Array = m.value): void {
    this.count++;
    if (this.count <= 10 || this.count % LOG_EVERY === 0)
      this.logger.warn({ code: err.code, topic: m.topic, offset: m.offset, dlq: this.count }, dlqReason(err));
    this.out().push(dlqMessage(m, err, value));
  }
}
