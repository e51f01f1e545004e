/**
 * An independent float64 reference for the margin head's loss and gradients, for the
 * parity harness. It works in angles (atan2 of each feature and each W column) instead
 * of cosines: θ_c = φ − α_c, and dL/dφ and dL/dα_c come from the chain rule on angles.
 * So it never takes acos of a cosine near ±1, the step whose float32 rounding makes the
 * unfused path (and the WGSL kernel) imprecise near 0° and 180°, and it shares no code
 * with marginMath.ts, whose float64 twin it checks.
 *
 * It also gives, per sample, the size of the own-class angular gradient |∂L/∂θ_y| and
 * sin²θ_y, from which `conditioningBounds` says how far a float32 path may be off.
 */
import { thetaStar } from '../../core/margin';
import { COS_CLAMP } from '../model';

export interface ReferenceSettings {
  s: number;
  m1: number;
  m2: number;
  m3: number;
  fallback: boolean;
}

export interface HeadReference {
  loss: number;
  /** N × 2, as the embedding. */
  dEmbedding: Float64Array;
  /** 2 × C, as W (row-major: all x, then all y). */
  dWeights: Float64Array;
  /** Per sample: |∂L/∂θ_y| as if the cosine were not clamped (a clamped sample can flip). */
  ownAngular: Float64Array;
  /** Per sample: |s·∂ψ/∂θ_y|/N, what ∂L/∂θ_y is per unit of (1 − p_y), again without the clamp. */
  ownSlope: Float64Array;
  /** Per sample: how much |∂L/∂θ_y| moves per unit of absolute error in the sine of ψ's slope: s·|1 − p_y|·(m1, or 1 past θ*)/N. */
  ownSineSensitivity: Float64Array;
  /** Per sample: sin²θ_y, computed from the angle (not from 1 − cos²). */
  sinSquared: Float64Array;
  /** Per sample: |cos θ_y|, to tell samples near the clamp. */
  absCos: Float64Array;
}

/** The float32 clamp that both implementations apply to cos θ (see model.ts). */
const CLAMP = Math.fround(COS_CLAMP);

/** Angle in (−π, π]. */
function wrap(angle: number): number {
  let wrapped = angle % (2 * Math.PI);
  if (wrapped > Math.PI) wrapped -= 2 * Math.PI;
  if (wrapped <= -Math.PI) wrapped += 2 * Math.PI;
  return wrapped;
}

interface Logit {
  value: number;
  /** ∂(logit)/∂θ for signed θ = φ − α (0 where the clamp holds the cosine). */
  slope: number;
  /** The same without the clamp. */
  unclampedSlope: number;
  /** The factor of the sine in the slope (s·factor·sin(…)): m1, or 1 for a rival or past θ*. */
  sineFactor: number;
}

function rivalLogit(theta: number, s: number): Logit {
  const cosine = Math.cos(theta);
  const clamped = Math.abs(cosine) > CLAMP;
  const slope = -s * Math.sin(theta);
  return { value: s * (clamped ? Math.sign(cosine) * CLAMP : cosine), slope: clamped ? 0 : slope, unclampedSlope: slope, sineFactor: 1 };
}

function targetLogit(theta: number, settings: ReferenceSettings): Logit {
  const { s, m1, m2, m3 } = settings;
  const limit = thetaStar(m1, m2);
  const cosine = Math.cos(theta);
  const clamped = Math.abs(cosine) > CLAMP;
  // Where the clamp holds, the angle is the clamp's: what acos(clamp(cos θ)) gives.
  const magnitude = clamped ? Math.acos(Math.sign(cosine) * CLAMP) : Math.abs(theta);
  const direction = Math.sign(theta) || 1;
  // Strictly past θ*, as the implementations (tf.step is 0 at 0).
  if (settings.fallback && limit < Math.PI && magnitude > limit) {
    const slope = -s * Math.sin(magnitude) * direction;
    return { value: s * (Math.cos(magnitude) - (Math.cos(limit) + 1 + m3)), slope: clamped ? 0 : slope, unclampedSlope: slope, sineFactor: 1 };
  }
  const slope = -s * m1 * Math.sin(m1 * magnitude + m2) * direction;
  return { value: s * (Math.cos(m1 * magnitude + m2) - m3), slope: clamped ? 0 : slope, unclampedSlope: slope, sineFactor: m1 };
}

/**
 * Mean loss and its gradients for embedding E (N × 2), W (2 × C) and labels, in
 * float64. The ε of the normalisations (1e-12) is left out: it moves nothing here by
 * more than 1e-24 relative for the norms the harness uses (≥ 0.5).
 */
export function referenceHead(embedding: ArrayLike<number>, weights: ArrayLike<number>, labels: ArrayLike<number>, classes: number, settings: ReferenceSettings): HeadReference {
  const count = labels.length;
  const alpha = Array.from({ length: classes }, (_, c) => Math.atan2(weights[classes + c], weights[c]));
  const dAlpha = new Float64Array(classes);
  const dEmbedding = new Float64Array(2 * count);
  const ownAngular = new Float64Array(count);
  const ownSlope = new Float64Array(count);
  const ownSineSensitivity = new Float64Array(count);
  const sinSquared = new Float64Array(count);
  const absCos = new Float64Array(count);
  const logits = new Array<Logit>(classes);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const ex = embedding[2 * i];
    const ey = embedding[2 * i + 1];
    const phi = Math.atan2(ey, ex);
    const label = labels[i];
    let peak = -Infinity;
    for (let c = 0; c < classes; c++) {
      const theta = wrap(phi - alpha[c]);
      logits[c] = c === label ? targetLogit(theta, settings) : rivalLogit(theta, settings.s);
      peak = Math.max(peak, logits[c].value);
      if (c === label) {
        sinSquared[i] = Math.sin(theta) ** 2;
        absCos[i] = Math.abs(Math.cos(theta));
      }
    }
    let total = 0;
    for (const logit of logits) total += Math.exp(logit.value - peak);
    const logSumExp = peak + Math.log(total);
    loss += (logSumExp - logits[label].value) / count;
    let dPhi = 0;
    for (let c = 0; c < classes; c++) {
      const weight = (Math.exp(logits[c].value - logSumExp) - (c === label ? 1 : 0)) / count;
      dPhi += weight * logits[c].slope;
      // θ_c = φ − α_c: what moves φ one way moves α_c the other.
      dAlpha[c] -= weight * logits[c].slope;
      if (c === label) {
        ownAngular[i] = Math.abs(weight * logits[c].unclampedSlope);
        ownSlope[i] = Math.abs(logits[c].unclampedSlope) / count;
        ownSineSensitivity[i] = Math.abs(weight) * settings.s * logits[c].sineFactor;
      }
    }
    // φ = atan2(e_y, e_x): ∂φ/∂e = (−e_y, e_x)/|e|².
    const normSquared = ex * ex + ey * ey;
    dEmbedding[2 * i] = (-ey / normSquared) * dPhi;
    dEmbedding[2 * i + 1] = (ex / normSquared) * dPhi;
  }
  const dWeights = new Float64Array(2 * classes);
  for (let c = 0; c < classes; c++) {
    const wx = weights[c];
    const wy = weights[classes + c];
    const normSquared = wx * wx + wy * wy;
    dWeights[c] = (-wy / normSquared) * dAlpha[c];
    dWeights[classes + c] = (wx / normSquared) * dAlpha[c];
  }
  return { loss, dEmbedding, dWeights, ownAngular, ownSlope, ownSineSensitivity, sinSquared, absCos };
}

/** The float32 rounding errors `conditioningBounds` starts from. */
export interface Float32Errors {
  /** Absolute error of a float32 cosine of two normalised float32 vectors. */
  cosine: number;
  /** Absolute error of a float32 softmax probability near 1 (p_y of a well-classified sample). */
  probability: number;
  /** Absolute error of sin and cos (2⁻²⁴ where they are correctly rounded; WGSL allows 2⁻¹¹). */
  sine: number;
}

/**
 * How far a float32 implementation of the head may be from the reference, beyond
 * ordinary rounding, per element of the loss, dE and dW. Two sources, both in the
 * own-class term, both largest for trained samples:
 *
 * - The cosine. A float32 cos θ is off by up to `errors.cosine`; through θ = acos(cos θ)
 *   and the derivative's 1/√(1 − cos²θ) that becomes a relative error of about
 *   errors.cosine / sin²θ in ∂L/∂θ_y: 0.4% at θ = 2°, 13% at 0.35°. A sample whose cosine
 *   lies within errors.cosine of the clamp may be clamped on one path and not the other,
 *   so its whole own-class term may differ.
 * - The probability. ∂L/∂z_y = (p_y − 1)/N, and a float32 p_y near 1 is rounded to a
 *   multiple of 2⁻²⁴: once 1 − p_y is below about 1e-6, the own-class gradient is off by
 *   s·|∂ψ/∂θ|·errors.probability/N in absolute terms, however small it should be. That
 *   is float32 rounding of a near-zero gradient; the float64 twin computes p_y − 1 exactly.
 * - The sine in the slope, m1·sin(m1θ + m2): an absolute error errors.sine is a large
 *   relative one where the sine is small (SphereFace near 0°). Negligible where sin is
 *   correctly rounded; on a GPU, WGSL allows 2⁻¹¹.
 *
 * The bound for dE_i is the resulting error of |∂L/∂θ_y,i| over |e_i| (∂θ/∂e = 1/|e|);
 * for dW_c the sum over the class's samples over |w_c|; for the loss, |∂L/∂θ_y,i| times
 * the angle error errors.cosine / sin θ, summed.
 */
export function conditioningBounds(
  reference: HeadReference,
  embedding: ArrayLike<number>,
  weights: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
  errors: Float32Errors,
): { loss: number; dEmbedding: Float64Array; dWeights: Float64Array } {
  const count = labels.length;
  const dEmbedding = new Float64Array(2 * count);
  const perClass = new Float64Array(classes);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const nearClamp = Math.abs(reference.absCos[i] - CLAMP) <= errors.cosine;
    const relative = nearClamp ? 1 : Math.min(1, errors.cosine / reference.sinSquared[i]);
    const angular = reference.ownAngular[i] * relative + reference.ownSlope[i] * errors.probability + reference.ownSineSensitivity[i] * errors.sine;
    const norm = Math.hypot(embedding[2 * i], embedding[2 * i + 1]);
    dEmbedding[2 * i] = angular / norm;
    dEmbedding[2 * i + 1] = angular / norm;
    perClass[labels[i]] += angular;
    loss += reference.ownAngular[i] * Math.min(Math.PI, errors.cosine / Math.sqrt(reference.sinSquared[i]));
  }
  const dWeights = new Float64Array(2 * classes);
  for (let c = 0; c < classes; c++) {
    const norm = Math.hypot(weights[c], weights[classes + c]);
    dWeights[c] = perClass[c] / norm;
    dWeights[classes + c] = perClass[c] / norm;
  }
  return { loss, dEmbedding, dWeights };
}
