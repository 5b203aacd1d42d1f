// The kafkajs client as Riskline configures it: its log lines go through pino (INFO chatter of
// joins and connections is demoted to debug), and errors are classified once, here, for the
// layers above: retriable (wait and try again), indefinite (a request whose outcome is unknown:
// the producer that sent it is replaced) or fatal.

import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

const {
  Kafka,
  logLevel,
  KafkaJSRequestTimeoutError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSError,
  KafkaJSConnectionError,
  KafkaJSProtocolError,
} = kafkajs;

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** Backoff between attempts when the cluster is unreachable: doubles from initial to max. */
  retry: { initialMs: number; maxMs: number };
  /** A stop waits this long for the cluster, then gives up on it (see KafkaSubscription.close). */
  shutdownTimeoutMs?: number;
  producer: { lingerMs: number; batchBytes: number; compression: 'none' | 'gzip' };
  consumer: { sessionTimeoutMs: number; heartbeatMs: number; maxBytesPerPartition: number; maxWaitMs: number };
}

export function createKafkaClient(s: KafkaSettings, logger: Logger): KafkaClient {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: s.clientId,
    brokers: s.brokers,
    connectionTimeout: s.connectionTimeoutMs,
    requestTimeout: s.requestTimeoutMs,
    // kafkajs' own retries are short; the layers above keep retrying with their own backoff.
    retry: { initialRetryTime: s.retry.initialMs, maxRetryTime: s.retry.maxMs, retries: 5 },
    logLevel: logLevel.INFO,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // A rebalance is routine (a member joined or left): kafkajs reports it as an error.
        if (level === logLevel.ERROR && isRebalanceNotice(message, rest)) log.info(rest, message);
        else if (level === logLevel.ERROR) log.error(rest, message);
        // Riskline retries above kafkajs, without limit, so the idempotence warning does not apply.
        else if (level === logLevel.WARN && !message.startsWith('Limiting retries for the idempotent'))
          log.warn(rest, message);
        else log.debug(rest, message);
      },
  });
}

/** kafkajs' error lines that only say the group is rebalancing (its members rejoin on their own). */
export function isRebalanceNotice(message: string, rest: Record<string, unknown>): boolean {
  const text = `${message} ${typeof rest.error === 'string' ? rest.error : ''}`;
  return /rebalanc|REBALANCE_IN_PROGRESS|re-join/i.test(text);
}

/** A request timed out or retries ran out after one: it may or may not have been applied. */
export function isIndefinite(err: unknown): boolean {
  if (err instanceof KafkaJSRequestTimeoutError) return true;
  if (err instanceof KafkaJSNumberOfRetriesExceeded) return isIndefinite((err as { cause?: unknown }).cause);
  return false;
}

/**
 * The broker refused the idempotent producer's state (a sequence out of order after a request whose
 * outcome was lost, an unknown or fenced producer id): the batch was not written, and a new
 * producer (new id, sequences from zero) can write it.
 */
export function isProducerStateError(err: unknown): boolean {
  const types = [
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
    'UNKNOWN_PRODUCER_ID',
    'INVALID_PRODUCER_EPOCH',
    'INVALID_PRODUCER_ID_MAPPING',
  ];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (types.includes((e as { type?: string }).type ?? '')) return true;
    if (/out of order sequence number|unknown producer id|producer.*fenced/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Worth trying again: the cluster was unreachable or busy. kafkajs wraps the last failure of its
 * own retries in a non-retriable error, so the cause chain decides; only a protocol error the
 * broker marks final (a record too large, an authorisation failure) is not retried.
 */
export function isRetriable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof KafkaJSConnectionError || e instanceof KafkaJSRequestTimeoutError) return true;
    if (e instanceof KafkaJSProtocolError) return (e as { retriable?: boolean }).retriable === true;
    if (/ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|Connection|socket|disconnected/i.test(e.message))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof KafkaJSError && (err as { retriable?: boolean }).retriable !== false;
}

/** A topic or partition the cluster does not know (deleted, or a broker back with empty data). */
export function isMissingTopic(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    if (/does not host this topic-partition|UNKNOWN_TOPIC/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

interface GroupCoordinator {
  leaveGroup(o: { groupId: string; memberId: string }): Promise<unknown>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(o: { groupId: string }): Promise<GroupCoordinator>;
}

/**
 * Takes a member that no longer runs out of its group at once (best effort; false when it could
 * not). A kafkajs consumer that crashed (a broker restart) comes back as a new member, and the
 * group would wait out the old one's session before it rebalances: a pause of the session timeout.
 * kafkajs has no public call for this, so it goes through its cluster factory (kafkajs 2.x).
 */
export async function leaveGroup(kafka: KafkaClient, groupId: string, memberId: string): Promise<boolean> {
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (factory === undefined) return false;
  const cluster = (kafka as unknown as Record<symbol, (o: object) => InternalCluster>)[factory]({});
  try {
    await cluster.connect();
    await (await cluster.findGroupCoordinator({ groupId })).leaveGroup({ groupId, memberId });
    return true;
  } catch {
    return false;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/** How long without an answered fetch before a member counts the cluster as unreachable. */
export const unreachableAfterMs = (s: KafkaSettings): number =>
  Math.max(3000, 4 * s.consumer.maxWaitMs + s.connectionTimeoutMs);

/** Backoff for attempt n (0-based): doubling from initial, capped, with ±20 % jitter. */
export function backoffMs(n: number, retry: KafkaSettings['retry']): number {
  const base = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(n, 20));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for `p` at most `ms`: leaving a group or flushing must not hang a shutdown on a dead cluster. */
export async function bounded(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== err.message ? `${err.message} (${cause.message})` : err.message;
}
