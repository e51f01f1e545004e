import { describe, expect, it } from 'vitest';
import { feasibilitySentence, marginFeasibility } from './feasibility';
import type { Margin } from './margin';

const DEG = Math.PI / 180;
const margin = (m1: number, m2: number, m3: number): Margin => ({ m1, m2, m3, fallback: true });
const COSFACE = margin(1, 0, 0.35);
const ARCFACE = margin(1, 0.5, 0);

describe('marginFeasibility', () => {
  it('CosFace 0.35 cannot be met by 8 identities: 1 − 0.35 < cos 45°', () => {
    const result = marginFeasibility(COSFACE, 8);
    expect(result.neighbourAngle).toBeCloseTo(45 * DEG, 12);
    expect(result.bestTarget).toBeCloseTo(0.65, 12);
    expect(result.rivalCosine).toBeCloseTo(Math.SQRT1_2, 12);
    expect(result.feasible).toBe(false);
    expect(result.tolerance).toBeNull();
    // The largest cosine margin that fits: 1 − cos 45° = 0.2929.
    expect(result.largestM3 ?? Number.NaN).toBeCloseTo(1 - Math.SQRT1_2, 12);
  });

  it('ArcFace 0.5 can, for samples within (45° − 28.65°)/2 = 8.2° of their W', () => {
    const result = marginFeasibility(ARCFACE, 8);
    expect(result.feasible).toBe(true);
    // cos(θ + 0.5) = cos(π/4 − θ) at θ = (π/4 − 0.5)/2.
    expect(result.tolerance ?? Number.NaN).toBeCloseTo((Math.PI / 4 - 0.5) / 2, 9);
    expect(result.largestM2 ?? Number.NaN).toBeCloseTo(Math.PI / 4, 12);
  });

  it('the multiplicative margin can always be met on W, with a tolerance of φ/(m1 + 1)', () => {
    const result = marginFeasibility(margin(1.35, 0, 0), 8);
    expect(result.feasible).toBe(true);
    expect(result.tolerance ?? Number.NaN).toBeCloseTo(Math.PI / 4 / 2.35, 9);
  });

  it('is decided by the identity count: CosFace 0.35 fits 7 identities (cos 51.4° = 0.623) but not 8', () => {
    expect(marginFeasibility(COSFACE, 7).feasible).toBe(true);
    expect(marginFeasibility(COSFACE, 8).feasible).toBe(false);
    // CM1: cos 0.3 − 0.2 = 0.755 ≥ 0.707 with 8; largest m2 at m3 = 0.2: acos(0.907) = 24.9°.
    const cm1 = marginFeasibility(margin(1, 0.3, 0.2), 8);
    expect(cm1.feasible).toBe(true);
    expect(cm1.largestM2 ?? Number.NaN).toBeCloseTo(Math.acos(Math.SQRT1_2 + 0.2), 12);
    expect(cm1.largestM3 ?? Number.NaN).toBeCloseTo(Math.cos(0.3) - Math.SQRT1_2, 12);
  });

  it('says when no m2 can fit: with 16 identities and m3 = 0.1, cos 22.5° + 0.1 > 1', () => {
    expect(marginFeasibility(margin(1, 0, 0.1), 16).largestM2).toBeNull();
  });

  it('refuses fewer than two identities or a fraction', () => {
    expect(() => marginFeasibility(ARCFACE, 1)).toThrow(/identities/);
    expect(() => marginFeasibility(ARCFACE, 2.5)).toThrow(/identities/);
  });
});

describe('feasibilitySentence', () => {
  it('says "cannot" for CosFace 0.35 and names the largest m3', () => {
    const sentence = feasibilitySentence(COSFACE, 8);
    expect(sentence).toBe('8 identities in 2-D (45.0° apart) cannot meet this margin: ψ(0) = 0.650 < cos 45.0° = 0.707; largest m3 that fits: 0.293.');
  });

  it('says "can" for ArcFace 0.5, with the tolerance and the largest m2', () => {
    const sentence = feasibilitySentence(ARCFACE, 8);
    expect(sentence).toBe('8 identities in 2-D (45.0° apart) can meet this margin within 8.2° of their W: ψ(0) = 0.878 ≥ cos 45.0° = 0.707; largest m2 that fits: 0.785 (45.0°).');
  });
});
