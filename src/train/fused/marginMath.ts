/**
 * The margin head with softmax cross-entropy, forward and backward, on plain arrays. It
 * is the CPU and WASM twin of the WebGPU kernels, and the WGSL in marginLoss.ts follows
 * it step for step, so that a difference between the two is a bug in one of them.
 *
 * Per sample i with label y (see model.ts `headLogits` for the unfused original):
 *   f = e / √(|e|² + ε²),  u_c = w_c / √(|w_c|² + ε²),  cos_c = clamp(f·u_c, ±COS_CLAMP)
 *   z_c = s·cos_c (c ≠ y),  z_y = s·ψ(acos cos_y),  loss_i = logsumexp(z) − z_y
 * and the loss is the mean over the batch.
 */
import { thetaStar } from '../../core/margin';
import { COS_CLAMP, NORM_EPSILON } from '../../core/model';

export interface MarginLossSettings {
  s: number;
  m1: number;
  m2: number;
  m3: number;
  fallback: boolean;
}

/**
 * Derived once per call, so that the JS twin and the WGSL read the same numbers. The
 * clamp and ε² are rounded to float32 because that is what the unfused tfjs path
 * compares against: at the clamp, θ moves by 1e-5 rad between the two roundings.
 */
export interface MarginConstants {
  s: number;
  m1: number;
  m2: number;
  m3: number;
  /** θ* = (π − m2)/m1, capped at π. */
  limit: number;
  /** The fallback is on and θ* < π (at θ* = π there is nothing to fall back from). */
  fallbackOn: boolean;
  /** Past θ*, ψ(θ) = cos θ − fallbackShift, with fallbackShift = cos θ* + 1 + m3. */
  fallbackShift: number;
  clampCos: number;
  epsilonSquared: number;
}

export function marginConstants(settings: MarginLossSettings): MarginConstants {
  const limit = thetaStar(settings.m1, settings.m2);
  return {
    s: settings.s,
    m1: settings.m1,
    m2: settings.m2,
    m3: settings.m3,
    limit,
    fallbackOn: settings.fallback && limit < Math.PI,
    fallbackShift: Math.cos(limit) + 1 + settings.m3,
    clampCos: Math.fround(COS_CLAMP),
    epsilonSquared: Math.fround(NORM_EPSILON * NORM_EPSILON),
  };
}

/** Unit class directions, interleaved (x, y) per class; W is 2 × classes, row-major. */
function unitDirections(weights: Float32Array, classes: number, epsilonSquared: number): Float64Array {
  const directions = new Float64Array(2 * classes);
  for (let c = 0; c < classes; c++) {
    const x = weights[c];
    const y = weights[classes + c];
    const norm = Math.sqrt(x * x + y * y + epsilonSquared);
    directions[2 * c] = x / norm;
    directions[2 * c + 1] = y / norm;
  }
  return directions;
}

/** ψ and dψ/dcos at the target's cosine. */
function targetLogit(cosine: number, k: MarginConstants): { psi: number; slope: number } {
  const theta = Math.acos(cosine);
  // Strictly greater: the unfused path masks with tf.step, which is 0 at 0.
  if (k.fallbackOn && theta > k.limit) return { psi: cosine - k.fallbackShift, slope: 1 };
  const angle = k.m1 * theta + k.m2;
  return { psi: Math.cos(angle) - k.m3, slope: (k.m1 * Math.sin(angle)) / Math.sqrt(1 - cosine * cosine) };
}

interface SampleScratch {
  /** f·u_c before the clamp; the clamp's gradient is zero outside ±COS_CLAMP. */
  raw: Float64Array;
  logits: Float64Array;
}

interface SampleTerms {
  fx: number;
  fy: number;
  norm: number;
  logSumExp: number;
  slope: number;
}

/** Fills `scratch` with sample i's raw cosines and logits. */
function analyseSample(embedding: Float32Array, i: number, label: number, directions: Float64Array, classes: number, k: MarginConstants, scratch: SampleScratch): SampleTerms {
  const ex = embedding[2 * i];
  const ey = embedding[2 * i + 1];
  const norm = Math.sqrt(ex * ex + ey * ey + k.epsilonSquared);
  const fx = ex / norm;
  const fy = ey / norm;
  let slope = 0;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    const raw = fx * directions[2 * c] + fy * directions[2 * c + 1];
    const cosine = Math.min(k.clampCos, Math.max(-k.clampCos, raw));
    let logit = k.s * cosine;
    if (c === label) {
      const target = targetLogit(cosine, k);
      logit = k.s * target.psi;
      slope = target.slope;
    }
    scratch.raw[c] = raw;
    scratch.logits[c] = logit;
    if (logit > max) max = logit;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(scratch.logits[c] - max);
  return { fx, fy, norm, logSumExp: max + Math.log(sum), slope };
}

function checkShapes(embedding: Float32Array, weights: Float32Array, labels: Int32Array, classes: number): void {
  if (embedding.length !== 2 * labels.length) throw new Error(`marginSoftmaxLoss: ${labels.length} labels for ${embedding.length / 2} embeddings`);
  if (weights.length !== 2 * classes) throw new Error(`marginSoftmaxLoss: W holds ${weights.length} values, expected 2 × ${classes}`);
  for (const label of labels) if (label < 0 || label >= classes) throw new Error(`marginSoftmaxLoss: label ${label} is outside 0..${classes - 1}`);
}

/** Mean loss over the batch. */
export function marginLossForward(embedding: Float32Array, weights: Float32Array, labels: Int32Array, classes: number, k: MarginConstants): number {
  checkShapes(embedding, weights, labels, classes);
  const directions = unitDirections(weights, classes, k.epsilonSquared);
  const scratch = { raw: new Float64Array(classes), logits: new Float64Array(classes) };
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const terms = analyseSample(embedding, i, labels[i], directions, classes, k, scratch);
    total += terms.logSumExp - scratch.logits[labels[i]];
  }
  return total / labels.length;
}

/** Gradients of `dy` × the mean loss with respect to the embedding (N × 2) and W (2 × C). */
export function marginLossBackward(
  embedding: Float32Array,
  weights: Float32Array,
  labels: Int32Array,
  classes: number,
  k: MarginConstants,
  dy: number,
): { dEmbedding: Float32Array; dWeights: Float32Array } {
  checkShapes(embedding, weights, labels, classes);
  const count = labels.length;
  const scale = dy / count;
  const directions = unitDirections(weights, classes, k.epsilonSquared);
  const scratch = { raw: new Float64Array(classes), logits: new Float64Array(classes) };
  const dDirections = new Float64Array(2 * classes);
  const dEmbedding = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    const terms = analyseSample(embedding, i, label, directions, classes, k, scratch);
    let dfx = 0;
    let dfy = 0;
    for (let c = 0; c < classes; c++) {
      if (Math.abs(scratch.raw[c]) > k.clampCos) continue;
      const probability = Math.exp(scratch.logits[c] - terms.logSumExp);
      const dCos = c === label ? k.s * scale * (probability - 1) * terms.slope : k.s * scale * probability;
      dfx += dCos * directions[2 * c];
      dfy += dCos * directions[2 * c + 1];
      dDirections[2 * c] += dCos * terms.fx;
      dDirections[2 * c + 1] += dCos * terms.fy;
    }
    // Back through f = e / r: df/de = I/r − e eᵀ/r³.
    const ex = embedding[2 * i];
    const ey = embedding[2 * i + 1];
    const radial = (ex * dfx + ey * dfy) / (terms.norm * terms.norm * terms.norm);
    dEmbedding[2 * i] = dfx / terms.norm - ex * radial;
    dEmbedding[2 * i + 1] = dfy / terms.norm - ey * radial;
  }
  const dWeights = new Float32Array(2 * classes);
  for (let c = 0; c < classes; c++) {
    const wx = weights[c];
    const wy = weights[classes + c];
    const norm = Math.sqrt(wx * wx + wy * wy + k.epsilonSquared);
    const radial = (wx * dDirections[2 * c] + wy * dDirections[2 * c + 1]) / (norm * norm * norm);
    dWeights[c] = dDirections[2 * c] / norm - wx * radial;
    dWeights[classes + c] = dDirections[2 * c + 1] / norm - wy * radial;
  }
  return { dEmbedding, dWeights };
}
