// `npm run kafka` as an operator uses it: a broker on a chosen port and data dir, stopped by one
// signal with nothing left serving, and started again as the same broker, its records and group
// offsets intact. This test owns its brokers (the shared test broker is never touched).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, tcpOpen } from '../../../tools/kafka/broker.js';
import { eventually } from './helpers.js';
import { freePort } from '../../../tools/ports.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist', 'tools', 'kafka', 'cli.js');
const TOPIC = 'dev-broker.test';
const GROUP = 'dev-broker-group';

/** Pids of processes whose command line names this data dir's server.properties: its JVM. */
function jvmsOn(dataDir: string): number[] {
  const props = join(dataDir, 'server.properties');
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
        return cmd.includes('kafka.Kafka') && cmd.includes(props);
      } catch {
        return false; // gone between the listing and the read
      }
    })
    .map(Number);
}

interface Launched {
  child: ChildProcess;
  brokers: string;
  output: () => string;
}

/** Starts a launcher and waits for its KAFKA_BROKERS line (printed once the broker is ready). */
async function launch(cmd: string, args: string[]): Promise<Launched> {
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  // Should this test process die without its teardown, npm gets SIGTERM and takes its broker along.
  const guarded = existsSync('/usr/bin/setpriv');
  const [file, argv] = guarded ? ['/usr/bin/setpriv', ['--pdeathsig', 'SIGTERM', cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const brokers = await eventually(
    () => /^KAFKA_BROKERS=(\S+)/m.exec(out)?.[1] ?? (child.exitCode !== null ? `exit ${child.exitCode}` : undefined),
    60_000,
    'the KAFKA_BROKERS line',
    50,
  );
  if (brokers.startsWith('exit')) throw new Error(`launcher ${brokers}:\n${out}`);
  return { child, brokers, output: () => out };
}

/** Waits until the launcher has exited, its JVM is gone and nothing answers on the port. */
async function gone(t: Test, l: Launched, dataDir: string, port: number, what: string): Promise<void> {
  await eventually(() => l.child.exitCode !== null || l.child.signalCode !== null, 40_000, `${what}: launcher exit`);
  await eventually(() => jvmsOn(dataDir).length === 0, 40_000, `${what}: JVM exit`).catch(() => undefined);
  t.same(jvmsOn(dataDir), [], `${what}: no broker JVM left`, { output: l.output() });
  t.notOk(await tcpOpen(port), `${what}: port ${port} closed`);
}

t.test('npm run kafka: one signal stops it; the same port and data restart the same broker', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'riskline-dev-broker-'));
  const port = await freePort();
  const alive: ChildProcess[] = [];
  t.teardown(() => {
    for (const c of alive) if (c.exitCode === null) c.kill('SIGKILL');
    for (const pid of jvmsOn(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  const client = (brokers: string) => new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });

  // 1. Through npm, as documented (--ignore-scripts skips prekafka's build: dist/ is built by pretest).
  const first = await launch('npm', ['run', 'kafka', '--ignore-scripts', '--', '--port', `${port}`, '--data', dataDir]);
  alive.push(first.child);
  t.equal(first.brokers, `127.0.0.1:${port}`);
  t.match(first.output(), `--port ${port} --data ${dataDir}`, 'it prints how to restart on the same data');
  await createTopics(first.brokers, [{ topic: TOPIC, numPartitions: 1 }]);
  const producer = client(first.brokers).producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: 'kept' }, { value: 'second' }] });
  await producer.disconnect();
  const admin = client(first.brokers).admin();
  await admin.connect();
  await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: [{ partition: 0, offset: '1' }] });
  await admin.disconnect();
  first.child.kill('SIGTERM');
  await gone(t, first, dataDir, port, 'SIGTERM to npm');

  // 2. The launcher itself, without --port: the data dir's saved port is the default.
  const second = await launch('node', [CLI, 'start', '--data', dataDir]);
  alive.push(second.child);
  t.equal(second.brokers, `127.0.0.1:${port}`, 'the same port again');
  const admin2 = client(second.brokers).admin();
  await admin2.connect();
  const offsets = await admin2.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
  t.same(offsets[0].partitions, [{ partition: 0, offset: '1', metadata: null }], 'the group offset survived');
  await admin2.disconnect();
  const consumer = client(second.brokers).consumer({ groupId: `${GROUP}-read` });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
  await eventually(() => seen.length >= 2, 30_000, 'the records written before the restart');
  await consumer.disconnect();
  t.same(seen, ['kept', 'second'], 'the records survived the restart');
  second.child.kill('SIGTERM');
  await gone(t, second, dataDir, port, 'SIGTERM to the launcher');

  // 3. A launcher killed outright still takes its JVM with it (parent-death signal).
  const third = await launch('node', [CLI, 'start', '--data', dataDir]);
  alive.push(third.child);
  third.child.kill('SIGKILL');
  await gone(t, third, dataDir, port, 'SIGKILL to the launcher');
});
