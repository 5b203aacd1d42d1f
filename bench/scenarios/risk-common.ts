// Shared by the risk benchmarks: the backends to compare (each loaded or skipped with its reason),
// the NumPy peer run in the project's Python environment, the machine's CPU as /proc/cpuinfo names
// it, and the CPU-time-over-wall figure that says how many cores a run really used.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../engine/engine.js';
import type { RiskBackend } from '../../engine/risk/backend.js';
import type { LiveRiskSettings } from '../../engine/risk/live-risk.js';
import type { SimulationRisk } from '../../engine/risk/simulation.js';
import { loadRiskBackend, type BackendName } from '../../native/loader.js';
import { pythonWithClients } from '../../tools/python/venv.js';
import { benchEngineOptions, benchUniverse } from '../universe.js';

/** The repository root, from source (bench/scenarios) or compiled (dist/bench/scenarios). */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir))
    if (existsSync(join(dir, 'bench', 'peers', 'numpy_risk.py'))) return dir;
  throw new Error('bench/peers/numpy_risk.py not found above this module');
}

export interface Loaded {
  name: string;
  backend: RiskBackend;
}

/** Each named backend that loads here, and why each other one was skipped (never a substitute). */
export function loadBackends(
  names: BackendName[],
  threads?: number,
): { loaded: Loaded[]; skipped: Record<string, string> } {
  const loaded: Loaded[] = [];
  const skipped: Record<string, string> = {};
  for (const name of names) {
    try {
      const { backend } = loadRiskBackend(name, { threads });
      loaded.push({ name, backend });
    } catch (err) {
      skipped[name] = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    }
  }
  return { loaded, skipped };
}

/** The CPU as the kernel names it (os.cpus() gives only the brand string), the cores Node may use, and the 1/5/15-minute load (others' work on a shared machine). */
export function cpuInfo(): {
  model: string;
  family: string;
  modelNumber: string;
  flags: string;
  cores: number;
  loadAverage: number[];
} {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    /* not Linux: the fields stay unknown */
  }
  const field = (name: string): string => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '?';
  const flags = new Set(field('flags').split(/\s+/));
  const simd = ['avx512f', 'avx2', 'fma'].filter((f) => flags.has(f)).join(' ');
  return {
    model: field('model name'),
    family: field('cpu family'),
    modelNumber: field('model'),
    flags: simd,
    cores: availableParallelism(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Wall seconds of `work` and the CPU seconds it used per wall second (≈ cores busy; 1 for one thread). */
export async function timed(work: () => Promise<void> | void): Promise<{ seconds: number; cpuPerWall: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { seconds, cpuPerWall: (c.user + c.system) / 1e6 / seconds };
}

/** Best (least) wall time of `repeats` runs, with the CPU-per-wall of that run. */
export async function best(
  repeats: number,
  work: () => Promise<void> | void,
): Promise<{ seconds: number; cpuPerWall: number }> {
  let top = { seconds: Infinity, cpuPerWall: 0 };
  for (let r = 0; r < repeats; r++) {
    const t = await timed(work);
    if (t.seconds < top.seconds) top = t;
  }
  return top;
}

export type PeerResult = { seconds: number; runs: number[]; peer: Record<string, string> } & Record<string, unknown>;

/** The venv's python with numpy and scipy: tools/python/requirements.txt lacks them, so they are added here. */
async function peerPython(): Promise<string> {
  const python = await pythonWithClients();
  const has = await execPython(python, ['-c', 'import numpy, scipy']).then(
    () => true,
    () => false,
  );
  if (!has) await execPython(python, ['-m', 'pip', 'install', '--quiet', '--only-binary=:all:', 'numpy', 'scipy']);
  return python;
}

function execPython(python: string, args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(python, args, { timeout: 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${python} ${args.join(' ')}: ${(stderr || err.message).trim().split('\n').pop()}`));
      else ok(stdout);
    });
  });
}

/** A scratch directory for one peer run's inputs, removed by `done`. */
export function scratch(): { dir: string; put: (name: string, a: ArrayBufferView) => void; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-bench-'));
  return {
    dir,
    put: (name, a) => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs bench/peers/numpy_risk.py on `dir`; the peer's own timing comes back, or why it could not run. */
export async function numpyPeer(mode: 'mc' | 'reval', dir: string): Promise<PeerResult | { skipped: string }> {
  try {
    const python = await peerPython();
    const out = await execPython(python, [resolve(repoRoot(), 'bench', 'peers', 'numpy_risk.py'), mode, dir]);
    return JSON.parse(out.trim().split('\n').pop()!) as PeerResult;
  } catch (err) {
    return { skipped: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
}

/** Deterministic uniforms in [0, 1) for synthetic books (the engine's rule: no Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/**
 * An engine on a bench universe of `positions` positions (one portfolio) with `settings`' Monte
 * Carlo set built and installed, on one thread of backend `name`; or why that backend is skipped.
 */
export async function monteCarloEngine(name: BackendName, positions: number, settings: LiveRiskSettings) {
  const { loaded, skipped } = loadBackends([name], 1);
  if (!loaded.length) return { skipped: skipped[name] };
  const backend = loaded[0].backend;
  const u = benchUniverse(positions, positions);
  const engine = new Engine(
    { ...benchEngineOptions(u), backend, simulation: { settings, history: null, scenarios: [] } },
    () => {},
  );
  await engine.settled(); // the day's set is built at construction
  const sim = (engine as unknown as { live: { simulation: SimulationRisk } }).live.simulation;
  return { backend, u, engine, sim };
}

/** One Monte Carlo set of `scenarios` (1-day horizon) at the given confidences: the risk benches' settings. */
export const monteCarloSettings = (scenarios: number, confidence: number[]): LiveRiskSettings => ({
  methods: ['monteCarlo'],
  horizons: [1],
  confidence,
  monteCarlo: { scenarios, seed: 42, dof: 5 },
  reprice: { moveThreshold: 0.01, everyMs: 60_000 },
  riskFreeRate: 0.03,
  topComponents: 50,
  ewmaLambda: 0.94,
  window: 500,
  backtest: { confidence: 0.99, observations: 250 },
});
