/**
 * Heads beyond the combined margin, as TensorFlow.js ops: the original SphereFace (whole
 * m = 4 with its λ annealing) and four later margins (CurricularFace, AdaFace, ElasticFace,
 * MagFace). Each target logit is the twin of a plain-number function in core/sphereface.ts
 * or core/laterMargins.ts, and the tests hold it to that. They run on the unfused path: the
 * fused kernel implements cos(m1·θ + m2) − m3 only.
 */
import { CURRICULARFACE, MAGFACE } from '../core/laterMargins';
import { COS_CLAMP, NORM_EPSILON } from '../core/model';
import { createRng, deriveSeed, type Rng } from '../core/rng';
import { SPHEREFACE_M } from '../core/sphereface';
import { tf } from './tf';

export type VariantHead = 'sphereface4' | 'curricularface' | 'adaface' | 'elasticface' | 'magface';

export const VARIANT_HEADS: readonly VariantHead[] = ['sphereface4', 'curricularface', 'adaface', 'elasticface', 'magface'];

export function isVariantHead(head: string): head is VariantHead {
  return (VARIANT_HEADS as readonly string[]).includes(head);
}

export interface VariantSettings {
  head: VariantHead;
  s: number;
  /** The angular margin of CurricularFace, ElasticFace's mean and AdaFace's m (after any warm-up). */
  margin: number;
  /** SphereFace's λ at this step. */
  lambda: number;
  /** ElasticFace's σ. */
  sigma: number;
  /** AdaFace's h. */
  h: number;
  fallback: boolean;
}

/** A gradient stop: the value passes, no gradient returns (tfjs has no stopGradient). */
const stopGradient = tf.customGrad((...inputs) => {
  const [x] = inputs;
  if (!(x instanceof tf.Tensor)) throw new Error('stopGradient takes one tensor');
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});
export const detach = <T extends tf.Tensor>(x: T): T => stopGradient(x) as T;

function unitRows(tensor: tf.Tensor2D): tf.Tensor2D {
  return tf.div(tensor, tf.sqrt(tf.add(tf.sum(tf.square(tensor), 1, true), NORM_EPSILON * NORM_EPSILON)));
}

/** cos(θ + margin) per sample, continued past θ* = π − margin by cos θ − (1 − cos margin) when the fallback is on, as core's targetLogit with m1 = 1, m3 = 0. */
function additiveAngular(theta: tf.Tensor1D, cosTarget: tf.Tensor1D, margin: tf.Tensor1D | number, fallback: boolean): tf.Tensor1D {
  const shifted = tf.cos(tf.add(theta, margin)) as tf.Tensor1D;
  if (!fallback) return shifted;
  const continuation = tf.sub(cosTarget, tf.sub(1, tf.cos(margin)));
  const beyond = tf.step(tf.sub(theta, tf.sub(Math.PI, margin)));
  return tf.add(shifted, tf.mul(beyond, tf.sub(continuation, shifted))) as tf.Tensor1D;
}

/** The original SphereFace's (λ·cos θ + ψ(θ))/(1 + λ), ψ(θ) = (−1)^k cos(mθ) − 2k on [kπ/m, (k+1)π/m]. */
export function sphereFaceTargetOp(theta: tf.Tensor1D, cosTarget: tf.Tensor1D, lambda: number, m: number = SPHEREFACE_M): tf.Tensor1D {
  // k has no gradient (floor's is zero): the pieces meet with equal slope, so that is exact.
  const k = tf.minimum(tf.floor(tf.div(tf.mul(theta, m), Math.PI)), m - 1);
  const sign = tf.sub(1, tf.mul(tf.mod(k, 2), 2));
  const psi = tf.sub(tf.mul(sign, tf.cos(tf.mul(theta, m))), tf.mul(k, 2));
  return tf.div(tf.add(tf.mul(cosTarget, lambda), psi), 1 + lambda) as tf.Tensor1D;
}

/** AdaFace's cos(clamp(θ − m·ẑ, 0, π)) − (m·ẑ + m), ẑ per sample. */
export function adaFaceTargetOp(theta: tf.Tensor1D, zHat: tf.Tensor1D, m: number): tf.Tensor1D {
  const angle = tf.clipByValue(tf.sub(theta, tf.mul(zHat, m)), 0, Math.PI);
  return tf.sub(tf.cos(angle), tf.add(tf.mul(zHat, m), m)) as tf.Tensor1D;
}

/** MagFace's m(a), linear from l_m to u_m over a ∈ [l_a, u_a], per sample. */
export function magFaceMarginOp(magnitude: tf.Tensor1D): tf.Tensor1D {
  const { lowerMagnitude, upperMagnitude, lowerMargin, upperMargin } = MAGFACE;
  const a = tf.clipByValue(magnitude, lowerMagnitude, upperMagnitude);
  return tf.add(lowerMargin, tf.mul(tf.sub(a, lowerMagnitude), (upperMargin - lowerMargin) / (upperMagnitude - lowerMagnitude))) as tf.Tensor1D;
}

/** MagFace's g(a) = 1/a + a/u_a², per sample. */
export function magFaceRegulariserOp(magnitude: tf.Tensor1D): tf.Tensor1D {
  const a = tf.clipByValue(magnitude, MAGFACE.lowerMagnitude, MAGFACE.upperMagnitude);
  return tf.add(tf.reciprocal(a), tf.div(a, MAGFACE.upperMagnitude ** 2)) as tf.Tensor1D;
}

/**
 * What a variant head keeps between steps: CurricularFace's t and AdaFace's running mean
 * and spread of the feature norm (both moving averages, as in their reference code), and
 * ElasticFace's seeded stream of margins.
 */
export class VariantState {
  readonly curricularT: tf.Variable;
  readonly normMean: tf.Variable;
  readonly normStd: tf.Variable;
  private readonly elasticRng: Rng;

  constructor(seed: number) {
    this.curricularT = tf.variable(tf.scalar(0), false);
    // AdaFace starts its statistics at 20 ± 100 (its reference code); the toy's norms are far smaller, and the moving average finds them.
    this.normMean = tf.variable(tf.scalar(20), false);
    this.normStd = tf.variable(tf.scalar(100), false);
    this.elasticRng = createRng(deriveSeed(seed, 'elastic-margins'));
  }

  /** One margin per sample from N(mean, σ²), by Box–Muller on the seeded stream. */
  elasticMargins(count: number, mean: number, sigma: number): Float32Array {
    const margins = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const u1 = Math.max(this.elasticRng.next(), 1e-12);
      const u2 = this.elasticRng.next();
      margins[i] = mean + sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return margins;
  }

  dispose(): void {
    this.curricularT.dispose();
    this.normMean.dispose();
    this.normStd.dispose();
  }
}

/** AdaFace's and CurricularFace's moving-average rates (their reference code: 0.01 for both, as 1 − α for CurricularFace's α = 0.99). */
const ADAFACE_STATS_RATE = 0.01;

/**
 * Logits (scaled by s) and any extra loss term of a variant head for a batch. Moving
 * averages are updated as a side effect, from values with no gradient, as their papers do.
 */
export function variantLogits(
  embedding: tf.Tensor2D,
  classWeights: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  settings: VariantSettings,
  state: VariantState,
): { logits: tf.Tensor2D; extra: tf.Scalar | null } {
  const features = unitRows(embedding);
  const directions = unitRows(tf.transpose(classWeights) as tf.Tensor2D);
  const cosine = tf.clipByValue(tf.matMul(features, directions, false, true), -COS_CLAMP, COS_CLAMP) as tf.Tensor2D;
  const cosTarget = tf.sum(tf.mul(cosine, oneHot), 1) as tf.Tensor1D;
  const theta = tf.acos(cosTarget) as tf.Tensor1D;
  let target: tf.Tensor1D;
  let negatives: tf.Tensor2D = cosine;
  let extra: tf.Scalar | null = null;
  switch (settings.head) {
    case 'sphereface4':
      target = sphereFaceTargetOp(theta, cosTarget, settings.lambda);
      break;
    case 'elasticface': {
      const margins = tf.tensor1d(state.elasticMargins(cosTarget.shape[0], settings.margin, settings.sigma));
      target = additiveAngular(theta, cosTarget, margins, settings.fallback);
      break;
    }
    case 'magface': {
      const magnitude = tf.sqrt(tf.add(tf.sum(tf.square(embedding), 1), NORM_EPSILON * NORM_EPSILON)) as tf.Tensor1D;
      target = additiveAngular(theta, cosTarget, magFaceMarginOp(magnitude), settings.fallback);
      // λ_g's weight is the paper's, per sample; the loss divides it by s as its reference code does (λ_g·g(a)/s in the mean).
      extra = tf.mul(tf.mean(magFaceRegulariserOp(magnitude)), MAGFACE.regulariserWeight / settings.s) as tf.Scalar;
      break;
    }
    case 'adaface': {
      const norms = detach(tf.sqrt(tf.add(tf.sum(tf.square(embedding), 1), NORM_EPSILON * NORM_EPSILON))) as tf.Tensor1D;
      const { mean, variance } = tf.moments(norms);
      state.normMean.assign(tf.add(tf.mul(mean, ADAFACE_STATS_RATE), tf.mul(state.normMean, 1 - ADAFACE_STATS_RATE)) as tf.Scalar);
      state.normStd.assign(tf.add(tf.mul(tf.sqrt(variance), ADAFACE_STATS_RATE), tf.mul(state.normStd, 1 - ADAFACE_STATS_RATE)) as tf.Scalar);
      const zHat = tf.clipByValue(tf.div(tf.mul(tf.sub(norms, state.normMean), settings.h), tf.add(state.normStd, 1e-3)), -1, 1) as tf.Tensor1D;
      target = adaFaceTargetOp(theta, zHat, settings.margin);
      break;
    }
    case 'curricularface': {
      target = additiveAngular(theta, cosTarget, settings.margin, settings.fallback);
      const t = state.curricularT;
      t.assign(tf.add(tf.mul(detach(tf.mean(cosTarget)), CURRICULARFACE.alpha), tf.mul(t, 1 - CURRICULARFACE.alpha)) as tf.Scalar);
      // A negative harder than the sample's penalised target is re-weighted to cos·(t + cos).
      const hard = tf.step(tf.sub(cosine, tf.expandDims(detach(target), 1)));
      negatives = tf.add(cosine, tf.mul(hard, tf.sub(tf.mul(cosine, tf.add(t, cosine)), cosine))) as tf.Tensor2D;
      break;
    }
  }
  const logits = tf.add(negatives, tf.mul(oneHot, tf.expandDims(tf.sub(target, tf.sum(tf.mul(negatives, oneHot), 1)), 1)));
  return { logits: tf.mul(logits, settings.s) as tf.Tensor2D, extra };
}
