// An independent FIX 4.4 counterparty for interoperability tests of Riskline's FIX engine: QuickFIX/J
// (test/fix/quickfixj, a small Java app) as acceptor or initiator, playing a venue that fills orders.
// Built on first use with Maven and javac into .cache/ (QuickFIX/J ships no npm or Debian package),
// then one JVM per peer, which reports every session event as a JSON line and takes JSON commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RisklineError } from '../../errors/catalogue.js';
import { requireTool, run } from '../exec.js';

export const QUICKFIXJ_VERSION = '2.3.1'; // keep equal to quickfixj.version in test/fix/quickfixj/pom.xml

/** The repository root, found from this module whether it runs as .ts or from dist/. */
function repoRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'fix', 'quickfixj', 'pom.xml'))) return dir;
  }
  throw new RisklineError('UNAVAILABLE', `cannot find test/fix/quickfixj/pom.xml above ${start}`);
}

const ROOT = repoRoot();
const PEER_SRC = path.join(ROOT, 'test', 'fix', 'quickfixj');

// A test peer, not a benchmark: a small heap lets several run at once, and a C1-only JIT starts faster.
const JVM_FLAGS = ['-Xmx256m', '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];
/** A benchmark peer: QuickFIX/J as it would be run in production (G1, full JIT), quiet. */
const BENCH_JVM_FLAGS = ['-Xmx1g', '-Xms1g', '-XX:+UseG1GC', '-Djava.awt.headless=true', '-Driskline.quiet=true'];

const NEEDS =
  'the QuickFIX/J peer needs a Java 17+ JDK and Maven on PATH (Debian: apt-get install openjdk-17-jdk-headless maven)';

/** The peer's Java sources, sorted, so the cache's name changes whenever one of them does. */
function sources(): string[] {
  const dir = path.join(PEER_SRC, 'src', 'main', 'java');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.java'));
  return files.map((f) => path.join(dir, f)).sort();
}

function sourceHash(files: string[]): string {
  const h = createHash('sha256');
  for (const f of [path.join(PEER_SRC, 'pom.xml'), ...files]) {
    h.update(path.relative(PEER_SRC, f)).update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 12);
}

let built: Promise<string> | undefined;

/**
 * The built peer: a directory holding `lib/` (QuickFIX/J and its dependencies, fetched by Maven, which
 * also fills ~/.m2, so a wiped cache is cheap) and `classes/`. Built once per version and source hash.
 */
export function quickfixjPeer(): Promise<string> {
  built ??= buildPeer().catch((err: unknown) => {
    built = undefined; // let a later call retry, e.g. after the network comes back
    throw err;
  });
  return built;
}

async function buildPeer(): Promise<string> {
  const files = sources();
  const dir = path.join(ROOT, '.cache', 'quickfixj', `peer-${QUICKFIXJ_VERSION}-${sourceHash(files)}`);
  const version = /version "(\d+)/.exec(await requireTool('java', ['-version'], NEEDS))?.[1];
  if (Number(version) < 17) throw new RisklineError('UNAVAILABLE', `java is version ${version}: ${NEEDS}`);
  if (existsSync(dir)) return dir; // only ever created by the rename below, so it is complete
  await requireTool('mvn', ['-v'], NEEDS);
  await requireTool('javac', ['-version'], NEEDS);
  mkdirSync(path.dirname(dir), { recursive: true });
  // Build beside the target and rename: an interrupted build never looks like a cache, and two
  // processes racing (tap's parallel jobs) each get a whole directory.
  const tmp = mkdtempSync(`${dir}.tmp-`);
  const fail = (what: string, out: string) => {
    rmSync(tmp, { recursive: true, force: true });
    return new RisklineError('UNAVAILABLE', `${what} (QuickFIX/J ${QUICKFIXJ_VERSION} peer):\n${out.slice(-2000)}`);
  };
  const pom = path.join(PEER_SRC, 'pom.xml');
  const lib = path.join(tmp, 'lib');
  // No colour: a failure's output goes into an error message.
  const mvn = ['-q', '-B', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime'];
  const fetched = await run('mvn', [...mvn, `-DoutputDirectory=${lib}`]);
  if (fetched.code !== 0) throw fail('mvn could not fetch the dependencies', fetched.out);
  // javac straight into the temp dir rather than `mvn package` into target/: nothing is written in
  // the source tree, and no compiler or jar plugin has to be downloaded.
  const classes = path.join(tmp, 'classes');
  const javac = ['--release', '17', '-encoding', 'UTF-8', '-d', classes, '-cp', `${lib}/*`, ...files];
  const compiled = await run('javac', javac);
  if (compiled.code !== 0) throw fail('javac failed', compiled.out);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err; // else another process won the race
  }
  pruneStale(dir);
  return dir;
}

/** Removes builds of older sources: each edit of the peer leaves one behind (about 6 MB). */
function pruneStale(current: string): void {
  const parent = path.dirname(current);
  for (const name of readdirSync(parent)) {
    // Another process's .tmp- build may be running: only complete builds of other sources go.
    if (name.startsWith('peer-') && !name.includes('.tmp-') && path.join(parent, name) !== current) {
      rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

export interface PeerOptions {
  mode: 'acceptor' | 'initiator';
  /** The acceptor listens on 127.0.0.1:port; the initiator connects to it. */
  port: number;
  /** This peer's SenderCompID. */
  senderCompId: string;
  targetCompId: string;
  /** QuickFIX/J's FileStore and FileLog, and the peer's settings and stderr: a restarted peer resumes. */
  storeDir: string;
  /** Seconds, default 30. */
  heartBtInt?: number;
  /** Default false. */
  resetOnLogon?: boolean;
  /** How the peer answers a NewOrderSingle as the venue: one fill, two halves, or none (default 'full'). */
  fill?: 'full' | 'partial' | 'none';
  /**
   * A benchmark peer: no event per message and no message log (its store is kept), the JVM with its
   * full JIT and a larger heap. Its `events` then hold only the session's (ready, logon, logout...).
   */
  bench?: boolean;
}

export interface PeerEvent {
  /** ready, logon, logout, fromAdmin, fromApp, toAdmin, toApp, reject, error, done, seqnums, stopped, exit. */
  event: string;
  msgType?: string;
  /** The message as QuickFIX/J had it, SOH shown as '|'. */
  raw?: string;
  /** Tag -> value of the message's fields (repeating groups flattened, last value wins: raw is exact). */
  fields?: Record<string, string>;
  text?: string;
}

/** The QuickFIX/J settings file for one session (one [SESSION], so the peer's commands need no id). */
export function peerSettings(o: PeerOptions): string {
  const yn = (b: boolean) => (b ? 'Y' : 'N');
  const lines = [
    '[DEFAULT]',
    `ConnectionType=${o.mode}`,
    'BeginString=FIX.4.4',
    `SenderCompID=${o.senderCompId}`,
    `TargetCompID=${o.targetCompId}`,
    // Always in session: the same time for start and end means a whole day.
    'StartTime=00:00:00',
    'EndTime=00:00:00',
    `HeartBtInt=${o.heartBtInt ?? 30}`,
    `ResetOnLogon=${yn(o.resetOnLogon ?? false)}`,
    'UseDataDictionary=Y',
    'DataDictionary=FIX44.xml', // from quickfixj-messages-fix44, on the classpath
    'ValidateUserDefinedFields=N',
    'PersistMessages=Y',
    `FileStorePath=${path.join(o.storeDir, 'store')}`,
    // A test peer is SIGKILLed and must resume its numbers: its store syncs each write (a benchmark peer
    // does not, as Riskline's store does not in the same run).
    `FileStoreSync=${o.bench ? 'N' : 'Y'}`,
    `FileLogPath=${path.join(o.storeDir, 'log')}`,
    ...(o.mode === 'acceptor'
      ? ['SocketAcceptAddress=127.0.0.1', `SocketAcceptPort=${o.port}`]
      : ['SocketConnectHost=127.0.0.1', `SocketConnectPort=${o.port}`, 'ReconnectInterval=1']),
    '',
    '[SESSION]',
    '',
  ];
  return lines.join('\n');
}

// Peers to end when this process exits, so a finished test never leaves a JVM behind.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

interface Waiter {
  pred: (e: PeerEvent) => boolean;
  resolve: (e: PeerEvent) => void;
  reject: (err: Error) => void;
}

export class QuickFixPeer {
  /** Everything the peer reported, in order, and an `exit` event when its JVM ended. */
  readonly events: PeerEvent[] = [];
  /** The JVM's stderr (QuickFIX/J's warnings), appended across restarts on the same store. */
  readonly log: string;
  private waiters: Waiter[] = [];
  private readonly exited: Promise<void>;
  private dead = false;

  private constructor(
    readonly options: PeerOptions,
    private readonly child: ChildProcess,
    log: string,
  ) {
    this.log = log;
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it comes after stdout's last lines, so `exit` is always the last event.
      child.once('close', (code, signal) => {
        this.dead = true;
        live.delete(child);
        this.push({ event: 'exit', text: signal ? `signal ${signal}` : `code ${code}` });
        for (const w of this.waiters) w.reject(this.failure(`${this.name()} exited before the event came`));
        this.waiters = [];
        resolve();
      });
    });
    // Written after the JVM died (a stop racing a crash): nothing to report, the exit event says it.
    child.stdin!.on('error', () => undefined);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.push(JSON.parse(line) as PeerEvent);
      } catch {
        this.push({ event: 'stdout', text: line }); // never expected: Peer keeps stdout to itself
      }
    });
  }

  /** Builds the peer if needed, starts its JVM, and resolves once it is ready (listening, or connecting). */
  static async start(o: PeerOptions): Promise<QuickFixPeer> {
    const dir = await quickfixjPeer();
    const storeDir = path.resolve(o.storeDir);
    mkdirSync(storeDir, { recursive: true });
    const options = { ...o, storeDir };
    const cfg = path.join(storeDir, 'peer.cfg');
    writeFileSync(cfg, peerSettings(options));
    const log = path.join(storeDir, 'peer.log');
    const fd = openSync(log, 'a');
    const flags = o.bench ? BENCH_JVM_FLAGS : JVM_FLAGS;
    const args = [...flags, '-cp', `${dir}/classes:${dir}/lib/*`, 'riskline.fixpeer.Peer', cfg, o.fill ?? 'full'];
    // setpriv's parent-death signal also covers deaths that skip 'exit' (SIGKILL, tap's timeout).
    const pdeath = existsSync('/usr/bin/setpriv');
    const stdio: ['pipe', 'pipe', number] = ['pipe', 'pipe', fd];
    const child = pdeath
      ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'SIGKILL', 'java', ...args], { stdio })
      : spawn('java', args, { stdio });
    closeSync(fd);
    live.add(child);
    // Unref'd: a test that forgets stop() still exits, and the 'exit' hook takes the JVM with it.
    child.unref();
    for (const s of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) s.unref?.();
    const peer = new QuickFixPeer(options, child, log);
    try {
      await peer.next((e) => e.event === 'ready', 60_000);
    } catch (err) {
      await peer.kill();
      throw err;
    }
    return peer;
  }

  /**
   * What this peer received from `from` as it logged it on the wire (its FileLog), each message's
   * fields: duplicates it drops without a callback (a PossDup resend of what it had) are seen here.
   */
  wire(from: string): Record<string, string>[] {
    const logDir = path.join(this.options.storeDir, 'log');
    const out: Record<string, string>[] = [];
    for (const file of existsSync(logDir) ? readdirSync(logDir) : [])
      if (file.endsWith('.messages.log'))
        for (const line of readFileSync(path.join(logDir, file), 'latin1').split('\n')) {
          const at = line.indexOf('8=FIX');
          if (at < 0) continue;
          const fields = Object.fromEntries(
            line
              .slice(at)
              .split('\x01')
              .filter(Boolean)
              .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
          );
          if (fields['49'] === from) out.push(fields);
        }
    return out;
  }

  /**
   * The first event matching `pred` at index `from` or later of `events`, already seen or yet to come.
   * Rejects after `timeoutMs`, or when the JVM exits first, with the recent events and stderr.
   */
  next(pred: (e: PeerEvent) => boolean, timeoutMs = 10_000, from = 0): Promise<PeerEvent> {
    const seen = this.events.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    if (this.dead) return Promise.reject(this.failure(`${this.name()} has exited`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(this.failure(`${this.name()}: no matching event in ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        pred,
        resolve: (e) => (clearTimeout(timer), resolve(e)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      };
      this.waiters.push(waiter);
    });
  }

  /** Writes one command, a JSON line, to the peer's stdin. */
  send(command: Record<string, unknown>): void {
    if (this.dead) throw new RisklineError('UNAVAILABLE', `${this.name()} has exited: cannot send ${command.cmd}`);
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /**
   * Sends a command and waits for its answer: `done`, `seqnums`, or `error` (which rejects). The peer
   * carries out commands in order and answers each once, so requests must not overlap.
   */
  async request(command: Record<string, unknown>, timeoutMs = 10_000): Promise<PeerEvent> {
    const from = this.events.length;
    this.send(command);
    const answer = await this.next((e) => ['done', 'seqnums', 'error'].includes(e.event), timeoutMs, from);
    if (answer.event === 'error') throw new RisklineError('BAD_REQUEST', `${this.name()}: ${answer.text}`);
    return answer;
  }

  /** Logs out (QuickFIX/J waits up to 2 s for the answer) and exits; SIGKILL if that takes over 15 s. */
  async stop(): Promise<void> {
    if (this.dead) return;
    this.hold();
    this.send({ cmd: 'stop' });
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL now: a crash, with no Logout, for recovery tests. */
  async kill(): Promise<void> {
    if (!this.dead) {
      this.hold();
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  /** Keeps Node alive until the JVM is gone, else a script whose last work is `await stop()` ends first. */
  private hold(): void {
    this.child.ref();
    (this.child.stdout as unknown as { ref?: () => void }).ref?.();
  }

  private push(e: PeerEvent): void {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  }

  private name(): string {
    return `QuickFIX/J ${this.options.mode} ${this.options.senderCompId}`;
  }

  private failure(message: string): RisklineError {
    const recent = this.events
      .slice(-15)
      .map((e) => JSON.stringify({ ...e, fields: undefined }))
      .join('\n');
    return new RisklineError(
      'UNAVAILABLE',
      `${message}\nlast events:\n${recent}\nstderr (${this.log}):\n${logTail(this.log)}`,
    );
  }
}
