// The cpu backend at one and two threads for the native tests; a file whose addon is not built ends
// with a plan of 0 and the reason.
import t from 'tap';
import { loadCpuBackend, type CpuBackend } from '../../../native/cpu.js';

const one = loadCpuBackend({ threads: 1 });
const two = loadCpuBackend({ threads: 2 });
if ('reason' in one || 'reason' in two) {
  t.plan(0, `cpu backend not built: ${'reason' in one ? one.reason : ''}`);
  process.exit(0);
}
export const cpu1 = (one as { backend: CpuBackend }).backend;
export const cpu2 = (two as { backend: CpuBackend }).backend;
