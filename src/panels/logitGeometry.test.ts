import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetLogit, toRadians } from '../core/margin';
import { defaultParams } from '../core/schema';
import {
  CURVES_SHARE,
  REFERENCE_CURVES,
  stackLabels,
  compareFallbackLabel,
  currentCurveLabel,
  currentCurveShortLabel,
  legendKeyWidth,
  shortFallbackLabel,
  splitPlots,
  currentMargin,
  histogramOutline,
  logitRunCurves,
  estimateTextWidth,
  histogramBinDegrees,
  logitCurves,
  logitLayout,
  nearestCurveValue,
  thetaHistogram,
  thetaTickStep,
  thetaTicks,
  logitTicks,
  wrapOnce,
  wrapWords,
  warmupNote,
  type CurveParams,
  type LegendEntryText,
  type LogitCurve,
  type LogitCurves,
} from './logitGeometry';

const PLOT = { width: 400, height: 200 };
const ARCFACE: CurveParams = { head: 'margin', m1: 1, m2: 0.5, m3: 0, fallback: true };
const NORM_SOFTMAX: CurveParams = { head: 'margin', m1: 1, m2: 0, m3: 0, fallback: true };

/** The vertices of a d3 linear path, "M x,y L x,y …", in pixels. */
function pathVertices(path: string): [number, number][] {
  const number = String.raw`-?\d*\.?\d+(?:e[-+]?\d+)?`;
  const vertex = new RegExp(`[ML](${number}),(${number})`, 'g');
  return [...path.matchAll(vertex)].map((match) => [Number(match[1]), Number(match[2])]);
}

function reference(curves: LogitCurves, id: string): LogitCurve {
  const found = curves.references.find((curve) => curve.id === id);
  if (!found) throw new Error(`no reference ${id}`);
  return found;
}

function valueAt(curve: LogitCurve, thetaDegrees: number): number {
  const point = curve.points.find((candidate) => Math.abs(candidate.thetaDegrees - thetaDegrees) < 1e-9);
  if (!point) throw new Error(`no sample at ${thetaDegrees}°`);
  return point.value;
}

describe('thetaHistogram', () => {
  it('puts 0, 180 and out-of-range values in the edge bins and reports NaN as skipped', () => {
    const input = [0, 180, -1, 181, Number.NaN, 45, 90, 179.9];
    const { bins, skipped, maxCount } = thetaHistogram(input, 30);
    expect(bins.map((bin) => [bin.x0, bin.x1])).toEqual([
      [0, 30],
      [30, 60],
      [60, 90],
      [90, 120],
      [120, 150],
      [150, 180],
    ]);
    // 0 and −1 → first bin; 180, 181 and 179.9 → last bin.
    expect(bins.map((bin) => bin.count)).toEqual([2, 1, 0, 1, 0, 3]);
    expect(skipped).toBe(1);
    expect(maxCount).toBe(3);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0) + skipped).toBe(input.length);
  });

  it('skips ±∞ like NaN rather than clamping them into a bin', () => {
    const { bins, skipped } = thetaHistogram(new Float32Array([Infinity, -Infinity, 5]), 10);
    expect(skipped).toBe(2);
    expect(bins[0].count).toBe(1);
    expect(bins[bins.length - 1].count).toBe(0);
  });

  it('ends with a narrower bin when the width does not divide 180°, and 180° lands in it', () => {
    const { bins } = thetaHistogram([180, 174.9, 175], 7);
    expect(bins).toHaveLength(26);
    expect(bins[25]).toEqual({ x0: 175, x1: 180, count: 2 });
    expect(bins[24]).toEqual({ x0: 168, x1: 175, count: 1 });
    for (let i = 1; i < bins.length; i++) expect(bins[i].x0).toBe(bins[i - 1].x1);
  });

  it('does not add an empty sliver bin when 180 / width rounds a hair above an integer', () => {
    expect(thetaHistogram([], 0.1).bins).toHaveLength(1800);
  });

  it('rejects a bin width that is not a positive number', () => {
    for (const width of [0, -5, Number.NaN, Infinity]) expect(() => thetaHistogram([1], width)).toThrow(RangeError);
  });

  it('counts every finite value once, in the bin that holds its clamped value', () => {
    const angle = fc.oneof(
      fc.integer({ min: -40, max: 400 }).map((half) => half / 2),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, 180),
    );
    fc.assert(
      fc.property(fc.array(angle, { maxLength: 200 }), fc.constantFrom(2, 3, 5, 7, 30, 45, 200), (values, width) => {
        const { bins, skipped } = thetaHistogram(values, width);
        const finite = values.filter(Number.isFinite);
        expect(skipped).toBe(values.length - finite.length);
        bins.forEach((bin, index) => {
          const last = index === bins.length - 1;
          const expected = finite.map((value) => Math.min(180, Math.max(0, value))).filter((value) => value >= bin.x0 && (value < bin.x1 || (last && value <= bin.x1))).length;
          expect(bin.count).toBe(expected);
        });
      }),
    );
  });
});

describe('histogramBinDegrees', () => {
  it('picks the finest width that divides 180° and keeps bars at least 4 px wide', () => {
    expect(histogramBinDegrees(250)).toBe(3);
    expect(histogramBinDegrees(640)).toBe(2);
    expect(histogramBinDegrees(100)).toBe(9);
    expect(histogramBinDegrees(10)).toBe(15);
    for (const width of [60, 120, 250, 400, 700]) {
      const degrees = histogramBinDegrees(width);
      expect(180 % degrees).toBe(0);
      expect((180 / degrees) * 4).toBeLessThanOrEqual(Math.max(width, 48));
    }
  });
});

describe('logitCurves', () => {
  it('draws the Softmax reference as cos θ: the path, read back through the scales, is cos θ', () => {
    for (const fallback of [true, false]) {
      const curves = logitCurves({ ...ARCFACE, fallback }, PLOT);
      const softmax = reference(curves, 'softmax');
      for (const point of softmax.points) expect(point.value).toBeCloseTo(Math.cos(toRadians(point.thetaDegrees)), 12);
      const vertices = pathVertices(softmax.path);
      expect(vertices).toHaveLength(softmax.points.length);
      for (const [px, py] of vertices) {
        const theta = curves.x.invert(px);
        expect(curves.y.invert(py)).toBeCloseTo(Math.cos(toRadians(theta)), 3);
      }
      expect(curves.x.invert(vertices[0][0])).toBeCloseTo(0, 9);
      expect(curves.x.invert(vertices[vertices.length - 1][0])).toBeCloseTo(180, 9);
    }
  });

  it('samples the current ArcFace curve from targetLogit, and it matches cos(θ + 0.5) by hand', () => {
    const curves = logitCurves(ARCFACE, PLOT);
    const { current } = curves;
    expect(current.points.length).toBeGreaterThan(300);
    // Degrees → radians rounds in the last bit, hence 12 digits rather than identity.
    for (const point of current.points) expect(point.value).toBeCloseTo(targetLogit(toRadians(point.thetaDegrees), { m1: 1, m2: 0.5, m3: 0, fallback: true }), 12);
    expect(valueAt(current, 0)).toBeCloseTo(0.87758256189, 9); // cos 0.5
    expect(valueAt(current, 90)).toBeCloseTo(-0.479425538604, 9); // cos(π/2 + 0.5) = −sin 0.5
    expect(valueAt(current, 180)).toBeCloseTo(-1.12241743811, 9); // fallback: −1 − cos(π − 0.5) − 1
    const vertices = pathVertices(current.path);
    expect(curves.y.invert(vertices[0][1])).toBeCloseTo(0.8776, 3);
  });

  it('has a vertex at θ* so the kink sits on the region edge', () => {
    const { current } = logitCurves(ARCFACE, PLOT);
    expect(current.points.some((point) => Math.abs(point.thetaDegrees - 151.3521) < 1e-3 && Math.abs(point.value + 1) < 1e-12)).toBe(true);
    const thetas = current.points.map((point) => point.thetaDegrees);
    expect(thetas).toEqual([...thetas].sort((a, b) => a - b));
  });

  it('keeps ψ non-increasing with the fallback and lets it rise past θ* without', () => {
    const on = logitCurves(ARCFACE, PLOT).current.points;
    for (let i = 1; i < on.length; i++) expect(on[i].value).toBeLessThanOrEqual(on[i - 1].value + 1e-12);
    const off = logitCurves({ ...ARCFACE, fallback: false }, PLOT).current;
    // Raw cos(θ + 0.5): bottoms out at −1 at θ* and climbs back to cos(π + 0.5) = −0.878.
    expect(Math.min(...off.points.map((point) => point.value))).toBeCloseTo(-1, 9);
    expect(valueAt(off, 180)).toBeCloseTo(-0.87758256189, 9);
  });

  it('marks [θ*, 180°] as non-monotonic: 151.35° for ArcFace 0.5, none for norm-softmax', () => {
    expect(logitCurves(ARCFACE, PLOT).region?.fromDegrees).toBeCloseTo(151.3521, 3);
    expect(logitCurves(ARCFACE, PLOT).region?.toDegrees).toBe(180);
    expect(logitCurves(NORM_SOFTMAX, PLOT).region).toBeNull();
    expect(logitCurves({ ...ARCFACE, head: 'softmax' }, PLOT).region).toBeNull();
    expect(logitCurves({ head: 'margin', m1: 1.35, m2: 0, m3: 0, fallback: true }, PLOT).region?.fromDegrees).toBeCloseTo(133.33, 2);
    expect(logitCurves({ head: 'margin', m1: 0.9, m2: 0.4, m3: 0.15, fallback: true }, PLOT).region?.fromDegrees).toBeCloseTo(174.535, 2);
    // A shrinking multiplier pushes θ* past π: nothing to mark.
    expect(logitCurves({ head: 'margin', m1: 0.8, m2: 0, m3: 0.3, fallback: false }, PLOT).region).toBeNull();
  });

  it('says whether the fallback is on', () => {
    expect(logitCurves(ARCFACE, PLOT).fallbackLabel).toBe('fallback on: ψ keeps falling past θ* = 151.4°');
    expect(logitCurves({ ...ARCFACE, fallback: false }, PLOT).fallbackLabel).toBe('fallback off: ψ rises past θ* = 151.4°');
    expect(logitCurves(NORM_SOFTMAX, PLOT).fallbackLabel).toMatch(/^no fallback needed/);
  });

  it('draws the Fig. 4b references with the params’ fallback setting', () => {
    const expected: [string, number, number, number][] = [
      ['softmax', 1, 0, 0],
      ['sphereface', 1.35, 0, 0],
      ['cosface', 1, 0, 0.35],
      ['arcface', 1, 0.5, 0],
      ['cm1', 1, 0.3, 0.2],
      ['cm2', 0.9, 0.4, 0.15],
    ];
    for (const fallback of [true, false]) {
      const { references } = logitCurves({ ...NORM_SOFTMAX, fallback }, PLOT);
      const combined = references.flatMap((curve) => (curve.margin ? [curve] : []));
      expect(combined.map((curve) => [curve.id, curve.margin?.m1, curve.margin?.m2, curve.margin?.m3])).toEqual(expected);
      expect(combined.every((curve) => curve.margin?.fallback === fallback && !curve.current)).toBe(true);
    }
    // SphereFace's fallback value at 180° by hand: −1 − cos(133.33°) − 1.
    expect(valueAt(reference(logitCurves(ARCFACE, PLOT), 'sphereface'), 180)).toBeCloseTo(-1.313758362131, 9);
  });

  it('draws the original SphereFace (m = 4) beside the re-implementation, at the schema’s λ', () => {
    const curves = logitCurves(ARCFACE, PLOT);
    expect(curves.references.map((curve) => curve.id)).toEqual(['softmax', 'sphereface-m4', 'sphereface', 'cosface', 'arcface', 'cm1', 'cm2']);
    const original = reference(curves, 'sphereface-m4');
    expect(original.label).toBe('SphereFace (original, m = 4, λ = 5)');
    expect(reference(curves, 'sphereface').label).toBe('SphereFace (ArcFace authors’ re-implementation, m\u00a0=\u00a01.35)');
    // (5·cos θ + ψ)/6 by hand: 1 at 0°, −0.5 at 90° (ψ = −3), −2 at 180° (ψ = −7).
    expect(valueAt(original, 0)).toBeCloseTo(1, 12);
    expect(valueAt(original, 90)).toBeCloseTo(-0.5, 12);
    expect(valueAt(original, 180)).toBeCloseTo(-2, 12);
    // λ follows the params: at λ = 0 the pure ψ reaches −7.
    const pure = reference(logitCurves({ ...ARCFACE, sphereLambda: 0 }, PLOT), 'sphereface-m4');
    expect(valueAt(pure, 180)).toBeCloseTo(-7, 12);
    expect(pure.label).toBe('SphereFace (original, m = 4, λ = 0)');
  });

  it('draws the later margins with their papers named and their extra parameters applied', () => {
    const later = logitCurves({ ...ARCFACE, curricularT: 0.5, adaNorm: 1, elasticSigma: 0.1, magMagnitude: 110 }, PLOT, 361, { set: 'later' });
    expect(later.references.map((curve) => curve.id)).toEqual(['softmax', 'curricularface', 'curricularface-negative', 'adaface', 'elasticface', 'magface']);
    const label = (id: string): string => reference(later, id).label;
    expect(label('curricularface')).toContain('Huang et al. 2020');
    expect(label('adaface')).toContain('Kim et al. 2022');
    expect(label('elasticface')).toContain('Boutros et al. 2022');
    expect(label('magface')).toContain('Meng et al. 2021');
    // CurricularFace's target is ArcFace's: cos(60° + 0.5) = 0.0354.
    expect(valueAt(reference(later, 'curricularface'), 60)).toBeCloseTo(Math.cos(toRadians(60) + 0.5), 12);
    // Its hard negative at t = 0.5: cos 60°·(0.5 + cos 60°) = 0.5.
    expect(valueAt(reference(later, 'curricularface-negative'), 60)).toBeCloseTo(0.5, 12);
    // AdaFace at ẑ = 1: cos(60° − 0.4) − 0.8.
    expect(valueAt(reference(later, 'adaface'), 60)).toBeCloseTo(Math.cos(toRadians(60) - 0.4) - 0.8, 12);
    // MagFace at a = 110: m = 0.8.
    expect(valueAt(reference(later, 'magface'), 60)).toBeCloseTo(Math.cos(toRadians(60) + 0.8), 12);
    // ElasticFace: the curve at m = 0.5 inside a band from m + 2σ = 0.7 to m − 2σ = 0.3.
    const elastic = reference(later, 'elasticface');
    const at60 = elastic.points.findIndex((point) => Math.abs(point.thetaDegrees - 60) < 1e-9);
    expect(elastic.band?.upper[at60].value).toBeCloseTo(Math.cos(toRadians(60) + 0.3), 12);
    expect(elastic.band?.lower[at60].value).toBeCloseTo(Math.cos(toRadians(60) + 0.7), 12);
    expect(elastic.band?.path).toMatch(/^M.*Z$/);
    expect(reference(later, 'magface').band).toBeUndefined();
  });

  it('draws the margin of the step beside the target during the warm-up, and says so', () => {
    const warming = logitCurves(ARCFACE, PLOT, 361, { warmup: { step: 150, steps: 300 } });
    // The target stays the current curve, unchanged; the warm-up's curve is the one that applies now.
    expect(warming.current.path).toBe(logitCurves(ARCFACE, PLOT).current.path);
    expect(warming.current.label).toBe('ArcFace (0.5)');
    expect(warming.warming?.margin?.m2).toBeCloseTo(0.25, 12);
    expect(valueAt(warming.warming as LogitCurve, 60)).toBeCloseTo(Math.cos(toRadians(60) + 0.25), 12);
    expect(warming.warming?.label).toBe('warming up 150/300: m\u00a0=\u00a0(1,\u00a00.25,\u00a00)');
    expect(logitCurves(ARCFACE, PLOT).warming).toBeNull();
    // Plain softmax has no margin to warm up.
    expect(logitCurves({ ...ARCFACE, head: 'softmax' }, PLOT, 361, { warmup: { step: 150, steps: 300 } }).warming).toBeNull();
    expect(warmupNote({ step: 150, steps: 300 })).toBe('warming up 150/300: each margin applies at 50%');
  });

  it('fits every curve in the y domain, [−2.25, 1.05] for the paper settings', () => {
    const curves = logitCurves(ARCFACE, PLOT);
    expect(curves.y.domain()[0]).toBeCloseTo(-2.25, 9);
    expect(curves.y.domain()[1]).toBeCloseTo(1.05, 9);
    const strong = logitCurves({ head: 'margin', m1: 2, m2: 1, m3: 0.8, fallback: true }, PLOT);
    const [low, high] = strong.y.domain();
    for (const curve of [strong.current, ...strong.references]) {
      for (const point of curve.points) {
        expect(point.value).toBeGreaterThanOrEqual(low);
        expect(point.value).toBeLessThanOrEqual(high);
      }
    }
    expect(low).toBeLessThan(-3.2);
    expect(strong.y.range()).toEqual([PLOT.height, 0]);
    expect(strong.x.range()).toEqual([0, PLOT.width]);
  });

  it('shows plain softmax as cos θ and names custom margins by their numbers', () => {
    const softmax = logitCurves({ ...ARCFACE, head: 'softmax' }, PLOT).current;
    expect(softmax.label).toBe('Softmax (cos θ)');
    expect(valueAt(softmax, 60)).toBeCloseTo(0.5, 12);
    expect(currentCurveLabel(ARCFACE)).toBe('ArcFace (0.5)');
    expect(currentCurveLabel({ ...ARCFACE, m2: 0.123456, m3: 0.1 })).toBe('m = (1, 0.12, 0.1)');
    expect(currentCurveLabel({ ...defaultParams() })).toBe('ArcFace (0.5)');
  });
});

describe('nearestCurveValue', () => {
  const curves = logitCurves(ARCFACE, PLOT);
  const ordered = [curves.current, ...curves.references];

  it('finds the curve under the pointer and its exact value there', () => {
    const top = nearestCurveValue(ordered, 0, 0.99);
    expect(top?.curve.id).toBe('softmax');
    expect(top?.value).toBe(1);
    // ArcFace gives cos(61.95°) = 0.470 there; CM1, the next closest, 0.436.
    const mid = nearestCurveValue(ordered, 33.3, 0.47);
    expect(mid?.curve.id).toBe('current');
    expect(mid?.value).toBe(targetLogit(toRadians(33.3), currentMargin(ARCFACE)));
    expect(mid?.distance).toBeCloseTo(Math.abs(Math.cos(toRadians(33.3) + 0.5) - 0.47), 12);
  });

  it('prefers the first-listed curve on a tie, so the current curve beats the reference it equals', () => {
    expect(nearestCurveValue(ordered, 90, -0.48)?.curve.id).toBe('current');
    expect(nearestCurveValue([...curves.references, curves.current], 90, -0.48)?.curve.id).toBe('arcface');
  });

  it('clamps θ into [0°, 180°] and gives up on empty or non-finite input', () => {
    expect(nearestCurveValue(ordered, 250, -1.1)?.thetaDegrees).toBe(180);
    expect(nearestCurveValue(ordered, -5, 1)?.thetaDegrees).toBe(0);
    expect(nearestCurveValue([], 90, 0)).toBeNull();
    expect(nearestCurveValue(ordered, Number.NaN, 0)).toBeNull();
  });
});

describe('layout', () => {
  const legend: LegendEntryText[] = [{ label: 'ArcFace (0.5)', bold: true }, ...REFERENCE_CURVES.map(({ label }) => ({ label }))];
  const note = 'fallback on: ψ keeps falling past θ* = 151.4°';
  const histogramLabel = 'θ_y of training samples; ghost = step 0';

  it.each([
    [300, 260, 11],
    [300, 260, 16],
    [480, 360, 11],
    [700, 500, 11],
    [700, 500, 16],
  ])('%d×%d at %dpx keeps everything inside the figure', (width, height, fontSize) => {
    const layout = logitLayout({ width, height }, fontSize, legend, note, histogramLabel);
    layout.legend.forEach((slot, index) => {
      expect(slot.x).toBeGreaterThanOrEqual(0);
      // Bold (the current curve, first) is wider.
      const factor = legend[index].bold ? 1.1 : 1;
      for (const text of slot.lines) expect(slot.x + layout.swatchWidth + 4 + estimateTextWidth(text, layout.smallFont) * factor).toBeLessThanOrEqual(width);
    });
    for (const line of layout.noteLines) expect(line.x + layout.swatchWidth + 4 + estimateTextWidth(line.text, layout.smallFont)).toBeLessThanOrEqual(width);
    for (const line of layout.histogramLabelLines) expect(layout.histogram.left + estimateTextWidth(line.text, layout.smallFont)).toBeLessThanOrEqual(width);
    const lastRow = Math.max(...layout.legend.map((slot) => slot.y + (slot.lines.length - 1) * layout.rowHeight), ...layout.noteLines.map((line) => line.y));
    expect(lastRow + layout.rowHeight / 2).toBeLessThanOrEqual(layout.curves.top);
    expect(layout.curves.top + layout.curves.height).toBeLessThan(layout.histogram.top);
    expect(layout.histogram.left).toBe(layout.curves.left);
    expect(layout.histogram.width).toBe(layout.curves.width);
    expect(layout.curves.left + layout.curves.width + estimateTextWidth('180°', fontSize) / 2).toBeLessThanOrEqual(width);
    expect(layout.tickLabelY).toBeLessThanOrEqual(height);
    expect(layout.curves.height).toBeGreaterThanOrEqual(24);
    expect(layout.histogram.height).toBeGreaterThanOrEqual(16);
  });

  it('shrinks a projector-sized font until a small figure has room for both plots', () => {
    const long = [{ label: 'm = (1.23, 0.37, 0.11)', bold: true }, ...legend.slice(1)];
    const layout = logitLayout({ width: 300, height: 260 }, 16, long, note, histogramLabel);
    expect(layout.fontSize).toBeLessThan(16);
    expect(layout.fontSize).toBeGreaterThanOrEqual(9.6);
    expect(layout.curves.height + layout.histogram.height).toBeGreaterThanOrEqual(layout.fontSize * 5);
    expect(layout.tickLabelY).toBeLessThanOrEqual(260);
    expect(logitLayout({ width: 700, height: 500 }, 16, long, note, histogramLabel).fontSize).toBe(16);
  });

  it('leaves the smallest light-theme panel usable plots', () => {
    const layout = logitLayout({ width: 300, height: 260 }, 11, legend, note, histogramLabel);
    expect(layout.curves.height).toBeGreaterThanOrEqual(70);
    expect(layout.histogram.height).toBeGreaterThanOrEqual(45);
  });

  it('wraps a legend entry wider than the panel over rows of its own, and extra notes by words', () => {
    // Tall enough that the legend need not fold; these entries have no short names, so the long one wraps.
    const layout = logitLayout({ width: 300, height: 600 }, 11, legend, [note, 'a second note that is long enough to need more than a single line of the legend'], histogramLabel);
    expect(layout.legendMode).toBe('short');
    const long = layout.legend.find((slot) => slot.label.startsWith('SphereFace (ArcFace'));
    expect(long?.lines.length).toBeGreaterThan(1);
    expect(long?.lines.join(' ')).toBe(long?.label);
    // The entry after it starts below its last line.
    const next = layout.legend[layout.legend.indexOf(long as (typeof layout.legend)[number]) + 1];
    expect(next.y).toBeGreaterThanOrEqual((long?.y ?? 0) + (long?.lines.length ?? 0) * layout.rowHeight - 1e-9);
    expect(layout.noteLines.filter((line) => line.note === 1).length).toBeGreaterThan(1);
    expect(wrapWords('one two three', 1000, 11)).toEqual(['one two three']);
    expect(wrapWords('one two three', estimateTextWidth('one two', 11), 11)).toEqual(['one two', 'three']);
    expect(wrapWords('unbreakable', 5, 11)).toEqual(['unbreakable']);
  });

  it('wraps a long line once at its separator, and leaves a short one alone', () => {
    expect(wrapOnce(note, ': ', 1000, 11)).toEqual([note]);
    expect(wrapOnce(note, ': ', 100, 11)).toEqual(['fallback on:', 'ψ keeps falling past θ* = 151.4°']);
    expect(wrapOnce(histogramLabel, '; ', 100, 11)).toEqual(['θ_y of training samples;', 'ghost = step 0']);
  });

  it('spaces θ ticks so "180°" labels do not touch, always from 0° to 180°', () => {
    expect(thetaTickStep(600, 11)).toBe(30);
    expect(thetaTickStep(160, 11)).toBe(45);
    expect(thetaTickStep(160, 16)).toBe(90);
    expect(thetaTicks(600, 11)).toEqual([0, 30, 60, 90, 120, 150, 180]);
    expect(thetaTicks(210, 16)).toEqual([0, 90, 180]);
  });

  it('thins logit ticks on a short plot but keeps 0', () => {
    const { y } = logitCurves(ARCFACE, { width: 300, height: 200 });
    // The domain now reaches −2.25 for the original SphereFace's −2 at 180°.
    expect(logitTicks(y, 11)).toEqual([-2, -1.5, -1, -0.5, 0, 0.5, 1]);
    const short = logitCurves(ARCFACE, { width: 300, height: 26 }).y;
    const thinned = logitTicks(short, 13.6);
    expect(thinned).toContain(0);
    for (let i = 1; i < thinned.length; i++) expect(Math.abs(short(thinned[i]) - short(thinned[i - 1]))).toBeGreaterThanOrEqual(13.6 * 1.3);
  });
});

describe('compare mode', () => {
  const SOFTMAX: CurveParams = { head: 'softmax', m1: 1, m2: 0, m3: 0, fallback: true };
  const SPHEREFACE: CurveParams = { head: 'margin', m1: 1.35, m2: 0, m3: 0, fallback: true };
  const runs = [
    { letter: 'A', label: 'Softmax', params: SOFTMAX },
    { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
  ];

  it('draws each run’s ψ as single mode draws it alone, labelled by letter', () => {
    const compare = logitRunCurves(runs, PLOT);
    expect(compare.runs.map((curve) => [curve.id, curve.label, curve.runIndex, curve.current])).toEqual([
      ['run-0', 'A Softmax', 0, true],
      ['run-1', 'B ArcFace (0.5)', 1, true],
    ]);
    // Softmax and ArcFace are both references already, so the y domain, and with it the path, is single mode's.
    expect(compare.runs[1].path).toBe(logitCurves(ARCFACE, PLOT).current.path);
    expect(compare.runs[0].points).toEqual(logitCurves(SOFTMAX, PLOT).current.points);
    expect(compare.references.map((curve) => curve.id)).toEqual(['softmax', 'sphereface-m4', 'sphereface', 'cosface', 'arcface', 'cm1', 'cm2']);
  });

  it('shades each run’s own [θ*, 180°] and names the runs whose ψ would turn', () => {
    const compare = logitRunCurves([...runs, { letter: 'C', label: 'SphereFace (1.35)', params: SPHEREFACE }], PLOT);
    expect(compare.regions[0]).toBeNull();
    // ArcFace: θ* = π − 0.5 = 151.35°; SphereFace: 180° / 1.35 = 133.33°.
    expect(compare.regions[1]?.fromDegrees).toBeCloseTo(151.352, 3);
    expect(compare.regions[2]?.fromDegrees).toBeCloseTo(133.333, 3);
    expect(compare.fallbackLabel).toBe('fallback on: ψ keeps falling past θ* (B 151.4°, C 133.3°)');
    expect(compareFallbackLabel([{ letter: 'A', label: 'Softmax', params: { ...SOFTMAX, fallback: false } }])).toBe('no fallback needed: ψ decreases all the way to 180°');
    expect(compareFallbackLabel(runs.map((run) => ({ ...run, params: { ...run.params, fallback: false } })))).toBe('fallback off: ψ rises past θ* (B 151.4°)');
  });

  it('fits the y axis to every run, so a strong margin is not cut off', () => {
    const strong: CurveParams = { head: 'margin', m1: 1, m2: 0.8, m3: 0.4, fallback: true };
    const compare = logitRunCurves([runs[0], { letter: 'B', label: 'strong', params: strong }], PLOT);
    const lowest = Math.min(...compare.runs[1].points.map((point) => point.value));
    expect(compare.y.domain()[0]).toBeLessThanOrEqual(lowest);
  });

  it('outlines a histogram along the tops of its bins, from and back to the axis', () => {
    const bins = [
      { x0: 0, x1: 60, count: 2 },
      { x0: 60, x1: 120, count: 0 },
      { x0: 120, x1: 180, count: 5 },
    ];
    expect(histogramOutline(bins)).toEqual([
      [0, 0],
      [0, 2],
      [60, 2],
      [60, 0],
      [120, 0],
      [120, 5],
      [180, 5],
      [180, 0],
    ]);
    expect(histogramOutline([])).toEqual([
      [0, 0],
      [180, 0],
    ]);
  });

  it('lengthens the legend swatches when asked, and only then', () => {
    const entries = [{ label: 'A Softmax', bold: true }];
    // 11 px type: the legend's 9.35 px × 1.5 = 14 px swatches; the runs' (bold) ones as long as asked.
    expect(logitLayout({ width: 400, height: 330 }, 11, entries, 'note', 'label').legend[0].swatchWidth).toBe(14);
    const asked = logitLayout({ width: 400, height: 330 }, 11, [...entries, { label: 'CosFace' }], 'note', 'label', { minSwatchWidth: 23 });
    expect(asked.legend.map((slot) => slot.swatchWidth)).toEqual([23, 14]);
    expect(asked.swatchWidth).toBe(14);
  });
});

describe('a legend that leaves the curves their room', () => {
  // 10 px type: legend font 8.5 px, so an estimated 5.1 px a character (5.61 bold), rows of
  // ceil(8.5 × 1.35) = 12 px, 13 px swatches, 8 px gaps. A 300 px figure has rows 284 px wide.
  const bold: LegendEntryText = { label: 'AAAAAAAAAA', bold: true }; // 13 + 4 + 10 × 5.61 = 73.1 px
  const longEntry = (index: number): LegendEntryText => ({ label: `${'x'.repeat(39)}${index}`, short: `s${index}xx` }); // 221 px full, 37.4 px short
  const references = (count: number): LegendEntryText[] => Array.from({ length: count }, (_, index) => longEntry(index));
  const options = { titleHeight: 26 };

  it('splits the plots 60:40, giving ψ up to 70% when 60% is short of 36% of the figure', () => {
    expect(splitPlots(200, 300)).toEqual({ curves: 120, histogram: 80 });
    // 60% of 150 is 90 < 108 = 36% of 300; 70% is 105.
    expect(splitPlots(150, 300)).toEqual({ curves: 105, histogram: 45 });
    expect(splitPlots(170, 300)).toEqual({ curves: 108, histogram: 62 });
  });

  it('names the curves in full when that takes two rows and leaves ψ its share', () => {
    const layout = logitLayout({ width: 300, height: 400 }, 10, [bold, longEntry(0)], 'n', 'h', options);
    expect(layout.legendMode).toBe('full');
    // 81.1 + 221 > 284: the reference starts row 2, centred at 26 + 12 + 6.
    expect(layout.legend.map((slot) => [slot.x, slot.y, slot.lines, slot.short])).toEqual([
      [8, 32, ['AAAAAAAAAA'], false],
      [8, 44, [`${'x'.repeat(39)}0`], false],
    ]);
    // The note (13 + 4 + 5.1 = 22.1 px) follows the reference on its row: 229 + 22.1 ≤ 284. Plots from 50 + 5.
    expect(layout.noteLines).toEqual([{ text: 'n', note: 0, x: 237, y: 44 }]);
    expect(layout.curves.top).toBe(55);
  });

  it('switches to short names when the full ones take more than two rows, keeping each full name', () => {
    // In full, three rows: the bold entry, then each 221 px reference on a row of its own.
    const layout = logitLayout({ width: 300, height: 400 }, 10, [bold, ...references(2)], 'n', 'h', options);
    expect(layout.legendMode).toBe('short');
    // One row: 8, then 8 + 81.1, + 45.4.
    expect(layout.legend.map((slot) => slot.x)).toEqual([8, 89.1, 134.5].map((x) => expect.closeTo(x, 9)));
    expect(layout.legend.map((slot) => slot.y)).toEqual([32, 32, 32]);
    expect(layout.legend[1]).toMatchObject({ label: `${'x'.repeat(39)}0`, lines: ['s0xx'], short: true });
    // The note shares the row, at 8 + 171.9. Plots from 26 + 12 + 5 = 43; 400 − 43 − 6 − 14 − 15 = 322 left, 193 (60%) for ψ.
    expect(layout.noteLines).toEqual([{ text: 'n', note: 0, x: expect.closeTo(179.9, 9), y: 32 }]);
    expect(layout.curves).toMatchObject({ top: 43, height: 193 });
    expect(layout.histogram.height).toBe(129);
  });

  it('folds the references behind a key only when short names still crowd ψ, at the theme’s font', () => {
    // Twelve short references take three rows (the note fits on the third): plots from 67, 98 px
    // left, and ψ would get min(0.7 × 98, 72) = 68.6 < 70 = 35% of 200.
    const layout = logitLayout({ width: 300, height: 200 }, 10, [bold, ...references(12)], 'n', 'h', options);
    expect(layout.fontSize).toBe(10);
    expect(layout.legendMode).toBe('folded');
    expect(layout.legend.map((slot) => slot.label)).toEqual(['AAAAAAAAAA']);
    // The key follows the bold entry: 5 characters × 5.1 + 12 → 38 px.
    expect(layout.key).toEqual({ x: expect.closeTo(89.1, 9), y: 32, width: 38 });
    expect(legendKeyWidth(8.5)).toBe(38);
    // The note after the key, at 8 + 127.1. One row: plots from 43, 122 px left, ψ max(73.2, 72) → 73.
    expect(layout.noteLines[0]).toMatchObject({ x: expect.closeTo(135.1, 9), y: 32 });
    expect(layout.curves).toMatchObject({ top: 43, height: 73 });
    expect(layout.curves.height).toBeGreaterThanOrEqual(CURVES_SHARE * 200);
    expect(logitLayout({ width: 300, height: 400 }, 10, [bold, ...references(12)], 'n', 'h', options).key).toBeNull();
  });

  it('starts the legend beside a wrapped title’s toggle when an entry fits there', () => {
    const layout = logitLayout({ width: 300, height: 400 }, 10, [bold, ...references(3)], 'n', 'h', { titleHeight: 50, besideToggle: { y: 35, width: 80 } });
    // 73.1 fits the 80 px beside the toggle; the next entry (81.1 + 37.4) does not and starts the row under the title.
    expect(layout.legend.map((slot) => [slot.x, slot.y])).toEqual([
      [8, 35],
      [8, 56],
      [expect.closeTo(53.4, 9), 56],
      [expect.closeTo(98.8, 9), 56],
    ]);
    // One row under the title, the note on it after the references (8 + 136.2); plots from 62 + 5.
    expect(layout.noteLines[0]).toMatchObject({ x: expect.closeTo(144.2, 9), y: 56 });
    expect(layout.curves.top).toBe(67);
    // Too narrow for the bold entry: nothing goes beside the toggle.
    const narrow = logitLayout({ width: 300, height: 400 }, 10, [bold, ...references(3)], 'n', 'h', { titleHeight: 50, besideToggle: { y: 35, width: 60 } });
    expect(narrow.legend[0].y).toBe(56);
  });

  it('shortens the fallback note and the histogram label only when the full ones need two lines', () => {
    const note = 'fallback on: ψ keeps falling past θ* = 151.4°';
    expect(shortFallbackLabel(note)).toBe('fallback on: θ* = 151.4°');
    expect(shortFallbackLabel('fallback off: ψ rises past θ* = 151.4°')).toBe('fallback off: θ* = 151.4°');
    expect(shortFallbackLabel('fallback on: ψ keeps falling past θ* (B 151.4°, C 133.3°)')).toBe('fallback on: θ* (B 151.4°, C 133.3°)');
    expect(shortFallbackLabel('no fallback needed: ψ decreases all the way to 180°')).toBe('no fallback needed');
    const wide = logitLayout({ width: 600, height: 400 }, 10, [bold], note, 'θ_y of training samples; ghost = step 0', { ...options, shortNote: 'short', shortHistogramLabel: 'hist' });
    expect(wide.noteLines.map((line) => line.text)).toEqual([note]);
    expect(wide.histogramLabelLines.map((line) => line.text)).toEqual(['θ_y of training samples; ghost = step 0']);
    expect(wide.histogramLabelX).toBe(wide.histogram.left);
    // 150 px wide: the note's 45 characters (229.5 px) do not fit 150 − 16 − 13 − 4 = 117 px, nor the label's 39 (198.9 px) the 100 px right of the axis.
    const narrow = logitLayout({ width: 150, height: 400 }, 10, [bold], note, 'θ_y of training samples; ghost = step 0', { ...options, shortNote: 'short', shortHistogramLabel: 'hist' });
    expect(narrow.noteLines.map((line) => line.text)).toEqual(['short']);
    expect(narrow.histogramLabelLines.map((line) => line.text)).toEqual(['hist']);
  });

  it('gives every curve a short name and keeps the full one, paper and all', () => {
    const curves = logitCurves({ ...ARCFACE, sphereLambda: 5 }, PLOT);
    expect(curves.references.map((curve) => curve.short)).toEqual(['Softmax', 'SF m=4, λ=5', 'SF 1.35', 'CosFace', 'ArcFace', 'CM1', 'CM2']);
    expect(reference(curves, 'sphereface').label).toBe('SphereFace (ArcFace authors’ re-implementation, m\u00a0=\u00a01.35)');
    const later = logitCurves(ARCFACE, PLOT, 361, { set: 'later' });
    expect(later.references.map((curve) => curve.short)).toEqual(['Softmax', 'CurricularFace', 'its negative, t=0', 'AdaFace ẑ=0', 'ElasticFace σ=0.05', 'MagFace a=60']);
    expect(currentCurveShortLabel(ARCFACE)).toBe('ArcFace (0.5)');
    expect(currentCurveShortLabel({ head: 'margin', m1: 1.35, m2: 0, m3: 0, fallback: true })).toBe('SF 1.35');
    expect(currentCurveShortLabel({ ...ARCFACE, m2: 0.123456, m3: 0.1 })).toBe('m=(1,0.12,0.1)');
    expect(currentCurveShortLabel({ ...ARCFACE, head: 'softmax' })).toBe('Softmax');
    expect(logitCurves(ARCFACE, PLOT, 361, { warmup: { step: 150, steps: 300 } }).warming?.short).toBe('warm-up 150/300');
  });
});

describe('θ* marks', () => {
  it('stacks right-aligned labels that would overlap, and keeps apart ones on the first row', () => {
    // [70, 100] and [75, 105] overlap; [110, 140] starts 5 px after 105, so row 0 has room again.
    expect(
      stackLabels([
        { right: 100, width: 30 },
        { right: 105, width: 30 },
        { right: 140, width: 30 },
      ]),
    ).toEqual([0, 1, 0]);
    // Input order is kept: the rightmost listed first still lands on row 0 once the others are placed.
    expect(
      stackLabels([
        { right: 140, width: 30 },
        { right: 100, width: 30 },
        { right: 102, width: 30 },
      ]),
    ).toEqual([0, 0, 1]);
    // A 2 px gap is not the 3 px asked for.
    expect(
      stackLabels([
        { right: 100, width: 30 },
        { right: 132, width: 30 },
      ]),
    ).toEqual([0, 1]);
    expect(stackLabels([])).toEqual([]);
  });
});
