/**
 * Margins that came after ArcFace, as plain numbers: the target logit each one gives a
 * sample at angle θ to its own class weight (before the scale s), with each paper's own
 * constants. The Fig. 4 panel draws them beside the paper's curves; the trainer does not
 * use them yet.
 *
 * Where a margin is an additive angle, it goes through core's `targetLogit`, so the
 * playground's monotonic fallback past θ* applies to it as to ArcFace. AdaFace is the
 * exception: its reference code clamps the shifted angle into [0, π] instead, and that
 * is what is drawn.
 */
import { targetLogit } from './margin';

export interface Citation {
  /** Short name, as the legend shows it. */
  name: string;
  /** Authors and year, as the panel cites it. */
  source: string;
}

// ---------------------------------------------------------------------------------------
// CurricularFace (Huang et al., CVPR 2020)

/**
 * m is ArcFace's angular margin. t starts at 0 and follows the batch's mean target
 * cosine r as t ← α·r + (1 − α)·t, with α = 0.99.
 */
export const CURRICULARFACE = { m: 0.5, alpha: 0.99, name: 'CurricularFace', source: 'Huang et al. 2020' } as const;

/** CurricularFace's target logit: ArcFace's cos(θ + m). What differs is the negatives. */
export function curricularTarget(theta: number, fallback: boolean, m: number = CURRICULARFACE.m): number {
  return targetLogit(theta, { m1: 1, m2: m, m3: 0, fallback });
}

/**
 * A negative class's logit under CurricularFace. A hard negative, one whose cosine beats
 * the sample's margin-penalised target (cos θ_j > target), is re-weighted to
 * cos θ_j · (t + cos θ_j); an easy one stays cos θ_j. Early in training t ≈ 0, so a hard
 * negative (cos θ_j < 1) counts less than its cosine: easy samples first. As t grows
 * towards the mean target cosine, hard negatives count more.
 */
export function curricularNegative(cosNegative: number, target: number, t: number): number {
  return cosNegative > target ? cosNegative * (t + cosNegative) : cosNegative;
}

/** The re-weighted logit of a negative at angle θ, as if it were hard: cos θ · (t + cos θ). */
export function curricularHardNegative(theta: number, t: number): number {
  const cosine = Math.cos(theta);
  return cosine * (t + cosine);
}

/** One update of t from a batch's mean target cosine r. */
export function curricularUpdateT(t: number, meanTargetCosine: number, alpha: number = CURRICULARFACE.alpha): number {
  return alpha * meanTargetCosine + (1 - alpha) * t;
}

// ---------------------------------------------------------------------------------------
// AdaFace (Kim et al., CVPR 2022)

/** m is the margin; h scales the batch statistics of the feature norm into ẑ. */
export const ADAFACE = { m: 0.4, h: 0.333, name: 'AdaFace', source: 'Kim et al. 2022' } as const;

/**
 * ẑ = clip((‖z‖ − μ) / (σ / h), −1, 1): the feature norm measured in the batch's standard
 * deviations. A large norm (ẑ → 1) marks an image of high quality. A zero spread makes
 * every norm typical (ẑ = 0) rather than dividing by zero.
 */
export function adaFaceNormalisedNorm(norm: number, mean: number, std: number, h: number = ADAFACE.h): number {
  if (!(std > 0)) return 0;
  return Math.min(1, Math.max(-1, ((norm - mean) * h) / std));
}

/**
 * AdaFace's target logit for a normalised norm ẑ ∈ [−1, 1]: cos(θ + g_angle) − g_add,
 * with g_angle = −m·ẑ and g_add = m·ẑ + m. ẑ = −1 gives ArcFace's cos(θ + m), ẑ = 0
 * CosFace's cos θ − m, and ẑ = 1 cos(θ − m) − 2m: an angular margin for low-quality
 * images, an additive one for high-quality ones. The shifted angle is clamped into
 * [0, π], as in the reference code.
 */
export function adaFaceTarget(theta: number, zHat: number, m: number = ADAFACE.m): number {
  const z = Math.min(1, Math.max(-1, zHat));
  const angle = Math.min(Math.PI, Math.max(0, theta - m * z));
  return Math.cos(angle) - (m * z + m);
}

// ---------------------------------------------------------------------------------------
// ElasticFace (Boutros et al., CVPRW 2022)

/** ElasticFace-Arc: each sample's angular margin is drawn from N(m, σ²) at every step. */
export const ELASTICFACE = { m: 0.5, name: 'ElasticFace', source: 'Boutros et al. 2022' } as const;

/** The target logit for one drawn margin E: cos(θ + E), through core's fallback. */
export function elasticTarget(theta: number, drawnMargin: number, fallback: boolean): number {
  return targetLogit(theta, { m1: 1, m2: drawnMargin, m3: 0, fallback });
}

/**
 * The range of target logits at θ over margins E ∈ [m − k·σ, m + k·σ] (k = 2: 95% of the
 * draws). cos(θ + E) is monotonic in E except where θ + E crosses 0 (its maximum) or, without the
 * fallback, π (its minimum), so the extremes are at the ends of the interval or there.
 */
export function elasticBand(theta: number, sigma: number, fallback: boolean, m: number = ELASTICFACE.m, k = 2): { lower: number; upper: number } {
  const spread = Math.max(0, k * sigma);
  const from = m - spread;
  const to = m + spread;
  const candidates = [from, to, -theta, Math.PI - theta].filter((margin) => margin >= from && margin <= to);
  const values = candidates.map((margin) => elasticTarget(theta, margin, fallback));
  return { lower: Math.min(...values), upper: Math.max(...values) };
}

// ---------------------------------------------------------------------------------------
// MagFace (Meng et al., CVPR 2021)

/**
 * The feature magnitude a lives in [l_a, u_a]; the margin rises linearly from l_m to u_m
 * over it. λ_g weighs the regulariser g(a) = 1/a + a/u_a², which rewards a large a.
 */
export const MAGFACE = { lowerMagnitude: 10, upperMagnitude: 110, lowerMargin: 0.45, upperMargin: 0.8, regulariserWeight: 35, name: 'MagFace', source: 'Meng et al. 2021' } as const;

/** m(a): linear from l_m at a = l_a to u_m at a = u_a; a is clamped into [l_a, u_a] as in training. */
export function magFaceMargin(magnitude: number): number {
  const { lowerMagnitude, upperMagnitude, lowerMargin, upperMargin } = MAGFACE;
  const a = Math.min(upperMagnitude, Math.max(lowerMagnitude, magnitude));
  return lowerMargin + ((upperMargin - lowerMargin) * (a - lowerMagnitude)) / (upperMagnitude - lowerMagnitude);
}

/** g(a) = 1/a + a/u_a²: convex, smallest at a = u_a. */
export function magFaceRegulariser(magnitude: number): number {
  const a = Math.min(MAGFACE.upperMagnitude, Math.max(MAGFACE.lowerMagnitude, magnitude));
  return 1 / a + a / MAGFACE.upperMagnitude ** 2;
}

/** MagFace's target logit at magnitude a: cos(θ + m(a)), through core's fallback. */
export function magFaceTarget(theta: number, magnitude: number, fallback: boolean): number {
  return targetLogit(theta, { m1: 1, m2: magFaceMargin(magnitude), m3: 0, fallback });
}

export const LATER_MARGIN_CITATIONS: readonly Citation[] = [CURRICULARFACE, ADAFACE, ELASTICFACE, MAGFACE].map(({ name, source }) => ({ name, source }));
