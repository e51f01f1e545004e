import { describe, expect, it } from 'vitest';
import { safeAcos, sampleTargetLogit, targetLogit, thetaStar, toDegrees, toRadians, warmedMargin, warmupProgress, type Margin } from './margin';
import { PRESETS } from './presets';
import { SCHEMA } from './schema';

const withFallback = (m1: number, m2: number, m3: number): Margin => ({ m1, m2, m3, fallback: true });

/**
 * ψ(θ) = cos(m1·θ + m2) − m3, worked out by hand for θ = 0°, 30°, 60°, 90°, and at 180°
 * with the fallback ψ = cos θ − cos θ* − 1 − m3 where θ* < π.
 */
const HAND_VALUES: Record<string, [number, number][]> = {
  'norm-softmax': [
    [0, 1], // cos 0
    [30, 0.866025403784], // cos 30°
    [60, 0.5], // cos 60°
    [90, 0], // cos 90°
    [180, -1], // cos 180° (θ* = 180°, no fallback)
  ],
  sphereface: [
    [0, 1], // cos(0)
    [30, 0.7604059656], // cos(1.35·30° = 40.5°) = cos(0.706858)
    [60, 0.15643446504], // cos(81°) = cos(1.413717)
    [90, -0.522498564716], // cos(121.5°) = cos(2.120575)
    [180, -1.313758362131], // cos π − cos(133.33°) − 1 = −1 + 0.686241637869 − 1
  ],
  cosface: [
    [0, 0.65], // cos 0 − 0.35 (the paper subtracts m3: not 1.35)
    [30, 0.516025403784], // 0.866025403784 − 0.35
    [60, 0.15], // 0.5 − 0.35
    [90, -0.35], // 0 − 0.35
    [180, -1.35], // −1 − 0.35 (θ* = 180°)
  ],
  arcface: [
    [0, 0.87758256189], // cos(0.5)
    [30, 0.520296023213], // cos(0.523599 + 0.5) = cos(1.023599)
    [60, 0.023596585291], // cos(1.047198 + 0.5) = cos(1.547198)
    [90, -0.479425538604], // cos(1.570796 + 0.5) = cos(2.070796) = −sin 0.5
    [180, -1.12241743811], // −1 − cos(π − 0.5) − 1 = −2 + cos 0.5
  ],
  'arcface-0.4': [
    [0, 0.921060994003], // cos(0.4)
    [30, 0.602953048087], // cos(0.923599)
    [60, 0.123284319863], // cos(1.447198)
    [90, -0.389418342309], // cos(1.970796) = −sin 0.4
    [180, -1.078939005997], // −2 + cos 0.4
  ],
  'arcface-0.45': [
    [0, 0.900447102353], // cos(0.45)
    [30, 0.562327298346], // cos(0.973599)
    [60, 0.073532348865], // cos(1.497198)
    [90, -0.434965534111], // cos(2.020796) = −sin 0.45
    [180, -1.099552897647], // −2 + cos 0.45
  ],
  'arcface-0.55': [
    [0, 0.85252452206], // cos(0.55)
    [30, 0.476964278987], // cos(1.073599)
    [60, -0.026398157458], // cos(1.597198): already negative at 60°
    [90, -0.522687228931], // cos(2.120796) = −sin 0.55
    [180, -1.14747547794], // −2 + cos 0.55
  ],
  cm1: [
    [0, 0.755336489126], // cos(0.3) − 0.2
    [30, 0.479585565414], // cos(0.823599) − 0.2
    [60, 0.021740238262], // cos(1.347198) − 0.2
    [90, -0.495520206661], // cos(1.870796) − 0.2
    [180, -1.244663510874], // −1 − cos(π − 0.3) − 1 − 0.2 = −2.2 + cos 0.3
  ],
  cm2: [
    [0, 0.771060994003], // cos(0.4) − 0.15
    [30, 0.493879127], // cos(0.9·0.523599 + 0.4) = cos(0.871239) − 0.15
    [60, 0.076340011888], // cos(1.342478) − 0.15
    [90, -0.390538272446], // cos(1.813717) − 0.15
    [180, -1.154545090947], // −1 − cos(3.046214) − 1 − 0.15 = −2.15 + 0.995454909053
  ],
};

describe('targetLogit at hand-computed points', () => {
  // The presets that add terms share their margin with Norm-Softmax or ArcFace, which have their tables.
  const marginPresets = PRESETS.filter(({ head, terms }) => head === 'margin' && terms.intra === 0 && terms.inter === 0 && terms.triplet === 0 && terms.center === 0);

  it('has a hand table for every margin preset', () => {
    expect(marginPresets.map((preset) => preset.id).sort()).toEqual(Object.keys(HAND_VALUES).sort());
  });

  for (const preset of marginPresets) {
    it(`${preset.id}: ψ(θ) matches cos(m1·θ + m2) − m3`, () => {
      const margin = withFallback(preset.m1, preset.m2, preset.m3);
      for (const [degrees, expected] of HAND_VALUES[preset.id]) {
        expect(targetLogit(toRadians(degrees), margin), `${preset.id} at ${degrees}°`).toBeCloseTo(expected, 10);
      }
    });
  }
});

describe('thetaStar', () => {
  it('ArcFace 0.5 → 151.35°', () => {
    expect(toDegrees(thetaStar(1, 0.5))).toBeCloseTo(151.3521, 4); // (π − 0.5)/1 = 2.641593 rad
  });
  it('SphereFace 1.35 → 133.33°', () => {
    expect(toDegrees(thetaStar(1.35, 0))).toBeCloseTo(133.3333, 4); // 180°/1.35
  });
  it('CM2 (0.9, 0.4) → 174.5°', () => {
    expect(toDegrees(thetaStar(0.9, 0.4))).toBeCloseTo(174.5352, 4); // (π − 0.4)/0.9 = 3.046214 rad
  });
  it('is clamped to π when ψ is monotonic on all of [0, π]', () => {
    expect(thetaStar(1, 0)).toBe(Math.PI);
    expect(thetaStar(0.5, 0)).toBe(Math.PI); // (π − 0)/0.5 = 2π
  });
});

/** m1, m2, m3 on a 6-point grid over their schema ranges, corners included. */
function schemaGrid(): [number, number, number][] {
  const steps = (min: number, max: number): number[] => Array.from({ length: 6 }, (_, i) => min + ((max - min) * i) / 5);
  const grid: [number, number, number][] = [];
  for (const m1 of steps(SCHEMA.m1.min, SCHEMA.m1.max)) {
    for (const m2 of steps(SCHEMA.m2.min, SCHEMA.m2.max)) {
      for (const m3 of steps(SCHEMA.m3.min, SCHEMA.m3.max)) grid.push([m1, m2, m3]);
    }
  }
  return grid;
}

describe('fallback keeps ψ monotonic and continuous', () => {
  it('ψ is non-increasing and has no jumps on [0°, 180°] over the whole schema grid', () => {
    const count = 2000;
    const dTheta = Math.PI / (count - 1);
    const grid = schemaGrid();
    expect(grid).toContainEqual([SCHEMA.m1.max, SCHEMA.m2.max, SCHEMA.m3.max]);
    expect(grid).toContainEqual([SCHEMA.m1.min, SCHEMA.m2.min, SCHEMA.m3.min]);
    for (const [m1, m2, m3] of grid) {
      const points = sampleTargetLogit(withFallback(m1, m2, m3), count);
      // Slope is m1·sin(·) before θ* and sin θ after it, so at most max(m1, 1).
      const maxStep = Math.max(m1, 1) * dTheta * 1.01 + 1e-9;
      let largestRise = -Infinity;
      let largestJump = 0;
      for (let i = 1; i < count; i++) {
        const step = points[i].value - points[i - 1].value;
        largestRise = Math.max(largestRise, step);
        largestJump = Math.max(largestJump, Math.abs(step));
      }
      expect(largestRise, `rise at m=(${m1}, ${m2}, ${m3})`).toBeLessThanOrEqual(1e-12);
      expect(largestJump, `jump at m=(${m1}, ${m2}, ${m3})`).toBeLessThanOrEqual(maxStep);
    }
  });

  it('meets −1 − m3 from both sides of θ*', () => {
    for (const [m1, m2, m3] of [
      [1, 0.5, 0],
      [1.35, 0, 0],
      [0.9, 0.4, 0.15],
      [2, 1, 0.8],
    ]) {
      const margin = withFallback(m1, m2, m3);
      const limit = thetaStar(m1, m2);
      expect(limit).toBeLessThan(Math.PI);
      expect(targetLogit(limit, margin)).toBeCloseTo(-1 - m3, 12);
      expect(targetLogit(limit - 1e-7, margin)).toBeCloseTo(-1 - m3, 6);
      expect(targetLogit(limit + 1e-7, margin)).toBeCloseTo(-1 - m3, 6);
      expect(targetLogit(limit + 1e-7, margin)).toBeLessThan(-1 - m3);
    }
  });

  it('without the fallback ArcFace ψ rises again past θ*', () => {
    const margin: Margin = { m1: 1, m2: 0.5, m3: 0, fallback: false };
    const atLimit = targetLogit(thetaStar(1, 0.5), margin); // cos π = −1
    const at170 = targetLogit(toRadians(170), margin); // cos(2.967060 + 0.5) = −0.947501
    expect(atLimit).toBeCloseTo(-1, 12);
    expect(at170).toBeCloseTo(-0.947501481964, 10);
    expect(at170).toBeGreaterThan(atLimit);
    // With the fallback it keeps falling: cos 170° − cos(π − 0.5) − 1 = −0.984808 + 0.877583 − 1
    expect(targetLogit(toRadians(170), withFallback(1, 0.5, 0))).toBeCloseTo(-1.107225, 6);
  });

  it('unlike insightface, does not jump at θ* = π − m (m = 0.5)', () => {
    const m = 0.5;
    const limit = Math.PI - m;
    // insightface past θ*: cos θ − m·sin m = −cos 0.5 − 0.5·sin 0.5 = −0.877583 − 0.239713
    const insightface = Math.cos(limit) - m * Math.sin(m);
    expect(insightface).toBeCloseTo(-1.117295, 6);
    // Ours is continuous: −1 just before and just after θ*.
    expect(targetLogit(limit - 1e-9, withFallback(1, m, 0))).toBeCloseTo(-1, 8);
    expect(targetLogit(limit + 1e-9, withFallback(1, m, 0))).toBeCloseTo(-1, 8);
  });
});

describe('no NaN at the schema corners', () => {
  it('ψ is finite for every corner of (m1, m2, m3) and θ at the ends', () => {
    for (const m1 of [SCHEMA.m1.min, SCHEMA.m1.max]) {
      for (const m2 of [SCHEMA.m2.min, SCHEMA.m2.max]) {
        for (const m3 of [SCHEMA.m3.min, SCHEMA.m3.max]) {
          const thetas = [0, 1e-12, thetaStar(m1, m2), Math.PI, safeAcos(-1.0000001)];
          for (const fallback of [true, false]) {
            for (const theta of thetas) {
              expect(Number.isFinite(targetLogit(theta, { m1, m2, m3, fallback })), `m=(${m1}, ${m2}, ${m3}) θ=${theta}`).toBe(true);
            }
          }
        }
      }
    }
  });

  it('safeAcos clamps cosines a hair past ±1', () => {
    expect(safeAcos(1.0000001)).toBe(0);
    expect(safeAcos(-1.0000001)).toBe(Math.PI);
    expect(safeAcos(0.5)).toBeCloseTo(Math.PI / 3, 14);
  });
});

describe('warmedMargin', () => {
  const margin: Margin = { m1: 1.4, m2: 0.5, m3: 0.2, fallback: true };

  it('starts at (1, 0, 0)', () => {
    expect(warmedMargin(margin, 0, 100)).toEqual({ m1: 1, m2: 0, m3: 0, fallback: true });
  });
  it('is at the midpoints half-way', () => {
    const half = warmedMargin(margin, 50, 100);
    expect(half.m1).toBeCloseTo(1.2, 12);
    expect(half.m2).toBeCloseTo(0.25, 12);
    expect(half.m3).toBeCloseTo(0.1, 12);
    expect(half.fallback).toBe(true);
  });
  it('is unchanged at and after the warm-up', () => {
    expect(warmedMargin(margin, 100, 100)).toEqual(margin);
    expect(warmedMargin(margin, 5000, 100)).toEqual(margin);
  });
  it('is unchanged when the warm-up is 0', () => {
    expect(warmedMargin(margin, 0, 0)).toEqual(margin);
  });
});

describe('warmupProgress', () => {
  it('is the share of the warm-up done, and null once it is over or off', () => {
    expect(warmupProgress(0, 300)).toEqual({ step: 0, steps: 300, ramp: 0 });
    expect(warmupProgress(150, 300)).toEqual({ step: 150, steps: 300, ramp: 0.5 });
    expect(warmupProgress(299, 300)?.ramp).toBeCloseTo(299 / 300, 12);
    expect(warmupProgress(300, 300)).toBeNull();
    expect(warmupProgress(10, 0)).toBeNull();
    expect(warmupProgress(Number.NaN, 300)).toBeNull();
  });

  it('agrees with warmedMargin about when the margin is whole', () => {
    const arcface = { m1: 1, m2: 0.5, m3: 0, fallback: true };
    const progress = warmupProgress(200, 300);
    expect(warmedMargin(arcface, 200, 300).m2).toBeCloseTo(0.5 * (progress?.ramp ?? Number.NaN), 12);
    expect(warmedMargin(arcface, 300, 300)).toBe(arcface);
  });
});
