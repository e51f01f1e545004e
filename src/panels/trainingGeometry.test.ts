import { describe, expect, it } from 'vitest';
import { LOSS_TICKS, compareTrainingLayout, compareTrainingScales, niceStepBound } from './trainingGeometry';

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
});
