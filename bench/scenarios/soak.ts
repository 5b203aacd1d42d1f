// Memory of the real process: `riskline start` on the demo book with the simulator at 100k ticks/s,
// RSS sampled every second. Steady state is the median of the second half; growth compares the
// last fifth with the fifth after warm-up. Baseline, same run: an idle Node process's RSS.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTargets, type Scenario } from '../harness.js';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../app/cli.js');
const RATE = 100_000;

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function listening(child: ChildProcess): Promise<string> {
  let err = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`riskline did not start: ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"http":"(http:\/\/[^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`riskline exited ${code}: ${err}`)));
  });
}

async function ticksApplied(http: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  return Number(/^riskline_engine_ticks_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function idleNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await sleep(1000);
  const rss = rssMb(child.pid!);
  child.kill();
  return rss;
}

export const soak: Scenario = {
  name: 'soak',
  description: `riskline start on the demo book at ${RATE / 1000}k ticks/s: steady RSS and its growth`,
  async run({ quick, log }) {
    const seconds = quick ? 20 : 600;
    const dir = mkdtempSync(join(tmpdir(), 'riskline-soak-'));
    const config = join(dir, 'soak.json');
    writeFileSync(config, JSON.stringify({ simulator: { ticksPerSecond: RATE }, log: { level: 'info' } }));
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--config', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const http = await listening(child);
      const samples: number[] = [];
      const t0 = await ticksApplied(http);
      for (let s = 0; s < seconds; s++) {
        await sleep(1000);
        samples.push(rssMb(child.pid!));
        if ((s + 1) % 60 === 0) log(`${s + 1}s: RSS ${samples.at(-1)!.toFixed(0)} MB`);
      }
      const rate = ((await ticksApplied(http)) - t0) / seconds;
      const fifth = Math.max(1, Math.floor(samples.length / 5));
      const early = median(samples.slice(fifth, 2 * fifth));
      const late = median(samples.slice(-fifth));
      const metrics = {
        rss_steady_mb: median(samples.slice(Math.floor(samples.length / 2))),
        rss_max_mb: Math.max(...samples),
        rss_growth_pct: ((late - early) / early) * 100,
        ticks_applied_per_s: rate,
      };
      log(
        `steady RSS ${metrics.rss_steady_mb.toFixed(0)} MB, growth ${metrics.rss_growth_pct.toFixed(1)}%, ${(rate / 1000).toFixed(0)}k ticks/s applied`,
      );
      const idle = await idleNodeRss();
      return {
        params: { seconds, ticksPerSecond: RATE, book: 'config/ (demo)', sampleEveryMs: 1000 },
        metrics,
        baseline: { name: 'idle Node.js process', metrics: { rss_steady_mb: idle } },
        ratio: metrics.rss_steady_mb / idle,
        targets: checkTargets(metrics, [
          { metric: 'rss_steady_mb', op: '<=', value: 300 },
          { metric: 'rss_growth_pct', op: '<=', value: 5 },
          { metric: 'ticks_applied_per_s', op: '>=', value: RATE * 0.95 },
        ]),
      };
    } finally {
      child.kill('SIGTERM');
    }
  },
};
