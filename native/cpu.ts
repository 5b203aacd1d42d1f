// The `cpu` risk backend: the C++17 kernels of native/src behind the RiskBackend contract. Heavy
// kernels run on native threads and resolve a Promise; typed arrays cross without copies.
// `parametric` is the TypeScript reference's (one small matrix product per portfolio: nothing to
// gain natively).

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { RisklineError } from '../errors/catalogue.js';
import type {
  AccumulateJob,
  ComponentJob,
  ComponentResult,
  FactorScenarioJob,
  FactorScenarios,
  InstrumentReturnJob,
  RevaluationJob,
  RiskBackend,
  TailJob,
  TailResult,
} from '../engine/risk/backend.js';
import { tsBackend } from '../engine/risk/ts-backend.js';
import { loadAddon } from './addon.js';

/** What build/Release/riskline_cpu.node exports (native/src/addon.cc). */
export interface CpuAddon {
  factorScenarios(job: FactorScenarioJob, out: FactorScenarios, threads: number): Promise<void>;
  instrumentReturns(job: InstrumentReturnJob, out: Float64Array, threads: number): Promise<void>;
  revalue(job: RevaluationJob, out: Float64Array, threads: number): Promise<void>;
  revalueNow(job: RevaluationJob, out: Float64Array): void;
  accumulate(job: AccumulateJob, out: Float64Array): void;
  /** The same sums on a libuv worker, scenarios split over `threads`; bit for bit accumulate's. */
  accumulateAsync(job: AccumulateJob, out: Float64Array, threads: number): Promise<void>;
  tail(job: TailJob, out: TailResult): void;
  components(job: ComponentJob, out: ComponentResult): void;
  tradeTails(
    pnl: Float64Array,
    scenarios: number,
    confidence: number,
    bound: number,
    most: number,
    move: Float64Array,
    weight: number,
    out: Float64Array,
  ): boolean;
  gemm(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, threads?: number): void;
  blasInfo(): string;
  buildInfo(): string;
}

export interface CpuBackend extends RiskBackend {
  readonly name: 'cpu';
  /** "OpenBLAS 0.3.21, SkylakeX kernels (…build config…)" or "no BLAS (plain C++ loops)". */
  readonly blas: string;
  /** C = A·B (row-major m×k times k×n) through the same BLAS, for benchmarks' same-shape peer. */
  gemm(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, threads?: number): void;
}

export interface CpuOptions {
  /** Worker threads of the heavy kernels; default env RISKLINE_THREADS, else os.availableParallelism(). */
  threads?: number;
}

const MAX_THREADS = 1024;

/** The thread count: the option, else RISKLINE_THREADS, else every core; anything else is a configuration error. */
export function cpuThreads(option: number | undefined, env: string | undefined = process.env.RISKLINE_THREADS): number {
  const [value, source] =
    option !== undefined
      ? [option, 'threads']
      : env !== undefined && env !== ''
        ? [Number(env), 'RISKLINE_THREADS']
        : [availableParallelism(), 'cores'];
  if (!Number.isInteger(value) || value < 1 || value > MAX_THREADS)
    throw new RisklineError(
      'CONFIG_INVALID',
      `${source}: expected an integer from 1 to ${MAX_THREADS}, got ${option ?? JSON.stringify(env)}`,
    );
  return value;
}

export function createCpuBackend(addon: CpuAddon, threads: number): CpuBackend {
  const blas = addon.blasInfo();
  return {
    name: 'cpu',
    threads,
    detail: `${addon.buildInfo()}, ${threads} thread${threads === 1 ? '' : 's'}, ${blas.split(' (')[0]}`,
    blas,
    parametric: tsBackend.parametric,
    // async: an argument the addon refuses rejects the Promise, as a failed kernel does.
    factorScenarios: async (job, out) => addon.factorScenarios(job, out, threads),
    instrumentReturns: async (job, out) => addon.instrumentReturns(job, out, threads),
    revalue: async (job, out) => addon.revalue(job, out, threads),
    revalueNow: (job, out) => addon.revalueNow(job, out),
    accumulate: (job, out) => addon.accumulate(job, out),
    accumulateAsync: async (job, out) => addon.accumulateAsync(job, out, threads),
    tail: (job, out) => addon.tail(job, out),
    components: (job, out) => addon.components(job, out),
    tradeTails: (pnl, S, confidence, bound, most, trade, out) =>
      addon.tradeTails(
        pnl.subarray(0, S),
        S,
        confidence,
        bound,
        most,
        trade.matrix.subarray(trade.offset, trade.offset + S),
        trade.weight,
        out,
      ),
    gemm: (m, n, k, a, b, c, t) => addon.gemm(m, n, k, a, b, c, t ?? threads),
  };
}

/**
 * OpenBLAS 0.3.21 (Debian 12) takes x86 CPUs newer than it knows (this class's Xeon, model 207) for a
 * Prescott and runs its slowest kernels (measured 4-5× slower DGEMM). Unless the user named a core,
 * name one from the CPU's flags before the addon loads OpenBLAS, which reads it once at load.
 */
export function chooseOpenblasCore(env: NodeJS.ProcessEnv = process.env, cpuinfo = '/proc/cpuinfo'): string | null {
  if (env.OPENBLAS_CORETYPE || process.arch !== 'x64') return env.OPENBLAS_CORETYPE ?? null;
  let flags: Set<string>;
  try {
    flags = new Set((/^flags\s*:(.*)$/m.exec(readFileSync(cpuinfo, 'utf8'))?.[1] ?? '').trim().split(/\s+/));
  } catch {
    return null;
  }
  const core = ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))
    ? 'SkylakeX'
    : flags.has('avx2') && flags.has('fma')
      ? 'Haswell'
      : null;
  if (core) env.OPENBLAS_CORETYPE = core;
  return core;
}

/** The cpu backend, or why it cannot run here (addon not built, or built for another Node). */
export function loadCpuBackend(opts: CpuOptions = {}): { backend: CpuBackend } | { reason: string } {
  const threads = cpuThreads(opts.threads);
  chooseOpenblasCore();
  const loaded = loadAddon<CpuAddon>('riskline_cpu');
  if ('reason' in loaded) return loaded;
  return { backend: createCpuBackend(loaded.addon, threads) };
}
