/**
 * Verification pairs, the paper's Fig. 6 and the toy's stand-in for LFW: the angle
 * between two samples of the same identity (a positive pair) and of different
 * identities (a negative pair), the best threshold between them, and where the two
 * distributions overlap. Pure functions of row-major typed arrays; angles in degrees.
 *
 * With n samples there are about n²/2 pairs (2.9 million for 8 × 300), so past a cap
 * each kind is a seeded uniform sample of pairs, drawn in O(1) per pair. Below the cap
 * every pair is enumerated, in O(pairs) and without the RNG.
 */
import { normalizeRows, percentile, rowAngle } from './angles';
import { createRng, deriveSeed, type Rng } from './rng';
import type { PairSummary } from './snapshot';

/**
 * Pairs of each kind kept at most. 20,000 of each take 10 to 30 ms per call on this
 * project's 2-core machine (the lower figure when it is idle).
 */
export const DEFAULT_MAX_PAIRS_PER_KIND = 20000;
/** 5° bins over [0°, 180°]. */
export const DEFAULT_HISTOGRAM_BINS = 36;
export const POSITIVE_QUANTILE = 0.99;
export const NEGATIVE_QUANTILE = 0.01;

export interface PairOptions {
  /** Seeds the subsample; unused while every pair fits under the cap. */
  seed: number;
  maxPairsPerKind?: number;
  histogramBins?: number;
}

export interface PairAngles {
  /** Angle of each kept pair, sorted ascending, degrees; pairs with a non-finite feature are left out. */
  angles: Float64Array;
  /** Pairs of this kind in the data; more than angles.length when subsampled. */
  total: number;
  sampled: boolean;
}

export interface Verification {
  /** A pair is called "same identity" when its angle is below this, degrees. */
  threshold: number;
  /**
   * Balanced accuracy at the threshold, (true-positive rate + true-negative rate) / 2:
   * the accuracy on a set with as many positive as negative pairs, as in LFW's protocol
   * (3,000 of each). With 8 identities, 7 in 8 pairs are negative, so plain accuracy over
   * all pairs would reward calling everything "different" (87.5%, at any threshold of 0°).
   */
  accuracy: number;
}

export interface PairHistogram {
  /** bins + 1 edges from 0° to 180°. */
  edges: number[];
  positive: number[];
  negative: number[];
  /** Each kind's counts as fractions of that kind, so both curves have area 1 on screen. */
  positiveShare: number[];
  negativeShare: number[];
}

export interface PairStats {
  positive: PairAngles;
  negative: PairAngles;
  /** null when either kind has no pairs (every identity has one sample, or there is one identity). */
  verification: Verification | null;
  /** 99th percentile of the positive angles; null without positive pairs. */
  p99Positive: number | null;
  /** 1st percentile of the negative angles; null without negative pairs. */
  p1Negative: number | null;
  /** p99Positive − p1Negative: below 0 the two distributions are apart, above 0 they overlap. */
  overlap: number | null;
  histogram: PairHistogram;
}

/** The sample indices of one identity. */
interface Group {
  members: number[];
}

function groupByLabel(labels: ArrayLike<number>, samples: number): Group[] {
  const byLabel = new Map<number, Group>();
  for (let i = 0; i < samples; i++) {
    const group = byLabel.get(labels[i]);
    if (group) group.members.push(i);
    else byLabel.set(labels[i], { members: [i] });
  }
  return [...byLabel.values()];
}

/** Index of the bucket a uniform draw lands in, for cumulative weights ending at the total. */
function pickWeighted(cumulative: Float64Array, rng: Rng): number {
  const target = rng.next() * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

function cumulativeOf(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((weight, index) => {
    sum += weight;
    out[index] = sum;
  });
  return out;
}

/** Sorted, without the angles of pairs that had a non-finite feature (a diverged run). */
function sortedAngles(values: number[] | Float64Array): Float64Array {
  return Float64Array.from(values).filter(Number.isFinite).sort();
}

function positivePairs(unit: Float32Array, dim: number, groups: Group[], cap: number, rng: Rng): PairAngles {
  const pairCounts = groups.map((group) => (group.members.length * (group.members.length - 1)) / 2);
  const total = pairCounts.reduce((sum, count) => sum + count, 0);
  if (total <= cap) {
    const angles: number[] = [];
    for (const { members } of groups) {
      for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) angles.push(rowAngle(unit, members[a], unit, members[b], dim));
    }
    return { angles: sortedAngles(angles), total, sampled: false };
  }
  // An identity is picked in proportion to its pairs, then two distinct members
  // uniformly: every positive pair is equally likely, whatever the identity sizes.
  const cumulative = cumulativeOf(pairCounts);
  const angles = new Float64Array(cap);
  for (let p = 0; p < cap; p++) {
    const { members } = groups[pickWeighted(cumulative, rng)];
    const first = rng.int(members.length);
    let second = rng.int(members.length - 1);
    if (second >= first) second++;
    angles[p] = rowAngle(unit, members[first], unit, members[second], dim);
  }
  return { angles: sortedAngles(angles), total, sampled: true };
}

function negativePairs(unit: Float32Array, dim: number, groups: Group[], cap: number, rng: Rng): PairAngles {
  const sampleCount = groups.reduce((sum, group) => sum + group.members.length, 0);
  // Each identity's members times everyone else's counts every negative pair twice.
  const crossCounts = groups.map((group) => group.members.length * (sampleCount - group.members.length));
  const total = crossCounts.reduce((sum, count) => sum + count, 0) / 2;
  if (total <= cap) {
    const angles: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      for (let h = g + 1; h < groups.length; h++) {
        for (const i of groups[g].members) for (const j of groups[h].members) angles.push(rowAngle(unit, i, unit, j, dim));
      }
    }
    return { angles: sortedAngles(angles), total, sampled: false };
  }
  // The first sample's identity is picked in proportion to its cross pairs, the first
  // sample uniformly within it, and the second uniformly among all other identities'
  // samples (a flat index that skips the first identity's block): each ordered negative
  // pair then has probability 1 / (2·total), so each unordered one 1 / total.
  const cumulative = cumulativeOf(crossCounts);
  const blockStart: number[] = [];
  const flat: number[] = [];
  for (const group of groups) {
    blockStart.push(flat.length);
    flat.push(...group.members);
  }
  const angles = new Float64Array(cap);
  for (let p = 0; p < cap; p++) {
    const g = pickWeighted(cumulative, rng);
    const { members } = groups[g];
    const first = members[rng.int(members.length)];
    let position = rng.int(sampleCount - members.length);
    if (position >= blockStart[g]) position += members.length;
    angles[p] = rowAngle(unit, first, unit, flat[position], dim);
  }
  return { angles: sortedAngles(angles), total, sampled: true };
}

/**
 * The threshold with the best balanced accuracy. Candidates are 0° (every pair called
 * different) and the midpoints between neighbouring distinct angles, which between them
 * realise every way a threshold can split the pairs. Calling every pair the same scores
 * 0.5, as 0° does, so it never wins; the first best candidate (the smallest) wins a tie.
 * Expects sorted angles; a NaN ends the sweep.
 */
export function bestThreshold(positives: Float64Array, negatives: Float64Array): Verification | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const balanced = (positivesBelow: number, negativesBelow: number): number => (positivesBelow / positives.length + (negatives.length - negativesBelow) / negatives.length) / 2;
  // Sorting puts NaN last; reading it as the end keeps the sweep moving and its output finite.
  const angleAt = (sorted: Float64Array, index: number): number => (index < sorted.length && !Number.isNaN(sorted[index]) ? sorted[index] : Infinity);
  let best: Verification = { threshold: 0, accuracy: balanced(0, 0) };
  let positivesBelow = 0;
  let negativesBelow = 0;
  let next = Math.min(angleAt(positives, 0), angleAt(negatives, 0));
  for (;;) {
    while (angleAt(positives, positivesBelow) === next) positivesBelow++;
    while (angleAt(negatives, negativesBelow) === next) negativesBelow++;
    const following = Math.min(angleAt(positives, positivesBelow), angleAt(negatives, negativesBelow));
    if (following === Infinity) return best;
    const accuracy = balanced(positivesBelow, negativesBelow);
    if (accuracy > best.accuracy) best = { threshold: (next + following) / 2, accuracy };
    next = following;
  }
}

export function pairHistogram(positives: ArrayLike<number>, negatives: ArrayLike<number>, bins: number = DEFAULT_HISTOGRAM_BINS): PairHistogram {
  const binCount = Math.max(1, Math.floor(bins));
  const width = 180 / binCount;
  const count = (angles: ArrayLike<number>): number[] => {
    const counts = new Array<number>(binCount).fill(0);
    for (let i = 0; i < angles.length; i++) {
      // 180° itself goes in the last bin; anything outside [0, 180] is rounding, clamped.
      counts[Math.min(binCount - 1, Math.max(0, Math.floor(angles[i] / width)))]++;
    }
    return counts;
  };
  const share = (counts: number[], total: number): number[] => counts.map((value) => (total === 0 ? 0 : value / total));
  const positive = count(positives);
  const negative = count(negatives);
  return {
    edges: Array.from({ length: binCount + 1 }, (_, index) => index * width),
    positive,
    negative,
    positiveShare: share(positive, positives.length),
    negativeShare: share(negative, negatives.length),
  };
}

/** Threshold, percentiles, overlap and histogram of two sorted angle lists (degrees). */
export function verificationStats(positive: PairAngles, negative: PairAngles, histogramBins: number = DEFAULT_HISTOGRAM_BINS): PairStats {
  const p99Positive = positive.angles.length > 0 ? percentile(positive.angles, POSITIVE_QUANTILE) : null;
  const p1Negative = negative.angles.length > 0 ? percentile(negative.angles, NEGATIVE_QUANTILE) : null;
  return {
    positive,
    negative,
    verification: bestThreshold(positive.angles, negative.angles),
    p99Positive,
    p1Negative,
    overlap: p99Positive !== null && p1Negative !== null ? p99Positive - p1Negative : null,
    histogram: pairHistogram(positive.angles, negative.angles, histogramBins),
  };
}

/**
 * Positive and negative pair angles of features (samples × dim, normalised here, so raw
 * features will do) with a label per sample. Each kind draws from its own RNG stream,
 * so the negatives' subsample does not depend on whether the positives needed one.
 */
export function pairAngles(features: ArrayLike<number>, labels: ArrayLike<number>, dim: number, options: PairOptions): { positive: PairAngles; negative: PairAngles } {
  const cap = Math.max(1, Math.floor(options.maxPairsPerKind ?? DEFAULT_MAX_PAIRS_PER_KIND));
  const unit = normalizeRows(features, dim);
  // A label without a feature row (or the reverse) is left out rather than read as NaN.
  const groups = groupByLabel(labels, Math.min(labels.length, unit.length / dim));
  return {
    positive: positivePairs(unit, dim, groups, cap, createRng(deriveSeed(options.seed, 'positive pairs'))),
    negative: negativePairs(unit, dim, groups, cap, createRng(deriveSeed(options.seed, 'negative pairs'))),
  };
}

export function pairStats(features: ArrayLike<number>, labels: ArrayLike<number>, dim: number, options: PairOptions): PairStats {
  const { positive, negative } = pairAngles(features, labels, dim, options);
  return verificationStats(positive, negative, options.histogramBins);
}

/**
 * What a snapshot carries of PairStats: the figures and the histogram, without the
 * sorted angle lists (up to 20,000 numbers of each kind, which a frame does not need).
 */
export function summarisePairs(stats: PairStats): PairSummary {
  return {
    positivePairs: stats.positive.angles.length,
    negativePairs: stats.negative.angles.length,
    verification: stats.verification,
    p99Positive: stats.p99Positive,
    p1Negative: stats.p1Negative,
    overlap: stats.overlap,
    histogram: stats.histogram,
  };
}
