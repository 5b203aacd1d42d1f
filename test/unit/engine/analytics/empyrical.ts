// Runs tools/python/analytics_reference.py (empyrical, an implementation independent of this
// code) in the test virtual environment and returns its figures, case by case.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pythonWithClients } from '../../../../tools/python/venv.js';

export interface ReferenceCase {
  returns: number[];
  bench: number[] | null;
  periodsPerYear: number;
  riskFreeRate: number;
  sortinoTarget: number;
}

export interface ReferenceResult {
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  beta: number | null;
  linked: number | null;
}

const SCRIPT = path.join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'python', 'analytics_reference.py');

export async function empyrical(cases: ReferenceCase[]): Promise<{ version: string; results: ReferenceResult[] }> {
  const python = await pythonWithClients();
  return new Promise((resolve, reject) => {
    const child = execFile(python, [SCRIPT], { timeout: 120_000, maxBuffer: 64 << 20 }, (err, out, stderr) => {
      if (err) return reject(new Error(`${SCRIPT} failed: ${err.message}\n${stderr}`));
      const doc = JSON.parse(out) as { empyrical: string; results: ReferenceResult[] };
      resolve({ version: doc.empyrical, results: doc.results });
    });
    child.stdin!.end(JSON.stringify({ cases }));
  });
}

/** |a − b| within `rel` of the larger magnitude (or `abs` near zero); both null counts as equal. */
export function close(a: number | null, b: number | null, rel = 1e-10, abs = 1e-14): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}
