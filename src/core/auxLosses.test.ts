import { describe, expect, it } from 'vitest';
import { centerPenalty, interPenalty, intraPenalty, tripletSemiHard, updatedCentres } from './auxLosses';

const radians = (degrees: number) => (degrees * Math.PI) / 180;
/** Unit 2-D rows at the given angles in degrees, scaled by `length`. */
const atAngles = (degrees: number[], length = 1) => Float32Array.from(degrees.flatMap((angle) => [length * Math.cos(radians(angle)), length * Math.sin(radians(angle))]));

describe('intraPenalty: (1/(πN)) Σ θ_y', () => {
  it('is the mean target angle over π', () => {
    expect(intraPenalty([0, Math.PI / 2, Math.PI])).toBeCloseTo(0.5, 12);
    expect(intraPenalty([radians(30)])).toBeCloseTo(1 / 6, 12);
  });
  it('is 0 for an empty batch rather than NaN', () => {
    expect(intraPenalty([])).toBe(0);
  });
});

describe('interPenalty: (1/(πN(n−1))) Σ_i Σ_{j≠y_i} arccos(Ŵ_{y_i}·Ŵ_j)', () => {
  // Four directions a quarter turn apart: from any one, the others are at 90°, 180° and 90°, 2π in all.
  const square = atAngles([0, 90, 180, 270]);
  it('averages each sample’s class angle sum over N(n−1) and π', () => {
    expect(interPenalty(square, 4, 2, [0, 1])).toBeCloseTo((2 * 2 * Math.PI) / (Math.PI * 2 * 3), 6);
  });
  it('weights a class by how often it is a target', () => {
    // Directions at 0°, 60° and 180°: class 0 sums 60° + 180°, class 2 sums 180° + 120°.
    const uneven = atAngles([0, 60, 180]);
    const expected = (2 * radians(240) + radians(300)) / (Math.PI * 3 * 2);
    expect(interPenalty(uneven, 3, 2, [0, 0, 2])).toBeCloseTo(expected, 5);
  });
  it('reads the directions, not their lengths', () => {
    expect(interPenalty(atAngles([0, 90, 180, 270], 7), 4, 2, [0, 1])).toBeCloseTo(interPenalty(square, 4, 2, [0, 1]), 6);
  });
  it('is 0 with one class or no samples', () => {
    expect(interPenalty(atAngles([0]), 1, 2, [0])).toBe(0);
    expect(interPenalty(square, 4, 2, [])).toBe(0);
  });
});

describe('tripletSemiHard: max(0, θ_pos + m − θ_neg), hardest positive, semi-hard negative', () => {
  // Identity 0 at 0° and 10°, identity 1 at 30° (alone, so never an anchor).
  const features = atAngles([0, 10, 30], 5);
  const labels = [0, 0, 1];
  it('sums each anchor’s violation and averages over the anchors that have both', () => {
    const margin = 0.35;
    const result = tripletSemiHard(features, labels, 2, margin);
    // Both negatives are farther than the positive (10°): semi-hard is the nearest of them.
    const fromFirst = radians(10) + margin - radians(30);
    const fromSecond = radians(10) + margin - radians(20);
    expect(result.anchors).toBe(2);
    expect(result.active).toBe(2);
    expect(result.loss).toBeCloseTo((fromFirst + fromSecond) / 2, 5);
  });
  it('is 0 when every triplet keeps its margin', () => {
    expect(tripletSemiHard(features, labels, 2, 0)).toEqual({ loss: 0, anchors: 2, active: 0 });
  });
  it('takes the nearest negative farther than the positive, and the nearest of all when none is', () => {
    // Identity 0 at 0° and 10°; identity 1 at 12° and 40°.
    const result = tripletSemiHard(atAngles([0, 10, 12, 40]), [0, 0, 1, 1], 2, 0.35);
    const m = 0.35;
    // At 0°: positive 10°, negatives 12° and 40°, both farther: 12°. At 10°: positive 10°,
    // negatives 2° and 30°: semi-hard 30°. At 12°: positive 28°, negatives 12° and 2°, none
    // farther: the nearest, 2°. At 40°: positive 28°, negatives 40° and 30°: 30°.
    const violations = [radians(10 - 12), radians(10 - 30), radians(28 - 2), radians(28 - 30)].map((angle) => Math.max(0, angle + m));
    expect(result).toMatchObject({ anchors: 4, active: 4 });
    expect(result.loss).toBeCloseTo(violations.reduce((a, b) => a + b, 0) / 4, 5);
  });
});

describe('centre loss (Wen et al. 2016)', () => {
  it('is (λ/2) times the mean squared distance to the own centre', () => {
    const features = Float32Array.from([1, 0, 3, 0, 0, 2]);
    const centres = Float32Array.from([2, 0, 0, 0]);
    // Distances²: 1, 1 and 4 (the third sample is identity 1, centred at the origin).
    expect(centerPenalty(features, [0, 0, 1], centres, 2, 1)).toBeCloseTo(0.5 * (6 / 3), 12);
    expect(centerPenalty(features, [0, 0, 1], centres, 2, 0.01)).toBeCloseTo(0.005 * 2, 12);
  });
  it('moves a centre by α·Σ(c − x)/(1 + count) and leaves an absent class alone', () => {
    const features = Float32Array.from([1, 0, 3, 0]);
    const centres = Float32Array.from([0, 0, 5, 5]);
    const next = updatedCentres(features, [0, 0], centres, 2, 2, 0.5);
    // Σ(c − x) = (−1 − 3, 0) over 1 + 2: Δc = (−4/3, 0); c − 0.5·Δc = (2/3, 0).
    expect(next[0]).toBeCloseTo(2 / 3, 6);
    expect(next[1]).toBe(0);
    expect([next[2], next[3]]).toEqual([5, 5]);
  });
  it('leaves a centre that sits at its samples’ mean where it is', () => {
    const next = updatedCentres(Float32Array.from([1, 0, 3, 0]), [0, 0], Float32Array.from([2, 0]), 1, 2);
    expect([next[0], next[1]]).toEqual([2, 0]);
  });
});
