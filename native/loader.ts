// Picks the risk backend. `auto` takes the best one that loads here (cuda → cpu → ts); naming a
// backend that this build or machine lacks is a configuration error, never a silent substitute.
// The native C++ and CUDA addons plug in here behind the same RiskBackend contract.

import { RisklineError } from '../errors/catalogue.js';
import type { RiskBackend } from '../engine/risk/backend.js';
import { tsBackend } from '../engine/risk/ts-backend.js';

export type BackendName = 'auto' | 'ts' | 'cpu' | 'cuda' | 'gpujs';

/** Native backends this build can load, best first; empty until the native addons land. */
const NATIVE: { name: Exclude<BackendName, 'auto' | 'ts'>; load: () => RiskBackend | null }[] = [];

export function loadRiskBackend(requested: BackendName): { backend: RiskBackend; note: string } {
  if (requested === 'ts') return { backend: tsBackend, note: 'TypeScript reference backend (requested)' };
  for (const candidate of NATIVE) {
    if (requested !== 'auto' && requested !== candidate.name) continue;
    const backend = candidate.load();
    if (backend) return { backend, note: `${candidate.name} backend` };
  }
  if (requested === 'auto')
    return { backend: tsBackend, note: 'TypeScript reference backend (no native backend in this build)' };
  throw new RisklineError(
    'CONFIG_INVALID',
    `risk.backend: "${requested}" is not available in this build; use "auto" or "ts"`,
  );
}
