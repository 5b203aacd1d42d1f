// Shared pieces of the tests that run against a real Kafka broker: the broker tap's `before` hook
// started (or $KAFKA_BROKERS), a fresh topic prefix per test so tests never see each other's
// records, and a configuration for the processes under test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../config/load.js';
import type { RisklineConfig } from '../../../config/schema.js';
import type { ConsumedMessage } from '../../../streams/bus.js';
import { KafkaBus } from '../../../streams/kafka/bus.js';
import { topicSpecs } from '../../../streams/topics.js';
import { testBrokers } from '../../../tools/kafka/broker.js';

export const brokers = (): string[] => testBrokers().split(',');

const tempDirs: string[] = [];
process.once('exit', () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export const uniquePrefix = (): string => `t${randomBytes(4).toString('hex')}.`;

/**
 * Writes a config directory for a test (settings plus a topics.json with its own prefix) and
 * returns its settings file, for child processes, and the loaded config.
 */
export function kafkaConfig(
  settings: Record<string, unknown> = {},
  prefix = uniquePrefix(),
  brokerList = brokers(),
): { file: string; config: RisklineConfig; prefix: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-kafka-'));
  tempDirs.push(dir);
  const topics = JSON.parse(readFileSync(new URL('../../../config/topics.json', import.meta.url), 'utf8')) as {
    prefix: string;
  };
  topics.prefix = prefix;
  writeFileSync(join(dir, 'topics.json'), JSON.stringify(topics));
  const file = join(dir, 'riskline.json');
  const { files, ...rest } = settings as { files?: Record<string, string> };
  writeFileSync(
    file,
    JSON.stringify({
      log: { level: 'warn' },
      ...rest,
      kafka: {
        brokers: brokerList,
        consumer: { sessionTimeoutMs: 6000, heartbeatMs: 500 },
        retry: { initialMs: 100, maxMs: 2000 },
        ...((rest as { kafka?: object }).kafka ?? {}),
      },
      files: { topics: 'topics.json', ...files },
    }),
  );
  const config = loadConfig({ configFile: file, flags: { port: 0 }, env: {} });
  return { file, config, prefix, dir };
}

/** A bus on the test broker with the config's topics created. */
export async function testBus(config: RisklineConfig): Promise<KafkaBus> {
  const { brokers: list, ...kafka } = config.kafka;
  const bus = new KafkaBus({ brokers: list!, ...kafka }, pino({ level: 'silent' }));
  await bus.ensureTopics(topicSpecs(config.topics));
  return bus;
}

/** Collects everything arriving on some topics, and waits for what a test expects. */
export class Collector {
  readonly messages: ConsumedMessage[] = [];
  push = (batch: { messages: ConsumedMessage[] }): void => void this.messages.push(...batch.messages);
  async until(pred: (m: ConsumedMessage[]) => boolean, timeoutMs = 30_000, what = 'records'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this.messages)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; have ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export { eventually } from '../../eventually.js';
