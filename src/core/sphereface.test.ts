import { describe, expect, it } from 'vitest';
import { class1Boundary, sampleBoundary } from './boundaries';
import { SPHEREFACE_LAMBDA_FLOOR, sphereFaceCurve, sphereFaceLambda, sphereFacePsi, sphereFaceTarget } from './sphereface';

const DEG = Math.PI / 180;

describe('sphereFacePsi (m = 4)', () => {
  it('takes the hand-computed values 1 − j at θ = j·π/8', () => {
    // j even: k = j/2 and cos(4θ) = cos(jπ/2) = ±1 or 0; j odd: cos(4θ) = 0.
    // θ = π/4 (k = 1): −cos π − 2 = −1; θ = π/2 (k = 2): cos 2π − 4 = −3; θ = π (k = 3, closed end): −cos 4π − 6 = −7.
    for (let j = 0; j <= 8; j++) expect(sphereFacePsi((j * Math.PI) / 8), `θ = ${j}π/8`).toBeCloseTo(1 - j, 12);
  });

  it('takes cos(4θ) on the first piece and −cos(4θ) − 2 on the second', () => {
    expect(sphereFacePsi(10 * DEG)).toBeCloseTo(Math.cos(40 * DEG), 12);
    expect(sphereFacePsi(60 * DEG)).toBeCloseTo(-Math.cos(240 * DEG) - 2, 12);
    expect(sphereFacePsi(60 * DEG)).toBeCloseTo(-1.5, 12);
  });

  it('is continuous and non-increasing on [0, π]', () => {
    const count = 20_001;
    let previous = sphereFacePsi(0);
    let largestJump = 0;
    for (let i = 1; i < count; i++) {
      const value = sphereFacePsi((Math.PI * i) / (count - 1));
      expect(value, `step ${i}`).toBeLessThanOrEqual(previous + 1e-12);
      largestJump = Math.max(largestJump, previous - value);
      previous = value;
    }
    // The steepest slope is m = 4 per radian, so one step of π/20000 moves ψ by at most 4·π/20000 ≈ 6.3e-4.
    expect(largestJump).toBeLessThan((4 * Math.PI) / 20_000 + 1e-9);
  });

  it('refuses an m that is not a whole number', () => {
    expect(() => sphereFacePsi(1, 1.35)).toThrow(/whole number/);
    expect(() => sphereFacePsi(1, 0)).toThrow(/whole number/);
  });

  it('is cos(θ) for m = 1', () => {
    for (const theta of [0, 0.3, 1.2, Math.PI]) expect(sphereFacePsi(theta, 1)).toBeCloseTo(Math.cos(theta), 12);
  });
});

describe('sphereFaceTarget with λ', () => {
  it('is (λ cos θ + ψ)/(1 + λ) at hand-computed points for λ = 5', () => {
    expect(sphereFaceTarget(0, 5)).toBeCloseTo(1, 12);
    // (5·cos 45° − 1)/6 = (3.5355 − 1)/6
    expect(sphereFaceTarget(Math.PI / 4, 5)).toBeCloseTo((5 * Math.SQRT1_2 - 1) / 6, 12);
    expect(sphereFaceTarget(Math.PI / 4, 5)).toBeCloseTo(0.42259, 5);
    // (5·0 − 3)/6
    expect(sphereFaceTarget(Math.PI / 2, 5)).toBeCloseTo(-0.5, 12);
    // (5·(−1) − 7)/6: the Fig. 4b curve ends at −2.
    expect(sphereFaceTarget(Math.PI, 5)).toBeCloseTo(-2, 12);
  });

  it('is the pure ψ at λ = 0 and approaches cos θ for a large λ', () => {
    expect(sphereFaceTarget(1, 0)).toBe(sphereFacePsi(1));
    expect(Math.abs(sphereFaceTarget(1, 1e6) - Math.cos(1))).toBeLessThan(1e-5);
  });

  it('stays monotonic at every λ', () => {
    for (const lambda of [0, 0.5, 5, 100]) {
      let previous = Number.POSITIVE_INFINITY;
      for (let i = 0; i <= 2000; i++) {
        const value = sphereFaceTarget((Math.PI * i) / 2000, lambda);
        expect(value).toBeLessThanOrEqual(previous + 1e-12);
        previous = value;
      }
    }
  });

  it('refuses a negative or non-finite λ', () => {
    expect(() => sphereFaceTarget(1, -1)).toThrow(/λ/);
    expect(() => sphereFaceTarget(1, Number.NaN)).toThrow(/λ/);
  });
});

describe('sphereFaceLambda (annealing)', () => {
  it('starts at 1000, is 10 at iteration 825 and stops at the floor of 5', () => {
    expect(sphereFaceLambda(0)).toBe(1000);
    expect(sphereFaceLambda(825)).toBeCloseTo(10, 9);
    expect(sphereFaceLambda(1658)).toBeGreaterThan(SPHEREFACE_LAMBDA_FLOOR);
    expect(sphereFaceLambda(1659)).toBe(SPHEREFACE_LAMBDA_FLOOR);
    expect(sphereFaceLambda(1e7)).toBe(SPHEREFACE_LAMBDA_FLOOR);
  });
});

describe('the original SphereFace in Fig. 5', () => {
  it('has the boundary θ2 = acos of the annealed ψ: zero margin at the origin, about 20° at 45°', () => {
    const curve = sphereFaceCurve(5);
    expect(class1Boundary(0, curve)).toBeCloseTo(0, 6);
    // acos((5 cos 45° − 1)/6) = acos(0.42259) = 65.0°
    expect(class1Boundary(Math.PI / 4, curve) / DEG).toBeCloseTo(65.0, 1);
    // acos(−0.5) = 120° at θ1 = 90°
    expect(class1Boundary(Math.PI / 2, curve) / DEG).toBeCloseTo(120, 9);
    // Without λ, ψ reaches −1 at 45°: the boundary meets the top edge there (θ2 = 4·θ1 before it).
    const pure = sphereFaceCurve(0);
    expect(class1Boundary(10 * DEG, pure) / DEG).toBeCloseTo(40, 9);
    expect(class1Boundary(50 * DEG, pure)).toBe(Math.PI);
  });

  it('samples its boundary like the combined margin', () => {
    const points = sampleBoundary(sphereFaceCurve(5), 181);
    expect(points.length).toBeGreaterThanOrEqual(181);
    for (let i = 1; i < points.length; i++) expect(points[i].theta1).toBeGreaterThan(points[i - 1].theta1);
  });
});
