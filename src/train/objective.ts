/**
 * What a training step minimises beyond the combined-margin head alone: the Sec. 3.4 terms
 * (Intra, Inter, Triplet), the centre loss, and the heads that are not cos(m1·θ + m2) − m3
 * (the original SphereFace and the later margins). All of it runs on the unfused path; the
 * fused kernels keep the plain margin head, which is what the presets of Table 2's first
 * rows and the default train with.
 */
import { CENTER_ALPHA } from '../core/auxLosses';
import { sphereFaceLambda } from '../core/sphereface';
import { centerTerm, interTerm, intraTerm, tripletTerm, updatedCentresOf } from './auxLosses';
import { crossEntropy, headLogits, type HeadSettings, type ModelVariables } from './model';
import { tf } from './tf';
import { isVariantHead, type VariantHead, VariantState, variantLogits } from './variantHeads';

/** The settings a step's objective reads (a slice of Params, with the warm-up applied to the margin). */
export interface ObjectiveSettings {
  head: HeadSettings['head'] | VariantHead | 'triplet';
  s: number;
  m1: number;
  m2: number;
  m3: number;
  fallback: boolean;
  /** Weights of the extra terms; 0 leaves a term out. */
  intra: number;
  inter: number;
  triplet: number;
  /** The triplet's angular margin, radians. */
  tripletMargin: number;
  /** The centre loss's λ. */
  center: number;
  /** ElasticFace's σ. */
  elasticSigma: number;
}

/** Whether a step with these settings needs more than the fused margin head. */
export function needsObjective(settings: Pick<ObjectiveSettings, 'head' | 'intra' | 'inter' | 'triplet' | 'center'>): boolean {
  return settings.head === 'triplet' || isVariantHead(settings.head) || settings.intra > 0 || settings.inter > 0 || settings.triplet > 0 || settings.center > 0;
}

/** Between steps: the variant heads' moving averages and the centre loss's centres. */
export class ObjectiveState {
  readonly variant: VariantState;
  /** classes × dim; created at the first step that uses the centre loss. */
  private centres: tf.Variable | null = null;
  private pendingCentres: tf.Tensor2D | null = null;

  constructor(
    seed: number,
    private readonly classes: number,
    private readonly dim: number,
  ) {
    this.variant = new VariantState(seed);
  }

  centresTensor(): tf.Variable {
    // Wen et al. start the centres at zero; the update moves them to the features within a few steps.
    if (!this.centres) this.centres = tf.variable(tf.zeros([this.classes, this.dim]), false);
    return this.centres;
  }

  /** Keeps the centres computed in a step's loss until the step's gradients are applied. */
  hold(next: tf.Tensor2D): void {
    this.pendingCentres?.dispose();
    this.pendingCentres = tf.keep(next);
  }

  /** After the optimiser step: the centres move (their own update rule, not a gradient). */
  commit(): void {
    if (!this.pendingCentres) return;
    this.centresTensor().assign(this.pendingCentres);
    this.pendingCentres.dispose();
    this.pendingCentres = null;
  }

  /** The centres as plain numbers (classes × dim), or null before the centre loss ran. */
  async centresSnapshot(): Promise<Float32Array | null> {
    return this.centres ? ((await this.centres.data()) as Float32Array).slice() : null;
  }

  dispose(): void {
    this.variant.dispose();
    this.centres?.dispose();
    this.pendingCentres?.dispose();
    this.centres = null;
    this.pendingCentres = null;
  }
}

/**
 * The loss of one step, inside the optimiser's gradient closure: the head's cross-entropy
 * (none for the pure triplet run) plus the weighted extra terms. `step` drives SphereFace's
 * λ annealing.
 */
export function objectiveLoss(variables: ModelVariables, embedding: tf.Tensor2D, oneHot: tf.Tensor2D, settings: ObjectiveSettings, step: number, state: ObjectiveState): tf.Scalar {
  const classWeights = variables.classWeights as tf.Tensor2D;
  let loss: tf.Scalar = tf.scalar(0);
  if (isVariantHead(settings.head)) {
    const { logits, extra } = variantLogits(
      embedding,
      classWeights,
      oneHot,
      { head: settings.head, s: settings.s, margin: settings.m2, lambda: sphereFaceLambda(step), sigma: settings.elasticSigma, h: 0.333, fallback: settings.fallback },
      state.variant,
    );
    loss = crossEntropy(logits, oneHot);
    if (extra) loss = tf.add(loss, extra) as tf.Scalar;
  } else if (settings.head !== 'triplet') {
    const head: HeadSettings = { head: settings.head, s: settings.s, m1: settings.m1, m2: settings.m2, m3: settings.m3, fallback: settings.fallback };
    loss = crossEntropy(headLogits(variables, embedding, oneHot, head), oneHot);
  }
  if (settings.intra > 0) loss = tf.add(loss, tf.mul(intraTerm(embedding, classWeights, oneHot), settings.intra)) as tf.Scalar;
  // Inter-Loss subtracts its term: the W are pushed apart.
  if (settings.inter > 0) loss = tf.sub(loss, tf.mul(interTerm(classWeights, oneHot), settings.inter)) as tf.Scalar;
  // The triplet head has nothing else to train: its term is on at weight 1 unless a weight is given.
  const tripletWeight = settings.head === 'triplet' && settings.triplet === 0 ? 1 : settings.triplet;
  if (tripletWeight > 0) loss = tf.add(loss, tf.mul(tripletTerm(embedding, oneHot, settings.tripletMargin), tripletWeight)) as tf.Scalar;
  if (settings.center > 0) {
    const centres = state.centresTensor() as tf.Tensor2D;
    loss = tf.add(loss, centerTerm(embedding, centres, oneHot, settings.center)) as tf.Scalar;
    state.hold(updatedCentresOf(embedding, centres, oneHot, CENTER_ALPHA));
  }
  return loss;
}
