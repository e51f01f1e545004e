/**
 * The original SphereFace (Liu et al., CVPR 2017, "A-Softmax"), as plain numbers. The
 * ArcFace paper's combined margin uses a real m1 inside cos(m1·θ + m2); the original
 * used an integer m and a piecewise ψ that stays monotonic on all of [0, π]:
 *
 *   ψ(θ) = (−1)^k · cos(m·θ) − 2k   for θ ∈ [kπ/m, (k+1)π/m], k = 0 … m − 1.
 *
 * Alone, m = 4 is too hard to train from scratch, so the target logit was blended with
 * the plain cosine, (λ·cos θ + ψ(θ)) / (1 + λ), and λ annealed from 1000 down to a floor
 * of 5. The ArcFace paper's Fig. 4b draws the curve at that floor, λ = 5.
 */
import type { TargetCurve } from './margin';

/** The original paper's integer margin. */
export const SPHEREFACE_M = 4;
/** Where the annealing stops, and the value the ArcFace paper's Fig. 4b draws. */
export const SPHEREFACE_LAMBDA_FLOOR = 5;

/**
 * The annealing of SphereFace's released training config: λ = max(floor, base·(1 + γ·i)^(−power))
 * at iteration i, with base 1000, γ 0.12 and power 1. It is 10 at iteration 825 and reaches
 * the floor of 5 at iteration 1659.
 */
export const SPHEREFACE_ANNEALING = { base: 1000, gamma: 0.12, power: 1, floor: SPHEREFACE_LAMBDA_FLOOR } as const;

/**
 * The label the panels give the ArcFace paper's real-valued SphereFace setting. The
 * spaces in "m = 1.35" do not break, so a wrapped legend keeps the value whole.
 */
export const SPHEREFACE_REIMPLEMENTATION_LABEL = 'SphereFace (ArcFace authors’ re-implementation, m\u00a0=\u00a01.35)';
/** The label of the original, integer-m SphereFace at a given λ. */
export function sphereFaceLabel(lambda: number): string {
  return `SphereFace (original, m = ${SPHEREFACE_M}, λ = ${Number(lambda.toFixed(2))})`;
}

/**
 * ψ(θ) of the original SphereFace for θ ∈ [0, π] and a whole m ≥ 1. θ outside [0, π] is
 * clamped (an angle cannot be outside it; rounding can put acos a hair past the ends).
 * A non-integer or non-positive m is a caller's error: the piecewise form only joins up
 * for whole m.
 */
export function sphereFacePsi(theta: number, m: number = SPHEREFACE_M): number {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`SphereFace's m must be a whole number ≥ 1, got ${m}`);
  const angle = Math.min(Math.PI, Math.max(0, theta));
  // θ = π lands on k = m; the last interval is closed, and both pieces agree there (1 − 2m).
  const k = Math.min(m - 1, Math.floor((m * angle) / Math.PI));
  const sign = k % 2 === 0 ? 1 : -1;
  return sign * Math.cos(m * angle) - 2 * k;
}

/**
 * The target logit SphereFace trained with: (λ·cos θ + ψ(θ)) / (1 + λ). λ = 0 is the pure
 * ψ, large λ approaches cos θ (no margin). A negative or non-finite λ is refused: it
 * would divide by 0 at λ = −1 and flip the curve beyond it.
 */
export function sphereFaceTarget(theta: number, lambda: number, m: number = SPHEREFACE_M): number {
  if (!Number.isFinite(lambda) || lambda < 0) throw new RangeError(`SphereFace's λ must be a finite number ≥ 0, got ${lambda}`);
  const angle = Math.min(Math.PI, Math.max(0, theta));
  return (lambda * Math.cos(angle) + sphereFacePsi(angle, m)) / (1 + lambda);
}

/** λ at a training iteration under SphereFace's annealing (see SPHEREFACE_ANNEALING). */
export function sphereFaceLambda(iteration: number, schedule: { base: number; gamma: number; power: number; floor: number } = SPHEREFACE_ANNEALING): number {
  const i = Math.max(0, iteration);
  return Math.max(schedule.floor, schedule.base * (1 + schedule.gamma * i) ** -schedule.power);
}

/** The annealed SphereFace curve as a target for Fig. 5's boundaries. It is smooth: the pieces of ψ meet with zero slope. */
export function sphereFaceCurve(lambda: number, m: number = SPHEREFACE_M): TargetCurve {
  return { psi: (theta) => sphereFaceTarget(theta, lambda, m), corners: [] };
}
