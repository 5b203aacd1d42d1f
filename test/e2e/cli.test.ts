// The `riskline` command as a user runs it: a real process, real signals, real exit codes. Children's
// stderr is captured, never inherited, and shown only in the diagnostics of an assertion that fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import t from 'tap';
import { eventually } from '../eventually.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/app/cli.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'riskline-cli-'));
// The embedded default is under test: a KAFKA_BROKERS meant for the Kafka tests must not leak in.
const { KAFKA_BROKERS: _kafka, RISKLINE_JWT_SECRET: _secret, ...inherited } = process.env;
const env = { ...inherited, RISKLINE_LOG_LEVEL: 'info' };
const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 60_000 });
const lines = (text: string) => text.trim().split('\n');

/** Starts `riskline start` and resolves once it has said it is ready, with its WebSocket URL. */
function startServer(
  args: string[],
): Promise<{ child: ChildProcess; url: string; ready: Record<string, unknown>; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], { env });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const line = err.split('\n').find((l) => l.includes('"msg":"riskline ready'));
      if (line !== undefined && line.endsWith('}')) {
        clearTimeout(timer);
        const ready = JSON.parse(line) as Record<string, unknown>;
        resolve({ child, url: ready.ws as string, ready, stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}
const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );

/** Backticked words of the README paragraph, list item or table row that starts with `start`. */
function readmeList(start: string): string[] {
  const from = README.indexOf(start);
  if (from < 0) throw new Error(`README has no "${start}"`);
  const ends = ['\n- ', '\n|', '\n\n'].map((e) => README.indexOf(e, from + 1)).filter((i) => i > 0);
  return [...README.slice(from, Math.min(...ends)).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** The help text of one option: from its flag to the next option. */
const optionHelp = (help: string, flag: string) => help.slice(help.indexOf(flag)).split(/\n {2}-/)[0];

t.test('--help explains every command and lists what the README lists', async (t) => {
  const top = run(['--help']);
  t.equal(top.status, 0);
  for (const cmd of ['start', 'bench', 'watch', 'replay', 'token']) {
    t.match(top.stdout, cmd);
    const sub = run([cmd, '--help']);
    t.equal(sub.status, 0, `${cmd} --help`);
    t.match(sub.stdout, `Usage: riskline ${cmd}`);
  }
  t.match(top.stdout, /Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error/);

  const start = run(['start', '--help']).stdout;
  const channels = readmeList('- Channels:');
  const roles = readmeList('| `RISKLINE_ROLES`')
    .filter((w) => !/^(RISKLINE_|--)/.test(w))
    .flatMap((w) => w.split(','));
  const backends = readmeList('| `RISKLINE_BACKEND`')
    .filter((w) => !/^(RISKLINE_|--)/.test(w))
    .flatMap((w) => w.split('/'));
  t.same(roles, ['feed', 'engine', 'gateway', 'router', 'venue', 'store', 'alerts'], 'the README names the roles');
  t.same(backends, ['auto', 'ts', 'cpu', 'cuda', 'gpujs'], 'the README names the backends');
  t.ok(channels.length >= 7, `the README names the channels: ${channels.join(' ')}`);
  for (const role of roles) t.match(optionHelp(start, '--roles'), role, `start --help: role ${role}`);
  for (const backend of backends) t.match(optionHelp(start, '--backend'), backend, `start --help: backend ${backend}`);
  const watch = run(['watch', '--help']).stdout;
  for (const channel of channels) t.match(watch, channel, `watch --help: channel ${channel}`);
});

t.test('usage and configuration errors exit 2 with one line', async (t) => {
  // Commander's own errors, a channel that cannot exist, and no command at all.
  for (const args of [
    ['start', '--no-such-flag'],
    ['strat'],
    ['watch', '--refresh', 'fast'],
    ['watch', 'nonsense'],
    ['start', '--backend', 'fast'],
    [],
  ]) {
    const r = run(args);
    t.equal(r.status, 2, `riskline ${args.join(' ')}: exit 2`);
    t.equal(lines(r.stderr).length, 1, `riskline ${args.join(' ')}: one line`, { stderr: r.stderr });
    t.match(r.stderr, /^riskline: /);
    t.equal(r.stdout, '');
  }
  t.match(
    run([]).stderr,
    /a command is needed: start, bench, watch, replay, token or report \(riskline --help explains each\)/,
  );
  t.match(run(['watch', 'nonsense']).stderr, /channel "nonsense" is not one of ticks:<instrument>/);
  t.match(run(['strat']).stderr, /unknown command 'strat' \(Did you mean start\?\)/);

  const port = run(['start', '--port', '99999']);
  t.equal(port.status, 2);
  t.equal(lines(port.stderr).length, 1);
  t.match(port.stderr, /--port: expected integer 0\.\.65535, received/);

  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ engine: { conflationMs: 'fast' } }));
  const r = run(['start', '--config', bad]);
  t.equal(r.status, 2);
  t.equal(lines(r.stderr).length, 1, 'one line');
  t.match(r.stderr, /bad\.json: engine\.conflationMs: expected/);

  const instruments = join(dir, 'instruments.json');
  writeFileSync(instruments, JSON.stringify([{ id: 'X', kind: 'equity' }]));
  const files = join(dir, 'files.json');
  writeFileSync(files, JSON.stringify({ files: { instruments } }));
  const r2 = run(['start', '--config', files]);
  t.equal(r2.status, 2);
  t.match(r2.stderr, /instruments\.json: \[0\]\.\w+: /);

  const env2 = run(['start'], { RISKLINE_PORT: 'eighty' });
  t.equal(env2.status, 2);
  t.match(env2.stderr, /RISKLINE_PORT/);

  // A role a later issue brings, and a backend this machine cannot run (no GPU): refused with one
  // line naming why, not ignored.
  for (const [args, why] of [
    [['--roles', 'engine,analytics'], /is not available in this build/],
    [['--backend', 'cuda'], /risk\.backend: "cuda" cannot run here: (cudaError\w+|not built)/],
  ] as const) {
    const later = run(['start', '--port', '0', ...args]);
    t.equal(later.status, 2, args.join(' '));
    t.equal(lines(later.stderr).length, 1, 'one line', { stderr: later.stderr });
    t.match(later.stderr, why);
  }
});

t.test('start serves, watch prints live lines, SIGTERM stops cleanly', async (t) => {
  const record = join(dir, 'session.ndjson');
  const server = await startServer(['--record', record]);
  // One ready line says everything a newcomer needs.
  const http = server.url.replace(/^ws:/, 'http:').replace('/v1/stream', '');
  t.match(server.ready, {
    level: 30,
    ws: /^ws:\/\/127\.0\.0\.1:\d+\/v1\/stream$/,
    http,
    health: `${http}/health`,
    metrics: `${http}/metrics`,
    roles: ['feed', 'engine', 'gateway'],
    bus: 'in process',
    backend: /^(cpu: cpu backend \(auto\): C\+\+17|ts: TypeScript reference backend)/,
    record,
  });
  t.equal((await fetch(server.ready.health as string)).status, 200, 'the health address answers');
  const watch = spawn(process.execPath, [CLI, 'watch', 'positions:GLOBAL-MACRO', '--url', server.url], { env });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch printed: ${out}`)), 15_000);
    watch.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').filter((l) => l.startsWith('positions:GLOBAL-MACRO')).length >= 3) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  t.match(out, /positions:GLOBAL-MACRO #\d+ S .* NAV [\d,.]+/);
  // Live lines: the channel's seq moves on. Updates, or snapshots where the gateway read several of
  // the channel's frames at once (a busy machine): both are the protocol's.
  const seqs = [...out.matchAll(/positions:GLOBAL-MACRO #(\d+) [SU] /g)].map((m) => Number(m[1]));
  t.ok(seqs.length >= 3 && seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `seq moves on: ${seqs.join(', ')}`);
  watch.kill('SIGINT');
  t.equal(await exited(watch), 0, 'watch ends on Ctrl-C');
  server.child.kill('SIGTERM');
  t.equal(await exited(server.child), 0, 'server exits 0 on SIGTERM');
  t.match(server.stderr(), /"msg":"stopped"/);

  // The recording re-runs to the same frames, and a changed digest is caught.
  const ok = run(['replay', record, '--verify']);
  t.equal(ok.status, 0, 'the recording verifies', { stderr: ok.stderr });
  t.match(ok.stdout, /verified: \d+ frames from \d+ inputs match the recording/);
  const recorded = readFileSync(record, 'utf8').split('\n');
  const k = recorded.findIndex((l) => l.includes('"type":"frame"'));
  recorded[k] = recorded[k].replace(/"digest":"[0-9a-f]{4}/, '"digest":"ffff');
  const tampered = join(dir, 'tampered.ndjson');
  writeFileSync(tampered, recorded.join('\n'));
  const bad = run(['replay', tampered, '--verify']);
  t.equal(bad.status, 1);
  t.match(bad.stderr, /frame 1 differs: recorded .* replayed /);
});

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;
// Terminal colours and the carriage returns of a pty, removed before matching.
const plain = (s: string) => stripVTControlCharacters(s).replace(/\r/g, '');

t.test(
  'on a terminal: readable log lines, one banner block, Ctrl-C stops',
  { skip: hasScript ? false : 'needs script(1) to give the process a terminal' },
  async (t) => {
    // script(1) runs the command on a pseudo-terminal; a Ctrl-C written to it reaches the process as SIGINT.
    const child = spawn('script', ['-qec', `${process.execPath} ${CLI} start --port 0`, '/dev/null'], {
      env: { ...env, TERM: 'xterm' },
    });
    t.teardown(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /\n {2}stop +Ctrl-C\n/.test(plain(out)), 20_000, 'the banner').catch((err: Error) => {
      throw new Error(`${err.message}; printed: ${plain(out)}`);
    });
    child.stdin.write('\x03');
    await exited(child);
    const text = plain(out);
    t.notMatch(text, /^\{"level"/m, 'no JSON lines');
    t.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: gateway listening: connect to ws:/m, 'readable log lines');
    t.match(
      text,
      new RegExp(
        [
          '\nRiskline is running',
          '  WebSocket  ws://127\\.0\\.0\\.1:(\\d+)/v1/stream',
          '  HTTP       http://127\\.0\\.0\\.1:\\1',
          '  server     (uWebSockets\\.js .* \\(native\\)|node:http \\+ ws .*)',
          '  auth       OPEN on loopback 127\\.0\\.0\\.1 .*',
          '  health     http://127\\.0\\.0\\.1:\\1/health',
          '  metrics    http://127\\.0\\.0\\.1:\\1/metrics',
          '  roles      feed, engine, gateway',
          '  bus        in process',
          '  risk       (cpu|ts): .*',
          '  try        npx riskline watch positions:GLOBAL-MACRO --url ws://127\\.0\\.0\\.1:\\1/v1/stream',
          '  stop       Ctrl-C\n',
        ].join('\n'),
      ),
      'the banner is one block',
    );
    t.match(text, /INFO: stopped/, 'Ctrl-C stops it cleanly');
  },
);

/** A replay file of 500 AAPL ticks and one execution. */
function ticksFile(): string {
  const file = join(dir, 'ticks.ndjson');
  const out = ['# a few ticks'];
  for (let k = 0; k < 500; k++)
    out.push(JSON.stringify({ instrument: 'AAPL', ts: 1795000000000 + k, bid: 200 + k / 100, ask: 200.02 + k / 100 }));
  const execution = { type: 'execution', id: 'X1', portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', side: 'buy' };
  out.push(JSON.stringify({ ...execution, qty: 10, price: 201, ts: 1795000000600 }));
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/** Listens on host:port; null when something else holds it already (which is as good). */
function hold(host: string, port: number): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(null) : reject(err)));
    server.listen(port, host, () => resolve(server));
  });
}

t.test('replay applies every line; a bad line exits 2 with one line and no log line before it', async (t) => {
  const file = ticksFile();
  const r = run(['replay', file, '--port', '0']);
  t.equal(r.status, 0, 'replay exits 0', { stderr: r.stderr });
  t.match(r.stdout, /replayed 500 ticks and 1 executions; engine applied 500 ticks, 1 executions/);
  t.match(r.stderr, /"msg":"gateway listening/, 'with a port asked for, the gateway runs');

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'instrument,ts,bid,ask\nAAPL,1795000000000,200,201\nAAPL,1795000000001,abc,201\n');
  const b = run(['replay', bad, '--port', '0']);
  t.equal(b.status, 2);
  t.same(
    lines(b.stderr),
    [`riskline: ${bad}:3: bid: expected a positive number, received "abc"`],
    'one line, at log level info',
  );
});

t.test('replay takes no port unless one is asked for', async (t) => {
  const { server } = JSON.parse(readFileSync(join(ROOT, 'config/riskline.json'), 'utf8')) as {
    server: { host: string; port: number };
  };
  // The default address is held, as a running `riskline start` holds it.
  const holder = await hold(server.host, server.port);
  t.teardown(() => holder?.close());
  const r = run(['replay', ticksFile()]);
  t.equal(r.status, 0, `replay runs while ${server.host}:${server.port} is taken`, { stderr: r.stderr });
  t.match(r.stdout, /engine applied 500 ticks, 1 executions/);
  t.notMatch(r.stderr, /gateway/, 'no gateway started');
  const asked = run(['replay', ticksFile()], { RISKLINE_PORT: String(server.port) });
  t.equal(asked.status, 1, 'a port asked for is taken, and here it is in use');
  const last = lines(asked.stderr).slice(-1)[0];
  t.ok(last.startsWith(`riskline: gateway could not start on ${server.host}:${server.port}: `), last);
  t.match(last, /address already in use/, 'says why (node: EADDRINUSE; uWS: in use or not available)');
});

t.test('token signs a JWT, and needs a secret', async (t) => {
  const ok = run(['token', '--portfolios', 'GLOBAL-MACRO,UK-INCOME'], {
    RISKLINE_JWT_SECRET: 'a-secret-of-at-least-thirty-two-bytes',
  });
  t.equal(ok.status, 0);
  t.match(ok.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const no = run(['token', '--portfolios', 'A']);
  t.equal(no.status, 2);
  t.match(no.stderr, /RISKLINE_JWT_SECRET/);
});
