/**
 * The extra loss terms of the paper's Sec. 3.4 and the centre loss, as TensorFlow.js ops
 * on a batch. Each is the twin of a plain-array function in core/auxLosses.ts, and its
 * tests hold it to that. They run on the unfused path only: the fused kernels compute the
 * margin head's loss and its gradient in one pass and know nothing of these terms.
 */
import { COS_CLAMP, NORM_EPSILON } from '../core/model';
import { tf } from './tf';

function unitRows(tensor: tf.Tensor2D): tf.Tensor2D {
  return tf.div(tensor, tf.sqrt(tf.add(tf.sum(tf.square(tensor), 1, true), NORM_EPSILON * NORM_EPSILON)));
}

/** Angles from cosines; clamped so acos's gradient stays finite at ±1. */
function anglesOf(cosines: tf.Tensor): tf.Tensor {
  return tf.acos(tf.clipByValue(cosines, -COS_CLAMP, COS_CLAMP));
}

/**
 * (1/(πN)) Σ_i θ_{y_i}. `embedding` is the batch's raw features (N × dim), `classWeights`
 * the model's W (dim × classes), `oneHot` the batch's labels (N × classes).
 */
export function intraTerm(embedding: tf.Tensor2D, classWeights: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const features = unitRows(embedding);
  const directions = unitRows(tf.transpose(classWeights) as tf.Tensor2D);
  const cosTarget = tf.sum(tf.mul(tf.matMul(features, directions, false, true), oneHot), 1);
  return tf.div(tf.mean(anglesOf(cosTarget)), Math.PI) as tf.Scalar;
}

/** (1/(πN(n−1))) Σ_i Σ_{j≠y_i} arccos(Ŵ_{y_i}·Ŵ_j): what Inter-Loss subtracts. */
export function interTerm(classWeights: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const classes = classWeights.shape[1];
  if (classes < 2) return tf.scalar(0);
  const directions = unitRows(tf.transpose(classWeights) as tf.Tensor2D);
  // The diagonal is masked rather than trusted: acos of a clamped 1 is a small angle, not 0.
  const offDiagonal = tf.sub(tf.onesLike(tf.eye(classes)), tf.eye(classes));
  const between = tf.mul(anglesOf(tf.matMul(directions, directions, false, true)), offDiagonal);
  const perSample = tf.sum(tf.matMul(oneHot, between), 1);
  return tf.div(tf.mean(perSample), Math.PI * (classes - 1)) as tf.Scalar;
}

/**
 * The angular triplet term with core's mining (tripletSemiHard): for each anchor,
 * max(0, θ_hardest positive + margin − θ_negative), the negative being the nearest one
 * farther than that positive, or the nearest of all when none is; averaged over the anchors
 * that have both in the batch.
 */
export function tripletTerm(embedding: tf.Tensor2D, oneHot: tf.Tensor2D, margin: number): tf.Scalar {
  const count = embedding.shape[0];
  const features = unitRows(embedding);
  const angles = anglesOf(tf.matMul(features, features, false, true));
  const sameIdentity = tf.matMul(oneHot, oneHot, false, true);
  const self = tf.eye(count);
  const positives = tf.sub(sameIdentity, self);
  const negatives = tf.sub(tf.onesLike(sameIdentity), sameIdentity);
  // Angles lie in [0, π]: masking a non-positive to 0 leaves the max alone; a non-negative is lifted past π for the min.
  const hardestPositive = tf.max(tf.mul(angles, positives), 1);
  const lifted = tf.add(angles, tf.mul(tf.sub(1, negatives), 2 * Math.PI));
  const semiHardMask = tf.step(tf.sub(angles, tf.expandDims(hardestPositive, 1)));
  const semiHard = tf.min(tf.add(lifted, tf.mul(tf.sub(1, semiHardMask), 2 * Math.PI)), 1);
  const hardest = tf.min(lifted, 1);
  const hasSemi = tf.step(tf.sub(2 * Math.PI, semiHard));
  const hardestNegative = tf.add(tf.mul(hasSemi, semiHard), tf.mul(tf.sub(1, hasSemi), hardest));
  const hasBoth = tf.mul(tf.step(tf.sub(tf.sum(positives, 1), 0.5)), tf.step(tf.sub(tf.sum(negatives, 1), 0.5)));
  const violations = tf.mul(tf.relu(tf.sub(tf.add(hardestPositive, margin), hardestNegative)), hasBoth);
  return tf.div(tf.sum(violations), tf.maximum(tf.sum(hasBoth), 1)) as tf.Scalar;
}

/** (λ/2)·(1/N) Σ_i ‖x_i − c_{y_i}‖²; `centres` is classes × dim. */
export function centerTerm(embedding: tf.Tensor2D, centres: tf.Tensor2D, oneHot: tf.Tensor2D, lambda: number): tf.Scalar {
  // No gradient reaches the centres: they are not among the variables the optimiser differentiates.
  const own = tf.matMul(oneHot, centres);
  return tf.mul(tf.mean(tf.sum(tf.square(tf.sub(embedding, own)), 1)), lambda / 2) as tf.Scalar;
}

/** Wen et al.'s centre update: c_j − α·Σ_{y_i=j}(c_j − x_i)/(1 + #{y_i=j}). */
export function updatedCentresOf(embedding: tf.Tensor2D, centres: tf.Tensor2D, oneHot: tf.Tensor2D, alpha: number): tf.Tensor2D {
  const own = tf.matMul(oneHot, centres);
  const pull = tf.matMul(oneHot, tf.sub(own, embedding), true, false);
  const members = tf.expandDims(tf.sum(oneHot, 0), 1);
  return tf.sub(centres, tf.div(tf.mul(pull, alpha), tf.add(members, 1))) as tf.Tensor2D;
}
