// A real Apache Kafka 4.x broker for tests, benchmarks and developers. Kafka ships no npm or Debian
// package, so its jars come from Maven (tools/kafka/pom.xml) and run on the machine's Java 17. One
// KRaft node is both broker and controller: the smallest real cluster, and it starts in about 2 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { RisklineError } from '../../errors/catalogue.js';
import { requireTool, run } from '../exec.js';
import { freePort } from '../ports.js';

export const KAFKA_VERSION = '4.4.0'; // keep equal to kafka.version in tools/kafka/pom.xml

/** The repository root, found from this module whether it runs as .ts or from dist/. */
function repoRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'tools', 'kafka', 'pom.xml'))) return dir;
  }
  throw new RisklineError('UNAVAILABLE', `cannot find tools/kafka/pom.xml above ${start}`);
}

const ROOT = repoRoot();
const TOOLS = path.join(ROOT, 'tools', 'kafka');
export const TEST_BROKER_FILE = path.join(ROOT, '.cache', 'kafka', 'test-broker.json');
/** `npm run kafka`'s default data directory: git-ignored, kept between runs. */
export const DEV_BROKER_DIR = path.join(ROOT, '.cache', 'kafka', 'dev-broker');

// Heap fixed small so several brokers (tap runs files in parallel) fit; G1 as Kafka's own scripts use.
// Measured: -XX:TieredStopAtLevel=1 saved no start-up time here, and a C1-only JIT skews benchmarks.
const JVM_FLAGS = ['-Xmx512m', '-Xms256m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'];

const NEEDS =
  'the Kafka harness needs Java 17+ and Maven on PATH (Debian: apt-get install openjdk-17-jre-headless maven)';

let jars: Promise<string> | undefined;

/** The directory of Kafka's jars, fetched by Maven once (it also fills ~/.m2, so a wiped cache is cheap). */
export function kafkaJars(): Promise<string> {
  jars ??= fetchJars().catch((err: unknown) => {
    jars = undefined; // let a later call retry, e.g. after the network comes back
    throw err;
  });
  return jars;
}

async function fetchJars(): Promise<string> {
  const dir = process.env.RISKLINE_KAFKA_LIBS ?? path.join(ROOT, '.cache', 'kafka', `libs-${KAFKA_VERSION}`);
  const version = /version "(\d+)/.exec(await requireTool('java', ['-version'], NEEDS))?.[1];
  if (Number(version) < 17) throw new RisklineError('UNAVAILABLE', `java is version ${version}: ${NEEDS}`);
  if (existsSync(dir)) return dir; // only ever created by the rename below, so it is complete
  await requireTool('mvn', ['-v'], NEEDS);
  mkdirSync(path.dirname(dir), { recursive: true });
  // Download beside the target and rename: an interrupted fetch never looks like a cache, and two
  // processes racing (tap's parallel jobs) each get a whole directory.
  const tmp = mkdtempSync(`${dir}.tmp-`);
  const pom = path.join(TOOLS, 'pom.xml');
  const res = await run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`]);
  if (res.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new RisklineError('UNAVAILABLE', `mvn could not fetch Kafka ${KAFKA_VERSION}:\n${res.out.slice(-2000)}`);
  }
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err; // else another process won the race
  }
  return dir;
}

/** Runs a Kafka command-line class (StorageTool, ProducerPerformance, ...) and returns its output. */
export async function kafkaTool(mainClass: string, args: string[]): Promise<string> {
  const res = await run('java', [...javaArgs(await kafkaJars(), os.tmpdir()), mainClass, ...args]);
  if (res.code !== 0) throw new RisklineError('UNAVAILABLE', `${mainClass} failed:\n${res.out.slice(-2000)}`);
  return res.out;
}

function javaArgs(libs: string, logsDir: string): string[] {
  const log4j = path.join(TOOLS, 'log4j2.properties');
  // The classpath wildcard is Java's, not a shell glob: spawn passes it through untouched.
  // RISKLINE_KAFKA_JVM_OPTS comes last, and the JVM takes the last of repeated flags (e.g. a bigger -Xmx).
  const extra = process.env.RISKLINE_KAFKA_JVM_OPTS?.split(/\s+/).filter(Boolean) ?? [];
  return [
    ...JVM_FLAGS,
    ...extra,
    `-Dlog4j2.configurationFile=${log4j}`,
    `-Dkafka.logs.dir=${logsDir}`,
    '-cp',
    `${libs}/*`,
  ];
}

export interface KafkaBrokerOptions {
  /** Kept between starts; formatted on first use. Default: a fresh temp dir removed at process exit. */
  dataDir?: string;
  port?: number;
  controllerPort?: number;
  /** The broker's stdout/stderr. Default: `<dataDir>/broker.log`. */
  log?: string;
  /** Outlives this process (tap's before hook); the caller owns stopping it. */
  detached?: boolean;
  timeoutMs?: number;
}

export interface KafkaBroker {
  /** Bootstrap list for clients, `127.0.0.1:PORT`. */
  readonly brokers: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  readonly log: string;
  /** The current JVM's pid; changes on restart. */
  readonly pid: number;
  /** SIGTERM and wait: a clean shutdown, so the next start skips log recovery. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, for recovery tests. */
  kill(): Promise<void>;
  /** Starts again on the same data dir and ports, and waits until it is ready. */
  restart(): Promise<void>;
}

// Brokers to end when this process exits, so a finished test never leaves a JVM behind.
const live = new Map<ChildProcess, boolean>(); // child -> runs on a temp dir
const tempDirs = new Set<string>();
process.on('exit', () => {
  // A temp dir is deleted anyway, so SIGKILL; a caller's dir gets a clean SIGTERM shutdown.
  for (const [child, temp] of live) child.kill(temp ? 'SIGKILL' : 'SIGTERM');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A Kafka cluster id: 16 random bytes, base64url. Saves a JVM start over `StorageTool random-uuid`. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // Kafka avoids these too: they read as command-line flags
  }
}

function serverProperties(dataDir: string, port: number, cport: number): string {
  const props: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `127.0.0.1:${cport}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': path.join(dataDir, 'kraft'),
    'num.partitions': 1,
    // Topics are declared by Riskline (config/topics.json); a typo must fail, not create a topic.
    'auto.create.topics.enable': 'false',
    // Tests form consumer groups constantly; the default 3 s wait would be paid by every one.
    'group.initial.rebalance.delay.ms': 0,
    // After a SIGKILL the new process must wait out the dead one's session before it may register:
    // 9 s by default, 3 s here. Heartbeats are local, so a short session risks no false fencing.
    'broker.session.timeout.ms': 3000,
    'broker.heartbeat.interval.ms': 500,
    // One node: every internal topic must accept one replica, or it never gets created.
    'offsets.topic.replication.factor': 1,
    // One broker gains nothing from 50 offsets partitions, and a restart loads every one of them
    // before any group may join again (seconds of a consumer-visible pause).
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}

/** The ports an earlier start wrote, so a reused data dir keeps the controller address it was formatted with. */
export function previousPorts(dataDir: string): { port?: number; cport?: number } {
  const propsFile = path.join(dataDir, 'server.properties');
  if (!existsSync(propsFile)) return {};
  const text = readFileSync(propsFile, 'utf8');
  const port = /^listeners=.*PLAINTEXT:\/\/[^:]+:(\d+)/m.exec(text)?.[1];
  const cport = /^listeners=.*CONTROLLER:\/\/[^:]+:(\d+)/m.exec(text)?.[1];
  return { port: port ? Number(port) : undefined, cport: cport ? Number(cport) : undefined };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

/** True when something accepts connections on 127.0.0.1:port. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok: boolean) => (sock.destroy(), resolve(ok));
    sock
      .once('connect', () => done(true))
      .once('error', () => done(false))
      .once('timeout', () => done(false));
  });
}

/**
 * Ready means a real client can use every topic, not just that the port accepts connections: after a
 * restart, metadata answers before the partitions are loaded, and ListOffsets fails until they are.
 */
export async function kafkaReady(brokers: string): Promise<boolean> {
  const port = Number(brokers.split(',')[0]?.split(':').pop());
  if (!(await tcpOpen(port))) return false;
  // Short timeouts: something else on the port (a stale pid's reuse) must fail fast, not after 30 s.
  const kafka = new Kafka({
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
    requestTimeout: 5000,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const libs = await kafkaJars();
  const owned = !opts.dataDir;
  const dataDir = path.resolve(opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'riskline-kafka-broker-')));
  mkdirSync(dataDir, { recursive: true });
  if (owned && !opts.detached) tempDirs.add(dataDir);
  const propsFile = path.join(dataDir, 'server.properties');
  const prev = previousPorts(dataDir);
  const port = opts.port ?? prev.port ?? (await freePort());
  let controllerPort = opts.controllerPort ?? prev.cport ?? (await freePort());
  while (controllerPort === port) controllerPort = await freePort();
  const log = path.resolve(opts.log ?? path.join(dataDir, 'broker.log'));
  const brokers = `127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 60_000;

  writeFileSync(propsFile, serverProperties(dataDir, port, controllerPort));
  if (!existsSync(path.join(dataDir, 'kraft', 'meta.properties'))) {
    await kafkaTool('kafka.tools.StorageTool', ['format', '--standalone', '-t', clusterId(), '-c', propsFile]);
  }

  // setpriv's parent-death signal also covers deaths that skip 'exit' (SIGKILL, tap's timeout): the
  // JVM never outlives its launcher. A caller's data dir gets SIGTERM, a clean shutdown that keeps it.
  const pdeath = !opts.detached && existsSync('/usr/bin/setpriv');
  const deathSignal = owned ? 'SIGKILL' : 'SIGTERM';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const fd = openSync(log, 'a');
    const args = [...javaArgs(libs, dataDir), 'kafka.Kafka', propsFile];
    const c = pdeath
      ? spawn('/usr/bin/setpriv', ['--pdeathsig', deathSignal, 'java', ...args], { stdio: ['ignore', fd, fd] })
      : spawn('java', args, { stdio: ['ignore', fd, fd], detached: !!opts.detached });
    closeSync(fd);
    child = c;
    let dead = false;
    exited = new Promise((resolve) => c.once('exit', () => ((dead = true), live.delete(c), resolve())));
    // Unref'd: a test that forgets stop() still exits, and the 'exit' hook takes the broker with it.
    c.unref();
    if (!opts.detached) live.set(c, owned);

    const deadline = Date.now() + timeoutMs;
    while (!(await Promise.race([kafkaReady(brokers), exited.then(() => false)]))) {
      const why = dead
        ? `exited with code ${c.exitCode ?? c.signalCode}`
        : Date.now() > deadline && 'not ready in time';
      if (why) {
        if (!dead) c.kill('SIGKILL');
        throw new RisklineError('UNAVAILABLE', `Kafka broker on ${brokers} ${why}; log ${log}:\n${logTail(log)}`);
      }
      await sleep(100);
    }
  };

  const signal = async (sig: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.ref(); // else a script whose last work is `await stop()` ends before the JVM does
      child.kill(sig);
    }
    await exited;
  };
  const stop = async () => {
    // A clean shutdown takes ~1.5 s; a wedged one is cut off rather than hanging a test.
    const timer = setTimeout(() => child?.kill('SIGKILL'), 30_000);
    await signal('SIGTERM');
    clearTimeout(timer);
  };

  await launch();
  return {
    brokers,
    port,
    controllerPort,
    dataDir,
    log,
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    kill: () => signal('SIGKILL'),
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

/**
 * Creates topics (existing ones are left alone) and waits until every partition answers. kafkajs's
 * `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a loaded KRaft broker briefly answers
 * UNKNOWN_TOPIC_OR_PARTITION after CreateTopics returns, and kafkajs throws that (seen under tap -j2).
 */
export async function createTopics(brokers: string, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics, waitForLeaders: false });
    const deadline = Date.now() + timeoutMs;
    const answers = (topic: string) =>
      admin.fetchTopicOffsets(topic).then(
        () => true,
        () => false,
      );
    for (const { topic } of topics) {
      while (!(await answers(topic))) {
        if (Date.now() > deadline) throw new RisklineError('UNAVAILABLE', `topic ${topic} has no leader on ${brokers}`);
        await sleep(50);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Bootstrap brokers for tests: $KAFKA_BROKERS, else the broker tap's `before` hook started. */
export function testBrokers(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  try {
    return (JSON.parse(readFileSync(TEST_BROKER_FILE, 'utf8')) as { brokers: string }).brokers;
  } catch {
    throw new RisklineError(
      'UNAVAILABLE',
      `no Kafka for tests: set KAFKA_BROKERS or run \`node dist/tools/kafka/cli.js test-up\` (missing ${TEST_BROKER_FILE})`,
    );
  }
}
