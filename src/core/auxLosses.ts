/**
 * The losses the paper's Sec. 3.4 sets beside ArcFace (Intra-Loss, Inter-Loss, Triplet-Loss)
 * and the centre loss its slides open with, on plain arrays. The trainer's TensorFlow ops
 * are tested against these, so each formula is written once, here.
 *
 * Conventions: features and class directions are row-major (rows × dim); angles in radians.
 * Every term is a mean over the batch, so its weight means the same at any batch size.
 */
import { normalizeRows, rowAngle } from './angles';
import { toRadians } from './margin';

/** The angle in radians between row i of `a` and row j of `b`, both with unit rows. */
function unitRowAngle(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, dim: number): number {
  return toRadians(rowAngle(a, i, b, j, dim));
}

/**
 * Intra-Loss's extra term, (1/(πN)) Σ_i θ_{y_i}: the mean angle between each feature and its
 * own class direction, divided by π so that it lies in [0, 1] like a probability's loss.
 */
export function intraPenalty(thetaTarget: ArrayLike<number>): number {
  if (thetaTarget.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < thetaTarget.length; i++) sum += thetaTarget[i];
  return sum / (Math.PI * thetaTarget.length);
}

/**
 * Inter-Loss's extra term, (1/(πN(n−1))) Σ_i Σ_{j≠y_i} arccos(Ŵ_{y_i}·Ŵ_j), which the loss
 * subtracts: the mean angle from each sample's class direction to every other one. It
 * depends on the batch only through which classes it holds, and pushes the W apart.
 */
export function interPenalty(weights: ArrayLike<number>, classes: number, dim: number, labels: ArrayLike<number>): number {
  if (labels.length === 0 || classes < 2) return 0;
  // Each class's summed angle to the others, once, then weighted by how often it is a target.
  const spread = new Float64Array(classes);
  const unitWeights = normalizeRows(weights, dim);
  for (let a = 0; a < classes; a++) {
    for (let b = a + 1; b < classes; b++) {
      const angle = unitRowAngle(unitWeights, a, unitWeights, b, dim);
      spread[a] += angle;
      spread[b] += angle;
    }
  }
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += spread[labels[i]];
  return sum / (Math.PI * labels.length * (classes - 1));
}

export interface TripletResult {
  /** Mean over anchors with a positive and a negative in the batch of max(0, θ_pos + m − θ_neg). */
  loss: number;
  /** Anchors that had both a positive and a negative in the batch. */
  anchors: number;
  /** Of those, anchors whose hardest triplet still breaks the margin (a non-zero term). */
  active: number;
}

/**
 * Triplet-Loss with an angular margin on the L2-normalised features, mined in the batch.
 * For each anchor: its hardest positive (the same identity at the largest angle), and the
 * nearest negative that is still farther than that positive (FaceNet's semi-hard
 * negative), or, when every negative is nearer, the nearest negative of all. The paper asks
 * for arccos(x_pos, x) + m ≤ arccos(x_neg, x); the term is by how much that fails.
 *
 * Why semi-hard: with the hardest negative every time, the triplet alone collapses every
 * feature onto one point on this toy within 400 steps (every angle 0, the loss stuck at m,
 * and no gradient through the clamped arccos), as Schroff et al. warn. Semi-hard trains.
 */
export function tripletSemiHard(features: ArrayLike<number>, labels: ArrayLike<number>, dim: number, margin: number): TripletResult {
  const count = labels.length;
  const unitFeatures = normalizeRows(features, dim);
  let sum = 0;
  let anchors = 0;
  let active = 0;
  const angles = new Float64Array(count);
  for (let anchor = 0; anchor < count; anchor++) {
    let hardestPositive = -1;
    let hasNegative = false;
    for (let other = 0; other < count; other++) {
      if (other === anchor) continue;
      angles[other] = unitRowAngle(unitFeatures, anchor, unitFeatures, other, dim);
      if (labels[other] === labels[anchor]) hardestPositive = Math.max(hardestPositive, angles[other]);
      else hasNegative = true;
    }
    if (hardestPositive < 0 || !hasNegative) continue;
    let semiHard = Number.POSITIVE_INFINITY;
    let hardest = Number.POSITIVE_INFINITY;
    for (let other = 0; other < count; other++) {
      if (other === anchor || labels[other] === labels[anchor]) continue;
      hardest = Math.min(hardest, angles[other]);
      if (angles[other] > hardestPositive) semiHard = Math.min(semiHard, angles[other]);
    }
    const negative = Number.isFinite(semiHard) ? semiHard : hardest;
    anchors++;
    const violation = hardestPositive + margin - negative;
    if (violation > 0) {
      sum += violation;
      active++;
    }
  }
  return { loss: anchors > 0 ? sum / anchors : 0, anchors, active };
}

/**
 * The centre loss of Wen et al. (ECCV 2016), as a batch mean: (λ/2)·(1/N) Σ_i ‖x_i − c_{y_i}‖²,
 * on the raw (unnormalised) features that softmax trains.
 */
export function centerPenalty(features: ArrayLike<number>, labels: ArrayLike<number>, centres: ArrayLike<number>, dim: number, lambda: number): number {
  if (labels.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const centre = labels[i] * dim;
    for (let d = 0; d < dim; d++) {
      const difference = features[i * dim + d] - centres[centre + d];
      sum += difference * difference;
    }
  }
  return (lambda / 2) * (sum / labels.length);
}

/** Wen et al.'s rate for moving the centres; their experiments use 0.5. */
export const CENTER_ALPHA = 0.5;

/**
 * One step of the centre update of Wen et al. (their Eq. 4): a class's centre moves by
 * α·Δc_j with Δc_j = Σ_{y_i=j} (c_j − x_i) / (1 + #{y_i = j}). The 1 in the denominator keeps
 * a class with few samples in the batch from jumping onto them; a class absent from the
 * batch stays where it is.
 */
export function updatedCentres(features: ArrayLike<number>, labels: ArrayLike<number>, centres: ArrayLike<number>, classes: number, dim: number, alpha: number = CENTER_ALPHA): Float32Array {
  const pull = new Float64Array(classes * dim);
  const members = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    members[label]++;
    for (let d = 0; d < dim; d++) pull[label * dim + d] += centres[label * dim + d] - features[i * dim + d];
  }
  const next = Float32Array.from(centres);
  for (let j = 0; j < classes; j++) {
    for (let d = 0; d < dim; d++) next[j * dim + d] = centres[j * dim + d] - (alpha * pull[j * dim + d]) / (1 + members[j]);
  }
  return next;
}
