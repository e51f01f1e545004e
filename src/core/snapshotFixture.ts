/**
 * A run's snapshot with the paper toy's real array sizes (8 identities × 300 samples, 800
 * held out), for what measures memory: the timeline's tests and the benchmark's history
 * figures. The values are placeholders; only the sizes matter.
 */
import { defaultParams } from './schema';
import type { RunSnapshot } from './snapshot';

export const FIXTURE_IDENTITIES = 8;
export const FIXTURE_SAMPLES = 300;
export const FIXTURE_HELDOUT = 800;

/** `fill` gives each training embedding its value (index i of samples × 2). */
export function realSizeRun(run: number, step: number, fill: (index: number) => number): RunSnapshot {
  const samples = FIXTURE_IDENTITIES * FIXTURE_SAMPLES;
  const histogram = { edges: [], positive: [], negative: [], positiveShare: [], negativeShare: [] };
  const pairs = { positivePairs: 3000, negativePairs: 3000, verification: null, p99Positive: null, p1Negative: null, overlap: null, histogram };
  const embeddings = Float32Array.from({ length: samples * 2 }, (_, index) => fill(index));
  return {
    run,
    label: 'ArcFace (0.5)',
    params: defaultParams(),
    step,
    loss: 1 / (1 + step),
    trainAccuracy: 0.5,
    classes: FIXTURE_IDENTITIES,
    embeddings,
    unitEmbeddings: embeddings.slice(),
    labels: new Int32Array(samples),
    weights: new Float32Array(FIXTURE_IDENTITIES * 2),
    bias: new Float32Array(FIXTURE_IDENTITIES),
    thetaTarget: new Float32Array(samples),
    heldoutEmbeddings: new Float32Array(FIXTURE_HELDOUT * 2),
    heldoutLabels: new Int32Array(FIXTURE_HELDOUT),
    heldoutClasses: FIXTURE_IDENTITIES,
    angles: { wEC: 0, wInter: 0, intraTrain: 0, interTrain: 0, gapTrain: 0, intraHeldout: 0, interHeldout: 0 },
    arcs: [],
    pairs: { test: pairs, unseen: pairs },
  };
}
