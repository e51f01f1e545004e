/**
 * The binary decision boundaries of the paper's Fig. 5, as plain numbers (radians).
 *
 * Two identities, a feature at angle θ1 to W1 and θ2 to W2. Class 1 wins when its
 * margin-penalised target logit still beats class 2's plain cosine, ψ(θ1) > cos θ2;
 * class 2 wins in the mirror case, ψ(θ2) > cos θ1. The margin is the region where
 * neither holds. The scale s multiplies both sides, so it never moves a boundary.
 * Every function takes the combined margin or any other target curve ψ (a `Target`),
 * such as the original SphereFace's.
 */
import { safeAcos, targetCorners, targetValue, type Margin, type Target } from './margin';

export interface BoundaryPoint {
  theta1: number;
  theta2: number;
}

/** Who wins at one point of the θ1–θ2 plane. 'both' only happens when m1 < 1 makes ψ exceed cos θ. */
export type Decision = 'class1' | 'class2' | 'margin' | 'both';

/**
 * θ2 on class 1's boundary ψ(θ1) = cos θ2, i.e. θ2 = acos ψ(θ1); class 1 wins above it.
 *
 * Where ψ(θ1) < −1 (past θ* with the fallback, or a large m3) no θ2 satisfies
 * cos θ2 < ψ, so class 1 never wins in that column: the clamp in safeAcos returns π and
 * the boundary runs along the top edge of the plane. Symmetrically ψ > 1 (only possible
 * with a negative m3) gives 0: class 1 wins the whole column.
 *
 * Class 2's boundary is the mirror image: θ1 = class1Boundary(θ2).
 */
export function class1Boundary(theta1: number, margin: Target): number {
  return safeAcos(targetValue(theta1, margin));
}

/** The decision at (θ1, θ2), compared on logits rather than on the clamped boundary so ties at the edges stay exact. */
export function decisionAt(theta1: number, theta2: number, margin: Target): Decision {
  const class1Wins = targetValue(theta1, margin) > Math.cos(theta2);
  const class2Wins = targetValue(theta2, margin) > Math.cos(theta1);
  if (class1Wins && class2Wins) return 'both';
  if (class1Wins) return 'class1';
  if (class2Wins) return 'class2';
  return 'margin';
}

const BISECTION_STEPS = 60;
const REFINE_DEPTH = 6;

/** Where ψ crosses `level` between lo and hi (ψ(lo) and ψ(hi) on opposite sides). */
function crossing(lo: number, hi: number, level: number, margin: Target): number {
  const below = targetValue(lo, margin) < level;
  let left = lo;
  let right = hi;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const middle = (left + right) / 2;
    if (targetValue(middle, margin) < level === below) left = middle;
    else right = middle;
  }
  return (left + right) / 2;
}

/**
 * Class 1's boundary sampled on θ1 ∈ [0, π]: a uniform grid of `count` points, plus the
 * points where the curve has a corner (ψ reaching ±1, where acos clamps, and θ*), plus
 * extra points where the curve is steep. acos has an infinite slope at ±1, so CosFace's
 * boundary meets the top edge vertically and a uniform grid alone would cut that bend.
 * The result is sorted by θ1 and holds at least `count` points.
 */
export function sampleBoundary(margin: Target, count: number): BoundaryPoint[] {
  const steps = Math.max(1, Math.floor(count) - 1);
  const spacing = Math.PI / steps;
  const grid: number[] = [];
  for (let i = 0; i <= steps; i++) grid.push(i === steps ? Math.PI : i * spacing);

  const corners: number[] = targetCorners(margin);
  for (let i = 0; i < steps; i++) {
    const left = targetValue(grid[i], margin);
    const right = targetValue(grid[i + 1], margin);
    for (const level of [-1, 1]) {
      // Strictly across: a ψ that only touches ±1 at a grid point (norm-softmax at 0) has no corner to add.
      if ((left - level) * (right - level) < 0) corners.push(crossing(grid[i], grid[i + 1], level, margin));
    }
  }

  const thetas = [...grid, ...corners].sort((a, b) => a - b);
  const points: BoundaryPoint[] = [];
  const push = (theta1: number): void => {
    points.push({ theta1, theta2: class1Boundary(theta1, margin) });
  };
  // Halve any interval whose θ2 jumps by more than two grid spacings, a few times over.
  const refine = (from: BoundaryPoint, toTheta: number, depth: number): void => {
    const to = class1Boundary(toTheta, margin);
    if (depth < REFINE_DEPTH && Math.abs(to - from.theta2) > 2 * spacing && toTheta - from.theta1 > 1e-12) {
      const middle = (from.theta1 + toTheta) / 2;
      refine(from, middle, depth + 1);
      refine(points[points.length - 1], toTheta, depth + 1);
      return;
    }
    push(toTheta);
  };
  push(thetas[0]);
  for (let i = 1; i < thetas.length; i++) {
    if (thetas[i] - thetas[i - 1] < 1e-12) continue;
    refine(points[points.length - 1], thetas[i], 0);
  }
  return points;
}

/** m1 and m3 count as off within this, so a slider's 1.0000000001 still reads as ArcFace. */
const SETTING_TOLERANCE = 1e-9;

/**
 * The vertical distance Δθ2 between the two boundaries at a fixed θ1, when it does not
 * depend on θ1: with m1 = 1 and m3 = 0 the boundaries are θ2 = θ1 ± m2, so Δθ2 = 2·m2
 * (0 for norm-softmax). Holds where neither line has reached the edge of the plane
 * (m2 ≤ θ1 ≤ π − m2). Any m1 ≠ 1 or m3 ≠ 0 bends the boundaries: null.
 */
export function constantAngularMargin(margin: Margin): number | null {
  if (Math.abs(margin.m1 - 1) > SETTING_TOLERANCE || Math.abs(margin.m3) > SETTING_TOLERANCE) return null;
  return 2 * margin.m2;
}

export interface PairAngles {
  /** Angle of each selected sample to W_a, radians. */
  thetaA: Float64Array;
  /** Angle of each selected sample to W_b, radians. */
  thetaB: Float64Array;
  /** The identity (a or b) of each selected sample. */
  identity: Int32Array;
}

function unitRow(matrix: ArrayLike<number>, row: number, dim: number): Float64Array {
  const out = new Float64Array(dim);
  let squared = 0;
  for (let k = 0; k < dim; k++) squared += matrix[row * dim + k] ** 2;
  // A zero row stays zero (every angle to it reads 90°) instead of turning into NaN.
  const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
  for (let k = 0; k < dim; k++) out[k] = matrix[row * dim + k] * scale;
  return out;
}

/**
 * For every sample of identity a or b (in sample order), its angles to W_a and W_b:
 * the coordinates at which it sits in the θ1–θ2 plane when a is class 1 and b class 2.
 * Rows of both matrices are normalised here, so raw embeddings and unnormalised weights
 * give the same angles. Layout: embeddings samples × dim, weights classes × dim.
 */
export function pairAngles(unitEmbeddings: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number>, a: number, b: number, dim = 2): PairAngles {
  const directionA = unitRow(weights, a, dim);
  const directionB = unitRow(weights, b, dim);
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === a || labels[i] === b) count++;
  const thetaA = new Float64Array(count);
  const thetaB = new Float64Array(count);
  const identity = new Int32Array(count);
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== a && labels[i] !== b) continue;
    let squared = 0;
    let dotA = 0;
    let dotB = 0;
    for (let k = 0; k < dim; k++) {
      const value = unitEmbeddings[i * dim + k];
      squared += value * value;
      dotA += value * directionA[k];
      dotB += value * directionB[k];
    }
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    thetaA[next] = safeAcos(dotA * scale);
    thetaB[next] = safeAcos(dotB * scale);
    identity[next] = labels[i];
    next++;
  }
  return { thetaA, thetaB, identity };
}

/** The margin at one θ1: the θ2 interval [lower, upper] where neither class wins (lower = upper when empty). */
export interface MarginColumn {
  theta1: number;
  lower: number;
  upper: number;
}

/** Between t's where class1Boundary is below `level` and where it has reached it, to bisection precision. */
function boundaryReaches(below: number, reached: number, level: number, margin: Target): number {
  let from = below;
  let to = reached;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const middle = (from + to) / 2;
    if (class1Boundary(middle, margin) >= level) to = middle;
    else from = middle;
  }
  return to;
}

/**
 * The margin region as columns: at each θ1, the θ2 where class 1 does not win
 * (θ2 ≤ b(θ1), b = class1Boundary) and class 2 does not win (b(θ2) ≥ θ1). The second
 * set is an interval whenever b rises then falls, which covers every setting with the
 * fallback and the single bend-back without it; for the rare doubly bent boundary
 * (m1 near 2, no fallback) the column is the interval's hull.
 *
 * Columns sit at every θ1 of class 1's samples and at every θ2 of them (class 2's
 * corners, mirrored), so both edges of the region keep their corners.
 */
export function marginColumns(margin: Target, count: number): MarginColumn[] {
  const samples = sampleBoundary(margin, count);
  const positions = [...samples.map((point) => point.theta1), ...samples.map((point) => point.theta2)].sort((a, b) => a - b);
  const thetas = positions.filter((theta, i) => i === 0 || theta - positions[i - 1] > 1e-12);
  const last = samples.length - 1;
  return thetas.map((theta1) => {
    const classOneEdge = class1Boundary(theta1, margin);
    let first = -1;
    let final = -1;
    for (let k = 0; k <= last; k++) {
      if (samples[k].theta2 < theta1) continue;
      if (first < 0) first = k;
      final = k;
    }
    if (first < 0) return { theta1, lower: classOneEdge, upper: classOneEdge };
    const lower = first === 0 ? samples[0].theta1 : boundaryReaches(samples[first - 1].theta1, samples[first].theta1, theta1, margin);
    const classTwoEdge = final === last ? Math.PI : boundaryReaches(samples[final + 1].theta1, samples[final].theta1, theta1, margin);
    const upper = Math.min(classOneEdge, classTwoEdge);
    if (upper < lower) {
      const middle = (lower + upper) / 2;
      return { theta1, lower: middle, upper: middle };
    }
    return { theta1, lower, upper };
  });
}
