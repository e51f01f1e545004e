/**
 * The training engine, shared by the worker, the CLI and the tests. Tensors live only
 * in here: `readSnapshot` turns the state into plain typed arrays with one readback.
 */
import { accuracy, angleReport, featureStats, identityArcs, normalizeRows, targetAngles } from '../core/angles';
import type { TestPartStats } from '../core/digitsTable';
import { warmedMargin } from '../core/margin';
import { pairStats, summarisePairs } from '../core/pairs';
import { createRng, deriveSeed, type Rng } from '../core/rng';
import { needsReset, type Params } from '../core/schema';
import type { PairSummary, TrainerSnapshot } from '../core/snapshot';
import type { DigitImages } from '../core/digits';
import { DEFAULT_TEST_SAMPLES_PER_IDENTITY, makeDataset, makeDigitsDataset, type Dataset, type DatasetOptions } from './data';
// The fused modules one by one, not ./fused's index: that also re-exports the parity
// harness, which the worker loads only when a debug request asks for it.
import { FusedAdam } from './fused/adam';
import { fusedEmbed, fusedMarginLoss } from './fused/forward';
import { MAX_FUSED_CLASSES } from './fused/marginLoss';
import { fusedSupported } from './fused/registry';
import { EMBEDDING_DIM, createVariables, crossEntropy, disposeVariables, embed, headLogits, trainableList, type HeadSettings, type ModelVariables } from './model';
import { needsObjective, ObjectiveState, objectiveLoss, type ObjectiveSettings } from './objective';
import { tf } from './tf';

/** Adam whose learning rate can change mid-run without losing its moments. */
class LiveAdam extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

type LiveOptimizer = LiveAdam | tf.MomentumOptimizer;

export type { TrainerSnapshot } from '../core/snapshot';

/** Where a packed snapshot came from: unpacking needs to know what was packed. */
export interface PackedLayout {
  /** The step the trainer was at when the snapshot was packed. */
  step: number;
  /** Whether every trainable variable follows the panel arrays (a checkpoint). */
  withWeights: boolean;
  /**
   * false: reuse the Fig. 6 pair summaries of the last unpack instead of measuring them
   * again (a session refreshes them a few times a second, not every frame; see
   * session.ts). Omitted or true, or with no earlier summaries, they are measured.
   */
  freshPairs?: boolean;
}

/** A snapshot unpacked from a shared readback, and where the next one starts. */
export interface UnpackedSnapshot {
  snapshot: TrainerSnapshot;
  /** Every trainable variable, in `trainableList(…, 'softmax')` order; null without weights. */
  weights: Float32Array[] | null;
  /**
   * Raw 2-D embeddings of the test split (held-out samples of the trained identities),
   * samples × 2, and their classification accuracy by nearest W as for the training
   * split (NaN when the split is empty). Reports read these; a frame leaves them out,
   * the panels draw pairs.test.
   */
  testEmbeddings: Float32Array;
  testAccuracy: number;
  end: number;
}

/**
 * Pairs of each kind a live frame measures, as many as LFW's protocol has. A frame that
 * measures them pays in the worker, once per run: on this project's 2-core machine (busy
 * with other work), 3,000 of each took 2.6 ms median, 3.5 ms p90, for the test split and
 * the unseen identities together, against 23 ms at the report cap of 20,000 (`npm run
 * bench`, compare section). The subsample is drawn with the same seed on every frame, so
 * the histogram changes only as the features move, never because other pairs were drawn.
 */
export const LIVE_MAX_PAIRS_PER_KIND = 3000;

function createOptimizer(params: Params): LiveOptimizer {
  return params.optimizer === 'adam' ? new LiveAdam(params.lr, 0.9, 0.999, 1e-7) : new tf.MomentumOptimizer(params.lr, 0.9);
}

export interface TrainerOptions {
  /** Override the generator's difficulty (experiments, tests). */
  dataset?: Partial<DatasetOptions>;
  /** Widths of the hidden layers (experiments). */
  hiddenUnits?: readonly number[];
  /**
   * Train with the fused kernels of ./fused (the margin head and its loss as one kernel,
   * Adam as one). Default: on when the current backend has them (`fusedSupported`); on
   * a backend without them, or with more classes than they take, the unfused path runs.
   */
  fused?: boolean;
  /**
   * Pairs of each kind behind a snapshot's `pairs` (core/pairs' cap). Default: the live
   * cap, LIVE_MAX_PAIRS_PER_KIND; reports (the CLI, the science tests) pass core's
   * DEFAULT_MAX_PAIRS_PER_KIND for tighter percentiles.
   */
  maxPairsPerKind?: number;
  /** The decoded digits asset, needed when params.data is 'digits' (the caller loads it: a fetch in the worker, a file in Node). */
  digits?: DigitImages | null;
}

function requireDigits(digits: DigitImages | null | undefined): DigitImages {
  if (!digits) throw new Error('data=digits needs the digits asset, and it is not loaded');
  return digits;
}

export class Trainer {
  readonly dataset: Dataset;
  private params: Params;
  /** Whether this trainer runs the fused path (see TrainerOptions.fused). */
  readonly fused: boolean;
  private variables: ModelVariables;
  private optimizer: LiveOptimizer | FusedAdam;
  private readonly trainInputs: tf.Tensor2D;
  private readonly trainOneHot: tf.Tensor2D;
  /** Class indices of the training split, for the fused head (null on the unfused path). */
  private readonly trainLabels: tf.Tensor1D | null;
  private readonly heldoutInputs: tf.Tensor2D;
  /** The test split's inputs; null when it is empty (a 0-row tensor has nothing to embed). */
  private readonly testInputs: tf.Tensor2D | null;
  private readonly maxPairsPerKind: number;
  private readonly batchRng: Rng;
  private order: Int32Array;
  private cursor = 0;
  private stepCount = 0;
  private lastLoss: tf.Scalar | null = null;
  /** The pair summaries of the last unpack, for frames that reuse them (PackedLayout.freshPairs). */
  private lastPairs: TrainerSnapshot['pairs'] | null = null;
  /**
   * A run whose loss is more than the combined-margin head (Sec. 3.4's terms, the centre
   * loss, the triplet alone, the original SphereFace, the later margins) trains on the
   * unfused path through ./objective; null otherwise.
   */
  private readonly objective: ObjectiveState | null;
  private disposed = false;

  constructor(params: Params, options: TrainerOptions = {}) {
    this.params = { ...params };
    this.dataset =
      params.data === 'digits'
        ? makeDigitsDataset(requireDigits(options.digits), params)
        : makeDataset({
            seed: params.seed,
            identities: params.identities,
            samplesPerIdentity: params.samplesPerIdentity,
            // The test part mirrors the training part, up to the 300 per identity: every
            // frame embeds it, and 300 test samples per identity behind 20 trained ones would
            // make a small run's snapshot several times dearer (the CPU sweep and the session
            // tests train 20 per identity). Its own RNG stream keeps the training data the same.
            testSamplesPerIdentity: Math.min(params.samplesPerIdentity, DEFAULT_TEST_SAMPLES_PER_IDENTITY),
            ...options.dataset,
          });
    const { train, heldout, test, inputDim } = this.dataset;
    this.trainInputs = tf.tensor2d(train.inputs, [train.count, inputDim]);
    this.trainOneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(train.labels, 'int32'), train.classes), 'float32') as tf.Tensor2D);
    this.heldoutInputs = tf.tensor2d(heldout.inputs, [heldout.count, inputDim]);
    this.testInputs = test.count > 0 ? tf.tensor2d(test.inputs, [test.count, inputDim]) : null;
    this.maxPairsPerKind = options.maxPairsPerKind ?? LIVE_MAX_PAIRS_PER_KIND;
    this.variables = createVariables(params.seed, inputDim, train.classes, options.hiddenUnits);
    this.objective = needsObjective(params) ? new ObjectiveState(params.seed, train.classes, EMBEDDING_DIM) : null;
    this.fused = (options.fused ?? true) && this.objective === null && train.classes <= MAX_FUSED_CLASSES && fusedSupported(tf.getBackend());
    this.trainLabels = this.fused ? tf.tensor1d(train.labels, 'int32') : null;
    this.optimizer = this.fused && params.optimizer === 'adam' ? new FusedAdam(params.lr, 0.9, 0.999, 1e-7) : createOptimizer(params);
    this.batchRng = createRng(deriveSeed(params.seed, 'batches'));
    this.order = this.shuffled();
  }

  get step(): number {
    return this.stepCount;
  }

  get currentParams(): Params {
    return { ...this.params };
  }

  /**
   * Apply new settings. Returns false when they need a fresh trainer (seed, data size,
   * head, optimiser); live ones (m1, m2, m3, s, lr, batch, warm-up, fallback) apply at
   * the next step.
   */
  setParams(next: Params): boolean {
    if (needsReset(this.params, next)) return false;
    if (next.lr !== this.params.lr) this.optimizer.setLearningRate(next.lr);
    this.params = { ...next };
    return true;
  }

  private shuffled(): Int32Array {
    const order = Int32Array.from({ length: this.dataset.train.count }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.batchRng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** Indices of the next mini-batch, or null for full batch. Epochs without replacement. */
  private nextBatch(): Int32Array | null {
    const size = this.params.batchSize;
    if (size >= this.dataset.train.count) return null;
    if (this.cursor + size > this.order.length) {
      this.order = this.shuffled();
      this.cursor = 0;
    }
    const batch = this.order.subarray(this.cursor, this.cursor + size);
    this.cursor += size;
    return batch;
  }

  /** Queue `count` optimiser steps. No readback: nothing here waits for the device. */
  train(count: number): void {
    if (this.disposed) throw new Error('trainer is disposed');
    for (let i = 0; i < count; i++) this.trainOne();
  }

  private trainOne(): void {
    const { params } = this;
    const margin = warmedMargin({ m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback }, this.stepCount, params.warmupSteps);
    const batch = this.nextBatch();
    if (this.objective) {
      this.objectiveStep(batch, this.objective, margin);
      return;
    }
    // Without an objective the head is the plain margin head or softmax (needsObjective is true for every other).
    const settings: HeadSettings = { head: params.head === 'softmax' ? 'softmax' : 'margin', s: params.s, ...margin };
    const loss = this.fused
      ? this.fusedStep(batch, settings)
      : tf.tidy(() => {
          const indices = batch ? tf.tensor1d(batch, 'int32') : null;
          const inputs = indices ? tf.gather(this.trainInputs, indices) : this.trainInputs;
          const oneHot = indices ? tf.gather(this.trainOneHot, indices) : this.trainOneHot;
          return this.optimise(
            () => {
              const logits = headLogits(this.variables, embed(this.variables, inputs), oneHot, settings);
              return crossEntropy(logits, oneHot);
            },
            trainableList(this.variables, settings.head),
          );
        });
    this.lastLoss?.dispose();
    this.lastLoss = loss;
    this.stepCount++;
  }

  /** A step of a run with an objective beyond the margin head: unfused, then the centres move. */
  private objectiveStep(batch: Int32Array | null, objective: ObjectiveState, margin: { m1: number; m2: number; m3: number; fallback: boolean }): void {
    const { params } = this;
    const settings: ObjectiveSettings = {
      head: params.head,
      s: params.s,
      ...margin,
      intra: params.intra,
      inter: params.inter,
      triplet: params.triplet,
      tripletMargin: params.tripletMargin,
      center: params.center,
      elasticSigma: params.elasticSigma,
    };
    const step = this.stepCount;
    // The triplet alone trains no classifier: W stays where it started.
    const variables =
      params.head === 'triplet' ? this.variables.layers.flatMap((layer) => [layer.kernel, layer.bias]) : trainableList(this.variables, params.head === 'softmax' ? 'softmax' : 'margin');
    const loss = tf.tidy(() => {
      const indices = batch ? tf.tensor1d(batch, 'int32') : null;
      const inputs = indices ? tf.gather(this.trainInputs, indices) : this.trainInputs;
      const oneHot = indices ? tf.gather(this.trainOneHot, indices) : this.trainOneHot;
      return this.optimise(() => objectiveLoss(this.variables, embed(this.variables, inputs), oneHot, settings, step, objective), variables);
    });
    objective.commit();
    this.lastLoss?.dispose();
    this.lastLoss = loss;
    this.stepCount++;
  }

  /**
   * The fused step: a batch's labels travel as int32 indices copied from the CPU (an
   * upload, not a kernel); the inputs still need one gather, as a slice of a
   * pre-shuffled copy would cost the same one kernel.
   */
  private fusedStep(batch: Int32Array | null, settings: HeadSettings): tf.Scalar {
    return tf.tidy(() => {
      const indices = batch ? tf.tensor1d(batch, 'int32') : null;
      const inputs = indices ? tf.gather(this.trainInputs, indices) : this.trainInputs;
      const variables = trainableList(this.variables, settings.head);
      if (settings.head === 'margin') {
        const allLabels = this.dataset.train.labels;
        const labels = batch
          ? tf.tensor1d(
              Int32Array.from(batch, (index) => allLabels[index]),
              'int32',
            )
          : this.trainLabels;
        if (!labels) throw new Error('fused step without labels');
        return this.optimise(() => fusedMarginLoss(this.variables, inputs, labels, settings), variables);
      }
      const oneHot = indices ? tf.gather(this.trainOneHot, indices) : this.trainOneHot;
      return this.optimise(() => crossEntropy(headLogits(this.variables, fusedEmbed(this.variables, inputs, true), oneHot, settings), oneHot), variables);
    });
  }

  /** One optimiser step on `loss`; returns the loss. */
  private optimise(loss: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar {
    if (this.optimizer instanceof FusedAdam) {
      const { value, grads } = tf.variableGrads(loss, variables);
      this.optimizer.applyGradients(
        variables,
        variables.map((variable) => {
          const gradient = grads[variable.name];
          if (!gradient) throw new Error(`no gradient for ${variable.name}`);
          return gradient;
        }),
      );
      return value;
    }
    const cost = this.optimizer.minimize(loss, true, variables);
    if (!cost) throw new Error('optimizer returned no cost');
    return cost;
  }

  /**
   * One readback of everything the panels need: embeddings of all three splits, W, the
   * bias and the latest loss are packed into a single tensor, so a frame costs one
   * device-to-host copy. The derived figures are computed here on the CPU from core/.
   */
  async readSnapshot(): Promise<TrainerSnapshot> {
    return (await this.readReport()).snapshot;
  }

  /** The snapshot with what only reports need (the test split's embeddings and accuracy); one readback. */
  async readReport(): Promise<UnpackedSnapshot> {
    const layout: PackedLayout = { step: this.stepCount, withWeights: false };
    const packed = this.packSnapshot(false);
    try {
      return this.unpackSnapshot((await packed.data()) as Float32Array, 0, layout);
    } finally {
      packed.dispose();
    }
  }

  /**
   * The snapshot's values as one tensor, not yet read: a session concatenates the packed
   * tensors of all its runs so that a frame of several runs is still one readback. The
   * caller owns (and disposes) the tensor; `unpackSnapshot` reads it back.
   */
  packSnapshot(withWeights: boolean): tf.Tensor1D {
    const classes = this.dataset.train.classes;
    const variables = withWeights ? trainableList(this.variables, 'softmax') : [];
    const embedAll = (inputs: tf.Tensor2D): tf.Tensor2D => (this.fused ? fusedEmbed(this.variables, inputs, false) : embed(this.variables, inputs));
    const testInputs = this.testInputs;
    return tf.tidy(
      () =>
        tf.concat([
          tf.reshape(embedAll(this.trainInputs), [-1]),
          tf.reshape(embedAll(this.heldoutInputs), [-1]),
          ...(testInputs ? [tf.reshape(embedAll(testInputs), [-1])] : []),
          tf.reshape(tf.transpose(this.variables.classWeights), [-1]),
          this.params.head === 'softmax' ? this.variables.classBias : tf.zeros([classes]),
          this.lastLoss ? tf.reshape(this.lastLoss, [1]) : tf.tensor1d([Number.NaN]),
          ...variables.map((variable) => tf.reshape(variable, [-1])),
        ]) as tf.Tensor1D,
    );
  }

  /** Turns the values `packSnapshot` packed, starting at `offset` of a shared readback, into a snapshot. */
  unpackSnapshot(values: Float32Array, offset: number, layout: PackedLayout): UnpackedSnapshot {
    const { train, heldout, test } = this.dataset;
    const classes = train.classes;
    let cursor = offset;
    const take = (length: number): Float32Array => {
      const part = values.slice(cursor, cursor + length);
      cursor += length;
      return part;
    };
    const embeddings = take(train.count * EMBEDDING_DIM);
    const heldoutEmbeddings = take(heldout.count * EMBEDDING_DIM);
    const testEmbeddings = take(test.count * EMBEDDING_DIM);
    const weights = take(classes * EMBEDDING_DIM);
    const bias = take(classes);
    const loss = take(1)[0];
    const checkpoint = layout.withWeights ? trainableList(this.variables, 'softmax').map((variable) => take(variable.size)) : null;
    const softmax = this.params.head === 'softmax';
    const { seed } = this.params;
    // Seeded from the run's seed: runs in lockstep (same seed) measure the same pairs.
    const pairsOf = (features: Float32Array, labels: Int32Array, stream: string): PairSummary =>
      summarisePairs(pairStats(features, labels, EMBEDDING_DIM, { seed: deriveSeed(seed, stream), maxPairsPerKind: this.maxPairsPerKind }));
    const arcs = identityArcs(embeddings, train.labels, classes);
    const testAccuracy = test.count > 0 ? accuracy(testEmbeddings, test.labels, weights, classes, EMBEDDING_DIM, softmax ? bias : undefined) : Number.NaN;
    // The test part's Table 3 figures (src/core/digitsTable.ts): a few hundred angles, cheap beside the pairs.
    const testStats = test.count > 0 ? featureStats(testEmbeddings, test.labels, test.classes, EMBEDDING_DIM) : null;
    const snapshot: TrainerSnapshot & TestPartStats = {
      step: layout.step,
      loss,
      trainAccuracy: accuracy(embeddings, train.labels, weights, classes, EMBEDDING_DIM, softmax ? bias : undefined),
      classes,
      embeddings,
      unitEmbeddings: normalizeRows(embeddings, EMBEDDING_DIM),
      // Copies: the snapshot's buffers are transferred away, the dataset's must stay.
      labels: train.labels.slice(),
      weights,
      bias,
      thetaTarget: targetAngles(embeddings, train.labels, weights, EMBEDDING_DIM),
      heldoutEmbeddings,
      heldoutLabels: heldout.labels.slice(),
      heldoutClasses: heldout.classes,
      arcs,
      angles: angleReport({ features: embeddings, labels: train.labels, classes }, { features: heldoutEmbeddings, labels: heldout.labels, classes: heldout.classes }, weights, EMBEDDING_DIM, arcs),
      pairs:
        layout.freshPairs === false && this.lastPairs
          ? this.lastPairs
          : { test: pairsOf(testEmbeddings, test.labels, 'test pairs'), unseen: pairsOf(heldoutEmbeddings, heldout.labels, 'unseen pairs') },
      testPart: testStats ? { intra: testStats.intra, inter: testStats.inter, accuracy: testAccuracy } : null,
    };
    this.lastPairs = snapshot.pairs;
    return { snapshot, weights: checkpoint, testEmbeddings, testAccuracy, end: cursor };
  }

  /** Waits for the queued steps and returns the latest loss (a readback; not for every frame). */
  async settle(): Promise<number> {
    if (!this.lastLoss) return Number.NaN;
    return (await this.lastLoss.data())[0];
  }

  /** Current weights as plain arrays, to carry training over to another backend. One readback. */
  async exportWeights(): Promise<Float32Array[]> {
    const all = trainableList(this.variables, 'softmax');
    const packed = tf.tidy(() => tf.concat(all.map((variable) => tf.reshape(variable, [-1]))));
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    let offset = 0;
    return all.map((variable) => {
      const part = values.slice(offset, offset + variable.size);
      offset += variable.size;
      return part;
    });
  }

  /**
   * Continue a run moved from another backend: its weights, step and latest loss (Adam
   * restarts). Without the loss a resumed run at step > 0 would report NaN until it
   * trains, which the watchdog takes for a divergence.
   */
  resumeFrom(step: number, values: Float32Array[], loss = Number.NaN): void {
    this.importWeights(values);
    this.stepCount = step;
    this.lastLoss?.dispose();
    this.lastLoss = Number.isNaN(loss) ? null : tf.scalar(loss);
  }

  importWeights(values: Float32Array[]): void {
    // Other weights, other features: the next frame measures its pairs afresh.
    this.lastPairs = null;
    const all = trainableList(this.variables, 'softmax');
    tf.tidy(() => {
      all.forEach((variable, index) => {
        variable.assign(tf.tensor(values[index], variable.shape));
      });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lastLoss?.dispose();
    this.trainInputs.dispose();
    this.trainOneHot.dispose();
    this.trainLabels?.dispose();
    this.heldoutInputs.dispose();
    this.testInputs?.dispose();
    disposeVariables(this.variables);
    this.optimizer.dispose();
    this.objective?.dispose();
  }
}
