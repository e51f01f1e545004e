/**
 * Runs and snapshots for the panels' tests: small, complete and deterministic, so a
 * test can publish a frame or render a panel without the engine. Not used by the app.
 */
import { identityArcs } from '../core/angles';
import { compareRun, type LossSettings } from '../core/compare';
import { pairHistogram } from '../core/pairs';
import { defaultParams, type Params } from '../core/schema';
import type { PairSummary } from '../core/snapshot';
import { runColour } from './runStyle';
import { SnapshotBus } from './snapshotBus';
import { LIGHT_THEME, type PanelRun, type PanelSnapshot } from './types';

/** A pair summary from explicit angles: positives near 10°, negatives near 60° unless given. */
export function pairSummary(positives: number[] = [5, 10, 12], negatives: number[] = [50, 60, 70]): PairSummary {
  return {
    positivePairs: positives.length,
    negativePairs: negatives.length,
    verification: { threshold: 31, accuracy: 0.998 },
    p99Positive: Math.max(...positives),
    p1Negative: Math.min(...negatives),
    overlap: Math.max(...positives) - Math.min(...negatives),
    histogram: pairHistogram(positives, negatives),
  };
}

/** Two identities of two samples each, at `step`. */
export function testSnapshot(step: number, generation = 1): PanelSnapshot {
  const unit = new Float32Array([1, 0, 0.8, 0.6, 0, 1, -0.6, 0.8]);
  return {
    step,
    loss: 1 / (step + 1),
    trainAccuracy: 0.75,
    classes: 2,
    embeddings: unit.slice(),
    unitEmbeddings: unit,
    labels: new Int32Array([0, 0, 1, 1]),
    weights: new Float32Array([1, 0, 0, 1]),
    bias: new Float32Array(2),
    thetaTarget: new Float32Array([0, 36.87, 0, 36.87]),
    heldoutEmbeddings: unit.slice(),
    heldoutLabels: new Int32Array([0, 0, 1, 1]),
    heldoutClasses: 2,
    arcs: identityArcs(unit, [0, 0, 1, 1], 2),
    angles: { wEC: 18.4, wInter: 90, intraTrain: 18.4, interTrain: 90, gapTrain: 53.1, intraHeldout: 18.4, interHeldout: 90 },
    pairs: { test: pairSummary(), unseen: pairSummary([5, 20, 41], [35, 60, 90]) },
    generation,
    stepsPerSecond: 100,
  };
}

/** Runs of these presets on the default params, as the app would hand them to a panel. */
export function testRuns(presets: readonly string[]): PanelRun[] {
  const shared: Params = defaultParams();
  return presets.map((preset, index) => {
    const { label, params } = compareRun(shared, lossOf(preset, shared));
    return { index, letter: String.fromCharCode(65 + index), label, colour: runColour(index, LIGHT_THEME), params, bus: new SnapshotBus() };
  });
}

function lossOf(preset: string, shared: Params): LossSettings {
  const margins: Record<string, Pick<Params, 'head' | 'm1' | 'm2' | 'm3'>> = {
    softmax: { head: 'softmax', m1: 1, m2: 0, m3: 0 },
    'norm-softmax': { head: 'margin', m1: 1, m2: 0, m3: 0 },
    arcface: { head: 'margin', m1: 1, m2: 0.5, m3: 0 },
    cosface: { head: 'margin', m1: 1, m2: 0, m3: 0.35 },
    sphereface: { head: 'margin', m1: 1.35, m2: 0, m3: 0 },
  };
  const margin = margins[preset];
  if (!margin) throw new Error(`no test margin for ${preset}`);
  return { ...margin, s: shared.s, intra: 0, inter: 0, triplet: 0, tripletMargin: shared.tripletMargin, center: 0 };
}
