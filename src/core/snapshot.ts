/**
 * The one snapshot type: a moment of training as plain arrays. The engine produces it,
 * the worker sends it (its buffers transferred, not copied), and panels and exporters
 * draw it, so it lives here where all of them may import it.
 */
import type { AngleReport, Arc } from './angles';
import type { PairHistogram, Verification } from './pairs';
import type { Params } from './schema';

/** Everything a panel or a report needs about one moment of training, as plain arrays. */
export interface TrainerSnapshot {
  step: number;
  /** Mini-batch loss of the latest step (NaN before the first step). */
  loss: number;
  trainAccuracy: number;
  classes: number;
  /** Raw 2-D embeddings of the training samples, samples × 2. */
  embeddings: Float32Array;
  /** The same, L2-normalised. */
  unitEmbeddings: Float32Array;
  labels: Int32Array;
  /** Class directions, classes × 2 (transposed from the model's 2 × classes). */
  weights: Float32Array;
  /** Plain-softmax bias, one per class (zeros for the margin head). */
  bias: Float32Array;
  /** Angle between each training sample and its own W_y, degrees. */
  thetaTarget: Float32Array;
  heldoutEmbeddings: Float32Array;
  heldoutLabels: Int32Array;
  heldoutClasses: number;
  angles: AngleReport;
  /**
   * Each identity's arc on the circle (2nd to 98th percentile of its angles), for Fig. 3's
   * gap labels: measured in the worker, so four circles do not sort 2,400 angles each on
   * the page's thread every frame.
   */
  arcs: Arc[];
  /**
   * Fig. 6: angles between pairs of features, on the held-out test part of the trained
   * identities (never trained on) and on the unseen identities. Summaries only: the pair
   * angles themselves stay in the worker.
   */
  pairs: { test: PairSummary; unseen: PairSummary };
}

/** What a frame carries of core/pairs' PairStats: the figures and the histogram, not the angles. */
export interface PairSummary {
  /** Pairs measured of each kind (a seeded subsample when there are more). */
  positivePairs: number;
  negativePairs: number;
  verification: Verification | null;
  p99Positive: number | null;
  p1Negative: number | null;
  /** p99Positive − p1Negative: below 0 the two distributions are apart. */
  overlap: number | null;
  histogram: PairHistogram;
}

/** What a published frame says about the session as a whole, shared by all its runs. */
export interface FrameFields {
  /** Bumped on every reset; a snapshot from an older generation is stale. */
  generation: number;
  backend: string;
  stepsPerSecond: number;
  playing: boolean;
}

/** A single run's snapshot with the frame's shared fields: what single mode draws. */
export interface WorkerSnapshot extends TrainerSnapshot, FrameFields {}

/** One run of a session (compare mode trains up to four in lockstep). */
export interface RunSnapshot extends TrainerSnapshot {
  /** Position of the run in the session, 0 first. */
  run: number;
  /** The preset's name, or 'Custom'. */
  label: string;
  params: Params;
}

/** One published frame: every run at the same step, read back together. */
export interface SessionFrame extends FrameFields {
  step: number;
  /**
   * The page's number for the run list this frame was trained from (echoed from `init`
   * and `setRuns`), so the page can drop a frame of runs it has already replaced even
   * when the run count is the same.
   */
  runsVersion: number;
  runs: RunSnapshot[];
}

/** Run `index` of a frame, with the frame's shared fields, as single mode draws it. */
export function runWithFrameFields(frame: SessionFrame, index: number): WorkerSnapshot {
  const run = frame.runs[index];
  if (!run) throw new Error(`the frame has no run ${index}`);
  return { ...run, generation: frame.generation, backend: frame.backend, stepsPerSecond: frame.stepsPerSecond, playing: frame.playing };
}

/** The buffers behind a snapshot's arrays, to hand to postMessage's transfer list. */
export function snapshotBuffers(snapshot: TrainerSnapshot): ArrayBuffer[] {
  const arrays = [snapshot.embeddings, snapshot.unitEmbeddings, snapshot.labels, snapshot.weights, snapshot.bias, snapshot.thetaTarget, snapshot.heldoutEmbeddings, snapshot.heldoutLabels];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

/** Every buffer of every run of a frame. */
export function frameBuffers(frame: SessionFrame): ArrayBuffer[] {
  return frame.runs.flatMap(snapshotBuffers);
}
