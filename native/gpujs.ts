// The `gpujs` risk backend: gpu.js kernels for the scenario P&L (the factor part of instrument
// returns over instrument × scenario, full revaluation over option × scenario, weighted rows into a
// P&L vector), the portable accelerator path. gpu.js computes and returns float32 in every mode
// (WebGL, WebAssembly and even its JavaScript mode store results in Float32Array), so results carry
// float32 error, not docs/risk.md's double tolerances; the Philox draws need 32-bit integer products
// that float32 kernels cannot hold, so the idiosyncratic part is added on the host by the reference.
// Factor scenarios, parametric, tail and components run in the ts reference. gpu.js is CommonJS and
// optional here: it is required at load time, and its absence is a reason, not an exception.

import { createRequire } from 'node:module';
import {
  MODEL_BLACK76,
  MODEL_BOND,
  MODEL_BSM,
  STREAM_IDIO,
  streamOf,
  type AccumulateJob,
  type InstrumentReturnJob,
  type RevaluationJob,
  type RiskBackend,
} from '../engine/risk/backend.js';
import { black76Price, bsmPrice } from '../engine/blackscholes.js';
import { normalPair } from '../engine/risk/scenarios.js';
import { tsBackend } from '../engine/risk/ts-backend.js';
import { cpuThreads } from './cpu.js';

/** The slice of gpu.js's API this backend uses (typed here so the build does not need gpu.js installed). */
interface GpuKernel {
  (...args: unknown[]): unknown;
  destroy?: (removeCanvasReferences?: boolean) => void;
}
interface GpuInstance {
  Kernel: { mode?: string; name: string } | null;
  createKernel(source: string, settings: object): GpuKernel;
  destroy(): void;
}
interface GpuModule {
  GPU: (new (settings?: { mode?: string }) => GpuInstance) & {
    isHeadlessGLSupported: boolean;
    isWebGL2Supported: boolean;
    isWebGPUSupported: boolean;
  };
}

/** gpu.js modes this backend may be asked for; `auto` is gpu.js's own order (headless-gl → WebGL2 → WebGL → webasm). */
export type GpujsMode = 'auto' | 'cpu' | 'webasm' | 'headlessgl' | 'webgl2' | 'webgl';

export interface GpujsOptions {
  /** Worker threads of gpu.js's WebAssembly pool; default RISKLINE_THREADS, else every core. */
  threads?: number;
  /** gpu.js mode (default `auto`). */
  mode?: GpujsMode;
  /** The package providing gpu.js (default 'gpu.js'); tests name a missing one to see the refusal. */
  module?: string;
}

export interface GpujsBackend extends RiskBackend {
  readonly name: 'gpujs';
  /** The gpu.js mode that runs ('webasm', 'cpu', 'headlessgl', …) and gpu.js's version. */
  readonly mode: string;
  readonly version: string;
  /** Kernels compiled so far (one per source and shape, reused by later calls of that shape). */
  readonly compiled: number;
  /** Releases the compiled kernels and gpu.js's worker pool. */
  destroy(): void;
}

// Kernel sources are strings so that no TypeScript or coverage transform reaches gpu.js's parser.

/** R[y][x] = Σ_e val[e] · F[x][fac[e]] over instrument y's CSR entries (the factor part, float32). */
const RETURNS = `function (F, start, fac, val) {
  let sum = 0.0;
  const a = start[this.thread.y];
  const b = start[this.thread.y + 1];
  for (let e = a; e < b; e++) {
    sum += val[e] * F[this.thread.x * this.constants.K + fac[e]];
  }
  return sum;
}`;

/** Φ(x) by Hart's rational approximation, the same formula as engine/blackscholes.ts normCdf. */
const NORM_CDF = `function normCdf(x) {
  const a = Math.abs(x);
  let c = 0.0;
  if (a <= 37.0) {
    const e = Math.exp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      let n = 0.0352624965998911 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 0.0883883476483184 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4.0 / b;
      b = a + 3.0 / b;
      b = a + 2.0 / b;
      b = a + 1.0 / b;
      c = e / b / 2.506628274631;
    }
  }
  if (x > 0.0) {
    return 1.0 - c;
  }
  return c;
}`;

/** BSM with dividend yield (model 0) or Black-76 (model 1, q = r), as engine/blackscholes.ts prices them. */
const OPTION_VALUE = `function optionValue(model, isCall, S, K, T, vol, r, q) {
  if (T <= 0.0) {
    if (isCall > 0.5) {
      return Math.max(S - K, 0.0);
    }
    return Math.max(K - S, 0.0);
  }
  let yieldRate = q;
  if (model > 0.5) {
    yieldRate = r;
  }
  const df = Math.exp(-r * T);
  const dq = Math.exp(-yieldRate * T);
  const sd = vol * Math.sqrt(T);
  if (sd <= 0.0) {
    if (isCall > 0.5) {
      return Math.max(S * dq - K * df, 0.0);
    }
    return Math.max(K * df - S * dq, 0.0);
  }
  const d1 = (Math.log(S / K) + (r - yieldRate + 0.5 * vol * vol) * T) / sd;
  const d2 = d1 - sd;
  if (isCall > 0.5) {
    return S * dq * normCdf(d1) - K * df * normCdf(d2);
  }
  return K * df * normCdf(-d2) - S * dq * normCdf(-d1);
}`;

/** Inputs per revalued instrument: model, isCall, spot, strike, τ − h, vol, r, q, D, C, multiplier, today's value. */
const PARAMS = 12;

/** out[y][x] = V_y(scenario x) − V_y(today) per unit (docs/risk.md "Full revaluation"). */
const REVALUE = `function (moves, p, shift) {
  const o = this.thread.y * 12;
  const R = moves[this.thread.y * this.constants.B + this.thread.x];
  const m = p[o + 10];
  if (p[o] > 1.5) {
    const D = p[o + 8];
    let dy = 0.0;
    if (D != 0.0) {
      dy = -R / D;
    }
    return m * p[o + 2] * (R + 0.5 * p[o + 9] * dy * dy);
  }
  const spot = p[o + 2] * (1.0 + Math.max(R, -0.99));
  const vol = Math.max(p[o + 5] + shift[this.thread.x], 0.0001);
  const value = optionValue(p[o], p[o + 1], spot, p[o + 3], p[o + 4], vol, p[o + 6], p[o + 7]);
  return m * (value - p[o + 11]);
}`;

/** Σ_j w[j] · m[j][x] over the gathered rows. */
const ACCUMULATE = `function (m, w) {
  let sum = 0.0;
  for (let j = 0; j < this.constants.J; j++) {
    sum += w[j] * m[j * this.constants.B + this.thread.x];
  }
  return sum;
}`;

/** Indices inside a kernel stay below 2^24 so they are exact in float32 (GL and webasm index in floats). */
const INDEX_LIMIT = 2 ** 24;
/** Compiled kernels kept per backend; each shape compiles once, the oldest beyond this is released. */
const CACHE_LIMIT = 16;

const MODE_WORDS: Record<string, string> = {
  webasm: 'WebAssembly on the CPU',
  cpu: 'its JavaScript CPU mode',
  headlessgl: 'headless-gl (OpenGL)',
  webgl2: 'WebGL2',
  webgl: 'WebGL',
};

/** Scenarios per kernel call: as many as keep every index of a `width`-wide row below INDEX_LIMIT. */
function chunkOf(scenarios: number, width: number): number {
  return Math.max(1, Math.min(scenarios, Math.floor(INDEX_LIMIT / Math.max(width, 1))));
}

/** A kernel's result rows (2-D output) or vector (1-D) copied into `out` from offset `o` with stride `stride`. */
function copyRows(result: unknown, out: Float64Array, o: number, stride: number): void {
  if (result instanceof Float32Array) {
    out.set(result, o);
    return;
  }
  const rows = result as Float32Array[];
  for (let r = 0; r < rows.length; r++) out.set(rows[r], o + r * stride);
}

class Scratch {
  private buf = new Float64Array(0);
  get(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf.subarray(0, n);
  }
}

class GpujsRiskBackend implements GpujsBackend {
  readonly name = 'gpujs' as const;
  readonly parametric = tsBackend.parametric;
  readonly factorScenarios = tsBackend.factorScenarios;
  readonly tail = tsBackend.tail;
  readonly components = tsBackend.components;
  /** Rebuilding a whole vector: the gpu.js kernel, off the per-tick path. */
  readonly accumulateAsync = (job: AccumulateJob, out: Float64Array): Promise<void> =>
    Promise.resolve().then(() => this.accumulateRows(job, out));
  /** Per tick, in doubles on this thread: a gpu.js call per tick costs milliseconds and float32 would drift the live vectors. */
  readonly accumulate = tsBackend.accumulate;
  readonly revalueNow = tsBackend.revalueNow;
  private readonly kernels = new Map<string, GpuKernel>();
  private queue: Promise<void> = Promise.resolve();
  private readonly heavy = new Scratch();
  private readonly light = new Scratch();
  private readonly pair = new Float64Array(2);

  constructor(
    private readonly gpu: GpuInstance,
    readonly mode: string,
    readonly version: string,
    readonly threads: number,
    readonly detail: string,
  ) {}

  get compiled(): number {
    return this.kernels.size;
  }

  /** The kernel of one source and shape, compiled on first use. */
  private kernel(key: string, source: string, settings: object): GpuKernel {
    let k = this.kernels.get(key);
    if (k !== undefined) return k;
    if (this.kernels.size >= CACHE_LIMIT) {
      const [oldest, old] = this.kernels.entries().next().value as [string, GpuKernel];
      old.destroy?.();
      this.kernels.delete(oldest);
    }
    const threaded = this.mode === 'webasm' && !key.startsWith('acc');
    k = this.gpu.createKernel(source, {
      ...settings,
      precision: 'single',
      tactic: 'precision',
      poolSize: this.threads,
      asyncMode: threaded,
    });
    this.kernels.set(key, k);
    return k;
  }

  /** Heavy kernels share scratch buffers, so calls run one after another (each off the event loop in webasm). */
  private serial(run: () => Promise<void>): Promise<void> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  instrumentReturns(job: InstrumentReturnJob, out: Float64Array): Promise<void> {
    return this.serial(() => this.returns(job, out));
  }

  private async returns(job: InstrumentReturnJob, out: Float64Array): Promise<void> {
    const { instruments: N, scenarios: S, factors: K, factorReturns: F } = job;
    if (out.length < N * S) throw new RangeError(`returns buffer has ${out.length} entries, needs ${N * S}`);
    if (F.length < S * K) throw new RangeError(`factorReturns has ${F.length} entries, needs ${S * K}`);
    let widest = 0;
    for (let i = 0; i < N; i++) {
      widest = Math.max(widest, job.loadStart[i + 1] - job.loadStart[i]);
      for (let e = job.loadStart[i]; e < job.loadStart[i + 1]; e++) {
        const l = job.loadFactor[e];
        if (!(l >= 0 && l < K)) throw new RangeError(`instrument ${i} loads on factor ${l}, outside 0..${K - 1}`);
      }
    }
    const nnz = job.loadStart[N];
    const start = Float64Array.from(job.loadStart.subarray(0, N + 1));
    const fac = Float64Array.from(job.loadFactor.subarray(0, nnz));
    const B = chunkOf(S, Math.max(K, N, nnz));
    for (let s0 = 0; s0 < S; s0 += B) {
      const b = Math.min(B, S - s0);
      const settings = { output: [b, N], constants: { K }, loopMaxIterations: widest + 1 };
      const k = this.kernel(`ret:${b}x${N}x${K}x${nnz}x${widest}`, RETURNS, settings);
      const rows = await k(F.subarray(s0 * K, (s0 + b) * K), start, fac, job.loadValue.subarray(0, nnz));
      copyRows(rows, out, s0, S);
    }
    this.addIdiosyncratic(job, out);
  }

  /** σ_i · ε_{i,s} · t_s from the IDIO stream, in doubles on the host, exactly as the reference draws them. */
  private addIdiosyncratic(job: InstrumentReturnJob, out: Float64Array): void {
    const { seed, set, instruments: N, scenarios: S, tScale } = job;
    const stream = streamOf(set, STREAM_IDIO);
    const perInstrument = Math.ceil(S / 2);
    const pair = this.pair;
    for (let i = 0; i < N; i++) {
      const sigma = job.idioSigma[i];
      if (sigma === 0) continue;
      const o = i * S;
      for (let s = 0; s < S; s += 2) {
        normalPair(seed, stream, i * perInstrument + s / 2, pair);
        out[o + s] += sigma * pair[0] * (tScale === null ? 1 : tScale[s]);
        if (s + 1 < S) out[o + s + 1] += sigma * pair[1] * (tScale === null ? 1 : tScale[s + 1]);
      }
    }
  }

  revalue(job: RevaluationJob, out: Float64Array): Promise<void> {
    return this.serial(() => this.revalueAll(job, out));
  }

  private async revalueAll(job: RevaluationJob, out: Float64Array): Promise<void> {
    const { count: J, scenarios: S } = job;
    const params = revaluationParams(job, out);
    if (J === 0) return;
    const B = chunkOf(S, J * PARAMS);
    const zeros = job.volShift === null ? new Float64Array(B) : null;
    for (let s0 = 0; s0 < S; s0 += B) {
      const b = Math.min(B, S - s0);
      const moves = this.heavy.get(J * b);
      for (let j = 0; j < J; j++) {
        const r0 = job.row[j] * S + s0;
        moves.set(job.returns.subarray(r0, r0 + b), j * b);
      }
      const shift = job.volShift === null ? zeros!.subarray(0, b) : job.volShift.subarray(s0, s0 + b);
      const settings = { output: [b, J], constants: { B: b }, functions: [NORM_CDF, OPTION_VALUE] };
      const k = this.kernel(`rev:${b}x${J}`, REVALUE, settings);
      copyRows(await k(moves, params, shift), out, s0, S);
    }
  }

  /** out[s] (+)= Σ_j w_j · m[rows_j][s]: the rows with a weight are gathered, summed by a kernel, added in doubles. */
  accumulateRows(job: AccumulateJob, out: Float64Array): void {
    const S = job.scenarios;
    if (out.length < S) throw new RangeError(`accumulate output has ${out.length} entries, needs ${S}`);
    if (job.reset) out.fill(0, 0, S);
    let J = 0;
    for (let j = 0; j < job.rows.length; j++) if (job.weights[j] !== 0) J++;
    if (J === 0 || S === 0) return;
    const B = chunkOf(S, J);
    const w = new Float64Array(J);
    for (let s0 = 0; s0 < S; s0 += B) {
      const b = Math.min(B, S - s0);
      const m = this.light.get(J * b);
      for (let j = 0, g = 0; j < job.rows.length; j++) {
        if (job.weights[j] === 0) continue;
        const o = job.rows[j] * S + s0;
        if (!(o >= 0 && o + b <= job.matrix.length)) throw new RangeError(`row ${job.rows[j]} is outside the matrix`);
        m.set(job.matrix.subarray(o, o + b), g * b);
        w[g++] = job.weights[j];
      }
      const k = this.kernel(`acc:${b}x${J}`, ACCUMULATE, { output: [b], constants: { J, B: b } });
      const sum = k(m, w) as Float32Array;
      for (let s = 0; s < b; s++) out[s0 + s] += sum[s];
    }
  }

  destroy(): void {
    for (const k of this.kernels.values()) k.destroy?.();
    this.kernels.clear();
    this.gpu.destroy();
  }
}

/** Per-instrument inputs of the revaluation kernel (PARAMS each), with today's value priced in doubles by the reference. */
function revaluationParams(job: RevaluationJob, out: Float64Array): Float64Array {
  const { count: J, scenarios: S } = job;
  if (out.length < J * S) throw new RangeError(`revaluation buffer has ${out.length} entries, needs ${J * S}`);
  if (job.volShift !== null && job.volShift.length < S)
    throw new RangeError(`volShift has ${job.volShift.length} entries, needs one per scenario (${S})`);
  const rows = job.returns.length / S;
  const p = new Float64Array(J * PARAMS);
  for (let j = 0; j < J; j++) {
    const model = job.model[j];
    if (model !== MODEL_BSM && model !== MODEL_BLACK76 && model !== MODEL_BOND)
      throw new RangeError(`instrument ${j}: unknown model ${model}`);
    if (!(job.row[j] >= 0 && job.row[j] < rows))
      throw new RangeError(`instrument ${j}: row ${job.row[j]} outside 0..${rows - 1}`);
    const call = job.isCall[j] === 1;
    const [spot, strike, tau, vol, rate, q] = [
      job.spot[j],
      job.strike[j],
      job.tau[j],
      job.vol[j],
      job.rate[j],
      job.dividend[j],
    ];
    let today = 0;
    if (model === MODEL_BSM) today = bsmPrice(spot, strike, tau, vol, rate, q, call);
    else if (model === MODEL_BLACK76) today = black76Price(spot, strike, tau, vol, rate, call);
    const row = [model, call ? 1 : 0, spot, strike, Math.max(tau - job.horizonYears, 0), vol, rate, q];
    row.push(job.duration[j], job.convexity[j], job.multiplier[j], today);
    p.set(row, j * PARAMS);
  }
  return p;
}

function describe(mode: string, version: string, threads: number, G: GpuModule['GPU']): string {
  const missing = [
    G.isHeadlessGLSupported ? '' : 'headless-gl',
    G.isWebGL2Supported ? '' : 'WebGL',
    G.isWebGPUSupported ? '' : 'WebGPU',
  ].filter((x) => x !== '');
  const pool = mode === 'webasm' ? `, ${threads} worker thread${threads === 1 ? '' : 's'}` : '';
  const none = missing.length > 0 ? `; no ${missing.join('/')} on this machine` : '';
  return (
    `gpu.js ${version} ${mode} mode (${MODE_WORDS[mode] ?? mode}${pool}, float32${none}): ` +
    'instrument returns (factor part), full revaluation and accumulate (whole-vector rebuilds; per-tick updates in doubles on the engine thread) as gpu.js kernels; idiosyncratic ' +
    'draws, factor scenarios, parametric, tail and components in the ts reference'
  );
}

/** The gpujs backend, or why it cannot run here (gpu.js not installed, or no mode of the one asked for). */
export function loadGpujsBackend(opts: GpujsOptions = {}): { backend: GpujsBackend } | { reason: string } {
  const threads = cpuThreads(opts.threads);
  const id = opts.module ?? 'gpu.js';
  const require = createRequire(import.meta.url);
  let mod: GpuModule;
  let version: string;
  try {
    mod = require(id) as GpuModule;
    version = (require(`${id}/package.json`) as { version: string }).version;
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { reason: `${id} did not load (${why}); it is a dependency: npm install` };
  }
  if (typeof mod.GPU !== 'function') return { reason: `${id} exports no GPU class: not gpu.js` };
  const wanted = opts.mode ?? 'auto';
  let gpu: GpuInstance;
  try {
    gpu = new mod.GPU(wanted === 'auto' ? {} : { mode: wanted });
  } catch (err) {
    return { reason: `gpu.js mode "${wanted}": ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
  }
  const mode = gpu.Kernel?.mode ?? wanted;
  const detail = describe(mode, version, threads, mod.GPU);
  return { backend: new GpujsRiskBackend(gpu, mode, version, mode === 'webasm' ? threads : 1, detail) };
}
