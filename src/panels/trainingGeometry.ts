/**
 * Geometry of the Training panel. One run: loss (log, left axis) and train accuracy
 * (right axis) share one plot. Several runs: every run draws both curves in its own
 * colour and dash, so loss and accuracy get a plot each (loss above, accuracy below, one
 * step axis) and a legend names the runs.
 */
import { scaleLinear, scaleLog, type ScaleLinear } from 'd3';
import { legendSwatchWidth, placeLegend, type LegendEntry, type LegendPlacement } from './legendGeometry';
import type { PanelSize } from './types';

export const TITLE_HEIGHT = 26;
/** The fixed margins the light theme's 11 px type was drawn with: the least the layout gives. */
export const PLOT = { left: 44, right: 44, top: TITLE_HEIGHT + 8, bottom: 30 };
/** Within PLOT.bottom: step tick baselines 16 px under the plot, "step" 12 px under them, 2 px above the edge. */
const TICKS_BELOW_PLOT = 16;
const STEP_BELOW_TICKS = 12;
const STEP_ABOVE_EDGE = 2;
export const LOSS_DOMAIN: [number, number] = [1e-4, 30];
export const LOSS_TICKS: readonly number[] = [1e-3, 1e-2, 1e-1, 1, 10];

/** The x-axis bound: 1, 2 or 5 × 10^k above the step, so the axis rarely changes. */
export function niceStepBound(step: number): number {
  const target = Math.max(step, 100);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= target) return factor * power;
  return 10 * power;
}

/*
 * Text boxes of the panels' sans-serif as fractions of the font size, as Chromium measures
 * SVG text (getBBox at 11 and 16 px): the em box reaches 0.93 em above the alphabetic
 * baseline and 0.26 em below it; a dominant-baseline="middle" label reaches 0.53 em below its y.
 */
const ASCENT = 0.93;
/**
 * From the step tick labels' baseline to the axis title's under them: digits have no
 * descenders, so the title needs only its ascent and 0.15 em of air.
 */
const DIGITS_TO_NEXT_LINE = ASCENT + 0.15;
/** A middle-anchored label's reach below its y plus an alphabetic label's ascent. */
const MIDDLE_BELOW_PLUS_ASCENT = 1.45;
/** Widths, in em, of the widest tick labels: "100%" and "1e-3". */
const PERCENT_WIDTH = 2.86;
const LOSS_LABEL_WIDTH = 2.25;
/** Gap between a tick label and its axis, px. */
export const TICK_GAP = 4;

export interface TrainingLayout {
  fontSize: number;
  /** The plot box. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Baseline of the axis titles "loss (log)" and "train accuracy", above the plot. */
  labelY: number;
  /** Baseline of the step tick labels. */
  tickLabelY: number;
  /** Baseline of the axis title "step", under the tick labels. */
  stepLabelY: number;
  /** Loss and accuracy ticks far enough apart for their labels. */
  lossTicks: number[];
  accuracyTicks: number[];
}

/**
 * The single-run plot from the font size and the bottom of the panel title's text
 * (`titleBottom`, px from the panel's top). Each margin is at least the fixed one the
 * light theme was drawn with (PLOT), so its picture stays; larger type pushes them out:
 * the axis titles below the panel title, the tick labels below "0%" and "step" below them.
 */
export function trainingLayout(size: PanelSize, fontSize: number, titleBottom: number): TrainingLayout {
  const labelY = Math.max(PLOT.top - TICK_GAP, Math.ceil(titleBottom + fontSize * ASCENT));
  const top = labelY + TICK_GAP;
  // "step" keeps its descender (about 0.2 em) inside the panel.
  const stepLabelY = size.height - Math.max(STEP_ABOVE_EDGE, Math.round(fontSize * 0.2));
  const tickLabelY = stepLabelY - Math.max(STEP_BELOW_TICKS, Math.ceil(fontSize * DIGITS_TO_NEXT_LINE));
  // The last step label sits under "0%", which is middle-anchored at the plot's bottom.
  const bottom = Math.max(top, tickLabelY - Math.max(TICKS_BELOW_PLOT, Math.ceil(fontSize * MIDDLE_BELOW_PLUS_ASCENT)));
  const left = Math.max(PLOT.left, Math.ceil(fontSize * LOSS_LABEL_WIDTH) + 2 * TICK_GAP);
  const right = size.width - Math.max(PLOT.right, Math.ceil(fontSize * PERCENT_WIDTH) + TICK_GAP + 2);
  return {
    fontSize,
    left,
    right: Math.max(left, right),
    top,
    bottom,
    labelY,
    tickLabelY,
    stepLabelY,
    lossTicks: spacedLossTicks(bottom - top, fontSize),
    accuracyTicks: spacedAccuracyTicks(bottom - top, fontSize),
  };
}

/** Width of a digit, em, and the least air between two step labels. */
const DIGIT_WIDTH = 0.64;
const STEP_LABEL_AIR = 0.5;

/** The step ticks: up to 5 intervals, fewer where the labels would touch. */
export function stepTicks(x: ScaleLinear<number, number>, fontSize: number): number[] {
  let ticks = x.ticks(4);
  for (let count = 4; count >= 1; count--) {
    ticks = x.ticks(count);
    const widest = Math.max(...ticks.map((tick) => String(tick).length)) * DIGIT_WIDTH * fontSize;
    if (ticks.length < 2 || Math.abs(x(ticks[1]) - x(ticks[0])) >= widest + STEP_LABEL_AIR * fontSize) return ticks;
  }
  return ticks;
}

export function trainingScales(layout: TrainingLayout, stepBound: number) {
  return {
    x: scaleLinear().domain([0, stepBound]).range([layout.left, layout.right]),
    loss: scaleLog().domain(LOSS_DOMAIN).range([layout.bottom, layout.top]).clamp(true),
    accuracy: scaleLinear().domain([0, 1]).range([layout.bottom, layout.top]),
  };
}

export type TrainingScales = ReturnType<typeof trainingScales>;

export interface VerticalBand {
  top: number;
  bottom: number;
}

export interface CompareTrainingLayout {
  /** Font of the legend and the axis labels. */
  fontSize: number;
  legend: LegendPlacement;
  legendLeft: number;
  legendTop: number;
  /** Left and right edge of both plots. */
  left: number;
  right: number;
  loss: VerticalBand;
  accuracy: VerticalBand;
  /** Baseline of the step tick labels, under the accuracy plot. */
  tickLabelY: number;
  /** Loss ticks far enough apart for their labels. */
  lossTicks: number[];
  /** Accuracy ticks far enough apart for their labels. */
  accuracyTicks: number[];
}

const INSET = 8;
/** Middle-anchored labels this many em apart (centre to centre) do not touch. */
const LABEL_SPACING = 1.2;

/**
 * Every k-th decade of LOSS_TICKS, k the least that keeps neighbouring labels
 * `fontSize × LABEL_SPACING` apart on a plot `height` px tall; one label if none does.
 */
function spacedLossTicks(height: number, fontSize: number): number[] {
  const decade = height / Math.log10(LOSS_DOMAIN[1] / LOSS_DOMAIN[0]);
  const stride = Math.max(1, Math.ceil((fontSize * LABEL_SPACING) / Math.max(decade, 1e-9)));
  if (stride >= LOSS_TICKS.length) return [LOSS_TICKS[LOSS_TICKS.length - 1]];
  return LOSS_TICKS.filter((_, index) => index % stride === 0);
}

/** 0, 50 and 100% where they fit, else 0 and 100%, else 100% alone. */
function spacedAccuracyTicks(height: number, fontSize: number): number[] {
  const needed = fontSize * LABEL_SPACING;
  if (height / 2 >= needed) return [0, 0.5, 1];
  return height >= needed ? [0, 1] : [1];
}

/**
 * Title, legend, loss plot, accuracy plot and the step axis, top to bottom. The loss
 * plot gets 55% of the height the two share, its log axis needing more room than 0–100%.
 */
export function compareTrainingLayout(size: PanelSize, fontSize: number, lineWidth: number, entries: readonly LegendEntry[]): CompareTrainingLayout {
  const swatch = legendSwatchWidth(fontSize, lineWidth);
  const legend = placeLegend(entries, size.width - 2 * INSET, fontSize, swatch);
  const legendTop = TITLE_HEIGHT + 2;
  const left = Math.max(PLOT.left, Math.ceil(fontSize * 4));
  const right = size.width - Math.max(12, Math.ceil(fontSize));
  // Room above the loss plot for its axis title, and between the plots for the accuracy's.
  const titleRoom = Math.ceil(fontSize * 1.3);
  const lossTop = legendTop + legend.height + titleRoom;
  const axisRoom = Math.ceil(fontSize * 2.6);
  const plotsBottom = size.height - axisRoom;
  const shared = Math.max(0, plotsBottom - lossTop - titleRoom);
  const lossHeight = Math.round(shared * 0.55);
  const loss = { top: lossTop, bottom: lossTop + lossHeight };
  const accuracy = { top: loss.bottom + titleRoom, bottom: Math.max(loss.bottom + titleRoom, plotsBottom) };
  return {
    fontSize,
    legend,
    legendLeft: INSET,
    legendTop,
    left,
    right,
    loss,
    accuracy,
    tickLabelY: accuracy.bottom + Math.ceil(fontSize * 1.3),
    lossTicks: spacedLossTicks(loss.bottom - loss.top, fontSize),
    accuracyTicks: spacedAccuracyTicks(accuracy.bottom - accuracy.top, fontSize),
  };
}

export function compareTrainingScales(layout: CompareTrainingLayout, stepBound: number) {
  return {
    x: scaleLinear().domain([0, stepBound]).range([layout.left, layout.right]),
    loss: scaleLog().domain(LOSS_DOMAIN).range([layout.loss.bottom, layout.loss.top]).clamp(true),
    accuracy: scaleLinear().domain([0, 1]).range([layout.accuracy.bottom, layout.accuracy.top]),
  };
}
