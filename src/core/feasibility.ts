/**
 * Can a margin be met at all by n identities embedded in 2-D? With the class weights
 * spread evenly on the circle, neighbours are φ = 2π/n apart. A sample at angle θ from its
 * own W (towards a neighbour) is φ − θ from that neighbour, so its margin is met when
 * ψ(θ) ≥ cos(φ − θ). ψ falls and cos(φ − θ) rises as θ grows, so the best a sample can
 * do is sit on its own W: the margin can be met only if ψ(0) = cos(m2) − m3 ≥ cos φ.
 * Even spacing is the best case: any other arrangement brings some pair closer than φ.
 *
 * Example: 8 identities, φ = 45°. CosFace 0.35 gives ψ(0) = 0.65 < cos 45° ≈ 0.707, so it
 * cannot be met and its loss never approaches 0; ArcFace 0.5 gives cos 0.5 ≈ 0.878 and
 * can, for samples within (45° − 28.6°)/2 ≈ 8.2° of their W.
 */
import { targetLogit, type Margin } from './margin';

export interface Feasibility {
  identities: number;
  /** φ = 2π/n, radians: the angle between neighbouring class weights. */
  neighbourAngle: number;
  /** ψ(0): the best target logit, for a sample on its own W. */
  bestTarget: number;
  /** cos φ: that sample's logit for its nearest rival. */
  rivalCosine: number;
  feasible: boolean;
  /**
   * How far (radians) a sample may stray from its W towards a neighbour and still meet
   * the margin; null when it cannot be met even on W.
   */
  tolerance: number | null;
  /** The largest m2 that can be met with this m3 (radians); null when no m2 ≥ 0 can. */
  largestM2: number | null;
  /** The largest m3 that can be met with this m2 (≥ 0 only when some can); null when none can. */
  largestM3: number | null;
}

const BISECTION_STEPS = 60;

/** The margin's feasibility for `identities` evenly spread class weights in 2-D. */
export function marginFeasibility(margin: Margin, identities: number): Feasibility {
  if (!Number.isInteger(identities) || identities < 2) throw new RangeError(`identities must be a whole number ≥ 2, got ${identities}`);
  const neighbourAngle = (2 * Math.PI) / identities;
  const rivalCosine = Math.cos(neighbourAngle);
  const bestTarget = targetLogit(0, margin);
  const feasible = bestTarget >= rivalCosine;
  const slack = (theta: number): number => targetLogit(theta, margin) - Math.cos(neighbourAngle - theta);
  let tolerance: number | null = null;
  if (feasible) {
    // slack(0) ≥ 0 and slack(φ) = ψ(φ) − 1 ≤ 0 (a sample on the rival's W cannot beat it
    // while m3 ≥ 0); slack only falls in between, so one bisection finds where it crosses.
    let low = 0;
    let high = neighbourAngle;
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const middle = (low + high) / 2;
      if (slack(middle) >= 0) low = middle;
      else high = middle;
    }
    tolerance = low;
  }
  const m2Limit = rivalCosine + margin.m3;
  const m3Limit = Math.cos(margin.m2) - rivalCosine;
  return {
    identities,
    neighbourAngle,
    bestTarget,
    rivalCosine,
    feasible,
    tolerance,
    largestM2: m2Limit <= 1 ? Math.acos(Math.max(-1, m2Limit)) : null,
    largestM3: m3Limit >= 0 ? m3Limit : null,
  };
}

const fixed = (value: number, digits: number): string => value.toFixed(digits);
const degrees = (radians: number): string => `${((radians * 180) / Math.PI).toFixed(1)}°`;

/**
 * One sentence for the controls. It names the test (ψ(0) against cos φ) and the largest
 * margin of the same kind that fits: m3 for a cosine margin, m2 otherwise.
 */
export function feasibilitySentence(margin: Margin, identities: number): string {
  const result = marginFeasibility(margin, identities);
  const who = `${identities} identities in 2-D (${degrees(result.neighbourAngle)} apart)`;
  const comparison = `ψ(0) = ${fixed(result.bestTarget, 3)} ${result.feasible ? '≥' : '<'} cos ${degrees(result.neighbourAngle)} = ${fixed(result.rivalCosine, 3)}`;
  const cosineMargin = margin.m3 > 0 && margin.m2 === 0;
  const largest = cosineMargin
    ? result.largestM3 === null
      ? 'no m3 fits'
      : `largest m3 that fits: ${fixed(result.largestM3, 3)}`
    : result.largestM2 === null
      ? 'no m2 fits with this m3'
      : `largest m2 that fits: ${fixed(result.largestM2, 3)} (${degrees(result.largestM2)})`;
  if (!result.feasible) return `${who} cannot meet this margin: ${comparison}; ${largest}.`;
  const within = result.tolerance === null ? '' : ` within ${degrees(result.tolerance)} of their W`;
  return `${who} can meet this margin${within}: ${comparison}; ${largest}.`;
}
