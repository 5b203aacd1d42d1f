// Small dense linear algebra shared by the simulator and the config checks.

/**
 * Lower-triangular Cholesky factor L of a symmetric matrix (L·Lᵀ = m), row-major n×n, or null when
 * m is not positive definite. With `semidefinite`, a zero pivot (a factor that is an exact
 * combination of others) is accepted and its column left at 0.
 */
export function cholesky(
  m: readonly (readonly number[])[],
  options: { semidefinite?: boolean } = {},
): Float64Array | null {
  const n = m.length;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = m[j][j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (options.semidefinite ? d < -1e-9 : !(d > 1e-12)) return null;
    const djj = d > 1e-14 ? Math.sqrt(d) : 0;
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = djj > 0 ? s / djj : 0;
    }
  }
  return l;
}
