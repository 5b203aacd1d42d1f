// The `cuda` risk backend: the kernels of native/cuda behind the RiskBackend contract. Scenario
// generation, instrument returns, full revaluation and accumulation run on the GPU (each heavy
// kernel resolves its Promise from a native worker once the stream completes); `tail` and
// `components` are O(scenarios) selections over the P&L vector already back in host memory, so
// they run on the host in the TypeScript reference, as does `parametric` (one small matrix
// product per portfolio). The addon loads without a driver and says why it cannot run.

import type {
  AccumulateJob,
  FactorScenarioJob,
  FactorScenarios,
  InstrumentReturnJob,
  RevaluationJob,
  RiskBackend,
} from '../engine/risk/backend.js';
import { tsBackend } from '../engine/risk/ts-backend.js';
import { loadAddon } from './addon.js';

/** What the addon's available() reports (native/cuda/device.cc). */
export interface CudaProbe {
  ok: boolean;
  /** Why there is no usable device, e.g. "cudaErrorInsufficientDriver: no CUDA driver on this machine". */
  reason?: string;
  /** CUDA versions as 1000 · major + 10 · minor; the driver's is 0 without one. */
  runtimeVersion: number;
  driverVersion: number;
  devices: number;
  name?: string;
  computeCapability?: string;
  multiprocessors?: number;
  memoryBytes?: number;
}

/** What build/Release/riskline_cuda.node exports (native/cuda/addon.cc). */
export interface CudaAddon {
  available(): CudaProbe;
  factorScenarios(job: FactorScenarioJob, out: FactorScenarios): Promise<void>;
  instrumentReturns(job: InstrumentReturnJob, out: Float64Array): Promise<void>;
  revalue(job: RevaluationJob, out: Float64Array): Promise<void>;
  accumulate(job: AccumulateJob, out: Float64Array): void;
  /** The same sums as an AsyncWorker that waits for the GPU (accumulate sums on the host while it is busy). */
  accumulateAsync(job: AccumulateJob, out: Float64Array): Promise<void>;
}

export interface CudaBackend extends RiskBackend {
  readonly name: 'cuda';
  readonly probe: CudaProbe;
}

export interface CudaOptions {
  /** Accepted for the loader's common options; the GPU's parallelism is its own, one host worker drives it. */
  threads?: number;
}

const version = (v: number): string => `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;

/** "CUDA 13.0 (driver 13.0), NVIDIA H100 80GB HBM3, sm_90, 132 SMs; tail and components on the host (ts)". */
export function describeDevice(p: CudaProbe): string {
  const sm = (p.computeCapability ?? '?').replace('.', '');
  const gib = p.memoryBytes ? `, ${(p.memoryBytes / 2 ** 30).toFixed(0)} GiB` : '';
  return (
    `CUDA ${version(p.runtimeVersion)} (driver ${version(p.driverVersion)}), ${p.name ?? 'unknown GPU'}${gib}, ` +
    `sm_${sm}, ${p.multiprocessors ?? '?'} SMs; tail and components on the host (ts reference) over the copied-back P&L`
  );
}

export function createCudaBackend(addon: CudaAddon, probe: CudaProbe): CudaBackend {
  return {
    name: 'cuda',
    threads: 1,
    detail: describeDevice(probe),
    probe,
    parametric: tsBackend.parametric,
    // async: an argument the addon refuses rejects the Promise, as a failed kernel does.
    factorScenarios: async (job, out) => addon.factorScenarios(job, out),
    instrumentReturns: async (job, out) => addon.instrumentReturns(job, out),
    revalue: async (job, out) => addon.revalue(job, out),
    // A row or two as an underlying crosses a step: not worth a device round trip.
    revalueNow: tsBackend.revalueNow,
    accumulate: (job, out) => addon.accumulate(job, out),
    accumulateAsync: async (job, out) => addon.accumulateAsync(job, out),
    tail: (job, out) => tsBackend.tail(job, out),
    components: (job, out) => tsBackend.components(job, out),
  };
}

/** The addon itself (for tests and the GPU check), or why it is not there. */
export function loadCudaAddon(): { addon: CudaAddon; path: string } | { reason: string } {
  const loaded = loadAddon<CudaAddon>('riskline_cuda');
  if ('reason' in loaded && loaded.reason.startsWith('addon not built'))
    return { reason: 'not built: no build/Release/riskline_cuda.node (built where native/cuda/toolkit.sh finds nvcc)' };
  return loaded;
}

/** The cuda backend, or why it cannot run here: not built, or no driver / no device (the CUDA error's name). */
export function loadCudaBackend(opts: CudaOptions = {}): { backend: CudaBackend } | { reason: string } {
  void opts;
  const loaded = loadCudaAddon();
  if ('reason' in loaded) return loaded;
  const probe = loaded.addon.available();
  if (!probe.ok) return { reason: probe.reason ?? 'no usable CUDA device' };
  return { backend: createCudaBackend(loaded.addon, probe) };
}
