import { describe, expect, it } from 'vitest';
import { accuracyText, overlapText, pairScales, pairsLayout, pairsLayoutAt, shareOutline, sharedMaxShare, wordingFor, type PairsLayout } from './pairsGeometry';
import { pairSummary } from './testFixtures';

const RUNS = [
  { letter: 'A', text: 'Softmax' },
  { letter: 'B', text: 'ArcFace (0.5)' },
  { letter: 'C', text: 'CosFace (0.35)' },
  { letter: 'D', text: 'SphereFace (1.35)' },
];

describe('figures in words', () => {
  it('writes the threshold and the accuracy, rounded to 1° and 0.1%', () => {
    expect(accuracyText({ threshold: 31.4, accuracy: 0.99812 }, 'long')).toBe('threshold 31°, accuracy 99.8%');
    expect(accuracyText({ threshold: 30.5, accuracy: 1 }, 'medium')).toBe('thr. 31°, acc. 100.0%');
    expect(accuracyText(null, 'long')).toBe('threshold –, accuracy – (no pairs)');
  });

  it('says how far apart p99 positive and p1 negative are, or by how much they overlap, as printed', () => {
    expect(overlapText({ p99Positive: 19.2, p1Negative: 37.4 }, 'long')).toBe('p99 positive 19° vs p1 negative 37°: apart by 18°');
    expect(overlapText({ p99Positive: 40.6, p1Negative: 35.2 }, 'long')).toBe('p99 positive 41° vs p1 negative 35°: overlap by 6°');
    // 19.4 and 37.6 print as 19° and 38°, so the gap printed is 19°, not the raw 18.2°.
    expect(overlapText({ p99Positive: 19.4, p1Negative: 37.6 }, 'medium')).toBe('p99+ 19° vs p1− 38°: apart by 19°');
    expect(overlapText({ p99Positive: 20.2, p1Negative: 19.8 }, 'short')).toBe('touching');
    expect(overlapText({ p99Positive: null, p1Negative: 20 }, 'long')).toBe('p99 / p1: no pairs');
  });

  it('uses the longest wording whose widest case fits', () => {
    // At font 10 (6 px a character) the long overlap line's widest case has 52 characters.
    expect(wordingFor(312, 10)).toBe('long');
    expect(wordingFor(311, 10)).toBe('medium');
    expect(wordingFor(150, 10)).toBe('short');
  });
});

describe('scales and outlines', () => {
  const plot = { left: 10, top: 20, width: 180, height: 100 };

  it('maps 0–180° across the plot and 0 to the largest share up its height', () => {
    const { x, y } = pairScales(plot, 0.5);
    expect([x(0), x(90), x(180)]).toEqual([10, 100, 190]);
    expect([y(0), y(0.25), y(0.5)]).toEqual([120, 70, 20]);
  });

  it('outlines a histogram: up at the first edge, across each bin, down at the last', () => {
    const { x, y } = pairScales(plot, 0.5);
    expect(shareOutline([0, 60, 120, 180], [0.5, 0.25, 0.25], x, y)).toEqual([
      [10, 120],
      [10, 20],
      [70, 20],
      [70, 70],
      [130, 70],
      [130, 70],
      [190, 70],
      [190, 120],
    ]);
    // A non-finite share is drawn as empty rather than breaking the path.
    expect(shareOutline([0, 90, 180], [Number.NaN, 0.5], x, y)[1]).toEqual([10, 120]);
    expect(shareOutline([0], [], x, y)).toEqual([]);
  });

  it('shares one share axis across every plot: the largest bin of any kind, part and run', () => {
    const a = pairSummary([5, 6, 7, 8], [50, 60, 70, 80]);
    const b = pairSummary([5, 100], [50, 150]);
    // a: 4 positives in the 5–10° bin → 1.0 of the positives.
    expect(sharedMaxShare([b, undefined])).toBe(0.5);
    // Negatives count too: three of four in the 50–55° bin.
    expect(sharedMaxShare([pairSummary([5, 40, 100, 170], [50, 51, 52, 150])])).toBe(0.75);
    expect(sharedMaxShare([b, a, null])).toBe(1);
    expect(sharedMaxShare([])).toBe(0.01);
  });
});

function expectReadable(layout: PairsLayout, width: number, height: number, runs: number): void {
  expect(layout.cells).toHaveLength(2 * runs);
  for (const cell of layout.cells) {
    const { plot } = cell;
    expect(plot.left).toBeGreaterThanOrEqual(0);
    expect(plot.left + plot.width).toBeLessThanOrEqual(width);
    expect(plot.top + plot.height).toBeLessThanOrEqual(height);
    // The figures sit above their plot, in order.
    expect(cell.lineYs[0]).toBeLessThan(cell.lineYs[1]);
    expect(cell.lineYs[1]).toBeLessThan(plot.top);
    if (cell.title) expect(cell.title.y).toBeLessThan(cell.lineYs[0]);
  }
  // Tick labels ("0°" … "180°", centred on their ticks) stay inside the panel and clear of the next column's.
  const half = (text: string): number => (text.length * 0.6 * layout.smallFont) / 2;
  const axes = [...layout.axes].sort((a, b) => a.left - b.left);
  for (const axis of axes) {
    expect(axis.y).toBeLessThanOrEqual(height);
    expect(axis.left - half('0°')).toBeGreaterThanOrEqual(0);
    expect(axis.left + axis.width + half('180°')).toBeLessThanOrEqual(width);
  }
  for (let i = 1; i < axes.length; i++) expect(axes[i - 1].left + axes[i - 1].width + half('180°')).toBeLessThan(axes[i].left - half('0°'));
  // No two plots (with their text) overlap.
  const boxes = layout.cells.map((cell) => ({
    left: cell.plot.left,
    right: cell.plot.left + cell.plot.width,
    top: (cell.title?.y ?? cell.lineYs[0]) - layout.smallFont,
    bottom: cell.plot.top + cell.plot.height,
  }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(true);
    }
  }
  // Shared axes: every run's plot of a part has the same left and width (one θ scale).
  for (const part of ['test', 'unseen'] as const) {
    const plots = layout.cells.filter((cell) => cell.part === part).map((cell) => [cell.plot.left, cell.plot.width, cell.plot.height]);
    expect(new Set(plots.map((plot) => plot.join())).size).toBe(1);
  }
  expect(layout.runBands).toHaveLength(runs);
}

describe('pairsLayout', () => {
  it('stacks test over unseen at full width for one run when that buys the long wording', () => {
    // 308 px wide plots (330 less 8 px left and 14 px right, where half a "180°" hangs
    // over) hold the 52-character long line at 9.35 px (291.7 px); two columns of about
    // 140 px would hold only the short one. Each plot: (300 − 41 − 15 − 6) / 2 − 39 − 2 = 78 px.
    const layout = pairsLayout({ width: 330, height: 300 }, 11, 1.25, []);
    expect(layout.arrangement).toBe('stacked');
    expect(layout.wording).toBe('long');
    expect(layout.plotHeight).toBe(78);
    expect(layout.gutter).toBe(0);
    expect(layout.runBands).toHaveLength(1);
    expect(layout.cells.map((cell) => [cell.part, cell.plot.left, cell.plot.width])).toEqual([
      ['test', 8, 308],
      ['unseen', 8, 308],
    ]);
    expect(layout.cells[0].title?.text).toBe('held-out samples of trained identities');
    // The legend: 2 swatches of 19 + 4 px, a gap and 53 characters (352 px) miss the
    // 308 px row, so the shorter words; a 420 px panel's 398 px row holds the long ones.
    expect([layout.kindLegend.positiveText, layout.kindLegend.negativeText]).toEqual(['positive (same id.)', 'negative (different)']);
    const wide = pairsLayout({ width: 420, height: 300 }, 11, 1.25, []).kindLegend;
    expect([wide.positiveText, wide.negativeText]).toEqual(['positive: same identity', 'negative: different identities']);
    expectReadable(layout, 330, 300, 1);
  });

  it('puts test and unseen side by side, a row per run, when stacking would squeeze the plots', () => {
    const layout = pairsLayout({ width: 330, height: 300 }, 11, 1.25, RUNS);
    expect(layout.arrangement).toBe('columns');
    expect(layout.gutter).toBeGreaterThan(0);
    expect(layout.columnTitles.map((title) => title.text)).toHaveLength(2);
    expect(layout.fits).toBe(true);
    expectReadable(layout, 330, 300, 4);
    // Rows follow the run order, top to bottom.
    const tops = layout.runBands.map((band) => band.top);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
  });

  it('stays readable for 1 to 4 runs at the page’s and the projector’s font sizes', () => {
    // A third of a 1280 × 720 page is about 330 × 300; the embed's smallest panel is
    // 280 × 230, where eight plots (four runs) no longer fit and three runs are the most.
    const cases: [number, number, number, number][] = [
      [330, 300, 11, 4],
      [420, 330, 11, 4],
      [640, 480, 11, 4],
      [300, 260, 11, 4],
      [280, 230, 11, 3],
      [330, 300, 16, 4],
      [420, 330, 16, 4],
      [640, 480, 16, 4],
    ];
    for (const [width, height, font, most] of cases) {
      for (let count = 1; count <= most; count++) {
        const runs = count === 1 ? [] : RUNS.slice(0, count);
        const layout = pairsLayout({ width, height }, font, 2, runs);
        expectReadable(layout, width, height, count);
        expect(layout.fits, `${width} × ${height} at ${font} px, ${count} runs`).toBe(true);
      }
    }
  });

  it('shrinks the font rather than squeeze the plots below their minimum', () => {
    const roomy = pairsLayoutAt({ width: 330, height: 300 }, 16, 2, RUNS, 'columns');
    expect(roomy.fits).toBe(false);
    const layout = pairsLayout({ width: 330, height: 300 }, 16, 2, RUNS);
    expect(layout.fontSize).toBeLessThan(16);
    expect(layout.fits).toBe(true);
  });
});
