import { describe, expect, it } from 'vitest';
import { accuracy, angleReport, arcGaps, classCentres, featureStats, identityArcs, normalizeRows, percentile, smallestArcGap, targetAngles, weightStats, wrapAngle, type Arc } from './angles';
import { toRadians } from './margin';

/** Row-major 2-D points at the given angles (degrees) and radius. */
function onCircle(degrees: number[], radius = 1): number[] {
  return degrees.flatMap((d) => [radius * Math.cos(toRadians(d)), radius * Math.sin(toRadians(d))]);
}

const EIGHT = [0, 45, 90, 135, 180, 225, 270, 315];
// Features are stored as Float32, so angles are good to about 1e-5°.
const DIGITS = 4;

describe('weightStats and featureStats', () => {
  it('8 evenly spaced W give W-Inter = 45°', () => {
    const weights = onCircle(EIGHT);
    const { wInter } = weightStats(onCircle(EIGHT), [0, 1, 2, 3, 4, 5, 6, 7], weights, 8, 2);
    expect(wInter).toBeCloseTo(45, 5);
  });

  it('features exactly on their W: W-EC = 0, Intra = 0, Inter = 45', () => {
    const labels = [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7];
    const features = [...onCircle(EIGHT), ...onCircle(EIGHT, 7)]; // radius does not matter
    const weights = onCircle(EIGHT, 2);
    expect(weightStats(features, labels, weights, 8, 2).wEC).toBeCloseTo(0, DIGITS);
    const stats = featureStats(features, labels, 8, 2);
    expect(stats.intra).toBeCloseTo(0, DIGITS);
    expect(stats.inter).toBeCloseTo(45, DIGITS);
  });

  // Class 0 at ±10° around 0°, class 1 at ±10° around 90°, class 2 at ±20° around 200°.
  // Radii differ on purpose: the centre is the mean of *normalised* features.
  const features = [...onCircle([10], 5), ...onCircle([-10]), ...onCircle([80, 100], 0.3), ...onCircle([180, 220], 2)];
  const labels = [0, 0, 1, 1, 2, 2];

  it('hand-built configuration: centres at 0°, 90°, 200°', () => {
    const { centres, present } = classCentres(normalizeRows(features, 2), labels, 3, 2);
    expect(present).toEqual([true, true, true]);
    const centreAngles = [0, 1, 2].map((c) => Math.atan2(centres[c * 2 + 1], centres[c * 2]));
    expect(centreAngles[0]).toBeCloseTo(0, 6);
    expect(centreAngles[1]).toBeCloseTo(toRadians(90), 6);
    expect(wrapAngle(centreAngles[2] - toRadians(200))).toBeCloseTo(0, 6);
  });

  it('hand-built configuration: Intra = mean(10,10,10,10,20,20), Inter = mean(90,90,110)', () => {
    const stats = featureStats(features, labels, 3, 2);
    expect(stats.intra).toBeCloseTo(80 / 6, DIGITS); // 13.3333
    // nearest centre: 0° → 90° (90), 90° → 0° (90), 200° → 90° (110)
    expect(stats.inter).toBeCloseTo(290 / 3, DIGITS); // 96.6667
  });

  it('hand-built configuration with W at 5°, 90°, 180°: W-EC = mean(5,0,20), W-Inter = mean(85,85,90)', () => {
    const { wEC, wInter } = weightStats(features, labels, onCircle([5, 90, 180]), 3, 2);
    expect(wEC).toBeCloseTo(25 / 3, DIGITS); // 8.3333
    expect(wInter).toBeCloseTo(260 / 3, DIGITS); // 86.6667
  });
});

describe('normalizeRows and absent classes', () => {
  it('normalises rows and maps a zero row to zeros, not NaN', () => {
    expect(Array.from(normalizeRows([3, 4, 0, 0, 0, -2], 2))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0, 0, 0, -1]);
  });

  it('a class without samples is present = false and is left out of the statistics', () => {
    // Class 1 has no samples; classes 0 and 2 sit at 0° and 60°.
    const features = onCircle([0, 0, 60, 60]);
    const labels = [0, 0, 2, 2];
    const { present } = classCentres(normalizeRows(features, 2), labels, 3, 2);
    expect(present).toEqual([true, false, true]);
    const stats = featureStats(features, labels, 3, 2);
    expect(stats.intra).toBeCloseTo(0, DIGITS);
    expect(stats.inter).toBeCloseTo(60, DIGITS);
    // W-EC only over present classes: W0 off by 10°, W2 off by 20°, W1 ignored.
    const { wEC, wInter } = weightStats(features, labels, onCircle([10, 90, 80]), 3, 2);
    expect(wEC).toBeCloseTo(15, DIGITS);
    expect(Number.isFinite(wInter)).toBe(true);
  });

  it('a class whose features cancel out is present = false', () => {
    const { present } = classCentres(normalizeRows(onCircle([0, 180, 30]), 2), [0, 0, 1], 2, 2);
    expect(present).toEqual([false, true]);
    expect(Number.isFinite(featureStats(onCircle([0, 180, 30]), [0, 0, 1], 2, 2).intra)).toBe(true);
  });
});

describe('percentile and wrapAngle', () => {
  it('percentile interpolates linearly between sorted values', () => {
    const sorted = [1, 2, 3, 4];
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 1)).toBe(4);
    expect(percentile(sorted, 0.5)).toBe(2.5); // position 1.5
    expect(percentile(sorted, 0.25)).toBe(1.75); // position 0.75
    expect(percentile([7], 0.98)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('wrapAngle maps into (−π, π]', () => {
    expect(wrapAngle(Math.PI)).toBe(Math.PI);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(0.5 + 2 * Math.PI)).toBeCloseTo(0.5, 12);
    expect(wrapAngle(-1.5 * Math.PI)).toBeCloseTo(0.5 * Math.PI, 12);
    expect(wrapAngle(0)).toBe(0);
  });
});

describe('identity arcs and gaps', () => {
  // 51 evenly spaced samples from −5° to +5° (step 0.2°) around each k·45°. The 2nd and
  // 98th percentiles sit at positions 0.02·50 = 1 and 0.98·50 = 49: exactly −4.8° and +4.8°.
  const offsets = Array.from({ length: 51 }, (_, j) => -5 + 0.2 * j);
  function spread(centres: number[]): { features: number[]; labels: number[] } {
    const degrees = centres.flatMap((centre) => offsets.map((offset) => centre + offset));
    return { features: onCircle(degrees), labels: centres.flatMap((_, c) => offsets.map(() => c)) };
  }

  it('each arc spans the 2nd–98th percentile, ±4.8°, around its centre (also at 180°)', () => {
    const { features, labels } = spread(EIGHT);
    const arcs = identityArcs(features, labels, 8);
    expect(arcs.map((arc) => arc.identity)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const arc of arcs) {
      expect(wrapAngle(arc.centre - toRadians(EIGHT[arc.identity])), `identity ${arc.identity}`).toBeCloseTo(0, 6);
      expect(arc.start).toBeCloseTo(toRadians(-4.8), 6);
      expect(arc.end).toBeCloseTo(toRadians(4.8), 6);
    }
  });

  it('8 identities 45° apart with ±4.8° arcs leave gaps of 45 − 9.6 = 35.4°', () => {
    const { features, labels } = spread(EIGHT);
    const gaps = arcGaps(identityArcs(features, labels, 8));
    expect(gaps).toHaveLength(8);
    for (const entry of gaps) {
      expect(entry.to).toBe((entry.from + 1) % 8); // counter-clockwise neighbours, 315° → 0° included
      expect(entry.gap).toBeCloseTo(35.4, DIGITS);
    }
    expect(smallestArcGap(features, labels, 8)).toBeCloseTo(35.4, DIGITS);
  });

  it('overlapping arcs give a negative gap: centres 8° apart → 8 − 9.6 = −1.6°', () => {
    const { features, labels } = spread([0, 8]);
    const gaps = arcGaps(identityArcs(features, labels, 2));
    expect(gaps.map((entry) => entry.gap).sort((a, b) => a - b)).toEqual([expect.closeTo(-1.6, DIGITS), expect.closeTo(360 - 8 - 9.6, DIGITS)]);
    expect(smallestArcGap(features, labels, 2)).toBeCloseTo(-1.6, DIGITS);
  });

  it('wraps across ±180°: identities at 175° and −175° are 10° apart', () => {
    const { features, labels } = spread([175, -175]);
    expect(smallestArcGap(features, labels, 2)).toBeCloseTo(10 - 9.6, DIGITS);
  });

  it('identities with the same centre overlap completely: gap −9.6°, not 350.4°', () => {
    const { features, labels } = spread([30, 30]);
    const gaps = arcGaps(identityArcs(features, labels, 2))
      .map((entry) => entry.gap)
      .sort((a, b) => a - b);
    expect(gaps).toEqual([expect.closeTo(-9.6, DIGITS), expect.closeTo(360 - 9.6, DIGITS)]);
    expect(smallestArcGap(features, labels, 2)).toBeCloseTo(-9.6, DIGITS);
  });

  it('a collapsed model (every feature identical) has no gap, not a 360° one', () => {
    const features = onCircle([50, 50, 50, 50, 50, 50]);
    expect(smallestArcGap(features, [0, 0, 1, 1, 2, 2], 3)).toBeCloseTo(0, DIGITS);
  });

  it('fewer than two arcs have no gaps', () => {
    const single: Arc[] = [{ identity: 0, centre: 0, start: -0.1, end: 0.1 }];
    expect(arcGaps(single)).toEqual([]);
    expect(smallestArcGap(onCircle([0, 1]), [0, 0], 1)).toBe(0);
  });
});

describe('targetAngles', () => {
  it('gives the angle between each feature and its own W', () => {
    const angles = targetAngles(onCircle([30, 120], 4), [0, 1], onCircle([0, 90]), 2);
    expect(angles[0]).toBeCloseTo(30, DIGITS);
    expect(angles[1]).toBeCloseTo(30, DIGITS);
  });
});

describe('accuracy', () => {
  const weights = [1, 0, 0, 1]; // W0 = (1, 0), W1 = (0, 1)
  const features = [2, 1, 1, 3, 1, 1.2, 0.2, 0.1];
  const labels = [0, 1, 1, 0];

  it('cosine mode: every sample is nearest its own W', () => {
    expect(accuracy(features, labels, weights, 2, 2)).toBe(1);
  });

  it('cosine mode ignores the norm of W', () => {
    expect(accuracy(features, labels, [1, 0, 0, 10], 2, 2)).toBe(1);
    // The raw logits do not: with W1 = (0, 10), (2, 1) and (0.2, 0.1) go to class 1.
    expect(accuracy(features, labels, [1, 0, 0, 10], 2, 2, [0, 0])).toBe(0.5);
  });

  it('bias mode: a bias of 0.5 on class 0 flips (1, 1.2) from 1.2 vs 1 to 1.2 vs 1.5', () => {
    expect(accuracy(features, labels, weights, 2, 2, [0, 0])).toBe(1);
    expect(accuracy(features, labels, weights, 2, 2, [0.5, 0])).toBe(0.75);
  });

  it('bias mode uses raw features: scaling (1, 1.2) to (10, 12) outgrows the 0.5 bias', () => {
    expect(accuracy([1, 1.2], [1], weights, 2, 2, [0.5, 0])).toBe(0); // 1.5 vs 1.2
    expect(accuracy([10, 12], [1], weights, 2, 2, [0.5, 0])).toBe(1); // 10.5 vs 12
  });

  it('is 0 with no samples', () => {
    expect(accuracy([], [], weights, 2, 2)).toBe(0);
  });
});

describe('angleReport', () => {
  it('collects the statistics; features on their W give 0, 45, 0, 45 and a 45° gap', () => {
    const labels = [0, 1, 2, 3, 4, 5, 6, 7];
    const data = { features: onCircle(EIGHT), labels, classes: 8 };
    const report = angleReport(data, data, onCircle(EIGHT), 2);
    expect(report.wEC).toBeCloseTo(0, DIGITS);
    expect(report.wInter).toBeCloseTo(45, DIGITS);
    expect(report.intraTrain).toBeCloseTo(0, DIGITS);
    expect(report.interTrain).toBeCloseTo(45, DIGITS);
    expect(report.gapTrain).toBeCloseTo(45, DIGITS);
    expect(report.intraHeldout).toBeCloseTo(0, DIGITS);
    expect(report.interHeldout).toBeCloseTo(45, DIGITS);
  });

  it('takes the gap from arcs the caller measured already (the trainer passes its own)', () => {
    const labels = [0, 1, 2, 3, 4, 5, 6, 7];
    const data = { features: onCircle(EIGHT), labels, classes: 8 };
    const arcs = identityArcs(data.features, labels, 8);
    expect(angleReport(data, data, onCircle(EIGHT), 2, arcs).gapTrain).toBeCloseTo(45, DIGITS);
    // Arcs of 10° each side leave 25° between neighbours: the report uses the arcs it is given.
    const wider = arcs.map((arc) => ({ ...arc, start: -Math.PI / 18, end: Math.PI / 18 }));
    expect(angleReport(data, data, onCircle(EIGHT), 2, wider).gapTrain).toBeCloseTo(25, DIGITS);
  });
});
