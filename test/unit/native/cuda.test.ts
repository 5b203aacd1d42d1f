// The cuda backend. Everywhere nvcc is installed: every kernel compiles with warnings as errors
// (so CI catches kernel rot even where the gyp build was skipped) and the addon was built. Without
// a GPU (this machine class, CI): the addon loads and refuses with the CUDA error's name. With a
// GPU (tools/gpu/check.sh): every kernel against draws recomputed here with CounterRng, Hull's
// printed option values, hand sums, and the TypeScript reference within docs/risk.md's tolerances.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCudaAddon, loadCudaBackend, type CudaBackend } from '../../../native/cuda.js';
import { addonPath } from '../../../native/addon.js';
import { CounterRng } from '../../../maths/random.js';
import {
  MODEL_BLACK76,
  MODEL_BSM,
  streamOf,
  type FactorScenarioJob,
  type InstrumentReturnJob,
  type RevaluationJob,
} from '../../../engine/risk/backend.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { revalueJob } from './revalue-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const src = join(root, 'native', 'cuda');
/** nvcc where native/cuda/toolkit.sh installs it (.cache/cuda/venv/lib/python3.x/…), or RISKLINE_NVCC. */
function findNvcc(): string | undefined {
  if (process.env.RISKLINE_NVCC) return process.env.RISKLINE_NVCC;
  const lib = join(root, '.cache', 'cuda', 'venv', 'lib');
  if (!existsSync(lib)) return undefined;
  return readdirSync(lib)
    .map((py) => join(lib, py, 'site-packages', 'nvidia', 'cu13', 'bin', 'nvcc'))
    .find((p) => existsSync(p));
}
const nvcc = findNvcc();
const hasNvcc = nvcc !== undefined;
const NVCC_FLAGS = ['-O3', '-std=c++17', '--fmad=false', '-Xcompiler', '-fPIC', '-Werror', 'all-warnings'];
const ARCHS = ['compute_80,code=sm_80', 'compute_90,code=sm_90', 'compute_90,code=compute_90'];

/** Largest violation of |a − b| ≤ max(rel·|b|, abs); '' when all agree. */
function worst(a: Float64Array, b: Float64Array, rel: number, abs: number): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++)
    if (!(Math.abs(a[i] - b[i]) <= Math.max(rel * Math.abs(b[i]), abs))) return `[${i}] ${a[i]} vs ${b[i]}`;
  return '';
}

/** z_even or z_odd of a block, as CounterRng gives them after seek(2b). */
function zAt(seed: number, stream: number, block: number, odd: boolean): number {
  const g = new CounterRng(seed, stream).seek(2 * block);
  const even = g.normal();
  return odd ? g.normal() : even;
}

function scenarioJob(scenarios: number, factors: number, dof: number): FactorScenarioJob {
  const rng = new CounterRng(7);
  const c = new Float64Array(factors * factors); // lower triangular, positive diagonal
  for (let r = 0; r < factors; r++)
    for (let j = 0; j <= r; j++) c[r * factors + j] = j === r ? 0.01 + 0.02 * rng.uniform() : 0.01 * rng.normal();
  return { seed: 42, set: 20454, scenarios, factors, dof, cholesky: c };
}

/** n instruments on k factors, two loadings each (the last has none), idio vol on every other one. */
function returnJob(
  n: number,
  S: number,
  k: number,
  f: { factorReturns: Float64Array; tScale: Float64Array | null },
): InstrumentReturnJob {
  const rng = new CounterRng(11);
  const loadStart = new Int32Array(n + 1);
  const loadFactor: number[] = [];
  const loadValue: number[] = [];
  const idioSigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i < n - 1) {
      loadFactor.push(i % k, (i * 7 + 3) % k);
      loadValue.push(0.5 + rng.uniform(), rng.normal());
    }
    loadStart[i + 1] = loadFactor.length;
    idioSigma[i] = i % 2 === 0 ? 0.01 + 0.02 * rng.uniform() : 0;
  }
  const loads = { loadStart, loadFactor: Int32Array.from(loadFactor), loadValue: Float64Array.from(loadValue) };
  return { seed: 42, set: 20454, instruments: n, scenarios: S, factors: k, ...f, ...loads, idioSigma };
}

t.test(
  'kernels compile with nvcc, warnings as errors, for sm_80, sm_90 and sm_90 PTX',
  { skip: hasNvcc ? false : 'no nvcc (native/cuda/toolkit.sh installs it)' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'riskline-nvcc-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const version = execFileSync(nvcc!, ['--version'], { encoding: 'utf8' });
    t.match(version, /release 13\.\d/, 'CUDA 13 (the toolkit the gypi and the GPU machines use)');
    for (const file of readdirSync(src).filter((f) => f.endsWith('.cu'))) {
      const args = [
        ...NVCC_FLAGS,
        ...ARCHS.map((a) => `-gencode=arch=${a}`),
        '-c',
        join(src, file),
        '-o',
        join(dir, `${file}.o`),
      ];
      t.doesNotThrow(() => execFileSync(nvcc!, args, { stdio: 'pipe' }), `${file} compiles`);
    }
    // The host glue against the same headers: a renamed runtime call or N-API misuse fails here too.
    const require = createRequire(import.meta.url);
    const napi = dirname(require.resolve('node-addon-api/package.json'));
    const include = join(dirname(dirname(realpathSync(nvcc!))), 'include');
    for (const file of readdirSync(src).filter((f) => f.endsWith('.cc'))) {
      const args = [
        '-fsyntax-only',
        '-std=c++17',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-DNAPI_VERSION=8',
        '-DNAPI_CPP_EXCEPTIONS',
      ];
      const incs = [`-I${napi}`, `-I${include}`, `-I${process.env.RISKLINE_NODE_INCLUDE ?? '/usr/include/node'}`];
      t.doesNotThrow(
        () => execFileSync('g++', [...args, ...incs, join(src, file)], { stdio: 'pipe' }),
        `${file} compiles`,
      );
    }
  },
);

t.test('the addon was built wherever nvcc is installed', { skip: hasNvcc ? false : 'no nvcc' }, async (t) => {
  t.ok(addonPath('riskline_cuda'), 'build/Release/riskline_cuda.node exists (npm ci builds it with nvcc)');
});

const loaded = loadCudaAddon();
const addon = 'addon' in loaded ? loaded.addon : null;
const probe = addon?.available();
const noDriver = !existsSync('/dev/nvidia0') && !existsSync('/dev/nvidiactl');

t.test(
  'without a GPU the addon loads and says why it cannot run',
  { skip: !addon ? `${(loaded as { reason: string }).reason}` : !noDriver ? 'a GPU driver is present' : false },
  async (t) => {
    const reason = 'cudaErrorInsufficientDriver: no CUDA driver on this machine';
    t.same({ ok: probe!.ok, reason: probe!.reason, devices: probe!.devices }, { ok: false, reason, devices: 0 });
    t.equal(probe!.runtimeVersion, 13000, 'CUDA runtime 13.0, linked statically');
    t.same(loadCudaBackend(), { reason }, 'loadCudaBackend gives the reason, for the loader to log');
    const job = scenarioJob(4, 2, 0);
    const out = { factorReturns: new Float64Array(8), tScale: new Float64Array(4) };
    t.throws(() => addon!.factorScenarios(job, out), { message: `cuda backend: ${reason}` }, 'kernels refuse with it');
  },
);

t.test(
  'accumulate below the bus threshold sums on the host, rows in job order',
  { skip: addon ? false : 'addon not built' },
  async (t) => {
    // 3 rows × 4 scenarios: out = 2·m[2] − 1·m[0] + 0.5·m[2], added to what out holds.
    const matrix = Float64Array.of(1, 2, 3, 4, 10, 20, 30, 40, 0.25, -0.5, 1, 8);
    const out = Float64Array.of(100, 100, 100, 100);
    const job = {
      scenarios: 4,
      matrix,
      rows: Int32Array.of(2, 0, 2),
      weights: Float64Array.of(2, -1, 0.5),
      reset: false,
    };
    addon!.accumulate(job, out);
    t.same([...out], [99.625, 96.75, 99.5, 116]);
    addon!.accumulate({ ...job, reset: true }, out);
    t.same([...out], [-0.375, -3.25, -0.5, 16]);
    t.throws(() => addon!.accumulate({ ...job, rows: Int32Array.of(3) }, out), /rows\[0\] is not a row of matrix/);
  },
);

const gpu = probe?.ok ? (loadCudaBackend() as { backend: CudaBackend }).backend : null;
const onGpu = { skip: gpu ? false : `no CUDA device (${probe?.reason ?? 'addon not built'})` };

t.test('device detail names the runtime, the GPU and its architecture', onGpu, async (t) => {
  t.match(gpu!.detail, /^CUDA 13\.\d \(driver \d+\.\d\), .+, sm_\d+, \d+ SMs; tail and components on the host/);
});

async function scenariosOf(b: Pick<CudaBackend, 'factorScenarios'>, job: FactorScenarioJob) {
  const out = { factorReturns: new Float64Array(job.scenarios * job.factors), tScale: new Float64Array(job.scenarios) };
  await b.factorScenarios(job, out);
  return out;
}

t.test(
  'factor scenarios: C·z·t with z and the chi-square recomputed by CounterRng, and equal to ts',
  onGpu,
  async (t) => {
    const job = scenarioJob(7, 5, 5);
    const got = await scenariosOf(gpu!, job);
    for (let s = 0; s < 7; s++) {
      let w = 0;
      for (let j = 0; j < 5; j++) w += zAt(42, streamOf(job.set, 1), s * 3 + (j >> 1), j % 2 === 1) ** 2;
      const ts = Math.sqrt(3 / w);
      t.ok(Math.abs(got.tScale[s] - ts) <= 1e-14 * ts, `tScale[${s}]`);
      for (let k = 0; k < 5; k++) {
        let acc = 0;
        for (let j = 0; j <= k; j++)
          acc += job.cholesky[k * 5 + j] * zAt(42, streamOf(job.set, 0), s * 3 + (j >> 1), j % 2 === 1);
        t.ok(
          Math.abs(got.factorReturns[s * 5 + k] - ts * acc) <= Math.max(1e-12 * Math.abs(ts * acc), 1e-15),
          `F[${s}][${k}]`,
        );
      }
    }
    for (const dof of [0, 5]) {
      const big = scenarioJob(20001, 21, dof);
      const [a, ref] = [await scenariosOf(gpu!, big), await scenariosOf(tsBackend, big)];
      t.equal(worst(a.factorReturns, ref.factorReturns, 1e-12, 1e-15), '', `dof ${dof}: F vs ts`);
      t.equal(worst(a.tScale, ref.tScale, 1e-12, 1e-15), '', `dof ${dof}: tScale vs ts`);
    }
  },
);

t.test('instrument returns equal the ts reference (tScale given and null, odd S)', onGpu, async (t) => {
  const S = 10001;
  const f = await scenariosOf(tsBackend, scenarioJob(S, 21, 5));
  for (const tScale of [f.tScale, null]) {
    const job = returnJob(50, S, 21, { factorReturns: f.factorReturns, tScale });
    const [a, ref] = [new Float64Array(50 * S), new Float64Array(50 * S)];
    await gpu!.instrumentReturns(job, a);
    await tsBackend.instrumentReturns(job, ref);
    t.equal(worst(a, ref, 1e-12, 1e-15), '', `vs ts (tScale ${tScale ? 'given' : 'null'})`);
  }
});

t.test("revaluation: Hull's example, then BSM, Black-76 and bonds equal the ts reference", onGpu, async (t) => {
  // Hull, Options, Futures and Other Derivatives, Example 15.6 (S 42, K 40, 6 months, 20 %, r 10 %): call 4.76.
  const one = (x: number) => Float64Array.of(x);
  const hull: RevaluationJob = {
    count: 1,
    scenarios: 1,
    returns: one(0),
    row: Int32Array.of(0),
    model: Uint8Array.of(MODEL_BSM),
    isCall: Uint8Array.of(1),
    spot: one(42),
    strike: one(40),
    tau: one(0.5),
    vol: one(0.2),
    rate: one(0.1),
    dividend: one(0),
    duration: one(0),
    convexity: one(0),
    multiplier: one(1),
    volShift: null,
    horizonYears: 0.5,
  };
  const v = new Float64Array(1);
  await gpu!.revalue(hull, v);
  t.equal((2 - v[0]).toFixed(2), '4.76', 'at expiry the change is intrinsic − V(today)');
  const S = 5001;
  const f = await scenariosOf(tsBackend, scenarioJob(S, 21, 5));
  const returns = new Float64Array(30 * S);
  await tsBackend.instrumentReturns(returnJob(30, S, 21, f), returns);
  for (let s = 0; s < 30; s++) returns[s] = -1.5; // a crash past −99 % is floored
  const shift = Float64Array.from({ length: S }, (_, s) => (s % 5) * 0.05 - 0.1);
  for (const volShift of [null, shift]) {
    const job = revalueJob(90, S, returns, volShift);
    const [a, ref] = [new Float64Array(90 * S), new Float64Array(90 * S)];
    await gpu!.revalue(job, a);
    await tsBackend.revalue(job, ref);
    let bad = 0;
    for (let j = 0; j < 90; j++) {
      const row = (x: Float64Array) => x.subarray(j * S, (j + 1) * S);
      const why = worst(row(a), row(ref), 1e-9, 1e-12 * job.multiplier[j] * job.spot[j]);
      if (!why) continue;
      bad++;
      t.fail(`instrument ${j} (model ${job.model[j] === MODEL_BLACK76 ? 'Black-76' : job.model[j]}): ${why}`);
    }
    t.equal(bad, 0, `90 instruments × ${S} scenarios within 1e-9 (volShift ${volShift ? 'on' : 'off'})`);
  }
  await t.rejects(gpu!.revalue({ ...hull, row: Int32Array.of(1) }, v), /row\[0\] is not a row of returns/);
});

t.test('accumulate on the device (past the bus threshold) equals the ts reference', onGpu, async (t) => {
  const S = 100003;
  const g = new CounterRng(3);
  const matrix = Float64Array.from({ length: 40 * S }, () => g.normal());
  const rows = Int32Array.from({ length: 500 }, (_, j) => (j * 7) % 40); // rows repeat, out of order
  const weights = Float64Array.from({ length: 500 }, () => g.normal() * 100);
  for (const reset of [true, false]) {
    const start = Float64Array.from({ length: S }, (_, s) => s);
    const [a, ref] = [Float64Array.from(start), Float64Array.from(start)];
    gpu!.accumulate({ scenarios: S, matrix, rows, weights, reset }, a);
    tsBackend.accumulate({ scenarios: S, matrix, rows, weights, reset }, ref);
    t.equal(worst(a, ref, 1e-12, 1e-12), '', `reset ${reset}`);
  }
});

t.test('tail and components run on the host (the ts reference)', onGpu, async (t) => {
  const out = { var: new Float64Array(1), es: new Float64Array(1), varScenario: new Int32Array(1) };
  const pnl = Float64Array.from({ length: 250 }, (_, s) => (s === 10 ? -5 : s === 20 ? -3 : s === 30 ? -2 : 0));
  gpu!.tail({ scenarios: 250, pnl, weights: null, confidence: Float64Array.of(0.99) }, out);
  t.same([out.var[0], out.es[0], out.varScenario[0]], [2, 3.6, 30], '99 %: 3rd worst, ES (5 + 3 + 0.5·2) / 2.5');
});
