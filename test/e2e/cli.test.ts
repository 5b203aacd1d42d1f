// The `riskline` command as a user runs it: a real process, real signals, real exit codes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';

const CLI = resolve(import.meta.dirname, '../../dist/app/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'riskline-cli-'));
// The embedded default is under test: a KAFKA_BROKERS meant for the Kafka tests must not leak in.
const { KAFKA_BROKERS: _kafka, ...inherited } = process.env;
const env = { ...inherited, RISKLINE_LOG_LEVEL: 'info', RISKLINE_JWT_SECRET: '' };
const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 60_000 });

/** Starts `riskline start` and resolves with the process and its WebSocket URL once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], { env });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"ws":"(ws:\/\/[^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}
const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

t.test('--help explains every command', async (t) => {
  const top = run(['--help']);
  t.equal(top.status, 0);
  for (const cmd of ['start', 'bench', 'watch', 'replay', 'token']) {
    t.match(top.stdout, cmd);
    const sub = run([cmd, '--help']);
    t.equal(sub.status, 0, `${cmd} --help`);
    t.match(sub.stdout, `Usage: riskline ${cmd}`);
  }
});

t.test('usage and configuration errors exit 2 with one line', async (t) => {
  const unknown = run(['start', '--no-such-flag']);
  t.equal(unknown.status, 2);
  const port = run(['start', '--port', '99999']);
  t.equal(port.status, 2);
  t.equal(port.stderr.trim().split('\n').length, 1);
  t.match(port.stderr, /--port: expected integer 0\.\.65535, received/);

  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ engine: { conflationMs: 'fast' } }));
  const r = run(['start', '--config', bad]);
  t.equal(r.status, 2);
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
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

  // Valid names of roles and backends that later issues bring: refused with one line, not ignored.
  for (const args of [
    ['--roles', 'engine,store'],
    ['--backend', 'cuda'],
  ]) {
    const later = run(['start', '--port', '0', ...args]);
    t.equal(later.status, 2, args.join(' '));
    t.equal(later.stderr.trim().split('\n').length, 1, 'one line');
    t.match(later.stderr, /is not available in this build/);
  }
});

t.test('start serves, watch prints live lines, SIGTERM stops cleanly', async (t) => {
  const record = join(dir, 'session.ndjson');
  const server = await startServer(['--record', record]);
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
  t.match(out, /positions:GLOBAL-MACRO #\d+ U /);
  watch.kill('SIGINT');
  t.equal(await exited(watch), 0, 'watch ends on Ctrl-C');
  server.child.kill('SIGTERM');
  t.equal(await exited(server.child), 0, 'server exits 0 on SIGTERM');
  t.match(server.stderr(), /"msg":"stopped"/);

  // The recording re-runs to the same frames, and a changed digest is caught.
  const ok = run(['replay', record, '--verify']);
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /verified: \d+ frames from \d+ inputs match the recording/);
  const lines = readFileSync(record, 'utf8').split('\n');
  const k = lines.findIndex((l) => l.includes('"type":"frame"'));
  lines[k] = lines[k].replace(/"digest":"[0-9a-f]{4}/, '"digest":"ffff');
  const tampered = join(dir, 'tampered.ndjson');
  writeFileSync(tampered, lines.join('\n'));
  const bad = run(['replay', tampered, '--verify']);
  t.equal(bad.status, 1);
  t.match(bad.stderr, /frame 1 differs: recorded .* replayed /);
});

t.test('replay publishes a file through the pipeline; a bad line exits 2 naming file and line', async (t) => {
  const file = join(dir, 'ticks.ndjson');
  const lines = ['# a few ticks'];
  for (let k = 0; k < 500; k++)
    lines.push(
      JSON.stringify({ instrument: 'AAPL', ts: 1795000000000 + k, bid: 200 + k / 100, ask: 200.02 + k / 100 }),
    );
  lines.push(
    JSON.stringify({
      type: 'execution',
      id: 'X1',
      portfolio: 'GLOBAL-MACRO',
      instrument: 'AAPL',
      side: 'buy',
      qty: 10,
      price: 201,
      ts: 1795000000600,
    }),
  );
  writeFileSync(file, lines.join('\n') + '\n');
  const r = run(['replay', file, '--port', '0'], { RISKLINE_LOG_LEVEL: 'error' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /replayed 500 ticks and 1 executions; engine applied 500 ticks, 1 executions/);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'instrument,ts,bid,ask\nAAPL,1795000000000,200,201\nAAPL,1795000000001,abc,201\n');
  const b = run(['replay', bad, '--port', '0'], { RISKLINE_LOG_LEVEL: 'error' });
  t.equal(b.status, 2);
  t.match(b.stderr, /bad\.csv:3: bid: expected/);
});

t.test('token signs a JWT, and needs a secret', async (t) => {
  const ok = run(['token', '--portfolios', 'GLOBAL-MACRO,UK-INCOME'], { RISKLINE_JWT_SECRET: 's3cret' });
  t.equal(ok.status, 0);
  t.match(ok.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const no = run(['token', '--portfolios', 'A']);
  t.equal(no.status, 2);
  t.match(no.stderr, /RISKLINE_JWT_SECRET/);
});
