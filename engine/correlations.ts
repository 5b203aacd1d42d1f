// The one rule a factor correlation matrix must meet, shared by the config checks and the simulator:
// n×n, entries in [-1, 1], symmetric, unit diagonal, positive semi-definite. Semi-definite because
// a singular matrix (two factors correlated exactly 1) is a valid market model: the simulator
// factorises it and parametric VaR only needs σ² = xᵀΣx ≥ 0.

import { cholesky } from '../maths/linalg.js';
import { describe } from './validate.js';

const SYMMETRY_TOLERANCE = 1e-9;
const DIAGONAL_TOLERANCE = 1e-9;

export interface CorrelationProblem {
  /** Where inside the matrix: [] the whole matrix, [i] a row, [i, j] an entry. */
  path: number[];
  /** One line, without the path (callers prefix their own: a file and JSON path, or `simulator:`). */
  message: string;
}

/** The first way `c` breaks the rule for `factors` factors, or null when it is a valid correlation matrix. */
export function correlationProblem(c: readonly (readonly number[])[], factors: number): CorrelationProblem | null {
  const n = factors;
  if (!Array.isArray(c) || c.length !== n) {
    const got = Array.isArray(c) ? c.length : describe(c);
    return { path: [], message: `expected ${n} rows (one per factor), received ${got}` };
  }
  for (let i = 0; i < n; i++) {
    const row: unknown = c[i];
    if (!Array.isArray(row) || row.length !== n) {
      const got = Array.isArray(row) ? row.length : describe(row);
      return { path: [i], message: `expected ${n} columns (one per factor), received ${got}` };
    }
    for (let j = 0; j < n; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !(Math.abs(v) <= 1)) {
        return { path: [i, j], message: `expected number in [-1, 1], received ${describe(v)}` };
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (Math.abs(c[i][i] - 1) > DIAGONAL_TOLERANCE) {
      return { path: [i, i], message: `expected 1 on the diagonal, received ${c[i][i]}` };
    }
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(c[i][j] - c[j][i]) > SYMMETRY_TOLERANCE) {
        return { path: [i, j], message: `not symmetric: ${c[i][j]} but correlations[${j}][${i}] is ${c[j][i]}` };
      }
    }
  }
  if (cholesky(c, { semidefinite: true }) === null) return { path: [], message: 'not positive semi-definite' };
  return null;
}
