// What the fan-out benchmark runs: the Go load generator (tools/loadgen, built here), and one
// `riskline start` per configuration (the demo book and its simulated market, one process), or the
// bare uWebSockets.js floor (../peers/uws-ticks.ts) in a process of its own
// (the process's CPU is read with ../proc.ts so the report says who was busy).
import { execFile, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Proc, ready } from '../deployment.js';
import { repoRoot } from './risk-common.js';

/** Builds tools/loadgen into .cache; null and why when Go is missing or the build fails. */
export async function buildLoadgen(): Promise<{ bin: string } | { skipped: string }> {
  const root = repoRoot();
  const bin = join(root, '.cache', 'loadgen');
  return new Promise((resolve) => {
    execFile('go', ['build', '-o', bin, '.'], { cwd: join(root, 'tools', 'loadgen'), timeout: 300_000 }, (err, _o, e) =>
      resolve(err ? { skipped: `go build tools/loadgen: ${(e || err.message).trim().split('\n').pop()}` } : { bin }),
    );
  });
}

export type LoadgenReport = Record<string, unknown> & {
  messages_per_s: number;
  bytes_per_s: number;
  latency_ms: { samples: number; p50: number; p99: number; p999: number; max: number };
  connect: { connected: number; failed: number; all_first_data_ms: number | null; errors: Record<string, number> };
  per_client_bytes: { mean: number };
  cpu: { per_wall: number; total_s: number };
};

/** A server the load generator runs against: Riskline or the floor. */
export interface FanoutServer {
  url: string;
  pid: number;
  /** How far the engine's event time is behind the feed's, ms (0 where there is no engine). */
  engineLagMs(): Promise<number>;
  stop(): Promise<unknown>;
}

/** Runs the load generator; resolves with its JSON report. */
export function loadgen(bin: string, args: string[], timeoutMs = 180_000): Promise<LoadgenReport> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`loadgen ${args[0]}: ${(stderr || err.message).trim().split('\n').pop()}`));
      resolve(JSON.parse(stdout) as LoadgenReport);
    });
  });
}

/** One server: `riskline start` with `settings` merged over the demo's, on a free port, ready. */
export async function startServer(settings: Record<string, unknown>, name: string): Promise<FanoutServer> {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-fanout-'));
  const file = join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify(settings));
  const port = await freePort();
  const proc = new Proc(['--config', file, '--port', String(port), '--log-level', 'warn'], name);
  proc.start();
  try {
    await ready(port, name, 90_000);
  } catch (err) {
    await proc.kill();
    throw new Error(`${(err as Error).message}; log: ${proc.log.slice(-2000)}`, { cause: err });
  }
  return {
    url: `ws://127.0.0.1:${port}/v1/stream`,
    pid: proc.child!.pid!,
    /**
     * How far the engine's event time is behind the feed's (ms), both read in one scrape of /metrics:
     * not the wall clock after the reply, which would add how long a busy server took to answer.
     */
    async engineLagMs(): Promise<number> {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return Math.max(0, read('riskline_feed_event_time_ms') - read('riskline_engine_event_time_ms'));
    },
    stop: () => proc.kill('SIGTERM'),
  };
}

/** The floor: bare uWebSockets.js making `ticksPerSecond` ticks in batches every `everyMs` over `ids`, out every `conflationMs`. */
export async function startFloor(
  ids: string[],
  ticksPerSecond: number,
  everyMs: number,
  conflationMs: number,
): Promise<FanoutServer> {
  const port = await freePort();
  const child = fork(
    new URL('../peers/uws-ticks.js', import.meta.url),
    [String(port), ids.join(','), String(ticksPerSecond), String(everyMs), String(conflationMs)],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`uws-ticks exited ${code}: ${log.slice(-2000)}`)));
  });
  return {
    url: `ws://127.0.0.1:${port}/v1/stream`,
    pid: child.pid!,
    engineLagMs: () => Promise.resolve(0),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}
