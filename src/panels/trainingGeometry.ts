/**
 * Geometry of the Training panel. One run: loss (log, left axis) and train accuracy
 * (right axis) share one plot. Several runs: every run draws both curves in its own
 * colour and dash, so loss and accuracy get a plot each (loss above, accuracy below, one
 * step axis) and a legend names the runs.
 */
import { scaleLinear, scaleLog } from 'd3';
import { legendSwatchWidth, placeLegend, type LegendEntry, type LegendPlacement } from './legendGeometry';
import type { PanelSize } from './types';

export const TITLE_HEIGHT = 26;
export const PLOT = { left: 44, right: 44, top: TITLE_HEIGHT + 8, bottom: 30 };
export const LOSS_DOMAIN: [number, number] = [1e-4, 30];
export const LOSS_TICKS: readonly number[] = [1e-3, 1e-2, 1e-1, 1, 10];

/** The x-axis bound: 1, 2 or 5 × 10^k above the step, so the axis rarely changes. */
export function niceStepBound(step: number): number {
  const target = Math.max(step, 100);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= target) return factor * power;
  return 10 * power;
}

export function trainingScales(size: PanelSize, stepBound: number) {
  return {
    x: scaleLinear()
      .domain([0, stepBound])
      .range([PLOT.left, size.width - PLOT.right]),
    loss: scaleLog()
      .domain(LOSS_DOMAIN)
      .range([size.height - PLOT.bottom, PLOT.top])
      .clamp(true),
    accuracy: scaleLinear()
      .domain([0, 1])
      .range([size.height - PLOT.bottom, PLOT.top]),
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
}

const INSET = 8;

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
  const lossScale = scaleLog().domain(LOSS_DOMAIN).range([loss.bottom, loss.top]);
  // Every other decade when neighbouring labels would touch.
  const spacing = Math.abs(lossScale(LOSS_TICKS[1]) - lossScale(LOSS_TICKS[0]));
  const lossTicks = spacing >= fontSize * 1.2 ? [...LOSS_TICKS] : LOSS_TICKS.filter((_, index) => index % 2 === 0);
  return { fontSize, legend, legendLeft: INSET, legendTop, left, right, loss, accuracy, tickLabelY: accuracy.bottom + Math.ceil(fontSize * 1.3), lossTicks };
}

export function compareTrainingScales(layout: CompareTrainingLayout, stepBound: number) {
  return {
    x: scaleLinear().domain([0, stepBound]).range([layout.left, layout.right]),
    loss: scaleLog().domain(LOSS_DOMAIN).range([layout.loss.bottom, layout.loss.top]).clamp(true),
    accuracy: scaleLinear().domain([0, 1]).range([layout.accuracy.bottom, layout.accuracy.top]),
  };
}
