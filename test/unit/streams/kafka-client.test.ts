// The Kafka transport's failure rules, without a broker: how long it waits, and what it retries.
import kafkajs from 'kafkajs';
import t from 'tap';
import { backoffMs, isIndefinite, isRetriable } from '../../../streams/kafka/client.js';

const { KafkaJSConnectionError, KafkaJSRequestTimeoutError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } =
  kafkajs;

t.test('backoff doubles from the initial wait, is capped, and jitters within ±20 %', async (t) => {
  const retry = { initialMs: 100, maxMs: 2000 };
  for (let n = 0; n < 12; n++) {
    const base = Math.min(2000, 100 * 2 ** n);
    for (let k = 0; k < 50; k++) {
      const ms = backoffMs(n, retry);
      if (ms < base * 0.8 - 1 || ms > base * 1.2 + 1) t.fail(`attempt ${n}: ${ms} ms outside ${base} ±20 %`);
    }
  }
  t.ok(backoffMs(1000, retry) <= 2400, 'a long outage waits at most the cap');
});

t.test('an unreachable or busy cluster is retried; a refused record is not; a timeout is indefinite', async (t) => {
  const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9');
  t.ok(isRetriable(refused), 'connection refused');
  t.ok(
    isRetriable(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 2000 })),
    'kafkajs gave up after its own retries',
  );
  t.ok(isRetriable(new Error('read ECONNRESET')), 'a socket reset from the network layer');
  // As kafkajs builds it from the broker's error code 10.
  const tooLarge = new KafkaJSProtocolError({
    type: 'MESSAGE_TOO_LARGE',
    code: 10,
    retriable: false,
    message: 'The request included a message larger than the max message size the server will accept',
  } as unknown as Error);
  t.notOk(isRetriable(tooLarge), 'a record over the broker limit is final');
  const timeout = new KafkaJSRequestTimeoutError('Request Produce(key: 0) timed out');
  t.ok(isIndefinite(timeout), 'a timed-out request has an unknown outcome');
  t.ok(
    isIndefinite(new KafkaJSNumberOfRetriesExceeded(timeout, { retryCount: 5, retryTime: 2000 })),
    'also when kafkajs retried it first',
  );
  t.notOk(isIndefinite(refused), 'a refused connection sent nothing');
});
