// Picks the risk backend. `auto` takes the best one that loads here (cuda → cpu → ts) and says why
// each better one was not taken; naming a backend that this build or machine lacks is a
// configuration error with its reason, never a silent substitute.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RisklineError } from '../errors/catalogue.js';
import type { RiskBackend } from '../engine/risk/backend.js';
import { tsBackend } from '../engine/risk/ts-backend.js';
import { loadCpuBackend } from './cpu.js';
import { loadGpujsBackend } from './gpujs.js';

export type BackendName = 'auto' | 'ts' | 'cpu' | 'cuda' | 'gpujs';

export interface BackendOptions {
  /** Worker threads for the native cpu backend (default RISKLINE_THREADS, else every core). */
  threads?: number;
}

export interface LoadedBackend {
  backend: RiskBackend;
  /** One line for the start-up log: which backend runs and what is underneath. */
  note: string;
  /** Why each better backend was not taken ("cuda: no CUDA driver (…)"), best first. */
  skipped: string[];
}

type Attempt = { backend: RiskBackend } | { reason: string };

interface CudaModule {
  loadCudaBackend(opts: BackendOptions): Attempt;
}

/** native/cuda.ts when this build has it, imported once at start-up (a missing module is a reason, not an error). */
async function importCuda(): Promise<CudaModule | string> {
  const source = fileURLToPath(new URL('./cuda.ts', import.meta.url));
  const compiled = fileURLToPath(new URL('./cuda.js', import.meta.url));
  if (!existsSync(source) && !existsSync(compiled)) return 'not in this build (no native/cuda.ts)';
  const specifier = './cuda.js';
  try {
    const mod = (await import(specifier)) as Partial<CudaModule>;
    return typeof mod.loadCudaBackend === 'function'
      ? (mod as CudaModule)
      : 'native/cuda.ts exports no loadCudaBackend';
  } catch (err) {
    return `module did not load (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`;
  }
}

const cuda = await importCuda();

interface Candidate {
  name: Exclude<BackendName, 'auto' | 'ts'>;
  /** Whether `auto` may pick it (a backend slower than the next one here is only taken by name). */
  auto: boolean;
  load: (opts: BackendOptions) => Attempt;
}

/** Native backends, best first. gpujs only by name: here gpu.js runs on the CPU, slower than cpu. */
const NATIVE: Candidate[] = [
  {
    name: 'cuda',
    auto: true,
    load: (opts) => (typeof cuda === 'string' ? { reason: cuda } : cuda.loadCudaBackend(opts)),
  },
  { name: 'cpu', auto: true, load: (opts) => loadCpuBackend(opts) },
  { name: 'gpujs', auto: false, load: (opts) => loadGpujsBackend(opts) },
];

function attempt(candidate: Candidate, opts: BackendOptions): Attempt {
  try {
    return candidate.load(opts);
  } catch (err) {
    if (err instanceof RisklineError) throw err; // a configuration error (e.g. RISKLINE_THREADS) is the user's to fix
    return { reason: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
}

export function loadRiskBackend(requested: BackendName, opts: BackendOptions = {}): LoadedBackend {
  if (requested === 'ts')
    return { backend: tsBackend, note: 'ts backend (requested): TypeScript reference', skipped: [] };
  const skipped: string[] = [];
  for (const candidate of NATIVE) {
    if (requested === 'auto' ? !candidate.auto : requested !== candidate.name) continue;
    const got = attempt(candidate, opts);
    if ('backend' in got) {
      const how = requested === 'auto' ? 'auto' : 'requested';
      return { backend: got.backend, note: `${got.backend.name} backend (${how}): ${got.backend.detail}`, skipped };
    }
    if (requested !== 'auto')
      throw new RisklineError('CONFIG_INVALID', `risk.backend: "${requested}" cannot run here: ${got.reason}`);
    skipped.push(`${candidate.name}: ${got.reason}`);
  }
  if (requested === 'auto')
    return { backend: tsBackend, note: 'ts backend (auto): TypeScript reference, no native backend loaded', skipped };
  throw new RisklineError(
    'CONFIG_INVALID',
    `risk.backend: "${requested}" is not available in this build; use "auto" or "ts"`,
  );
}
