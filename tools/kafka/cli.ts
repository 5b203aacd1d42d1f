// `node dist/tools/kafka/cli.js start|test-up|test-down`: a broker in the foreground for a developer,
// and one shared detached broker for a whole tap run (tap's before/after hooks call testUp/testDown).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { toRisklineError } from '../../errors/catalogue.js';
import { kafkaReady, startKafkaBroker, TEST_BROKER_FILE } from './broker.js';
import { ensureKcat } from './kcat.js';

interface TestBrokerRecord {
  brokers: string;
  pid: number;
  dataDir: string;
}

function readRecord(): TestBrokerRecord | undefined {
  try {
    return JSON.parse(readFileSync(TEST_BROKER_FILE, 'utf8')) as TestBrokerRecord;
  } catch {
    return undefined;
  }
}

/** True only for a live Kafka JVM: a recorded pid may since have been reused by something else. */
function isKafka(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return false;
  }
}

export async function testUp(): Promise<void> {
  ensureKcat();
  if (process.env.KAFKA_BROKERS) {
    console.log(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} (given; no broker started)`);
    return;
  }
  // An interrupted run (Ctrl-C skips tap's after hook) leaves its broker up: reuse it if it answers.
  const prev = readRecord();
  if (prev && isKafka(prev.pid) && (await kafkaReady(prev.brokers))) {
    console.log(`KAFKA_BROKERS=${prev.brokers} (reused pid ${prev.pid})`);
    return;
  }
  await testDown();
  const broker = await startKafkaBroker({ detached: true });
  const record: TestBrokerRecord = { brokers: broker.brokers, pid: broker.pid, dataDir: broker.dataDir };
  mkdirSync(path.dirname(TEST_BROKER_FILE), { recursive: true });
  writeFileSync(TEST_BROKER_FILE, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`KAFKA_BROKERS=${broker.brokers} (pid ${broker.pid}, ${TEST_BROKER_FILE})`);
}

export async function testDown(): Promise<void> {
  const rec = readRecord();
  if (rec && isKafka(rec.pid)) {
    process.kill(rec.pid, 'SIGKILL'); // its data is deleted next, so a clean shutdown buys nothing
    for (let i = 0; i < 200 && isKafka(rec.pid); i++) await new Promise((r) => setTimeout(r, 50));
  }
  if (rec?.dataDir) rmSync(rec.dataDir, { recursive: true, force: true });
  if (existsSync(TEST_BROKER_FILE)) rmSync(TEST_BROKER_FILE);
}

async function start(opts: { port?: string; data?: string }): Promise<void> {
  const broker = await startKafkaBroker({
    port: opts.port ? Number(opts.port) : undefined,
    dataDir: opts.data,
  });
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  console.log(`pid ${broker.pid}, data ${broker.dataDir}, log ${broker.log}; Ctrl-C stops it`);
  const shutdown = () => void broker.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
  // The broker's handle is unref'd, so this timer is what keeps the CLI up; it also notices a crash.
  setInterval(() => {
    try {
      process.kill(broker.pid, 0);
    } catch {
      console.error(`kafka: broker exited; see ${broker.log}`);
      process.exit(1);
    }
  }, 1000);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('kafka').description('a local Apache Kafka broker for Riskline');
  program
    .command('start')
    .description('run a broker in the foreground until Ctrl-C')
    .option('--port <n>', 'PLAINTEXT port (default: a free one)')
    .option('--data <dir>', 'data directory kept between runs (default: a temp dir)')
    .action(start);
  program.command('test-up').description("start tap's shared detached broker").action(testUp);
  program.command('test-down').description("stop tap's shared broker and delete its data").action(testDown);
  await program.parseAsync(argv);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((err: unknown) => {
    const e = toRisklineError(err);
    console.error(`kafka: ${e.code}: ${e.message}`);
    process.exit(e.spec.exit);
  });
}
