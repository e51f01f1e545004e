import { describe, expect, it } from 'vitest';
import { isTargetCurve } from '../core/margin';
import { sphereFaceTarget } from '../core/sphereface';
import { defaultParams, type Params } from '../core/schema';
import {
  READABLE_MAIN,
  axisBox,
  compareMarginCaption,
  estimateTextWidth,
  layoutMarginPanel,
  mainPlotGeometry,
  multipleTitleWidth,
  MARGIN_LEGEND_ROWS,
  MULTIPLE_TITLE_GAP,
  marginLegendEntry,
  marginPanelGeometry,
  quadsOverlap,
  rotatedBox,
  tickLabelStep,
  type MainPlotGeometry,
  type PlotFrame,
  type Quad,
} from './marginGeometry';

const SIZE = { width: 600, height: 420 };
const ARCFACE: Params = { ...defaultParams(), head: 'margin', m1: 1, m2: 0.5, m3: 0 };
const NORM_SOFTMAX: Params = { ...ARCFACE, m2: 0 };
const COSFACE: Params = { ...ARCFACE, m2: 0, m3: 0.35 };
const ARCFACE_MARGIN = { m1: 1, m2: 0.5, m3: 0, fallback: true };

/** The vertices of a d3 line path "Mx,yLx,y…" (straight segments only). */
function pathPoints(path: string): [number, number][] {
  expect(path).toMatch(/^M[-\d.,eL]+$/);
  return path
    .slice(1)
    .split('L')
    .map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      return [x, y];
    });
}

describe('main plot', () => {
  const { main } = marginPanelGeometry(ARCFACE, SIZE);
  // Paths are rounded to 0.001 px; at this size that is about 1e-5 rad.
  const tolerance = 1e-4;

  it('draws ArcFace’s class-1 boundary through (θ1, θ1 + m2), then along the top edge', () => {
    const points = pathPoints(main.class1Path).map(([x, y]) => [main.x.invert(x), main.y.invert(y)]);
    expect(points.length).toBeGreaterThan(150);
    for (const [theta1, theta2] of points) {
      expect(Math.abs(theta2 - Math.min(Math.PI, theta1 + 0.5))).toBeLessThan(tolerance);
    }
  });

  it('draws class 2’s boundary as the mirror image, θ1 = θ2 + m2', () => {
    const points = pathPoints(main.class2Path).map(([x, y]) => [main.x.invert(x), main.y.invert(y)]);
    for (const [theta1, theta2] of points) {
      expect(Math.abs(theta1 - Math.min(Math.PI, theta2 + 0.5))).toBeLessThan(tolerance);
    }
  });

  it('shades the band |θ1 − θ2| < m2: the square less two corner triangles', () => {
    const pixelsPerRadian = main.frame.side / Math.PI;
    const expected = (Math.PI ** 2 - (Math.PI - 0.5) ** 2) * pixelsPerRadian ** 2;
    expect(main.regionArea).toBeGreaterThan(expected * 0.995);
    expect(main.regionArea).toBeLessThan(expected * 1.005);
    expect(main.regionPath.startsWith('M')).toBe(true);
  });

  it('has the same pixels per radian on both axes and ticks every 45° from 0° to 180°', () => {
    const { left, top, side } = main.frame;
    expect(main.x(Math.PI) - main.x(0)).toBeCloseTo(side, 9);
    expect(main.y(0) - main.y(Math.PI)).toBeCloseTo(side, 9);
    expect(main.ticks.map((tick) => tick.label)).toEqual(['0°', '45°', '90°', '135°', '180°']);
    expect(main.ticks[0].x).toBeCloseTo(left, 9);
    expect(main.ticks[4].x).toBeCloseTo(left + side, 9);
    expect(main.ticks[0].y).toBeCloseTo(top + side, 9);
    expect(main.ticks[2].y).toBeCloseTo(top + side / 2, 9);
  });

  it('writes the constant width on the band, inside the plot', () => {
    expect(main.label).toBe('Δθ2 = 2·m2 = 57.3°');
    const { left, top, side } = main.frame;
    expect(main.labelPlacement.x).toBeGreaterThan(left);
    expect(main.labelPlacement.x).toBeLessThan(left + side);
    expect(main.labelPlacement.y).toBeGreaterThan(top);
    expect(main.labelPlacement.y).toBeLessThan(top + side);
    expect(main.labelPlacement.rotate).toBe(-45);
  });
});

describe('margin region and label per setting', () => {
  it('is empty, with "no margin", for norm-softmax', () => {
    const { main } = marginPanelGeometry(NORM_SOFTMAX, SIZE);
    expect(main.regionArea).toBeLessThan(1e-3);
    expect(main.label).toBe('no margin');
    // With nothing to sit inside, the label moves off the line, up and to the left.
    expect(main.labelPlacement.y).toBeLessThan(main.y(Math.PI / 2));
  });

  it('ignores m1, m2, m3 for the plain softmax head: its boundary is θ2 = θ1', () => {
    const { main } = marginPanelGeometry({ ...ARCFACE, head: 'softmax' }, SIZE);
    expect(main.regionArea).toBeLessThan(1e-3);
    for (const [x, y] of pathPoints(main.class1Path)) expect(main.y.invert(y)).toBeCloseTo(main.x.invert(x), 4);
  });

  it('says the CosFace margin varies, and shades more than nothing', () => {
    const { main } = marginPanelGeometry(COSFACE, SIZE);
    expect(main.label).toBe('margin varies with θ');
    expect(main.regionArea).toBeGreaterThan(1000);
    for (const [x, y] of pathPoints(main.class1Path)) {
      const theta1 = main.x.invert(x);
      const theta2 = main.y.invert(y);
      if (Math.cos(theta1) - 0.35 > -0.99) expect(Math.cos(theta1) - 0.35).toBeCloseTo(Math.cos(theta2), 3);
    }
  });
});

describe('small multiples', () => {
  it('are the paper’s settings, in order, with both SphereFaces and their own labels', () => {
    const { multiples } = marginPanelGeometry(ARCFACE, SIZE);
    expect(multiples.map((multiple) => multiple.fullTitle)).toEqual([
      'Softmax (NS)',
      'SphereFace (original, m = 4, λ = 5)',
      'SphereFace (ArcFace authors’ re-implementation, m\u00a0=\u00a01.35)',
      'CosFace',
      'ArcFace',
    ]);
    expect(multiples.map(({ margin }) => (isTargetCurve(margin) ? 'curve' : [margin.m1, margin.m2, margin.m3]))).toEqual([[1, 0, 0], 'curve', [1.35, 0, 0], [1, 0, 0.35], [1, 0.5, 0]]);
    expect(multiples.map((multiple) => multiple.shortLabel)).toEqual(['no margin', 'Δθ2 varies', 'Δθ2 varies', 'Δθ2 varies', 'Δθ2 = 57.3°']);
    expect(multiples[0].regionArea).toBeLessThan(1e-3);
    for (const multiple of multiples.slice(1)) expect(multiple.regionArea).toBeGreaterThan(10);
  });

  it('mark the one the main plot shows', () => {
    expect(marginPanelGeometry(ARCFACE, SIZE).multiples.map((multiple) => multiple.current)).toEqual([false, false, false, false, true]);
    expect(marginPanelGeometry({ ...COSFACE, head: 'softmax' }, SIZE).multiples.map((multiple) => multiple.current)).toEqual([true, false, false, false, false]);
    expect(marginPanelGeometry({ ...ARCFACE, m2: 0.4 }, SIZE).multiples.some((multiple) => multiple.current)).toBe(false);
  });

  it('keep SphereFace’s margin zero at the origin and growing, unlike CosFace’s', () => {
    const [, original, sphere, cos] = marginPanelGeometry(ARCFACE, SIZE).multiples;
    const widthAt = (columns: typeof sphere.columns, theta1: number): number => {
      const column = columns.reduce((best, next) => (Math.abs(next.theta1 - theta1) < Math.abs(best.theta1 - theta1) ? next : best));
      return column.upper - column.lower;
    };
    expect(widthAt(sphere.columns, 0)).toBeLessThan(1e-9);
    expect(widthAt(sphere.columns, 1.5)).toBeGreaterThan(widthAt(sphere.columns, 0.5));
    expect(widthAt(cos.columns, 0)).toBeCloseTo(Math.acos(0.65), 6);
    // The original SphereFace (m = 4, λ = 5) too. At θ1 = 90° class 1's boundary is
    // acos((5·0 − 3)/6) = 120°, and class 2's is where its ψ(θ2) = cos 90° = 0:
    // 5 cos θ − cos 4θ − 2 = 0 at θ2 ≈ 66.9°.
    expect(widthAt(original.columns, 0)).toBeLessThan(1e-9);
    const ninety = original.columns.reduce((best, next) => (Math.abs(next.theta1 - Math.PI / 2) < Math.abs(best.theta1 - Math.PI / 2) ? next : best));
    expect(ninety.upper).toBeCloseTo((2 * Math.PI) / 3, 2);
    expect(sphereFaceTarget(ninety.lower, 5)).toBeCloseTo(0, 2);
    expect((ninety.lower * 180) / Math.PI).toBeCloseTo(66.9, 0);
  });

  it('draw the original SphereFace at the params’ λ', () => {
    const sharp = marginPanelGeometry({ ...ARCFACE, sphereLambda: 0 }, SIZE).multiples[1];
    expect(sharp.fullTitle).toBe('SphereFace (original, m = 4, λ = 0)');
    // Without λ, ψ = cos 4θ until it reaches −1 at 45°: at θ1 = 30° the margin runs from 30°/4 to 120°.
    const column = sharp.columns.reduce((best, next) => (Math.abs(next.theta1 - Math.PI / 6) < Math.abs(best.theta1 - Math.PI / 6) ? next : best));
    expect(column.upper).toBeCloseTo((2 * Math.PI) / 3, 2);
  });
});

describe('warm-up', () => {
  it('shows the margin that applies at this step in the main plot, marked, and keeps the targets in the small multiples', () => {
    const warming = marginPanelGeometry(ARCFACE, SIZE, { warmup: { step: 150, steps: 300 } });
    // m2 = 0.25 at half-way: Δθ2 = 2·0.25 rad = 28.6°.
    expect(warming.main.label).toBe('Δθ2 = 28.6°, warming up');
    expect(warming.multiples.map((multiple) => multiple.current)).toEqual([false, false, false, false, true]);
    expect(marginPanelGeometry(ARCFACE, SIZE, { warmup: null }).main.label).toBe('Δθ2 = 2·m2 = 57.3°');
    // Plain softmax has nothing to warm up.
    expect(marginPanelGeometry({ ...ARCFACE, head: 'softmax' }, SIZE, { warmup: { step: 150, steps: 300 } }).main.label).toBe('no margin');
  });
});

describe('layout', () => {
  const inside = (frame: PlotFrame, width: number, height: number): boolean => frame.left >= 0 && frame.top >= 0 && frame.left + frame.side <= width && frame.top + frame.side <= height;
  const overlaps = (a: PlotFrame, b: PlotFrame): boolean => a.left < b.left + b.side && b.left < a.left + a.side && a.top < b.top + b.side && b.top < a.top + a.side;

  const cases: [number, number, number][] = [];
  for (const width of [300, 360, 420, 500, 600, 700]) for (const height of [260, 320, 400, 500]) cases.push([width, height, 11]);
  for (const [width, height] of [
    [480, 360],
    [600, 420],
    [700, 500],
  ])
    cases.push([width, height, 16]);

  it.each(cases)('fits %i × %i at %ipx: rows, plots, tick labels and titles inside, nothing overlapping', (width, height, fontSize) => {
    const geometry = marginPanelGeometry(ARCFACE, { width, height }, { fontSize });
    const { layout, main, multiples } = geometry;
    expect(layout.header.height + layout.gap + layout.stage.height + layout.gap + layout.caption.height).toBeLessThanOrEqual(height);
    const { width: stageWidth, height: stageHeight } = layout.stage;
    expect(inside(main.frame, stageWidth, stageHeight)).toBe(true);
    expect(multiples).toHaveLength(5);
    for (const multiple of multiples) {
      expect(inside(multiple.frame, stageWidth, stageHeight)).toBe(true);
      expect(overlaps(multiple.frame, main.frame)).toBe(false);
      expect(multiple.titleY - layout.smallFontSize).toBeGreaterThanOrEqual(0);
      expect(estimateTextWidth(multiple.title, layout.smallFontSize)).toBeLessThanOrEqual(multiple.frame.side + 8);
      expect(multiple.titleX - estimateTextWidth(multiple.title, layout.smallFontSize) / 2).toBeGreaterThanOrEqual(0);
      expect(multiple.titleX + estimateTextWidth(multiple.title, layout.smallFontSize) / 2).toBeLessThanOrEqual(stageWidth);
      if (multiple.showLabel) expect(multiple.labelY + 0.3 * layout.smallFontSize).toBeLessThanOrEqual(stageHeight);
    }
    for (let i = 0; i < multiples.length; i++) for (let j = i + 1; j < multiples.length; j++) expect(overlaps(multiples[i].frame, multiples[j].frame)).toBe(false);
    // Tick labels and axis titles stay on the stage.
    const tickWidth = estimateTextWidth('180°', fontSize);
    expect(main.yTickLabelX - tickWidth).toBeGreaterThanOrEqual(0);
    expect(main.yTitle.x - 0.8 * fontSize).toBeGreaterThanOrEqual(0);
    expect(main.frame.left + main.frame.side + tickWidth / 2).toBeLessThanOrEqual(stageWidth);
    expect(main.frame.top - fontSize / 2).toBeGreaterThanOrEqual(0);
    expect(main.xTitle.y + 0.25 * fontSize).toBeLessThanOrEqual(stageHeight);
    // The main plot gets the larger share of the room.
    expect(main.frame.side).toBeGreaterThan(multiples[0].frame.side);
  });

  it('keeps the main plot big at the largest size', () => {
    const layout = layoutMarginPanel({ width: 700, height: 500 }, 11);
    expect(layout.main.side).toBeGreaterThan(350);
    expect(layout.header.rows).toBe(1);
  });

  it('drops the small multiples rather than shrink them to nothing', () => {
    const layout = layoutMarginPanel({ width: 180, height: 200 }, 11);
    expect(layout.arrangement).toBe('main-only');
    expect(layout.multiples).toHaveLength(0);
  });
});

describe('compare mode', () => {
  const SOFTMAX: Params = { ...ARCFACE, head: 'softmax', m2: 0 };
  const runs = [
    { letter: 'A', label: 'Softmax', params: SOFTMAX },
    { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
    { letter: 'C', label: 'CosFace (0.35)', params: COSFACE },
  ];

  it('leaves the single-run layout as it was: no legend, no run plots', () => {
    const single = marginPanelGeometry(ARCFACE, SIZE);
    expect(single.runPlots).toEqual([]);
    expect(single.layout.legend.height).toBe(0);
    expect(single.layout).toEqual(layoutMarginPanel(SIZE, 11));
    // One run passed as "runs" is still single mode.
    expect(marginPanelGeometry(ARCFACE, SIZE, { runs: runs.slice(1, 2) }).runPlots).toEqual([]);
  });

  it('draws every run’s boundaries in the main plot’s frame, each as the run alone would', () => {
    const geometry = marginPanelGeometry(SOFTMAX, SIZE, { runs, lineWidth: 2, dotsLetter: 'B' });
    expect(geometry.runPlots.map((plot) => plot.letter)).toEqual(['A', 'B', 'C']);
    for (const plot of geometry.runPlots) expect(plot.frame).toEqual(geometry.main.frame);
    const arcfaceAlone = marginPanelGeometry(ARCFACE, SIZE, { runs, lineWidth: 2, dotsLetter: 'B' }).main;
    expect(geometry.runPlots[1].class1Path).toBe(arcfaceAlone.class1Path);
    expect(geometry.runPlots[1].class2Path).toBe(arcfaceAlone.class2Path);
    // Softmax has no margin: its two boundaries are both the diagonal.
    expect(geometry.runPlots[0].regionArea).toBeLessThan(1);
    expect(geometry.runPlots[0].label).toBe('no margin');
  });

  it('names each run and its margin in a legend between the plots and the caption', () => {
    const compare = marginPanelGeometry(SOFTMAX, SIZE, { runs, lineWidth: 2, dotsLetter: 'B' }).layout;
    const single = layoutMarginPanel(SIZE, 11);
    expect(compare.legend.items.map((item) => item.text)).toEqual(['Softmax: no margin', 'ArcFace (0.5): Δθ2 = 57.3°', 'CosFace (0.35): Δθ2 varies']);
    expect(compare.legend.height).toBeGreaterThan(0);
    // The run select fits the header's one row at this width; the stage gives up the
    // legend's rows (and a gap), and the longer caption's second line if any.
    expect(compare.header).toEqual(single.header);
    expect(compare.stage.height).toBe(single.stage.height - compare.legend.height - compare.gap - (compare.caption.height - single.caption.height));
    expect(compare.legendTop).toBe(compare.stage.top + compare.stage.height + compare.gap);
    expect(compare.legendTop + compare.legend.height + compare.gap + compare.caption.height).toBeLessThanOrEqual(SIZE.height);
    for (const item of compare.legend.items) expect(compare.padding + item.x + item.width).toBeLessThanOrEqual(SIZE.width);
    expect(compareMarginCaption('B')).toBe('Shaded: each run’s margin. Dots: run B’s live samples of the two identities.');
  });

  it("lets a run's name give way before its margin when the legend is narrow", () => {
    expect(marginLegendEntry('B', 'ArcFace (0.5)', 'Δθ2 = 57.3°')).toEqual({ letter: 'B', text: 'ArcFace (0.5): Δθ2 = 57.3°', shorter: ['ArcFace: Δθ2 = 57.3°', 'Δθ2 = 57.3°'] });
    expect(marginLegendEntry('A', 'Softmax', 'no margin')).toEqual({ letter: 'A', text: 'Softmax: no margin', shorter: ['no margin'] });
    // In a 200 px panel the 11 px legend has room for the bare name, not the bracketed value.
    const narrow = marginPanelGeometry(SOFTMAX, { width: 200, height: 420 }, { runs, lineWidth: 2, dotsLetter: 'B' }).layout;
    expect(narrow.legend.items.map((item) => item.text)).toEqual(['Softmax: no margin', 'ArcFace: Δθ2 = 57.3°', 'CosFace: Δθ2 varies']);
  });

  it('marks every small multiple a run shows', () => {
    const { multiples } = marginPanelGeometry(SOFTMAX, SIZE, { runs, lineWidth: 2 });
    expect(multiples.filter((multiple) => multiple.current).map((multiple) => multiple.id)).toEqual(['norm-softmax', 'cosface', 'arcface']);
  });
});

describe('compare mode header', () => {
  const extras = {
    legend: [
      { letter: 'A', text: 'Softmax: no margin' },
      { letter: 'B', text: 'ArcFace (0.5): Δθ2 = 57.3°' },
    ],
    lineWidth: 2,
    caption: compareMarginCaption('A'),
  };

  it('puts the run select with the identity selects, beside the title, or on its own row, as the width allows', () => {
    // Title 211 px, identity selects 252 px, run select 26.4 + 4 + 39 + 12 = 81.4 px, in a row of width − 12.
    expect(layoutMarginPanel({ width: 600, height: 420 }, 11, extras).header).toMatchObject({ rows: 1, runBesideTitle: false });
    expect(layoutMarginPanel({ width: 330, height: 300 }, 11, extras).header).toMatchObject({ rows: 2, runBesideTitle: true });
    expect(layoutMarginPanel({ width: 305, height: 300 }, 11, extras).header).toMatchObject({ rows: 2, runBesideTitle: true });
    expect(layoutMarginPanel({ width: 304, height: 420 }, 11, extras).header).toMatchObject({ rows: 3, runBesideTitle: false, compact: false });
    // 300 px high, a third row would squeeze the main plot below 110 px: the compact header
    // (2 × (8.25 + 4 + 36) + 8 = 104.5 px, and 26.4 + 4 + 29 + 8 = 67.4 px) holds all three selects on one row.
    expect(layoutMarginPanel({ width: 304, height: 300 }, 11, extras).header).toMatchObject({ rows: 2, runBesideTitle: false, compact: true });
    // Single mode never needs a third row or the title row.
    expect(layoutMarginPanel({ width: 300, height: 300 }, 11).header).toMatchObject({ rows: 2, runBesideTitle: false });
  });
});

describe('text that fits: tick labels', () => {
  it('labels every 45° while neighbours keep half an em apart, then every 90°, then the ends', () => {
    // 16 px: "180°" is 4 × 0.6 × 16 = 38.4 px, plus 8 px of gap: 46.4 px between labels.
    expect(tickLabelStep(186, 16)).toBe(45); // 186 / 4 = 46.5
    expect(tickLabelStep(185, 16)).toBe(90); // 46.25 < 46.4, 185 / 2 = 92.5
    expect(tickLabelStep(93, 16)).toBe(90); // 46.5
    expect(tickLabelStep(92, 16)).toBe(180);
    // 11 px: 26.4 + 5.5 = 31.9 px, so 45° from a side of 4 × 31.9 = 127.6 px.
    expect(tickLabelStep(128, 11)).toBe(45);
    expect(tickLabelStep(127, 11)).toBe(90);
  });

  it('keeps grid lines every 45° and gives the two axes one 0° at the origin in big type', () => {
    const text = { fontSize: 16, smallFontSize: 14, diagonalLabels: [], identities: [0, 1] as const, stage: { width: 400, height: 400 } };
    const main = mainPlotGeometry(ARCFACE_MARGIN, { left: 80, top: 20, side: 150 }, 181, text);
    expect(main.ticks.map((tick) => tick.degrees)).toEqual([0, 45, 90, 135, 180]);
    expect(main.xTickLabels.map((tick) => tick.label)).toEqual(['0°', '90°', '180°']);
    // θ2's 0° spans the origin ± 9.6 px, θ1's starts 7 px below it; across, 73 − 19.2 … 73 against 80 ± 9.6.
    expect(main.yTickLabels.map((tick) => tick.label)).toEqual(['90°', '180°']);
    // At 11 px θ2's 0° ends 6.6 px below the origin, above θ1's (7 px): both stay.
    const small = mainPlotGeometry(ARCFACE_MARGIN, { left: 80, top: 20, side: 150 }, 181, { ...text, fontSize: 11, smallFontSize: 10 });
    expect(small.xTickLabels.map((tick) => tick.label)).toEqual(['0°', '45°', '90°', '135°', '180°']);
    expect(small.yTickLabels.map((tick) => tick.label)).toEqual(['0°', '45°', '90°', '135°', '180°']);
  });
});

describe('text that fits: corner and margin labels', () => {
  const text = { fontSize: 16, smallFontSize: 14, identities: [0, 1] as const, stage: { width: 400, height: 400 } };
  const frame = (side: number): PlotFrame => ({ left: 80, top: 20, side });

  it('names the winner in full, then as "N wins", then not at all, as the corner allows', () => {
    // Inset 8 px, baseline 12.8 px lower, descent 3.5 px: class 1's box ends 24.3 px down. It
    // must stay above θ2 = θ1: 8 + width + 24.3 ≤ side. "identity 0 wins": 15 × 0.6 × 14 = 126 px,
    // so side ≥ 158.3; "0 wins": 50.4 px, so side ≥ 82.7.
    const corner = (side: number) => mainPlotGeometry(ARCFACE_MARGIN, frame(side), 181, { ...text, diagonalLabels: [] }).class1CornerText;
    expect(corner(159)).toBe('identity 0 wins');
    expect(corner(158)).toBe('0 wins');
    expect(corner(83)).toBe('0 wins');
    expect(corner(82)).toBeNull();
    expect(mainPlotGeometry(ARCFACE_MARGIN, frame(82), 181, { ...text, diagonalLabels: [] }).class2CornerText).toBeNull();
  });

  it('writes the margin in full, then short, then not at all, inside the plot and clear of the corners', () => {
    const labels = ['Δθ2 = 2·m2 = 57.3°', 'Δθ2 = 57.3°'];
    const at = (side: number) => mainPlotGeometry(ARCFACE_MARGIN, frame(side), 181, { ...text, diagonalLabels: labels });
    // The band is 1 rad × side/π × √½ thick (> 1.4 em), so the label sits at the plot's centre.
    // Full: 18 × 9.6 × 1.1 = 190.1 px by 19.2 px, turned 45°: it reaches (95.04 + 9.6)/√2 = 74.0 px
    // from the centre along x and y, which a side of 150 holds (75 − 1 px).
    expect(at(200)).toMatchObject({ diagonalText: labels[0], class1CornerText: 'identity 0 wins' });
    expect(at(150)).toMatchObject({ diagonalText: labels[0], class1CornerText: '0 wins' });
    // Short: 11 × 9.6 × 1.1 = 116.2 px reaches 47.9 px.
    expect(at(148)).toMatchObject({ diagonalText: labels[1], class1CornerText: '0 wins' });
    expect(at(100)).toMatchObject({ diagonalText: labels[1], class1CornerText: '0 wins' });
    // Below 22.4 px / (√½ / π) = 99.5 px the band is too thin to hold the text, which then steps
    // 23.9 px off the centre, and out of the plot.
    expect(at(99).diagonalText).toBeNull();
    expect(at(99).class1CornerText).toBe('0 wins');
  });

  it('keeps "warming up" whenever it writes anything during the warm-up', () => {
    for (const width of [240, 290, 330, 410, 600]) {
      for (const fontSize of [11, 16]) {
        const { main } = marginPanelGeometry(ARCFACE, { width, height: 300 }, { fontSize, warmup: { step: 20, steps: 300 } });
        expect(main.label).toBe('Δθ2 = 3.8°, warming up');
        if (main.diagonalText !== null) expect(main.diagonalText).toContain('warming up');
      }
    }
    // The e2e test reads it whole in the light theme's default panel.
    expect(marginPanelGeometry(NORM_SOFTMAX, { width: 330, height: 301 }, { warmup: { step: 0, steps: 300 } }).main.diagonalText).toBe('no margin, warming up');
  });
});

describe('text that fits: nothing overlaps', () => {
  /** Every text box of the main plot, in the same model the layout uses (0.6 em a glyph, 1.2 em tall). */
  function textBoxes(main: MainPlotGeometry, fontSize: number, smallFontSize: number): [string, Quad][] {
    const width = (text: string, size: number): number => estimateTextWidth(text, size);
    const boxes: [string, Quad][] = [];
    for (const tick of main.xTickLabels)
      boxes.push([`x ${tick.label}`, axisBox(tick.x - width(tick.label, fontSize) / 2, main.xTickLabelY, tick.x + width(tick.label, fontSize) / 2, main.xTickLabelY + 1.2 * fontSize)]);
    for (const tick of main.yTickLabels) boxes.push([`y ${tick.label}`, axisBox(main.yTickLabelX - width(tick.label, fontSize), tick.y - 0.6 * fontSize, main.yTickLabelX, tick.y + 0.6 * fontSize)]);
    const half = width(main.xTitleText, fontSize) / 2;
    boxes.push(['x title', axisBox(main.xTitle.x - half, main.xTitle.y - 0.95 * fontSize, main.xTitle.x + half, main.xTitle.y + 0.25 * fontSize)]);
    const yHalf = width(main.yTitleText, fontSize) / 2;
    boxes.push(['y title', axisBox(main.yTitle.x - 0.95 * fontSize, main.yTitle.y - yHalf, main.yTitle.x + 0.25 * fontSize, main.yTitle.y + yHalf)]);
    if (main.class1CornerText) {
      const { x, y } = main.class1Corner;
      boxes.push(['corner 1', axisBox(x, y - 0.95 * smallFontSize, x + width(main.class1CornerText, smallFontSize), y + 0.25 * smallFontSize)]);
    }
    if (main.class2CornerText) {
      const { x, y } = main.class2Corner;
      boxes.push(['corner 2', axisBox(x - width(main.class2CornerText, smallFontSize), y - 0.95 * smallFontSize, x, y + 0.25 * smallFontSize)]);
    }
    if (main.diagonalText) {
      const { x, y, rotate } = main.labelPlacement;
      boxes.push(['margin', rotatedBox(x, y, width(main.diagonalText, fontSize) * 1.1, 1.2 * fontSize, rotate)]);
    }
    return boxes;
  }

  const runs = [
    { letter: 'A', label: 'Softmax', params: { ...ARCFACE, head: 'softmax' as const } },
    { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
  ];
  const cases: [number, number, number, boolean, boolean][] = [];
  for (const [width, height] of [
    [243, 267],
    [272, 291],
    [305, 297],
    [328, 269],
    [330, 301],
    [410, 299],
    [403, 466],
    [600, 420],
  ])
    for (const fontSize of [11, 16]) for (const compare of [false, true]) for (const warm of [false, true]) cases.push([width, height, fontSize, compare, warm]);

  it.each(cases)('%i × %i at %ipx (compare %s, warm-up %s)', (width, height, fontSize, compare, warm) => {
    const { main, layout } = marginPanelGeometry(ARCFACE, { width, height }, { fontSize, runs: compare ? runs : undefined, warmup: warm ? { step: 20, steps: 300 } : null });
    const boxes = textBoxes(main, fontSize, layout.smallFontSize);
    for (const [name, box] of boxes) {
      for (const corner of box) {
        expect(corner.x, `${name} on the stage`).toBeGreaterThanOrEqual(-1e-9);
        expect(corner.x, `${name} on the stage`).toBeLessThanOrEqual(layout.stage.width + 1e-9);
        expect(corner.y, `${name} on the stage`).toBeGreaterThanOrEqual(-1e-9);
        expect(corner.y, `${name} on the stage`).toBeLessThanOrEqual(layout.stage.height + 1e-9);
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(quadsOverlap(boxes[i][1], boxes[j][1]), `${boxes[i][0]} × ${boxes[j][0]}`).toBe(false);
    }
  });
});

describe('small multiples at the stage edge', () => {
  it('keep a title wider than its cell on the stage, centred on the cell where it fits', () => {
    // 16 px type in a 320 × 330 or 340 × 330 panel: the short titles ("SF m=4", 6 × 0.6 ×
    // 14 = 50.4 px) are wider than the cells, and centred on the last column's cell the
    // title would stick out of the stage.
    for (const size of [
      { width: 320, height: 330 },
      { width: 340, height: 330 },
    ]) {
      const { layout, multiples } = marginPanelGeometry(ARCFACE, size, { fontSize: 16 });
      expect(multiples.length).toBeGreaterThan(0);
      for (const multiple of multiples) {
        // Real glyphs of a short title run up to 15% wider than the estimate.
        const half = (1.15 * Math.max(estimateTextWidth(multiple.title, layout.smallFontSize), multiple.showLabel ? estimateTextWidth(multiple.shortLabel, layout.smallFontSize) : 0)) / 2;
        expect(multiple.titleX + half, `${multiple.id} at ${size.width} × ${size.height}`).toBeLessThanOrEqual(layout.stage.width + 1e-9);
        expect(multiple.titleX - half).toBeGreaterThanOrEqual(-1e-9);
      }
    }
    // Where a title fits its cell, it stays centred on it.
    const wide = marginPanelGeometry(ARCFACE, SIZE);
    for (const multiple of wide.multiples) expect(multiple.titleX).toBe(multiple.frame.left + multiple.frame.side / 2);
  });
});

describe('small stages: compact header, caption out of sight', () => {
  const runs = [
    { letter: 'A', label: 'Softmax', params: { ...ARCFACE, head: 'softmax' as const } },
    { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
  ];

  it('names the identity selects by their swatches when their names do not fit, and keeps the run select beside them', () => {
    // 16 px in 305 px (a row of 293): named, 2 × (96 + 4 + 72) + 12 = 356 px do not fit. Compact:
    // selects of 22 + 2 × 9.6 = 42 px (two digits) and 22 + 9.6 → 32 px (a letter), so
    // 2 × (12 + 4 + 42) + 8 = 124 px, and "dots" with its select 38.4 + 4 + 32 + 8 = 82.4 px.
    const { layout } = marginPanelGeometry(ARCFACE, { width: 305, height: 297 }, { fontSize: 16, runs });
    expect(layout.header).toMatchObject({ compact: true, rows: 2, runBesideTitle: false, title: 'Decision margins (Fig. 5)' });
    expect(layout.selectWidth).toBe(42);
    expect(layout.runSelectWidth).toBe(32);
    expect(layout.controlGap).toBe(8);
    // 24 × 0.6 × 18 = 270 px of title fit 293 but not 231: the short title then.
    expect(layoutMarginPanel({ width: 243, height: 300 }, 16).header.title).toBe('Margins (Fig. 5)');
    expect(layoutMarginPanel({ width: 600, height: 420 }, 11).header.compact).toBe(false);
  });

  it('keeps the main plot at least 110 px from about 290 × 280 up, in projector type, one run or two', () => {
    for (const width of [290, 305, 330, 410]) {
      for (const height of [280, 300, 330]) {
        for (const compare of [false, true]) {
          const { layout } = marginPanelGeometry(ARCFACE, { width, height }, { fontSize: 16, runs: compare ? runs : undefined });
          expect(layout.main.side, `${width} × ${height}, compare ${compare}`).toBeGreaterThanOrEqual(READABLE_MAIN);
          const captionRoom = layout.caption.hidden ? 0 : layout.caption.height + layout.gap;
          const legendRoom = layout.legend.height > 0 ? layout.legend.height + layout.gap : 0;
          expect(layout.header.height + layout.gap + layout.stage.height + legendRoom + captionRoom).toBeLessThanOrEqual(height);
        }
      }
    }
  });

  it("with four runs in projector type, keeps the legend to two rows by giving up the runs' names, not the plot", () => {
    const four = [
      { letter: 'A', label: 'Softmax', params: NORM_SOFTMAX },
      { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
      { letter: 'C', label: 'CosFace (0.35)', params: COSFACE },
      { letter: 'D', label: 'SphereFace (1.35)', params: { ...ARCFACE, m1: 1.35, m2: 0 } },
    ];
    const { layout } = marginPanelGeometry(ARCFACE, { width: 330, height: 300 }, { fontSize: 16, runs: four, lineWidth: 4 });
    expect(layout.legend.rows).toBe(MARGIN_LEGEND_ROWS);
    expect(layout.legend.items.map((item) => item.text)).toEqual(['no margin', 'Δθ2 = 57.3°', 'Δθ2 varies', 'Δθ2 varies']);
    // With the four names it took four rows and left a 94 px plot.
    expect(layout.main.side).toBeGreaterThanOrEqual(130);
  });

  it("keeps the small multiples' titles in a row apart, pushing a left title towards the main plot but never into it", () => {
    const two = [
      { letter: 'A', label: 'Softmax', params: NORM_SOFTMAX },
      { letter: 'B', label: 'ArcFace (0.5)', params: ARCFACE },
    ];
    let pushed = 0;
    for (const width of [243, 272, 290, 305, 330, 410, 600]) {
      for (const height of [267, 297, 300, 420]) {
        for (const fontSize of [11, 16]) {
          for (const runsShown of [undefined, two]) {
            const { layout, main, multiples } = marginPanelGeometry(ARCFACE, { width, height }, { fontSize, runs: runsShown, lineWidth: 2 });
            const mainRight = main.frame.left + main.frame.side;
            const edges = multiples.map((multiple) => {
              const half = multipleTitleWidth(multiple.title, layout.smallFontSize) / 2;
              return {
                // Beside the main plot a title stops short of it; in a row below it, at the stage's edge.
                bound: multiple.frame.left >= mainRight ? mainRight + MULTIPLE_TITLE_GAP : 0,
                top: multiple.frame.top,
                cell: multiple.frame.left,
                left: multiple.titleX - half,
                right: multiple.titleX + half,
                centre: multiple.frame.left + multiple.frame.side / 2,
                x: multiple.titleX,
              };
            });
            for (const a of edges) {
              for (const b of edges) {
                if (a.top !== b.top || a.cell >= b.cell) continue;
                const where = `${width} × ${height} at ${fontSize}px, ${runsShown ? 'compare' : 'single'}`;
                // Apart, or as far left as the main plot lets the left title go.
                if (b.left - a.right < MULTIPLE_TITLE_GAP - 1e-9) expect(a.left, where).toBeCloseTo(a.bound, 6);
                if (a.x < a.centre - 1e-9) {
                  pushed++;
                  expect(a.left, where).toBeGreaterThanOrEqual(a.bound - 1e-9);
                }
              }
            }
          }
        }
      }
    }
    // "NS" beside "SF m=4", and "SF 1.35" beside "Cos", at the projector's sizes.
    expect(pushed).toBeGreaterThan(0);
  });

  it('moves the caption out of sight only when it would squeeze the main plot', () => {
    // The light theme's panel at 1280 × 720 keeps it: the main plot is 144 px with it.
    const light = layoutMarginPanel({ width: 330, height: 301 }, 11);
    expect(light.caption).toMatchObject({ hidden: false, lines: 2 });
    expect(light.main.side).toBe(144);
    // Projector type, 410 × 299: with the identities named (2 rows of 32 px) and the 2-line caption
    // (44 + 4 px) the stage is 183 px, too short for the small multiples beside or below a 60 px
    // plot. The compact header (2 rows of 28 px) leaves 191 px: multiples of
    // min(0.2 × 191, (191 − 16)/3 − 21) = 37 px beside a plot of min(410 − 93 − 12 − 2 × 45, 191 − 58) = 133 px.
    const wide = layoutMarginPanel({ width: 410, height: 299 }, 16);
    expect(wide.header).toMatchObject({ compact: true, rows: 2, height: 56 });
    expect(wide.caption).toMatchObject({ hidden: false, lines: 2 });
    expect(wide.arrangement).toBe('beside');
    expect(wide.main.side).toBe(133);
    // 328 × 269: the caption takes 3 lines (66 + 4 px) and leaves 139 px, where nothing fits but
    // the main plot alone. Without it, 209 px: multiples of 42 px beside min(328 − 93 − 12 − 100, 209 − 58) = 123 px.
    const narrow = layoutMarginPanel({ width: 328, height: 269 }, 16);
    expect(narrow.caption).toMatchObject({ hidden: true, height: 0, lines: 3 });
    expect(narrow.arrangement).toBe('beside');
    expect(narrow.main.side).toBe(123);
  });
});

describe('boxes', () => {
  it('turns a box about its centre and tells touching from apart, with a clearance', () => {
    // 2 × 2 turned 45°: a diamond with its corners √2 from the centre.
    const diamond = rotatedBox(0, 0, 2, 2, 45);
    expect(Math.max(...diamond.map((corner) => corner.x))).toBeCloseTo(Math.SQRT2, 9);
    expect(Math.min(...diamond.map((corner) => corner.y))).toBeCloseTo(-Math.SQRT2, 9);
    expect(quadsOverlap(diamond, axisBox(1.3, -0.2, 2, 0.2))).toBe(true);
    // 1.5 − √2 = 0.086 px apart.
    expect(quadsOverlap(diamond, axisBox(1.5, -0.2, 2, 0.2))).toBe(false);
    expect(quadsOverlap(diamond, axisBox(1.5, -0.2, 2, 0.2), 0.1)).toBe(true);
    // Its bounding box would touch this one; the diamond itself does not.
    expect(quadsOverlap(diamond, axisBox(0.8, 0.8, 2, 2))).toBe(false);
  });
});
