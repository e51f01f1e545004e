import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PAIRS_PER_KIND, bestThreshold, pairAngles, pairHistogram, pairStats, verificationStats, type PairAngles } from './pairs';

/** 2-D features at the given angles (degrees) on a circle of the given radius. */
function onCircle(degrees: number[], radius = 1): Float32Array {
  const out = new Float32Array(degrees.length * 2);
  degrees.forEach((angle, index) => {
    out[index * 2] = radius * Math.cos((angle * Math.PI) / 180);
    out[index * 2 + 1] = radius * Math.sin((angle * Math.PI) / 180);
  });
  return out;
}

/** Vitest's deep equality walks 20,000 entries slowly; a loop does not. */
function identical(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

function kept(angles: number[]): PairAngles {
  return { angles: Float64Array.from(angles).sort(), total: angles.length, sampled: false };
}

describe('pair angles', () => {
  it('two identities 90° apart: positives at 0°, negatives at 90°, a threshold between, accuracy 1', () => {
    // Raw features of different lengths: the angles must not depend on the norm.
    const features = new Float32Array([1, 0, 3, 0, 0.5, 0, 0, 2, 0, 1, 0, 7]);
    const labels = [0, 0, 0, 1, 1, 1];
    const stats = pairStats(features, labels, 2, { seed: 1 });
    expect(stats.positive.total).toBe(6);
    expect(stats.negative.total).toBe(9);
    expect(stats.positive.sampled).toBe(false);
    for (const angle of stats.positive.angles) expect(angle).toBeCloseTo(0, 6);
    for (const angle of stats.negative.angles) expect(angle).toBeCloseTo(90, 4);
    expect(stats.verification?.accuracy).toBe(1);
    expect(stats.verification?.threshold).toBeCloseTo(45, 4);
    expect(stats.p99Positive).toBeCloseTo(0, 6);
    expect(stats.p1Negative).toBeCloseTo(90, 4);
    expect(stats.overlap).toBeCloseTo(-90, 4);
  });

  it('overlapping identities: accuracy below 1, and balanced rather than over all pairs', () => {
    // Identity 0 at 0° and 20°, identity 1 at 10° and 30°.
    // Positives: 20, 20. Negatives: 10 (0–10), 30 (0–30), 10 (20–10), 10 (20–30).
    // Cuts: below 0° → (0/2 + 4/4)/2 = 0.5; at 15° → (0/2 + 1/4)/2 = 0.125;
    // at 25° → (2/2 + 1/4)/2 = 0.625. Over all 6 pairs, 0° would win instead (4/6).
    const stats = pairStats(onCircle([0, 10, 20, 30]), [0, 1, 0, 1], 2, { seed: 1 });
    expect(Array.from(stats.positive.angles, (angle) => Math.round(angle * 1e4) / 1e4)).toEqual([20, 20]);
    expect(Array.from(stats.negative.angles, (angle) => Math.round(angle * 1e4) / 1e4)).toEqual([10, 10, 10, 30]);
    expect(stats.verification?.threshold).toBeCloseTo(25, 4);
    expect(stats.verification?.accuracy).toBe(0.625);
    expect(stats.overlap ?? Number.NaN).toBeGreaterThan(0);
  });

  it('measures the angle on the circle, not the difference of polar angles', () => {
    const stats = pairStats(onCircle([170, -170]), [0, 0], 2, { seed: 1 });
    expect(stats.positive.angles[0]).toBeCloseTo(20, 4);
  });

  it('works in more than two dimensions and keeps a zero feature finite', () => {
    const features = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const stats = pairStats(features, [0, 0, 1, 1], 3, { seed: 1 });
    expect(Array.from(stats.positive.angles, Math.round)).toEqual([90, 90]);
    for (const angle of stats.negative.angles) expect(Number.isFinite(angle)).toBe(true);
  });

  it('leaves out the pairs of a non-finite feature instead of hanging or returning NaN', () => {
    const features = new Float32Array([1, 0, 1, 0.01, Number.NaN, 0, 0, 1, 0.01, 1, Number.POSITIVE_INFINITY, 1]);
    const labels = [0, 0, 0, 1, 1, 1];
    // Enumerated, then subsampled (3 of 6 positives and of 9 negatives).
    for (const maxPairsPerKind of [undefined, 3]) {
      const stats = pairStats(features, labels, 2, { seed: 1, maxPairsPerKind });
      expect(stats.positive.total).toBe(6);
      for (const angle of [...stats.positive.angles, ...stats.negative.angles]) expect(Number.isFinite(angle)).toBe(true);
      if (stats.verification) expect(Number.isFinite(stats.verification.threshold)).toBe(true);
    }
    // Of 6 positive pairs, only 0–1 and 3–4 have two finite features; of 9 negatives, 4.
    const stats = pairStats(features, labels, 2, { seed: 1 });
    expect(stats.positive.angles).toHaveLength(2);
    expect(stats.negative.angles).toHaveLength(4);
    expect(stats.verification?.accuracy).toBe(1);
    expect(Number.isFinite(stats.overlap ?? Number.NaN)).toBe(true);
    // Given a NaN directly, the sweep reads it as above every threshold: a positive missed.
    expect(bestThreshold(Float64Array.from([0, Number.NaN]), Float64Array.from([90]))).toEqual({ threshold: 45, accuracy: 0.75 });
  });

  it('has no verification without a pair of each kind', () => {
    const single = pairStats(onCircle([0, 90, 180]), [0, 1, 2], 2, { seed: 1 });
    expect(single.positive.total).toBe(0);
    expect(single.verification).toBeNull();
    expect(single.p99Positive).toBeNull();
    expect(single.overlap).toBeNull();
    expect(single.p1Negative).toBeCloseTo(90, 3);
    const oneIdentity = pairStats(onCircle([0, 90]), [4, 4], 2, { seed: 1 });
    expect(oneIdentity.negative.total).toBe(0);
    expect(oneIdentity.verification).toBeNull();
  });
});

describe('percentiles, threshold and histogram', () => {
  it('p99 of positives and p1 of negatives, linearly interpolated', () => {
    // 5 values: p99 sits at position 0.99·4 = 3.96, between 30 and 40 → 39.6;
    // p1 at 0.04, between 50 and 60 → 50.4. Overlap 39.6 − 50.4 = −10.8.
    const stats = verificationStats(kept([40, 0, 20, 10, 30]), kept([90, 50, 70, 60, 80]));
    expect(stats.p99Positive).toBeCloseTo(39.6, 10);
    expect(stats.p1Negative).toBeCloseTo(50.4, 10);
    expect(stats.overlap).toBeCloseTo(-10.8, 10);
    expect(stats.verification).toEqual({ threshold: 45, accuracy: 1 });
  });

  it('picks the smallest of equally good thresholds and counts ties on both sides together', () => {
    // Positives 10, 30; negatives 20, 40. Cuts: 15 → (1/2 + 2/2)/2 = 0.75; 25 → (1/2 + 1/2)/2 = 0.5;
    // 35 → (2/2 + 1/2)/2 = 0.75. The first 0.75 wins.
    expect(bestThreshold(Float64Array.from([10, 30]), Float64Array.from([20, 40]))).toEqual({ threshold: 15, accuracy: 0.75 });
    // A positive and a negative at the same angle fall on the same side of any threshold.
    expect(bestThreshold(Float64Array.from([10, 20]), Float64Array.from([20, 30]))).toEqual({ threshold: 15, accuracy: 0.75 });
    // Positives above negatives: no threshold beats calling everything different.
    expect(bestThreshold(Float64Array.from([100]), Float64Array.from([10]))).toEqual({ threshold: 0, accuracy: 0.5 });
  });

  it('bins [0°, 180°] into equal bins, 180° in the last, with each kind’s shares summing to 1', () => {
    const histogram = pairHistogram([0, 4.9, 5, 180], [90, 90, 179.99], 36);
    expect(histogram.edges).toHaveLength(37);
    expect(histogram.edges[0]).toBe(0);
    expect(histogram.edges[36]).toBe(180);
    expect(histogram.positive[0]).toBe(2);
    expect(histogram.positive[1]).toBe(1);
    expect(histogram.positive[35]).toBe(1);
    expect(histogram.negative[18]).toBe(2);
    expect(histogram.negative[35]).toBe(1);
    expect(histogram.positiveShare.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(histogram.negativeShare[18]).toBeCloseTo(2 / 3, 12);
    expect(pairHistogram([], [], 4).positiveShare).toEqual([0, 0, 0, 0]);
  });
});

describe('subsampling many pairs', () => {
  /** 8 identities of 300 samples, identity c spread ±10° around 45°·c. */
  function eightIdentities(): { features: Float32Array; labels: number[] } {
    const degrees: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 2400; i++) {
      labels.push(i % 8);
      degrees.push(45 * (i % 8) + ((i * 7919) % 201) / 10 - 10);
    }
    return { features: onCircle(degrees), labels };
  }

  it('caps each kind, reports the true totals, and is the same for the same seed', () => {
    const { features, labels } = eightIdentities();
    const first = pairAngles(features, labels, 2, { seed: 5 });
    expect(first.positive.total).toBe((8 * (300 * 299)) / 2);
    expect(first.negative.total).toBe((2400 * 2399) / 2 - (8 * (300 * 299)) / 2);
    expect(first.positive.angles).toHaveLength(DEFAULT_MAX_PAIRS_PER_KIND);
    expect(first.negative.angles).toHaveLength(DEFAULT_MAX_PAIRS_PER_KIND);
    expect(first.positive.sampled && first.negative.sampled).toBe(true);
    const again = pairAngles(features, labels, 2, { seed: 5 });
    expect(identical(again.positive.angles, first.positive.angles)).toBe(true);
    expect(identical(again.negative.angles, first.negative.angles)).toBe(true);
    const other = pairAngles(features, labels, 2, { seed: 6 });
    expect(identical(other.positive.angles, first.positive.angles)).toBe(false);
    expect(identical(other.negative.angles, first.negative.angles)).toBe(false);
    // Every positive is within one identity (≤ 20°); every negative crosses identities (≥ 25°).
    expect(first.positive.angles[first.positive.angles.length - 1]).toBeLessThanOrEqual(20.001);
    expect(first.negative.angles[0]).toBeGreaterThanOrEqual(24.999);
    const stats = pairStats(features, labels, 2, { seed: 5 });
    expect(stats.verification?.accuracy).toBe(1);
  });

  it('draws every positive pair equally often, whatever the identity sizes', () => {
    // Identity 0: 40 samples at 0° (780 pairs at 0°). Identity 1: 3 samples at 0°, 60°,
    // 120° (3 pairs, none at 0°). Uniform over pairs puts 3/783 of the positives above 0°;
    // picking an identity uniformly first would put half there.
    const degrees = [...new Array<number>(40).fill(0), 0, 60, 120];
    const labels = [...new Array<number>(40).fill(0), 1, 1, 1];
    const aboveZero = (angles: Float64Array): number => angles.filter((angle) => angle > 1).length / angles.length;
    const all = pairAngles(onCircle(degrees), labels, 2, { seed: 2 }).positive;
    expect(all.sampled).toBe(false);
    expect(aboveZero(all.angles)).toBeCloseTo(3 / 783, 6);
    const sampled = pairAngles(onCircle(degrees), labels, 2, { seed: 2, maxPairsPerKind: 700 }).positive;
    expect(sampled.sampled).toBe(true);
    expect(sampled.total).toBe(783);
    expect(Math.abs(aboveZero(sampled.angles) - 3 / 783)).toBeLessThan(0.01);
  });

  it('draws every negative pair equally often, whatever the identity sizes', () => {
    // Identity 0: 200 samples at 0°; identity 1: 1 sample at 90°; identity 2: 50 at 180°.
    // Negative pairs: 200 + 50 at 90° (0–1, 1–2) and 10,000 at 180° (0–2): 250 / 10,250 at 90°.
    const degrees = [...new Array<number>(200).fill(0), 90, ...new Array<number>(50).fill(180)];
    const labels = [...new Array<number>(200).fill(0), 1, ...new Array<number>(50).fill(2)];
    const { negative } = pairAngles(onCircle(degrees), labels, 2, { seed: 4, maxPairsPerKind: 10000 });
    expect(negative.sampled).toBe(true);
    expect(negative.total).toBe(10250);
    const at90 = negative.angles.filter((angle) => Math.abs(angle - 90) < 1e-3).length / negative.angles.length;
    const at180 = negative.angles.filter((angle) => Math.abs(angle - 180) < 1e-3).length / negative.angles.length;
    expect(at90 + at180).toBe(1);
    // One standard error is 0.0015.
    expect(Math.abs(at90 - 250 / 10250)).toBeLessThan(0.005);
  });

  it('stays fast on 8 × 300 samples', () => {
    const { features, labels } = eightIdentities();
    pairStats(features, labels, 2, { seed: 1 });
    const started = performance.now();
    pairStats(features, labels, 2, { seed: 1 });
    // 10 to 30 ms here; the bound leaves room for a busy shared machine.
    expect(performance.now() - started).toBeLessThan(250);
  });
});
