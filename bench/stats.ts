/**
 * The little statistics the benchmark needs, kept free of Playwright and the DOM so
 * they can be checked on their own.
 */

/** Linear-interpolated percentile (p in [0, 100]) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Solves A·x = b for a small dense square system by Gaussian elimination with partial pivoting; null when singular. */
function solve(matrix: number[][], rhs: number[]): number[] | null {
  const size = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row][column]) > Math.abs(a[pivot][column])) pivot = row;
    }
    // A near-zero pivot means the design does not vary along this column (e.g. one identity count only).
    if (Math.abs(a[pivot][column]) < 1e-12) return null;
    [a[column], a[pivot]] = [a[pivot], a[column]];
    for (let row = 0; row < size; row++) {
      if (row === column) continue;
      const factor = a[row][column] / a[column][column];
      for (let k = column; k <= size; k++) a[row][k] -= factor * a[column][k];
    }
  }
  return a.map((row, i) => row[size] / row[i]);
}

export interface LeastSquares {
  /** Intercept first, then one coefficient per predictor. */
  coefficients: number[];
  /** Share of the variance of y that the fit explains. */
  rSquared: number;
  points: number;
}

/** Ordinary least squares with an intercept, through the normal equations (the designs here have 2 predictors). */
export function leastSquares(predictors: readonly (readonly number[])[], y: readonly number[]): LeastSquares | null {
  const rows = predictors.map((row) => [1, ...row]);
  const width = rows[0]?.length ?? 0;
  if (rows.length < width || width === 0) return null;
  const normal = Array.from({ length: width }, (_, i) => Array.from({ length: width }, (_, j) => rows.reduce((sum, row) => sum + row[i] * row[j], 0)));
  const moment = Array.from({ length: width }, (_, i) => rows.reduce((sum, row, r) => sum + row[i] * y[r], 0));
  const coefficients = solve(normal, moment);
  if (!coefficients) return null;
  const mean = y.reduce((sum, value) => sum + value, 0) / y.length;
  const total = y.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  const residual = rows.reduce((sum, row, r) => sum + (y[r] - row.reduce((fit, value, i) => fit + value * coefficients[i], 0)) ** 2, 0);
  return { coefficients, rSquared: total > 0 ? 1 - residual / total : 1, points: rows.length };
}

/**
 * Fits step time ≈ C · samples^a · identities^b on a log–log scale and returns a and b.
 * Points with a non-positive or non-finite time are dropped (a run that failed).
 */
export function scaleExponents(
  points: readonly { samplesPerIdentity: number; identities: number; msPerStep: number }[],
): { samples: number; identities: number; rSquared: number; points: number } | null {
  const usable = points.filter((point) => Number.isFinite(point.msPerStep) && point.msPerStep > 0);
  const fit = leastSquares(
    usable.map((point) => [Math.log(point.samplesPerIdentity), Math.log(point.identities)]),
    usable.map((point) => Math.log(point.msPerStep)),
  );
  if (!fit) return null;
  return { samples: fit.coefficients[1], identities: fit.coefficients[2], rSquared: fit.rSquared, points: fit.points };
}
