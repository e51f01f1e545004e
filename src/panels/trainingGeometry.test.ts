import { describe, expect, it } from 'vitest';
import { scaleLinear } from 'd3';
import { LOSS_TICKS, PLOT, compareTrainingLayout, compareTrainingScales, niceStepBound, stepTicks, trainingLayout, trainingScales } from './trainingGeometry';

const RUNS = [
  { letter: 'A', text: 'Softmax' },
  { letter: 'B', text: 'ArcFace (0.5)' },
  { letter: 'C', text: 'CosFace (0.35)' },
  { letter: 'D', text: 'SphereFace (1.35)' },
];

describe('niceStepBound', () => {
  it('rounds the step up to 1, 2 or 5 × 10^k, at least 100', () => {
    expect([0, 100, 101, 250, 2001, 5000].map(niceStepBound)).toEqual([100, 100, 200, 500, 5000, 5000]);
  });
});

describe('compareTrainingLayout', () => {
  it('stacks legend, loss and accuracy inside the panel, in that order, loss the taller', () => {
    for (const [width, height] of [
      [330, 300],
      [420, 330],
      [640, 480],
    ]) {
      for (let count = 2; count <= 4; count++) {
        const layout = compareTrainingLayout({ width, height }, 10.45, 1.75, RUNS.slice(0, count));
        expect(layout.legend.items).toHaveLength(count);
        for (const item of layout.legend.items) expect(layout.legendLeft + item.x + item.width).toBeLessThanOrEqual(width);
        expect(layout.legendTop + layout.legend.height).toBeLessThan(layout.loss.top);
        expect(layout.loss.top).toBeLessThan(layout.loss.bottom);
        expect(layout.loss.bottom).toBeLessThan(layout.accuracy.top);
        expect(layout.accuracy.top).toBeLessThan(layout.accuracy.bottom);
        expect(layout.tickLabelY).toBeLessThanOrEqual(height);
        expect(layout.loss.bottom - layout.loss.top).toBeGreaterThan(layout.accuracy.bottom - layout.accuracy.top);
        expect(layout.left).toBeLessThan(layout.right);
        expect(layout.right).toBeLessThanOrEqual(width);
      }
    }
  });

  it('maps step 0 to the left edge, accuracy 100% to the accuracy plot’s top and the loss domain to the loss plot', () => {
    const layout = compareTrainingLayout({ width: 400, height: 300 }, 11, 1.75, RUNS.slice(0, 2));
    const scales = compareTrainingScales(layout, 500);
    expect(scales.x(0)).toBe(layout.left);
    expect(scales.x(500)).toBe(layout.right);
    expect(scales.accuracy(1)).toBe(layout.accuracy.top);
    expect(scales.accuracy(0)).toBe(layout.accuracy.bottom);
    expect(scales.loss(30)).toBeCloseTo(layout.loss.top, 9);
    expect(scales.loss(1e-4)).toBeCloseTo(layout.loss.bottom, 9);
  });

  it('labels every other decade of the loss when neighbouring labels would touch', () => {
    expect(compareTrainingLayout({ width: 400, height: 400 }, 11, 1.75, RUNS.slice(0, 2)).lossTicks).toEqual([...LOSS_TICKS]);
    expect(compareTrainingLayout({ width: 400, height: 200 }, 11, 1.75, RUNS).lossTicks).toEqual([1e-3, 1e-1, 10]);
  });

  it('keeps neighbouring tick labels 1.2 em apart in short plots, down to a single label', () => {
    for (let height = 120; height <= 400; height += 7) {
      for (const fontSize of [10.45, 15.2]) {
        const layout = compareTrainingLayout({ width: 330, height }, fontSize, 1.75, RUNS);
        const scales = compareTrainingScales(layout, 100);
        for (const [ticks, scale] of [
          [layout.lossTicks, scales.loss],
          [layout.accuracyTicks, scales.accuracy],
        ] as const) {
          expect(ticks.length).toBeGreaterThan(0);
          for (let index = 1; index < ticks.length; index++) expect(Math.abs(scale(ticks[index]) - scale(ticks[index - 1]))).toBeGreaterThanOrEqual(fontSize * 1.2 - 1e-9);
        }
      }
    }
    // 4 runs at 15.2 px, 330 px wide: the legend ends at 28 + 69, the loss plot starts at 117.
    // 260 px tall: the loss plot is 46 px, a decade 46 / 5.477 = 8.4 px, so every
    // ⌈18.24 / 8.4⌉ = 3rd decade; the accuracy plot's 37 px hold 0, 50 and 100%.
    const medium = compareTrainingLayout({ width: 330, height: 260 }, 15.2, 1.75, RUNS);
    expect([medium.loss.top, medium.loss.bottom, medium.lossTicks]).toEqual([117, 163, [1e-3, 1]]);
    expect([medium.accuracy.bottom - medium.accuracy.top, medium.accuracyTicks]).toEqual([37, [0, 0.5, 1]]);
    // 200 px tall: 13 px of loss and 10 px of accuracy take one label each.
    const short = compareTrainingLayout({ width: 330, height: 200 }, 15.2, 1.75, RUNS);
    expect([short.loss.bottom - short.loss.top, short.lossTicks]).toEqual([13, [10]]);
    expect([short.accuracy.bottom - short.accuracy.top, short.accuracyTicks]).toEqual([10, [1]]);
  });
});

describe('trainingLayout', () => {
  const SIZE = { width: 420, height: 330 };

  it('keeps the light theme’s fixed margins for its 11 px type under a 19 px title', () => {
    // Title text ends at 19: "loss (log)" needs 0.93 × 11 = 10.2 px above its baseline, so
    // 30 (today's) holds. Under the plot: "step" at 330 − 2, ticks ⌈1.08 × 11⌉ = 12 above
    // it (316), the plot ⌈1.45 × 11⌉ = 16 above those (300).
    const layout = trainingLayout(SIZE, 11, 19);
    expect(layout).toEqual({ fontSize: 11, left: 44, right: 376, top: 34, bottom: 300, labelY: 30, tickLabelY: 316, stepLabelY: 328, lossTicks: [...LOSS_TICKS], accuracyTicks: [0, 0.5, 1] });
    expect([layout.left, SIZE.width - layout.right, layout.top, SIZE.height - layout.bottom]).toEqual([PLOT.left, PLOT.right, PLOT.top, PLOT.bottom]);
  });

  it('makes room for the projector’s 16 px type', () => {
    // labelY = ⌈22 + 0.93 × 16⌉ = 37, the plot 4 below; "step" at 330 − round(3.2) = 327,
    // ticks ⌈1.08 × 16⌉ = 18 above it (309), the plot ⌈1.45 × 16⌉ = 24 above those (285);
    // right: "100%" is ⌈2.86 × 16⌉ = 46 px wide, plus 4 + 2 → 52.
    expect(trainingLayout(SIZE, 16, 22)).toEqual({
      fontSize: 16,
      left: 44,
      right: 368,
      top: 41,
      bottom: 285,
      labelY: 37,
      tickLabelY: 309,
      stepLabelY: 327,
      lossTicks: [...LOSS_TICKS],
      accuracyTicks: [0, 0.5, 1],
    });
  });

  it('keeps every label’s box clear of its neighbours and inside the panel, for any type size', () => {
    for (let fontSize = 9; fontSize <= 24; fontSize++) {
      const titleBottom = Math.round(fontSize * 1.4);
      const layout = trainingLayout(SIZE, fontSize, titleBottom);
      // Axis titles under the panel title; step ticks under "0%" (middle-anchored at the
      // plot's bottom; half a pixel of em box may touch: the light theme's 16 px is 0.06 px
      // short at 11 px); "step" under the ticks, whose digits have no descenders.
      expect(layout.labelY - 0.93 * fontSize).toBeGreaterThanOrEqual(titleBottom);
      expect(layout.tickLabelY - 0.93 * fontSize).toBeGreaterThanOrEqual(layout.bottom + 0.53 * fontSize - 0.5);
      expect(layout.stepLabelY - 0.93 * fontSize).toBeGreaterThanOrEqual(layout.tickLabelY + 0.15 * fontSize);
      expect(layout.stepLabelY).toBeLessThanOrEqual(SIZE.height - 2);
      expect(layout.right + 4 + 2.86 * fontSize).toBeLessThanOrEqual(SIZE.width);
      expect(layout.left - 4 - 2.25 * fontSize).toBeGreaterThanOrEqual(0);
      expect(layout.top).toBeLessThan(layout.bottom);
    }
  });

  it('labels every other decade of the loss in a short plot, and maps the plot box to the scales', () => {
    expect(trainingLayout({ width: 420, height: 160 }, 16, 22).lossTicks).toEqual([1e-3, 1e-1, 10]);
    const layout = trainingLayout(SIZE, 16, 22);
    const scales = trainingScales(layout, 500);
    expect([scales.x(0), scales.x(500)]).toEqual([44, 368]);
    expect([scales.accuracy(0), scales.accuracy(1)]).toEqual([285, 41]);
    expect(scales.loss(30)).toBeCloseTo(41, 9);
    expect(scales.loss(1e-4)).toBeCloseTo(285, 9);
  });
});

describe('stepTicks', () => {
  it('takes fewer step ticks when their labels would touch', () => {
    // 150 px for 0–500 at 16 px: six ticks are 30 px apart, under 3 × 0.64 × 16 + 8 = 38.7;
    // d3's three ticks (0, 200, 400) are 60 px apart.
    expect(stepTicks(scaleLinear().domain([0, 500]).range([44, 194]), 16)).toEqual([0, 200, 400]);
    // The light theme's 11 px in 250 px: all six, 50 px apart (3 × 0.64 × 11 + 5.5 = 26.6).
    expect(stepTicks(scaleLinear().domain([0, 500]).range([44, 294]), 11)).toEqual([0, 100, 200, 300, 400, 500]);
  });
});
