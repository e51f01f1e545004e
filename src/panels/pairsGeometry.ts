/**
 * Geometry of the Fig. 6 panel: the distributions of the angle between positive pairs
 * (two samples of one identity) and negative pairs (of two identities), on the held-out
 * test samples of the trained identities and on the unseen identities, side by side.
 * In compare mode every run gets a row of the two plots, all on one θ axis and one share
 * scale, so the runs' distributions compare directly. Pure numbers and strings: scales,
 * histogram outlines, text placement and the wording that fits.
 */
import { scaleLinear, type ScaleLinear } from 'd3';
import type { PairSummary } from '../core/snapshot';
import { legendSwatchWidth, placeLegend, shortenToFit, type LegendEntry, type LegendPlacement } from './legendGeometry';
import { estimateTextWidth, thetaTicks, type Rect } from './logitGeometry';
import type { PanelSize } from './types';

export const PAIRS_TITLE = 'Positive and negative pairs (Fig. 6)';
export const PAIR_ANGLE_MAX = 180;

export type PairPart = 'test' | 'unseen';

export const PAIR_PARTS: readonly { part: PairPart; title: string; shortTitle: string }[] = [
  { part: 'test', title: 'held-out samples of trained identities', shortTitle: 'held-out samples' },
  { part: 'unseen', title: 'unseen identities', shortTitle: 'unseen' },
];

export const KIND_LABELS = { positive: 'positive: same identity', negative: 'negative: different identities' } as const;
/** Where the legend row cannot hold KIND_LABELS. */
export const SHORT_KIND_LABELS = { positive: 'positive (same id.)', negative: 'negative (different)' } as const;
const TERSE_KIND_LABELS = { positive: 'positive', negative: 'negative' } as const;

// ---------------------------------------------------------------------------------------
// Words

/**
 * How much of the wording fits: 'long' as in the paper's terms, 'medium' with p99+ / p1−,
 * 'short' with only the verdict.
 */
export type Wording = 'long' | 'medium' | 'short';
const WORDINGS: readonly Wording[] = ['long', 'medium', 'short'];

const degrees = (value: number): string => `${Math.round(value)}°`;

/** "threshold 31°, accuracy 99.8%". */
export function accuracyText(verification: PairSummary['verification'], wording: Wording): string {
  if (!verification) return wording === 'long' ? 'threshold –, accuracy – (no pairs)' : 'no pairs';
  const accuracy = `${(verification.accuracy * 100).toFixed(1)}%`;
  return wording === 'long' ? `threshold ${degrees(verification.threshold)}, accuracy ${accuracy}` : `thr. ${degrees(verification.threshold)}, acc. ${accuracy}`;
}

/**
 * "p99 positive 19° vs p1 negative 37°: apart by 18°", or "overlap by 6°". The gap is
 * the difference of the two rounded angles shown, so the sentence adds up as printed.
 */
export function overlapText(summary: Pick<PairSummary, 'p99Positive' | 'p1Negative'>, wording: Wording): string {
  const { p99Positive, p1Negative } = summary;
  if (p99Positive === null || p1Negative === null) return wording === 'short' ? '–' : 'p99 / p1: no pairs';
  const positive = Math.round(p99Positive);
  const negative = Math.round(p1Negative);
  const gap = negative - positive;
  const verdict = gap > 0 ? `apart by ${gap}°` : gap < 0 ? `overlap by ${-gap}°` : 'touching';
  if (wording === 'short') return verdict;
  if (wording === 'medium') return `p99+ ${positive}° vs p1− ${negative}°: ${verdict}`;
  return `p99 positive ${positive}° vs p1 negative ${negative}°: ${verdict}`;
}

/** The longest wording whose widest case (every number at its widest) fits `width`. */
export function wordingFor(width: number, fontSize: number): Wording {
  const widest = { verification: { threshold: 180, accuracy: 1 }, p99Positive: 180, p1Negative: 1 };
  for (const wording of WORDINGS) {
    const lines = [accuracyText(widest.verification, wording), overlapText(widest, wording)];
    if (lines.every((line) => estimateTextWidth(line, fontSize) <= width)) return wording;
  }
  return 'short';
}

// ---------------------------------------------------------------------------------------
// Scales and shapes

/** θ over a plot's width and share over its height (0 at the bottom). */
export function pairScales(plot: Rect, maxShare: number): { x: ScaleLinear<number, number>; y: ScaleLinear<number, number> } {
  return {
    x: scaleLinear()
      .domain([0, PAIR_ANGLE_MAX])
      .range([plot.left, plot.left + plot.width]),
    y: scaleLinear()
      .domain([0, maxShare])
      .range([plot.top + plot.height, plot.top]),
  };
}

/**
 * The share axis every plot shares: the largest bin of any kind, part and run, so
 * that equal heights mean equal shares across the whole figure. Never below 1%, so an
 * empty histogram does not blow a rounding speck up to full height.
 */
export function sharedMaxShare(summaries: readonly (PairSummary | null | undefined)[]): number {
  let largest = 0.01;
  for (const summary of summaries) {
    if (!summary) continue;
    for (const share of summary.histogram.positiveShare) largest = Math.max(largest, share);
    for (const share of summary.histogram.negativeShare) largest = Math.max(largest, share);
  }
  return largest;
}

/**
 * A histogram's outline in pixels: up from the first edge at share 0, across each bin's
 * top, down at the last edge. Filled, it is the bars without their inner edges, so the
 * positive and negative distributions can overlap and both stay readable.
 */
export function shareOutline(edges: readonly number[], shares: readonly number[], x: (degrees: number) => number, y: (share: number) => number): [number, number][] {
  const bins = Math.min(shares.length, edges.length - 1);
  if (bins <= 0) return [];
  const vertices: [number, number][] = [[x(edges[0]), y(0)]];
  for (let bin = 0; bin < bins; bin++) {
    const share = Number.isFinite(shares[bin]) ? shares[bin] : 0;
    vertices.push([x(edges[bin]), y(share)], [x(edges[bin + 1]), y(share)]);
  }
  vertices.push([x(edges[bins]), y(0)]);
  return vertices;
}

// ---------------------------------------------------------------------------------------
// Layout

export interface PairsCell {
  /** Position of the run in the runs. */
  run: number;
  part: PairPart;
  /** The histogram, panel pixels. */
  plot: Rect;
  /** Baselines of the text lines above the plot (accuracy, then overlap), left-aligned at plot.left. */
  lineYs: [number, number];
  /** Stacked arrangement: the part's title, on its own line above the figures. */
  title: { text: string; y: number } | null;
}

/** A run's band of plots, for the letter in the gutter (compare mode). */
export interface PairsRunBand {
  top: number;
  bottom: number;
  letterY: number;
}

export interface PairsColumnTitle {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
}

export type PairsArrangement = 'columns' | 'stacked';

export interface PairsLayout {
  arrangement: PairsArrangement;
  fontSize: number;
  /** Font of the legends, the titles, the figures and the tick labels. */
  smallFont: number;
  titleHeight: number;
  swatchWidth: number;
  /** Centre of the positive / negative legend row, and where each entry starts. */
  kindLegend: { y: number; positiveX: number; negativeX: number; positiveText: string; negativeText: string };
  runLegend: LegendPlacement;
  runLegendTop: number;
  runLegendLeft: number;
  /** Left of the plots, after INSET: the run letters' gutter in compare mode, else at most the room half a "0°" label needs. */
  gutter: number;
  /** The parts' titles over the two columns ('columns' arrangement; empty when stacked). */
  columnTitles: PairsColumnTitle[];
  cells: PairsCell[];
  runBands: PairsRunBand[];
  /** Where θ tick labels go: under the bottom plot of each column. */
  axes: { left: number; width: number; y: number }[];
  ticks: number[];
  wording: Wording;
  plotHeight: number;
  /** The plots are at least their minimum height (false: even the smallest font left too little room). */
  fits: boolean;
}

const INSET = 8;
const WORDING_RANK: Record<Wording, number> = { long: 2, medium: 1, short: 0 };

/**
 * Title, legends, the plots with their figures above them, and the θ axis. Two
 * arrangements: 'columns' puts the test and unseen plots side by side, a row per run;
 * 'stacked' puts them one above the other at full width, which leaves room for the long
 * wording. Stacked wins when its wording is better and its plots are still at least three
 * lines tall; the font shrinks (to 60%, at least 8 px) until the plots get their minimum height.
 */
export function pairsLayout(size: PanelSize, fontSize: number, lineWidth: number, runs: readonly LegendEntry[]): PairsLayout {
  const smallest = Math.max(8, fontSize * 0.6);
  let font = fontSize;
  let layout = chooseArrangement(size, font, lineWidth, runs);
  while (!layout.fits && font * 0.9 >= smallest) {
    font *= 0.9;
    layout = chooseArrangement(size, font, lineWidth, runs);
  }
  return layout;
}

function chooseArrangement(size: PanelSize, fontSize: number, lineWidth: number, runs: readonly LegendEntry[]): PairsLayout {
  const columns = pairsLayoutAt(size, fontSize, lineWidth, runs, 'columns');
  const stacked = pairsLayoutAt(size, fontSize, lineWidth, runs, 'stacked');
  const roomy = stacked.plotHeight >= 3 * Math.ceil(stacked.smallFont * 1.35);
  return roomy && WORDING_RANK[stacked.wording] > WORDING_RANK[columns.wording] ? stacked : columns;
}

export function pairsLayoutAt(size: PanelSize, fontSize: number, lineWidth: number, runs: readonly LegendEntry[], arrangement: PairsArrangement): PairsLayout {
  const compare = runs.length > 1;
  const smallFont = fontSize * 0.85;
  const lineHeight = Math.ceil(smallFont * 1.35);
  const titleHeight = Math.max(26, Math.round(fontSize * 2.1));
  // Half a "180°" hangs past a plot's right edge, half a "0°" before the next plot's left.
  const rightInset = Math.max(INSET, Math.ceil(estimateTextWidth('180°', smallFont) / 2) + 2);
  const compareGutter = runs.length > 1 ? Math.ceil(fontSize * 1.6) : 0;
  // The plots start after the run letters (compare mode) and at least half a "0°" in.
  const plotsLeft = INSET + Math.max(compareGutter, Math.ceil(estimateTextWidth('0°', smallFont) / 2) + 2 - INSET);
  const columnGap = Math.ceil(estimateTextWidth('180°', smallFont) / 2 + estimateTextWidth('0°', smallFont) / 2 + smallFont);
  const width = size.width - INSET - rightInset;
  // Baseline of a line of text in a row of lineHeight that starts at `top`.
  const baseline = (top: number): number => top + lineHeight - Math.round(lineHeight * 0.25);

  // Positive / negative legend: one row, in shorter words if the row is narrow.
  const swatchWidth = legendSwatchWidth(smallFont, lineWidth);
  const entryRoom = width / 2 - swatchWidth - 4 - smallFont;
  const fitsRow = (labels: { readonly positive: string; readonly negative: string }): boolean =>
    2 * (swatchWidth + 4) + smallFont + estimateTextWidth(labels.positive, smallFont) + estimateTextWidth(labels.negative, smallFont) <= width;
  const kindLabels = [KIND_LABELS, SHORT_KIND_LABELS].find(fitsRow) ?? TERSE_KIND_LABELS;
  // Only the terse words, in a row too narrow even for them, are cut (each to half the row).
  const whole = fitsRow(kindLabels);
  const positiveText = whole ? kindLabels.positive : shortenToFit(kindLabels.positive, entryRoom, smallFont);
  const negativeText = whole ? kindLabels.negative : shortenToFit(kindLabels.negative, entryRoom, smallFont);
  const positiveWidth = swatchWidth + 4 + estimateTextWidth(positiveText, smallFont);
  const kindLegend = { y: titleHeight + lineHeight / 2, positiveX: INSET, negativeX: INSET + positiveWidth + smallFont, positiveText, negativeText };

  const runLegendTop = titleHeight + lineHeight;
  const runLegend = placeLegend(compare ? runs : [], width, smallFont, swatchWidth);
  let top = runLegendTop + runLegend.height + 2;

  const gutter = plotsLeft - INSET;
  const count = Math.max(1, runs.length);
  const axisRoom = Math.ceil(smallFont * 1.6);
  const rowGap = compare ? Math.ceil(smallFont * 0.6) : 0;
  const plotGap = 2;
  const minPlot = Math.max(14, fontSize * 1.5);

  const cells: PairsCell[] = [];
  const runBands: PairsRunBand[] = [];
  const columnTitles: PairsColumnTitle[] = [];
  let plotHeight: number;
  let columnWidth: number;
  if (arrangement === 'columns') {
    columnWidth = Math.max(20, (width - gutter - columnGap) / 2);
    const lefts = PAIR_PARTS.map((_, index) => plotsLeft + index * (columnWidth + columnGap));
    PAIR_PARTS.forEach(({ title, shortTitle }, index) => {
      const text = estimateTextWidth(title, smallFont) <= columnWidth ? title : shortenToFit(shortTitle, columnWidth, smallFont);
      columnTitles.push({ text, x: lefts[index], y: baseline(top) });
    });
    top += lineHeight;
    const textHeight = 2 * lineHeight;
    const rowHeight = (size.height - top - axisRoom - (count - 1) * rowGap) / count;
    plotHeight = Math.max(4, Math.floor(rowHeight - textHeight - plotGap));
    for (let run = 0; run < count; run++) {
      const rowTop = top + run * (rowHeight + rowGap);
      const plotTop = rowTop + textHeight + plotGap;
      runBands.push({ top: rowTop, bottom: plotTop + plotHeight, letterY: plotTop + plotHeight / 2 });
      PAIR_PARTS.forEach(({ part }, index) => {
        cells.push({ run, part, plot: { left: lefts[index], top: plotTop, width: columnWidth, height: plotHeight }, lineYs: [baseline(rowTop), baseline(rowTop + lineHeight)], title: null });
      });
    }
  } else {
    columnWidth = Math.max(20, width - gutter);
    const left = plotsLeft;
    const textHeight = 3 * lineHeight;
    const blocks = count * PAIR_PARTS.length;
    const gaps = (count - 1) * rowGap + count * (PAIR_PARTS.length - 1) * plotGap * 3;
    const blockHeight = (size.height - top - axisRoom - gaps) / blocks;
    plotHeight = Math.max(4, Math.floor(blockHeight - textHeight - plotGap));
    let cursor = top;
    for (let run = 0; run < count; run++) {
      const bandTop = cursor;
      PAIR_PARTS.forEach(({ part, title }, index) => {
        if (index > 0) cursor += plotGap * 3;
        const plotTop = cursor + textHeight + plotGap;
        cells.push({
          run,
          part,
          plot: { left, top: plotTop, width: columnWidth, height: plotHeight },
          lineYs: [baseline(cursor + lineHeight), baseline(cursor + 2 * lineHeight)],
          title: { text: shortenToFit(title, columnWidth, smallFont), y: baseline(cursor) },
        });
        cursor = plotTop + plotHeight;
      });
      runBands.push({ top: bandTop, bottom: cursor, letterY: (bandTop + cursor) / 2 });
      cursor += rowGap;
    }
  }
  const bottoms = new Map<number, { left: number; width: number; y: number }>();
  for (const cell of cells) {
    const y = cell.plot.top + cell.plot.height + Math.ceil(smallFont * 1.2);
    const known = bottoms.get(cell.plot.left);
    if (!known || known.y < y) bottoms.set(cell.plot.left, { left: cell.plot.left, width: cell.plot.width, y });
  }
  return {
    arrangement,
    fontSize,
    smallFont,
    titleHeight,
    swatchWidth,
    kindLegend,
    runLegend,
    runLegendTop,
    runLegendLeft: INSET,
    gutter,
    columnTitles,
    cells,
    runBands,
    axes: [...bottoms.values()],
    ticks: thetaTicks(columnWidth, smallFont),
    wording: wordingFor(columnWidth, smallFont),
    plotHeight,
    fits: plotHeight >= minPlot,
  };
}
