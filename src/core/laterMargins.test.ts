import { describe, expect, it } from 'vitest';
import {
  adaFaceNormalisedNorm,
  adaFaceTarget,
  curricularHardNegative,
  curricularNegative,
  curricularTarget,
  curricularUpdateT,
  elasticBand,
  elasticTarget,
  magFaceMargin,
  magFaceRegulariser,
  magFaceTarget,
} from './laterMargins';

const DEG = Math.PI / 180;

describe('CurricularFace', () => {
  it('has ArcFace’s target cos(θ + 0.5)', () => {
    expect(curricularTarget(0, true)).toBeCloseTo(Math.cos(0.5), 12);
    expect(curricularTarget(60 * DEG, true)).toBeCloseTo(Math.cos(60 * DEG + 0.5), 12);
  });

  it('re-weights only hard negatives, to cos θj·(t + cos θj)', () => {
    // Target 0.6: a negative at 0.8 is hard; at t = 0 it counts 0.64, at t = 1 it counts 1.44.
    expect(curricularNegative(0.8, 0.6, 0)).toBeCloseTo(0.64, 12);
    expect(curricularNegative(0.8, 0.6, 1)).toBeCloseTo(1.44, 12);
    // An easy negative (0.5 < 0.6) keeps its cosine whatever t is.
    expect(curricularNegative(0.5, 0.6, 0.9)).toBe(0.5);
    expect(curricularHardNegative(60 * DEG, 0.5)).toBeCloseTo(0.5, 12);
  });

  it('moves t towards the batch’s mean target cosine with α = 0.99', () => {
    expect(curricularUpdateT(0, 0.5)).toBeCloseTo(0.495, 12);
    expect(curricularUpdateT(0.2, 0.7)).toBeCloseTo(0.99 * 0.7 + 0.01 * 0.2, 12);
  });
});

describe('AdaFace', () => {
  it('is ArcFace at ẑ = −1, CosFace at ẑ = 0 and cos(θ − m) − 2m at ẑ = 1 (m = 0.4)', () => {
    const theta = 70 * DEG;
    expect(adaFaceTarget(theta, -1)).toBeCloseTo(Math.cos(theta + 0.4), 12);
    expect(adaFaceTarget(theta, 0)).toBeCloseTo(Math.cos(theta) - 0.4, 12);
    expect(adaFaceTarget(theta, 1)).toBeCloseTo(Math.cos(theta - 0.4) - 0.8, 12);
    expect(adaFaceTarget(theta, 0.5)).toBeCloseTo(Math.cos(theta - 0.2) - 0.6, 12);
  });

  it('clamps the shifted angle into [0, π], as its reference code does', () => {
    // θ = 0.2 < m at ẑ = 1: the angle clamps to 0, so ψ = 1 − 0.8.
    expect(adaFaceTarget(0.2, 1)).toBeCloseTo(0.2, 12);
    // θ = π at ẑ = −1: θ + 0.4 clamps to π, so ψ = −1.
    expect(adaFaceTarget(Math.PI, -1)).toBeCloseTo(-1, 12);
  });

  it('measures ẑ in batch standard deviations over h, clipped to [−1, 1]', () => {
    // (25 − 20)·0.333/5 = 0.333
    expect(adaFaceNormalisedNorm(25, 20, 5)).toBeCloseTo(0.333, 12);
    expect(adaFaceNormalisedNorm(100, 20, 5)).toBe(1);
    expect(adaFaceNormalisedNorm(0, 20, 5)).toBe(-1);
    expect(adaFaceNormalisedNorm(25, 20, 0)).toBe(0);
  });
});

describe('ElasticFace', () => {
  it('draws cos(θ + E) for a drawn margin E', () => {
    expect(elasticTarget(30 * DEG, 0.45, true)).toBeCloseTo(Math.cos(30 * DEG + 0.45), 12);
  });

  it('spans the curves of m ± 2σ where cos is monotonic', () => {
    const band = elasticBand(60 * DEG, 0.05, true);
    expect(band.upper).toBeCloseTo(Math.cos(60 * DEG + 0.4), 12);
    expect(band.lower).toBeCloseTo(Math.cos(60 * DEG + 0.6), 12);
    const none = elasticBand(60 * DEG, 0, true);
    expect(none.upper).toBe(none.lower);
  });

  it('keeps the maximum of 1 where θ + E can reach 0', () => {
    // σ = 0.3: E ∈ [−0.1, 1.1]; at θ = 0.05, E = −0.05 puts the angle at 0.
    const band = elasticBand(0.05, 0.3, true);
    expect(band.upper).toBeCloseTo(1, 12);
    expect(band.lower).toBeCloseTo(Math.cos(1.15), 12);
  });
});

describe('MagFace', () => {
  it('raises the margin linearly from 0.45 at a = 10 to 0.8 at a = 110', () => {
    expect(magFaceMargin(10)).toBeCloseTo(0.45, 12);
    expect(magFaceMargin(60)).toBeCloseTo(0.625, 12);
    expect(magFaceMargin(110)).toBeCloseTo(0.8, 12);
    // Clamped outside [l_a, u_a].
    expect(magFaceMargin(1)).toBeCloseTo(0.45, 12);
    expect(magFaceMargin(500)).toBeCloseTo(0.8, 12);
  });

  it('has the regulariser 1/a + a/u_a², smallest at a = u_a', () => {
    expect(magFaceRegulariser(110)).toBeCloseTo(2 / 110, 12);
    expect(magFaceRegulariser(10)).toBeCloseTo(0.1 + 10 / 12100, 12);
    expect(magFaceRegulariser(100)).toBeGreaterThan(magFaceRegulariser(110));
  });

  it('draws cos(θ + m(a))', () => {
    expect(magFaceTarget(40 * DEG, 60, true)).toBeCloseTo(Math.cos(40 * DEG + 0.625), 12);
  });
});
