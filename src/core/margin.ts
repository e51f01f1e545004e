/**
 * The combined margin of ArcFace, as plain numbers. The trainer's TF ops and the
 * panels' curves are both tested against these functions.
 *
 * Target logit: ψ(θ) = cos(m1·θ + m2) − m3 (scaled by s). The paper's slides print
 * "+ m3"; the paper and every reference implementation subtract it, so a positive m3 is
 * a penalty.
 */

export interface Margin {
  m1: number;
  m2: number;
  m3: number;
  /** Keep ψ non-increasing past θ* (see `targetLogit`). */
  fallback: boolean;
}

/** cos is clamped before acos because rounding can push |cos| a hair past 1. */
export function safeAcos(cosine: number): number {
  return Math.acos(Math.min(1, Math.max(-1, cosine)));
}

/**
 * θ* = (π − m2)/m1: ψ decreases only while m1·θ + m2 ≤ π. Past it the target logit
 * rises again and would reward a sample for moving away from its class.
 * Returns π when the whole of [0, π] is monotonic.
 */
export function thetaStar(m1: number, m2: number): number {
  return Math.min(Math.PI, (Math.PI - m2) / m1);
}

/**
 * ψ(θ) for θ in [0, π].
 *
 * The fallback is the continuous generalisation of insightface's: insightface switches
 * to cos θ − m·sin m past π − m, a first-order stand-in for cos(θ + m) that jumps by
 * −0.117 at m = 0.5. We instead continue with cos θ shifted to meet ψ(θ*) = −1 − m3:
 *   ψ(θ) = cos θ − cos θ* − 1 − m3   for θ > θ*,
 * which is continuous, keeps the −m3 penalty, and keeps falling all the way to π, for
 * any m1 and m2, not only m1 = 1.
 */
export function targetLogit(theta: number, margin: Margin): number {
  const { m1, m2, m3, fallback } = margin;
  const limit = thetaStar(m1, m2);
  if (fallback && theta > limit) {
    return Math.cos(theta) - Math.cos(limit) - 1 - m3;
  }
  return Math.cos(m1 * theta + m2) - m3;
}

/** The logit curve ψ(θ) sampled on [0, π], for plotting and for tests. */
export function sampleTargetLogit(margin: Margin, count: number): { theta: number; value: number }[] {
  const points: { theta: number; value: number }[] = [];
  for (let i = 0; i < count; i++) {
    const theta = (Math.PI * i) / (count - 1);
    points.push({ theta, value: targetLogit(theta, margin) });
  }
  return points;
}

/** The margin of a warm-up step: m2 and m3 ramp from 0, m1 from 1, linearly. */
export function warmedMargin(margin: Margin, step: number, warmupSteps: number): Margin {
  if (warmupSteps <= 0 || step >= warmupSteps) return margin;
  const ramp = Math.max(0, step) / warmupSteps;
  return {
    m1: 1 + ramp * (margin.m1 - 1),
    m2: ramp * margin.m2,
    m3: ramp * margin.m3,
    fallback: margin.fallback,
  };
}

/** Where a run is in its margin warm-up; null once the full margin applies (or with no warm-up). */
export interface WarmupProgress {
  step: number;
  steps: number;
  /** 0 at the start, 1 at the end: the share of the margin that applies (see `warmedMargin`). */
  ramp: number;
}

export function warmupProgress(step: number, warmupSteps: number): WarmupProgress | null {
  if (!Number.isFinite(step) || warmupSteps <= 0 || step >= warmupSteps) return null;
  const at = Math.max(0, step);
  return { step: at, steps: warmupSteps, ramp: at / warmupSteps };
}

export const toDegrees = (radians: number): number => (radians * 180) / Math.PI;
export const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * A target logit that is not the combined margin (the original SphereFace, a later
 * margin), so that Fig. 5's boundaries can be drawn for it with the same code.
 */
export interface TargetCurve {
  /** ψ(θ) for θ in [0, π]. */
  psi: (theta: number) => number;
  /** Where ψ has a corner, radians (the combined margin's θ*). */
  corners: readonly number[];
}

/** The combined margin or any other target logit. */
export type Target = Margin | TargetCurve;

export function isTargetCurve(target: Target): target is TargetCurve {
  return 'psi' in target;
}

/** ψ(θ) of either kind of target. */
export function targetValue(theta: number, target: Target): number {
  return isTargetCurve(target) ? target.psi(theta) : targetLogit(theta, target);
}

/** The corners of either kind of target inside (0, π). */
export function targetCorners(target: Target): number[] {
  const corners = isTargetCurve(target) ? [...target.corners] : [thetaStar(target.m1, target.m2)];
  return corners.filter((corner) => corner > 0 && corner < Math.PI);
}
