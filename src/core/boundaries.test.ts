import { describe, expect, it } from 'vitest';
import { class1Boundary, constantAngularMargin, decisionAt, marginColumns, pairAngles, sampleBoundary } from './boundaries';
import type { Margin } from './margin';

const NORM_SOFTMAX: Margin = { m1: 1, m2: 0, m3: 0, fallback: true };
const ARCFACE: Margin = { m1: 1, m2: 0.5, m3: 0, fallback: true };
const COSFACE: Margin = { m1: 1, m2: 0, m3: 0.35, fallback: true };
const SPHEREFACE: Margin = { m1: 1.35, m2: 0, m3: 0, fallback: true };

describe('class1Boundary', () => {
  it('is θ2 = θ1 + m2 for ArcFace wherever that stays inside [0, π]', () => {
    const points = sampleBoundary(ARCFACE, 181).filter((point) => point.theta1 + ARCFACE.m2 <= Math.PI);
    expect(points.length).toBeGreaterThan(150);
    for (const { theta1, theta2 } of points) expect(theta2).toBeCloseTo(theta1 + 0.5, 9);
  });

  it('runs along the top edge once ArcFace’s θ1 + m2 passes π (class 1 cannot win there)', () => {
    expect(class1Boundary(Math.PI - 0.2, ARCFACE)).toBe(Math.PI);
    expect(class1Boundary(Math.PI, ARCFACE)).toBe(Math.PI);
  });

  it('bends back down past θ* without the fallback, because cos(θ + m2) rises again', () => {
    const noFallback = { ...ARCFACE, fallback: false };
    // cos(π − 0.1 + 0.5) = cos(π + 0.4) = cos(π − 0.4), so θ2 = π − 0.4.
    expect(class1Boundary(Math.PI - 0.1, noFallback)).toBeCloseTo(Math.PI - 0.4, 9);
  });

  it('satisfies cos θ1 − m3 = cos θ2 for CosFace', () => {
    const points = sampleBoundary(COSFACE, 181).filter((point) => Math.cos(point.theta1) - 0.35 >= -1);
    expect(points.length).toBeGreaterThan(100);
    for (const { theta1, theta2 } of points) expect(Math.abs(Math.cos(theta1) - 0.35 - Math.cos(theta2))).toBeLessThan(1e-9);
    // At θ1 = 0 the CosFace margin is already acos(0.65) ≈ 49.5° wide, unlike SphereFace's.
    expect(class1Boundary(0, COSFACE)).toBeCloseTo(Math.acos(0.65), 12);
  });

  it('is θ2 = m1·θ1 for SphereFace while m1·θ1 ≤ π, starting at the origin', () => {
    const points = sampleBoundary(SPHEREFACE, 181).filter((point) => 1.35 * point.theta1 <= Math.PI);
    expect(points.length).toBeGreaterThan(100);
    for (const { theta1, theta2 } of points) expect(theta2).toBeCloseTo(1.35 * theta1, 9);
    expect(class1Boundary(0, SPHEREFACE)).toBe(0);
  });

  it('is the diagonal θ2 = θ1 for softmax / norm-softmax', () => {
    for (const { theta1, theta2 } of sampleBoundary(NORM_SOFTMAX, 91)) expect(theta2).toBeCloseTo(theta1, 7);
  });
});

describe('sampleBoundary', () => {
  it('covers [0, π] in order with at least `count` points', () => {
    const points = sampleBoundary(COSFACE, 50);
    expect(points.length).toBeGreaterThanOrEqual(50);
    expect(points[0].theta1).toBe(0);
    expect(points[points.length - 1].theta1).toBe(Math.PI);
    for (let i = 1; i < points.length; i++) expect(points[i].theta1).toBeGreaterThan(points[i - 1].theta1);
  });

  it('includes the corner where ArcFace’s boundary meets the top edge, θ1 = π − m2', () => {
    const points = sampleBoundary(ARCFACE, 7);
    const corner = points.find((point) => Math.abs(point.theta1 - (Math.PI - 0.5)) < 1e-9);
    expect(corner?.theta2).toBeCloseTo(Math.PI, 9);
  });

  it('refines the steep end of CosFace’s boundary, so no step jumps more than a few degrees', () => {
    const points = sampleBoundary(COSFACE, 91);
    let largestJump = 0;
    for (let i = 1; i < points.length; i++) largestJump = Math.max(largestJump, Math.abs(points[i].theta2 - points[i - 1].theta2));
    expect(largestJump).toBeLessThan((4 * Math.PI) / 90);
  });
});

describe('constantAngularMargin', () => {
  it('is 2·m2 for ArcFace, 0 for norm-softmax, null when m1 or m3 bends the boundaries', () => {
    expect(constantAngularMargin(ARCFACE)).toBeCloseTo(1.0, 12);
    expect(constantAngularMargin(NORM_SOFTMAX)).toBe(0);
    expect(constantAngularMargin(COSFACE)).toBeNull();
    expect(constantAngularMargin(SPHEREFACE)).toBeNull();
    expect(constantAngularMargin({ m1: 1, m2: 0.3, m3: 0.2, fallback: true })).toBeNull();
  });

  it('matches the measured vertical gap between the two ArcFace boundaries', () => {
    const theta1 = 1.2;
    const upper = class1Boundary(theta1, ARCFACE);
    // Class 2's boundary is the mirror: at column θ1 it sits where class1Boundary(θ2) = θ1.
    const lower = theta1 - ARCFACE.m2;
    expect(class1Boundary(lower, ARCFACE)).toBeCloseTo(theta1, 12);
    expect(upper - lower).toBeCloseTo(constantAngularMargin(ARCFACE) ?? Number.NaN, 12);
  });
});

// acos(cos θ) is only good to ~1e-8 next to 0 and π (its slope is infinite there), so
// angles computed through it are compared to 7 digits.
describe('marginColumns', () => {
  it('is the band |θ1 − θ2| ≤ m2 for ArcFace, cut by the edges of the plane', () => {
    const columns = marginColumns(ARCFACE, 61);
    for (const { theta1, lower, upper } of columns) {
      expect(lower).toBeCloseTo(Math.max(0, theta1 - 0.5), 7);
      expect(upper).toBeCloseTo(Math.min(Math.PI, theta1 + 0.5), 7);
    }
    // Class 2's corner, where its boundary leaves the bottom edge, is a column of its own.
    expect(columns.some((column) => Math.abs(column.theta1 - 0.5) < 1e-12)).toBe(true);
  });

  it('is [θ1/m1, m1·θ1] for SphereFace: zero at the origin, growing with θ', () => {
    for (const { theta1, lower, upper } of marginColumns(SPHEREFACE, 61)) {
      expect(lower).toBeCloseTo(theta1 / 1.35, 7);
      expect(upper).toBeCloseTo(Math.min(Math.PI, 1.35 * theta1), 7);
    }
  });

  it('is empty for norm-softmax', () => {
    for (const { lower, upper } of marginColumns(NORM_SOFTMAX, 61)) expect(upper - lower).toBeLessThan(1e-7);
  });

  it('agrees with decisionAt: the column midpoint is in the margin, just outside it is not', () => {
    const cm1: Margin = { m1: 1, m2: 0.3, m3: 0.2, fallback: true };
    for (const { theta1, lower, upper } of marginColumns(cm1, 31)) {
      if (upper - lower < 1e-3) continue;
      expect(decisionAt(theta1, (lower + upper) / 2, cm1)).toBe('margin');
      if (upper < Math.PI - 1e-3) expect(decisionAt(theta1, upper + 1e-3, cm1)).toBe('class1');
      if (lower > 1e-3) expect(decisionAt(theta1, lower - 1e-3, cm1)).toBe('class2');
    }
  });
});

describe('decisionAt', () => {
  it('puts class 1 above its boundary, class 2 below the mirror, and the margin between', () => {
    expect(decisionAt(0.2, 1.0, ARCFACE)).toBe('class1');
    expect(decisionAt(1.0, 0.2, ARCFACE)).toBe('class2');
    expect(decisionAt(1.0, 1.2, ARCFACE)).toBe('margin');
    expect(decisionAt(1.0, 1.0, ARCFACE)).toBe('margin');
    // Without a margin only the diagonal itself is undecided.
    expect(decisionAt(1.0, 1.01, NORM_SOFTMAX)).toBe('class1');
  });

  it('reports overlap when m1 < 1 makes ψ exceed cos θ', () => {
    expect(decisionAt(1, 1, { m1: 0.5, m2: 0, m3: 0, fallback: true })).toBe('both');
  });
});

describe('pairAngles', () => {
  it('gives each sample of a or b its angles to W_a and W_b, normalising rows', () => {
    const sixty = Math.PI / 3;
    // W0 = +x, W1 = +y (length 2), W2 = −x.
    const weights = new Float32Array([1, 0, 0, 2, -1, 0]);
    const embeddings = new Float32Array([
      1,
      0, //                               identity 0, on W0
      Math.cos(sixty),
      Math.sin(sixty), //   identity 1, 60° from W0, 30° from W1
      0.5,
      0.5, //                           identity 2, left out
      0,
      -3, //                              identity 0, raw length 3, pointing at −y
    ]);
    const labels = new Int32Array([0, 1, 2, 0]);
    const { thetaA, thetaB, identity } = pairAngles(embeddings, labels, weights, 0, 1);
    expect(Array.from(identity)).toEqual([0, 1, 0]);
    const expectedA = [0, Math.PI / 3, Math.PI / 2];
    const expectedB = [Math.PI / 2, Math.PI / 6, Math.PI];
    for (let i = 0; i < 3; i++) {
      expect(thetaA[i]).toBeCloseTo(expectedA[i], 3);
      expect(thetaB[i]).toBeCloseTo(expectedB[i], 3);
    }
  });

  it('swaps the columns when a and b swap', () => {
    const weights = new Float32Array([1, 0, 0, 1]);
    const embeddings = new Float32Array([Math.SQRT1_2, Math.SQRT1_2 * -1, 0.6, 0.8]);
    const labels = new Int32Array([0, 1]);
    const forward = pairAngles(embeddings, labels, weights, 0, 1);
    const backward = pairAngles(embeddings, labels, weights, 1, 0);
    expect(Array.from(backward.thetaA)).toEqual(Array.from(forward.thetaB));
    expect(Array.from(backward.thetaB)).toEqual(Array.from(forward.thetaA));
    expect(forward.thetaB[1]).toBeCloseTo(Math.acos(0.8), 6);
  });
});
