// `node dist/tools/kafka/cli.js start|test-up|test-down`: a broker in the foreground for a developer or
// an operator (`npm run kafka`: a fixed port and a kept data dir, so it restarts as the same broker), and
// one shared detached broker for a whole tap run (tap's before/after hooks call testUp/testDown).
// package.json's script `exec`s node, so the signal npm forwards reaches this process, not a shell.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { RisklineError, toRisklineError } from '../../errors/catalogue.js';
import {
  DEV_BROKER_DIR,
  kafkaReady,
  previousPorts,
  startKafkaBroker,
  tcpOpen,
  TEST_BROKER_FILE,
  type KafkaBroker,
} from './broker.js';
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

interface StartOptions {
  port?: string;
  data?: string;
  temp?: boolean;
}

/** The default port: Kafka's own, so clients' defaults and `KAFKA_BROKERS=127.0.0.1:9092` just work. */
const DEFAULT_PORT = 9092;

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RisklineError('USAGE', `--port: expected an integer in 1..65535, received ${text}`);
  }
  return port;
}

/** Where and on which port to run: a temp dir on a free port, or a kept dir on its saved or default port. */
function brokerOptions(opts: StartOptions): { port?: number; dataDir?: string } {
  if (opts.temp && opts.data) throw new RisklineError('USAGE', '--temp and --data exclude each other');
  const port = opts.port === undefined ? undefined : parsePort(opts.port);
  if (opts.temp) return { port };
  // npm runs scripts in the package root; a relative --data means the directory the user typed it in.
  const base = process.env.INIT_CWD ?? process.cwd();
  const dataDir = opts.data ? path.resolve(base, opts.data) : DEV_BROKER_DIR;
  return { dataDir, port: port ?? previousPorts(dataDir).port ?? DEFAULT_PORT };
}

async function start(opts: StartOptions): Promise<void> {
  const { port, dataDir } = brokerOptions(opts);
  if (port !== undefined && (await tcpOpen(port))) {
    throw new RisklineError(
      'UNAVAILABLE',
      `127.0.0.1:${port} is in use (another \`npm run kafka\`?): stop it, or pick --port`,
    );
  }
  const broker = await startKafkaBroker({ port, dataDir });
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  const kept = dataDir ? 'kept' : 'deleted on exit';
  console.log(`kafka: pid ${broker.pid}, data ${broker.dataDir} (${kept}), log ${broker.log}`);
  if (dataDir) {
    const again = `npm run kafka -- --port ${broker.port} --data ${broker.dataDir}`;
    console.log(`kafka: Ctrl-C or one SIGTERM stops it; \`${again}\` restarts it with its topics and offsets`);
  } else console.log('kafka: Ctrl-C or one SIGTERM stops it and deletes its data');
  stopOnSignal(broker);
}

/**
 * One SIGINT, SIGTERM or SIGHUP stops the broker cleanly and then this process. Repeats are ignored:
 * Ctrl-C reaches this process twice (from the terminal and forwarded by npm), and a SIGKILLed JVM would
 * only cost a log recovery (a wedged one is killed by broker.stop after 30 s anyway).
 */
function stopOnSignal(broker: KafkaBroker): void {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`kafka: ${why}; stopping the broker`);
    broker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stop(sig));
  // A shell between npm and this process may die of npm's forwarded signal without passing it on:
  // a new parent means whoever started us is gone, and an orphaned broker is what this prevents.
  const parent = process.ppid;
  // The broker's handle is unref'd, so this timer is what keeps the CLI up; it also notices a crash.
  setInterval(() => {
    if (stopping) return;
    if (process.ppid !== parent) return stop(`parent process ${parent} exited`);
    try {
      process.kill(broker.pid, 0);
    } catch {
      console.error(`kafka: broker exited; see ${broker.log}`);
      process.exit(1);
    }
  }, 500);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('kafka').description('a local Apache Kafka broker for Riskline');
  program
    .command('start')
    .description(
      'run a broker in the foreground until Ctrl-C or SIGTERM; restart it on the same --data to keep its topics',
    )
    .option('--port <n>', `PLAINTEXT port on 127.0.0.1 (default: the one the data dir last used, else ${DEFAULT_PORT})`)
    .option('--data <dir>', 'data directory, kept on exit (default: .cache/kafka/dev-broker in the checkout)')
    .option('--temp', 'a throwaway broker: a temporary data dir deleted on exit, a free port unless --port')
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
