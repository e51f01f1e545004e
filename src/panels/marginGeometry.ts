/**
 * Geometry of the Fig. 5 panel: where the main θ1–θ2 plot and the four small multiples
 * sit inside the panel, and the SVG paths of their boundaries and margin regions.
 * Pure: d3 scales and shapes only, no DOM and no colours, so tests call it with fixed
 * props and the component only maps it to elements.
 *
 * Scales take radians (the unit of the math); only the tick labels are in degrees.
 */
import { area, line, polygonArea, scaleLinear, type ScaleLinear } from 'd3';
import { constantAngularMargin, marginColumns, sampleBoundary, type BoundaryPoint, type MarginColumn } from '../core/boundaries';
import { isTargetCurve, toDegrees, toRadians, warmedMargin, type Margin, type Target } from '../core/margin';
import { findPreset } from '../core/presets';
import { SCHEMA, type Params } from '../core/schema';
import { SPHEREFACE_REIMPLEMENTATION_LABEL, sphereFaceCurve, sphereFaceLabel } from '../core/sphereface';
import { legendSwatchWidth, placeLegend, type LegendEntry, type LegendPlacement } from './legendGeometry';
import type { PanelSize } from './types';

export const MARGIN_TITLE = 'Decision margins (Fig. 5)';
export const MARGIN_SHORT_TITLE = 'Margins (Fig. 5)';
export const MARGIN_CAPTION = 'Shaded: the margin, where neither wins. Dots: live samples of the two identities.';
/** Compare mode's caption; the letter of the run whose samples are dotted is filled in. */
export function compareMarginCaption(dotsLetter: string): string {
  return `Shaded: each run’s margin. Dots: run ${dotsLetter}’s live samples of the two identities.`;
}
export const TICK_DEGREES: readonly number[] = [0, 45, 90, 135, 180];

/** The settings a panel needs; the rest of Params never moves a boundary. λ is the original SphereFace's (the schema's default when absent). */
export type MarginParams = Pick<Params, 'head' | 'm1' | 'm2' | 'm3' | 'fallback'> & Partial<Pick<Params, 'sphereLambda'>>;

export interface NamedMargin {
  id: string;
  title: string;
  /** Used when the small multiples are too narrow for `title`. */
  shortTitle: string;
  /** A combined margin, or another target curve (the original SphereFace). */
  margin: Target;
}

function presetMargin(id: string): Margin {
  const preset = findPreset(id);
  if (!preset) throw new Error(`missing preset ${id}`);
  // The fallback only changes ψ past θ*, where the boundary already sits on the edge.
  return { m1: preset.m1, m2: preset.m2, m3: preset.m3, fallback: true };
}

/**
 * The paper's settings of Fig. 5, in its order, with SphereFace twice: the original
 * (integer m = 4, its target blended with cos θ by λ) and the ArcFace authors'
 * real-valued re-implementation (m1 = 1.35). Combined margins come from the presets so
 * they cannot drift. The visible titles are short; `fullName` is what the tooltip and the
 * screen reader say.
 */
export function smallMultiples(sphereLambda: number = SCHEMA.sphereLambda.default): NamedMargin[] {
  return [
    { id: 'norm-softmax', title: 'Softmax (NS)', shortTitle: 'NS', margin: presetMargin('norm-softmax') },
    { id: 'sphereface-m4', title: 'SphereFace m=4', shortTitle: 'SF m=4', margin: sphereFaceCurve(sphereLambda) },
    { id: 'sphereface', title: 'SphereFace 1.35', shortTitle: 'SF 1.35', margin: presetMargin('sphereface') },
    { id: 'cosface', title: 'CosFace', shortTitle: 'Cos', margin: presetMargin('cosface') },
    { id: 'arcface', title: 'ArcFace', shortTitle: 'Arc', margin: presetMargin('arcface') },
  ];
}

/** The small multiples at the schema's λ; their count and titles size the layout. */
export const SMALL_MULTIPLES: readonly NamedMargin[] = smallMultiples();

/** What a small multiple is called in full: the SphereFace ones need more than fits above a thumbnail. */
export function multipleFullName(named: NamedMargin, sphereLambda: number = SCHEMA.sphereLambda.default): string {
  if (named.id === 'sphereface') return SPHEREFACE_REIMPLEMENTATION_LABEL;
  if (named.id === 'sphereface-m4') return sphereFaceLabel(sphereLambda);
  return named.title;
}

/** The margin the main plot shows: the params' own, or none for plain softmax, whose boundary is θ2 = θ1. */
export function panelMargin(params: MarginParams): Margin {
  if (params.head === 'softmax') return { m1: 1, m2: 0, m3: 0, fallback: params.fallback };
  return { m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback };
}

const NO_MARGIN = 1e-12;

/** What the main plot writes on the margin band. */
export function marginLabel(margin: Target): string {
  if (isTargetCurve(margin)) return 'margin varies with θ';
  const width = constantAngularMargin(margin);
  if (width === null) return 'margin varies with θ';
  if (Math.abs(width) < NO_MARGIN) return 'no margin';
  return `Δθ2 = 2·m2 = ${toDegrees(width).toFixed(1)}°`;
}

/** The same, short enough to sit under a small multiple. */
export function shortMarginLabel(margin: Target): string {
  if (isTargetCurve(margin)) return 'Δθ2 varies';
  const width = constantAngularMargin(margin);
  if (width === null) return 'Δθ2 varies';
  if (Math.abs(width) < NO_MARGIN) return 'no margin';
  return `Δθ2 = ${toDegrees(width).toFixed(1)}°`;
}

/**
 * A generous average glyph width (em) for system-ui, so an estimate errs towards
 * reserving too much room rather than letting text spill out of the panel.
 */
const GLYPH_WIDTH = 0.6;

export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * GLYPH_WIDTH * fontSize;
}

/** A square plot area in stage pixels. */
export interface PlotFrame {
  left: number;
  top: number;
  side: number;
}

export interface PlotGeometry {
  margin: Target;
  frame: PlotFrame;
  /** θ1 (radians) → x pixel. */
  x: ScaleLinear<number, number>;
  /** θ2 (radians) → y pixel, upwards. Same pixels per radian as x: equal aspect. */
  y: ScaleLinear<number, number>;
  class1Path: string;
  class2Path: string;
  /** θ2 = θ1, the boundary without any margin, drawn faintly for reference. */
  diagonalPath: string;
  columns: MarginColumn[];
  regionPath: string;
  /** The shaded region as a pixel polygon: upper edge left to right, then the lower edge back. */
  regionPolygon: [number, number][];
  /** Area of the region, px². */
  regionArea: number;
  label: string;
  shortLabel: string;
}

export interface AxisTick {
  degrees: number;
  label: string;
  /** Pixel x of the tick on the θ1 axis. */
  x: number;
  /** Pixel y of the tick on the θ2 axis. */
  y: number;
}

export interface TextPlacement {
  x: number;
  y: number;
  /** Degrees, SVG sense (clockwise). */
  rotate: number;
}

/** Which of the 45° ticks carry a label: all, every other one, or the two ends. */
export type TickLabelStep = 45 | 90 | 180;

/** How the corners name the winner: "identity 1 wins", "1 wins", or not at all. */
export type CornerLabelForm = 'full' | 'short' | 'none';

export interface MainPlotGeometry extends PlotGeometry {
  /** Grid lines and tick marks, every 45°. */
  ticks: AxisTick[];
  /** The ticks whose θ1 label is drawn: thinned so neighbours keep a gap. */
  xTickLabels: AxisTick[];
  /** The same on the θ2 axis, less the 0° that would collide with the θ1 axis's 0° (one label serves both). */
  yTickLabels: AxisTick[];
  tickLabelStep: TickLabelStep;
  tickLength: number;
  /** Baseline of the θ1 tick labels (hanging) and x of the θ2 tick labels (right-aligned). */
  xTickLabelY: number;
  yTickLabelX: number;
  xTitle: TextPlacement;
  yTitle: TextPlacement;
  /** The axis titles that stay on the stage: "θ1, angle to W0", else "θ1 (W0)", else "θ1". */
  xTitleText: string;
  yTitleText: string;
  /** The margin label, along the diagonal. */
  labelPlacement: TextPlacement;
  /** The text drawn along the diagonal: `label`, a shorter form, or nothing when neither fits. */
  diagonalText: string | null;
  /** Where "identity … wins" goes: class 1's corner (top left, start-anchored) and class 2's (bottom right, end-anchored). */
  class1Corner: TextPlacement;
  class2Corner: TextPlacement;
  /** How the corner labels name the winner; their texts follow. */
  cornerForm: CornerLabelForm;
  /** The corner labels' texts, or null when they do not fit their corners. */
  class1CornerText: string | null;
  class2CornerText: string | null;
}

export interface MultipleGeometry extends PlotGeometry {
  id: string;
  /** The title that fits (full or short). */
  title: string;
  fullTitle: string;
  /** The main plot shows this setting. */
  current: boolean;
  /** Centre x and baseline y of the title, and of the label under the plot. */
  titleX: number;
  titleY: number;
  labelY: number;
  showLabel: boolean;
}

export interface MarginPanelLayout {
  fontSize: number;
  titleFontSize: number;
  smallFontSize: number;
  /** Horizontal padding of the HTML rows (title, selects, caption). */
  padding: number;
  /** Gap between the header, the stage and the caption. */
  gap: number;
  /**
   * One row (title and selects), or the selects on a row under the title. Compare mode's
   * run select goes with them when it fits, else beside the title (runBesideTitle), else
   * on a third row of its own.
   */
  header: {
    /** MARGIN_TITLE, or its short form where the full one would be cut. */
    title: string;
    rows: 1 | 2 | 3;
    rowHeight: number;
    height: number;
    runBesideTitle: boolean;
    /** The identity selects' visible names give way to their colour swatches (their accessible names stay), and the selects narrow. */
    compact: boolean;
  };
  /** Gap between the controls of a header row, px. */
  controlGap: number;
  selectWidth: number;
  /** Compare mode's run select (one letter). */
  runSelectWidth: number;
  /**
   * Height 0 and `hidden` when keeping the caption in sight would squeeze the main plot
   * below a readable side; it then stays in the page for screen readers only.
   */
  caption: { lines: number; lineHeight: number; height: number; hidden: boolean };
  /** Compare mode: the legend of runs between the stage and the caption (height 0 without runs). */
  legend: LegendPlacement;
  /** Top of the legend, panel pixels. */
  legendTop: number;
  /** The box holding the SVG and the canvas, under the header. */
  stage: { top: number; width: number; height: number };
  arrangement: 'beside' | 'below' | 'main-only';
  main: PlotFrame;
  multiples: PlotFrame[];
  multipleTitleHeight: number;
  /** 0 when the small multiples' labels are hidden. */
  multipleLabelHeight: number;
  multipleTitlesShort: boolean;
}

/** Compare mode: one run's boundaries, drawn in the main plot's frame. */
export interface RunPlotGeometry extends PlotGeometry {
  letter: string;
}

export interface MarginPanelGeometry {
  layout: MarginPanelLayout;
  main: MainPlotGeometry;
  multiples: MultipleGeometry[];
  /** One per run in compare mode, in run order; empty for a single run. */
  runPlots: RunPlotGeometry[];
}

/** A run as the Fig. 5 panel's compare mode needs it. */
export interface MarginRun {
  letter: string;
  label: string;
  params: MarginParams;
}

/** Compare mode's extras to lay out: the runs' legend, the run select and the caption. */
export interface MarginCompareExtras {
  legend: readonly LegendEntry[];
  /** Width of the legend's lines, px. */
  lineWidth: number;
  caption: string;
}

export interface MarginGeometryOptions {
  /** The theme's axis font size, px. */
  fontSize?: number;
  /** Uniform samples of each boundary in the main plot (181: one per degree). */
  samples?: number;
  /** The same for each small multiple. */
  multipleSamples?: number;
  /** Compare mode: every run (2 or more); the main plot then shows each run's boundaries. */
  runs?: readonly MarginRun[];
  /** Width of the runs' lines, px, for the legend's swatches. */
  lineWidth?: number;
  /** Compare mode: the letter of the run whose samples are dotted, for the caption. */
  dotsLetter?: string;
  /** The runs are in their margin warm-up (in lockstep, all at this step): the main plot shows the margin that applies now. */
  warmup?: { step: number; steps: number } | null;
  /** The identities the main plot compares, for its corner labels' widths (0 and 1 when absent). */
  identities?: readonly [number, number];
}

const TICK_LENGTH = 4;
/** How much wider than estimated a short title may really be (see the small multiples' titleX). */
const SHORT_TEXT_ALLOWANCE = 1.15;
const TICK_PAD = 3;
const MULTIPLE_GAP = 8;
const MAIN_GAP = 12;
const MIN_MULTIPLE = 36;
const MAX_MULTIPLE = 130;
const MIN_MAIN = 60;
const MULTIPLE_COUNT = SMALL_MULTIPLES.length;
/** Beside the main plot the small multiples stand in two columns. */
const BESIDE_COLUMNS = 2;
const BESIDE_ROWS = Math.ceil(MULTIPLE_COUNT / BESIDE_COLUMNS);
/** Below this side the main plot's curves and dots are hard to read from the back of a room. */
export const READABLE_MAIN = 110;
const CONTROL_LABEL = 'identity 1';
const CONTROL_GAP = 12;
const COMPACT_CONTROL_GAP = 8;
/** A select's dropdown arrow, padding and border, px (Chromium, 11 to 18 px type), with a little to spare. */
const SELECT_CHROME = 22;
/** The identity swatch's diameter, em (marginPanel.css). */
const SWATCH_EM = 0.75;
/** The run select's visible label (its accessible name says 'dots of run'). */
const RUN_CONTROL_LABEL = 'dots';

interface MainPadding {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function mainPadding(fontSize: number): MainPadding {
  const tickLabelWidth = estimateTextWidth('180°', fontSize);
  return {
    // axis title (rotated), gap, tick labels, pad, tick
    left: Math.ceil(2 + fontSize + 6 + tickLabelWidth + TICK_PAD + TICK_LENGTH),
    // The last θ1 tick label is centred on the right edge and sticks out by half.
    right: Math.ceil(tickLabelWidth / 2 + 3),
    top: Math.ceil(fontSize / 2 + 3),
    // tick, pad, tick labels, gap, axis title
    bottom: Math.ceil(TICK_LENGTH + TICK_PAD + fontSize + 6 + fontSize + 2),
  };
}

interface Arrangement {
  kind: 'beside' | 'below';
  main: number;
  multiple: number;
}

/**
 * The largest main plot for one arrangement, then small multiples grown into what is
 * left. Each small multiple owns half a gap on either side, which is what lets its
 * title be a little wider than its plot even at the edge of the stage.
 */
function fitArrangement(kind: 'beside' | 'below', width: number, height: number, padding: MainPadding, extraHeight: number): Arrangement | null {
  const preferred = Math.max(MIN_MULTIPLE, Math.min(MAX_MULTIPLE, Math.round(0.2 * Math.min(width, height))));
  const horizontal = padding.left + padding.right;
  const vertical = padding.top + padding.bottom;
  if (kind === 'beside') {
    const tallest = Math.floor((height - (BESIDE_ROWS - 1) * MULTIPLE_GAP) / BESIDE_ROWS - extraHeight);
    let multiple = Math.min(preferred, tallest);
    if (multiple < MIN_MULTIPLE) return null;
    const main = Math.floor(Math.min(width - horizontal - MAIN_GAP - BESIDE_COLUMNS * (multiple + MULTIPLE_GAP), height - vertical));
    if (main < MIN_MAIN) return null;
    const widest = Math.floor((width - horizontal - main - MAIN_GAP) / BESIDE_COLUMNS - MULTIPLE_GAP);
    multiple = Math.max(multiple, Math.min(MAX_MULTIPLE, tallest, widest, Math.floor(main / 2)));
    return { kind, main, multiple };
  }
  const widest = Math.floor(width / MULTIPLE_COUNT - MULTIPLE_GAP);
  let multiple = Math.min(preferred, widest);
  if (multiple < MIN_MULTIPLE) return null;
  const main = Math.floor(Math.min(width - horizontal, height - vertical - MAIN_GAP - (multiple + extraHeight)));
  if (main < MIN_MAIN) return null;
  const tallest = Math.floor(height - vertical - MAIN_GAP - extraHeight - main);
  multiple = Math.max(multiple, Math.min(MAX_MULTIPLE, widest, tallest, Math.floor(main / 2)));
  return { kind, main, multiple };
}

/** What the stage holds: the plots' frames, however they are arranged. */
type PlotsLayout = Pick<MarginPanelLayout, 'arrangement' | 'main' | 'multiples' | 'multipleTitleHeight' | 'multipleLabelHeight' | 'multipleTitlesShort'>;

/** The main plot alone, centred: the largest square the stage holds with its axes. */
function mainOnly(stage: { width: number; height: number }, pad: MainPadding, multipleTitleHeight: number): PlotsLayout {
  const side = Math.max(10, Math.floor(Math.min(stage.width - pad.left - pad.right, stage.height - pad.top - pad.bottom)));
  const left = Math.floor((stage.width - (pad.left + side + pad.right)) / 2) + pad.left;
  const top = Math.floor((stage.height - (pad.top + side + pad.bottom)) / 2) + pad.top;
  return { arrangement: 'main-only', main: { left, top, side }, multiples: [], multipleTitleHeight, multipleLabelHeight: 0, multipleTitlesShort: true };
}

/**
 * The main plot and the small multiples beside it (two columns) or below it (one row),
 * whichever gives the bigger main plot. The small multiples are dropped when they would
 * be drawn unreadably small, or (if allowed) when they squeeze the main plot below a
 * readable side.
 */
function placePlots(stage: { width: number; height: number }, pad: MainPadding, smallFontSize: number, mayDropMultiples: boolean): PlotsLayout {
  const multipleTitleHeight = Math.ceil(smallFontSize * 1.3) + 2;
  const labelHeight = Math.ceil(smallFontSize * 1.3) + 1;
  const fullTitlesFit = (side: number): boolean => SMALL_MULTIPLES.every((named) => estimateTextWidth(named.title, smallFontSize) <= side + MULTIPLE_GAP);
  const labelsFit = (side: number): boolean => SMALL_MULTIPLES.every((named) => estimateTextWidth(shortMarginLabel(named.margin), smallFontSize) <= side + MULTIPLE_GAP);

  const best = (extraHeight: number): Arrangement | null => {
    const beside = fitArrangement('beside', stage.width, stage.height, pad, extraHeight);
    const below = fitArrangement('below', stage.width, stage.height, pad, extraHeight);
    if (!beside) return below;
    if (!below) return beside;
    return below.main > beside.main ? below : beside;
  };
  let multipleLabelHeight = labelHeight;
  let chosen = best(multipleTitleHeight + labelHeight);
  if (!chosen || !labelsFit(chosen.multiple)) {
    multipleLabelHeight = 0;
    chosen = best(multipleTitleHeight);
  }
  if (!chosen || (mayDropMultiples && chosen.main < READABLE_MAIN)) return mainOnly(stage, pad, multipleTitleHeight);

  const { main: side, multiple } = chosen;
  const cellHeight = multipleTitleHeight + multiple + multipleLabelHeight;
  const mainWidth = pad.left + side + pad.right;
  const mainHeight = pad.top + side + pad.bottom;
  let main: PlotFrame;
  const multiples: PlotFrame[] = [];
  if (chosen.kind === 'beside') {
    const gridWidth = BESIDE_COLUMNS * (multiple + MULTIPLE_GAP);
    const gridHeight = BESIDE_ROWS * cellHeight + (BESIDE_ROWS - 1) * MULTIPLE_GAP;
    const contentHeight = Math.max(mainHeight, gridHeight);
    const originX = Math.floor((stage.width - (mainWidth + MAIN_GAP + gridWidth)) / 2);
    const originY = Math.floor((stage.height - contentHeight) / 2);
    main = { left: originX + pad.left, top: originY + Math.floor((contentHeight - mainHeight) / 2) + pad.top, side };
    const gridLeft = originX + mainWidth + MAIN_GAP + MULTIPLE_GAP / 2;
    const gridTop = originY + Math.floor((contentHeight - gridHeight) / 2);
    for (let i = 0; i < MULTIPLE_COUNT; i++) {
      const column = i % BESIDE_COLUMNS;
      const row = Math.floor(i / BESIDE_COLUMNS);
      multiples.push({ left: gridLeft + column * (multiple + MULTIPLE_GAP), top: gridTop + row * (cellHeight + MULTIPLE_GAP) + multipleTitleHeight, side: multiple });
    }
  } else {
    const rowWidth = MULTIPLE_COUNT * (multiple + MULTIPLE_GAP);
    const contentHeight = mainHeight + MAIN_GAP + cellHeight;
    const originY = Math.floor((stage.height - contentHeight) / 2);
    main = { left: Math.floor((stage.width - mainWidth) / 2) + pad.left, top: originY + pad.top, side };
    const rowLeft = Math.floor((stage.width - rowWidth) / 2) + MULTIPLE_GAP / 2;
    const rowTop = originY + mainHeight + MAIN_GAP;
    for (let i = 0; i < MULTIPLE_COUNT; i++) {
      multiples.push({ left: rowLeft + i * (multiple + MULTIPLE_GAP), top: rowTop + multipleTitleHeight, side: multiple });
    }
  }
  return { arrangement: chosen.kind, main, multiples, multipleTitleHeight, multipleLabelHeight, multipleTitlesShort: !fullTitlesFit(multiple) };
}

/**
 * Where everything goes. The HTML rows (title and selects, caption) get heights from
 * the font size so the stage's height is known before anything is measured; the plots
 * then share the stage (see placePlots). Where room is short (projector type, compare
 * mode's legend) the header goes compact first, then the caption leaves the screen (not
 * the page), then the small multiples go, until the main plot is readable. Below about 200 × 150 the
 * small multiples are dropped rather than drawn unreadably small.
 */
export function layoutMarginPanel(size: PanelSize, fontSize = 11, compare: MarginCompareExtras | null = null): MarginPanelLayout {
  const width = Math.max(0, Math.floor(size.width));
  const height = Math.max(0, Math.floor(size.height));
  const titleFontSize = Math.round(fontSize * 1.15);
  const smallFontSize = Math.max(9, Math.round(fontSize * 0.9));
  const padding = 6;
  const gap = 4;

  const rowWidth = width - 2 * padding;
  const title = estimateTextWidth(MARGIN_TITLE, titleFontSize) <= rowWidth ? MARGIN_TITLE : MARGIN_SHORT_TITLE;
  const titleWidth = estimateTextWidth(title, titleFontSize) + 16;
  // The identity selects with their visible names, and the run select, each with the gap before the next control.
  const fullIdentityWidth = 2 * (estimateTextWidth(CONTROL_LABEL, fontSize) + 4 + Math.ceil(fontSize * 4.5)) + CONTROL_GAP;
  const headerFor = (compact: boolean) => {
    // Named only by their colour swatches, the identity selects (one or two digits) and the run select (one letter) can narrow, and the row lose a little height.
    const rowHeight = Math.ceil(Math.max(titleFontSize * 1.35, fontSize * (compact ? 1.75 : 2)));
    const controlGap = compact ? COMPACT_CONTROL_GAP : CONTROL_GAP;
    // Compact: room for two digits (or one letter) beside the dropdown arrow and padding.
    const selectWidth = compact ? Math.ceil(SELECT_CHROME + estimateTextWidth('00', fontSize)) : Math.ceil(fontSize * 4.5);
    const runSelectWidth = compact ? Math.ceil(SELECT_CHROME + estimateTextWidth('A', fontSize)) : Math.ceil(fontSize * 3.5);
    const identityControlsWidth = compact ? 2 * (SWATCH_EM * fontSize + 4 + selectWidth) + controlGap : fullIdentityWidth;
    const runControlWidth = compare ? estimateTextWidth(RUN_CONTROL_LABEL, fontSize) + 4 + runSelectWidth + controlGap : 0;
    let rows: 1 | 2 | 3 = 2;
    let runBesideTitle = false;
    if (titleWidth + identityControlsWidth + runControlWidth <= rowWidth) rows = 1;
    else if (compare && identityControlsWidth + runControlWidth > rowWidth) {
      runBesideTitle = titleWidth + runControlWidth <= rowWidth;
      rows = runBesideTitle ? 2 : 3;
    }
    return { header: { title, rows, rowHeight, height: rows * rowHeight, runBesideTitle, compact }, controlGap, selectWidth, runSelectWidth };
  };

  const lineHeight = Math.ceil(fontSize * 1.35);
  const lines = Math.max(1, Math.ceil(estimateTextWidth(compare ? compare.caption : MARGIN_CAPTION, fontSize) / Math.max(1, width - 2 * padding)));

  // Every legend row is taken from the plot: three or four runs give up their names to keep the legend to two rows.
  const legend = placeLegend(compare ? compare.legend : [], width - 2 * padding, smallFontSize, legendSwatchWidth(smallFontSize, compare ? compare.lineWidth : 0), MARGIN_LEGEND_ROWS);
  const legendRoom = legend.height > 0 ? legend.height + gap : 0;
  const pad = mainPadding(fontSize);
  const option = (compact: boolean, hidden: boolean, mayDropMultiples: boolean) => {
    const controls = headerFor(compact);
    const { header } = controls;
    const caption = { lines, lineHeight, height: hidden ? 0 : lines * lineHeight, hidden };
    const captionRoom = hidden ? 0 : caption.height + gap;
    const stage = { top: header.height + gap, width, height: Math.max(0, height - header.height - gap - captionRoom - legendRoom) };
    const plots = placePlots(stage, pad, smallFontSize, mayDropMultiples);
    // One that lost its small multiples for want of room does not count as keeping them.
    const readable = plots.main.side >= READABLE_MAIN && (mayDropMultiples || plots.arrangement !== 'main-only');
    return { ...controls, caption, stage, legendTop: stage.top + stage.height + gap, plots, readable };
  };
  // What gives way for a readable main plot, in order: the identity selects' names (always
  // where they do not fit the row), the caption (to screen readers only), the small multiples.
  const named = fullIdentityWidth <= rowWidth;
  const options = [...(named ? [option(false, false, false)] : []), option(true, false, false), option(true, true, false), option(true, false, true), option(true, true, true)];
  const chosen = options.find((candidate) => candidate.readable) ?? options.reduce((best, candidate) => (candidate.plots.main.side > best.plots.main.side ? candidate : best));
  const { header, controlGap, selectWidth, runSelectWidth, caption, stage, legendTop, plots } = chosen;
  return { fontSize, titleFontSize, smallFontSize, padding, gap, header, controlGap, selectWidth, runSelectWidth, caption, legend, legendTop, stage, ...plots };
}

const mirrored = (point: BoundaryPoint): BoundaryPoint => ({ theta1: point.theta2, theta2: point.theta1 });

/** Boundaries, margin region and label of one square plot. */
export function plotGeometry(margin: Target, frame: PlotFrame, samples: number): PlotGeometry {
  const x = scaleLinear()
    .domain([0, Math.PI])
    .range([frame.left, frame.left + frame.side]);
  const y = scaleLinear()
    .domain([0, Math.PI])
    .range([frame.top + frame.side, frame.top]);
  const path = line<BoundaryPoint>()
    .x((point) => x(point.theta1))
    .y((point) => y(point.theta2))
    .digits(3);
  const boundary = sampleBoundary(margin, samples);
  const columns = marginColumns(margin, samples);
  const band = area<MarginColumn>()
    .x((column) => x(column.theta1))
    .y0((column) => y(column.lower))
    .y1((column) => y(column.upper))
    .digits(3);
  const regionPolygon: [number, number][] = [
    ...columns.map((column): [number, number] => [x(column.theta1), y(column.upper)]),
    ...columns
      .slice()
      .reverse()
      .map((column): [number, number] => [x(column.theta1), y(column.lower)]),
  ];
  return {
    margin,
    frame,
    x,
    y,
    class1Path: path(boundary) ?? '',
    class2Path: path(boundary.map(mirrored)) ?? '',
    diagonalPath:
      path([
        { theta1: 0, theta2: 0 },
        { theta1: Math.PI, theta2: Math.PI },
      ]) ?? '',
    columns,
    regionPath: band(columns) ?? '',
    regionPolygon,
    regionArea: Math.abs(polygonArea(regionPolygon)),
    label: marginLabel(margin),
    shortLabel: shortMarginLabel(margin),
  };
}

/** The column nearest θ1 = π/2, the middle of the diagonal, where the label goes. */
function middleColumn(columns: MarginColumn[]): MarginColumn {
  let nearest = columns[0];
  for (const column of columns) {
    if (Math.abs(column.theta1 - Math.PI / 2) < Math.abs(nearest.theta1 - Math.PI / 2)) nearest = column;
  }
  return nearest;
}

export interface Point {
  x: number;
  y: number;
}

/** A text's box as its four corners in order, stage pixels. */
export type Quad = readonly [Point, Point, Point, Point];

/** A glyph box (ascent and descent) is about this many em tall. */
const TEXT_HEIGHT = 1.2;
/** Where an alphabetic baseline sits in that box, em from its top. */
const TEXT_ASCENT = 0.95;
/** The diagonal label is semibold, a little wider than the regular-weight estimate. */
const SEMIBOLD = 1.1;

export function axisBox(left: number, top: number, right: number, bottom: number): Quad {
  return [
    { x: left, y: top },
    { x: right, y: top },
    { x: right, y: bottom },
    { x: left, y: bottom },
  ];
}

/** A box of `width` × `height` centred on (x, y), turned by `degrees` (SVG sense, clockwise). */
export function rotatedBox(x: number, y: number, width: number, height: number, degrees: number): Quad {
  const cos = Math.cos(toRadians(degrees));
  const sin = Math.sin(toRadians(degrees));
  const corner = (along: number, across: number): Point => ({ x: x + along * cos - across * sin, y: y + along * sin + across * cos });
  return [corner(-width / 2, -height / 2), corner(width / 2, -height / 2), corner(width / 2, height / 2), corner(-width / 2, height / 2)];
}

/** Whether two convex quads come closer than `clearance` px (separating axes: they are apart if some edge's normal separates them). */
export function quadsOverlap(a: Quad, b: Quad, clearance = 0): boolean {
  for (const quad of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const p = quad[i];
      const q = quad[(i + 1) % 4];
      const length = Math.hypot(q.x - p.x, q.y - p.y);
      if (length === 0) continue;
      const nx = -(q.y - p.y) / length;
      const ny = (q.x - p.x) / length;
      const project = (corners: Quad): number[] => corners.map((corner) => corner.x * nx + corner.y * ny);
      const pa = project(a);
      const pb = project(b);
      if (Math.min(...pb) - Math.max(...pa) >= clearance || Math.min(...pa) - Math.max(...pb) >= clearance) return false;
    }
  }
  return true;
}

function insideFrame(quad: Quad, frame: PlotFrame, inset: number): boolean {
  return quad.every((corner) => corner.x >= frame.left + inset && corner.x <= frame.left + frame.side - inset && corner.y >= frame.top + inset && corner.y <= frame.top + frame.side - inset);
}

function insideStage(quad: Quad, stage: { width: number; height: number }): boolean {
  return quad.every((corner) => corner.x >= 0 && corner.x <= stage.width && corner.y >= 0 && corner.y <= stage.height);
}

/** Which ticks get a label: the finest step at which neighbouring labels keep a gap of half an em on either axis. */
export function tickLabelStep(side: number, fontSize: number): TickLabelStep {
  const widest = estimateTextWidth('180°', fontSize);
  const need = Math.max(widest + 0.5 * fontSize, (TEXT_HEIGHT + 0.3) * fontSize);
  const steps: TickLabelStep[] = [45, 90];
  return steps.find((step) => (side * step) / 180 >= need) ?? 180;
}

export function cornerLabel(identity: number, form: Exclude<CornerLabelForm, 'none'>): string {
  return form === 'full' ? `identity ${identity} wins` : `${identity} wins`;
}

export interface MainPlotText {
  fontSize: number;
  smallFontSize: number;
  /** The diagonal label's forms, longest first; empty where the plot shows no single margin (compare mode). */
  diagonalLabels: readonly string[];
  identities: readonly [number, number];
  /** The stage the axis titles must stay on. */
  stage: { width: number; height: number };
}

/** An axis title's forms, longest first. */
export function axisTitles(axis: 1 | 2, identity: number): string[] {
  return [`θ${axis}, angle to W${identity}`, `θ${axis} (W${identity})`, `θ${axis}`];
}

export function mainPlotGeometry(margin: Target, frame: PlotFrame, samples: number, text: MainPlotText): MainPlotGeometry {
  const { fontSize, smallFontSize } = text;
  const plot = plotGeometry(margin, frame, samples);
  const { x, y } = plot;
  const ticks = TICK_DEGREES.map((degrees) => ({ degrees, label: `${degrees}°`, x: x(toRadians(degrees)), y: y(toRadians(degrees)) }));
  const bottom = frame.top + frame.side;
  const right = frame.left + frame.side;
  const tickLabelWidth = estimateTextWidth('180°', fontSize);
  const xTickLabelY = bottom + TICK_LENGTH + TICK_PAD;
  const yTickLabelX = frame.left - TICK_LENGTH - TICK_PAD;

  const step = tickLabelStep(frame.side, fontSize);
  const labelled = ticks.filter((tick) => tick.degrees % step === 0);
  // Not even 0° and 180° keep a gap: 0° alone.
  const xTickLabels = step === 180 && frame.side < estimateTextWidth('180°', fontSize) + 0.5 * fontSize ? labelled.slice(0, 1) : labelled;
  // The two axes' 0° labels meet at the origin in big type; the θ1 axis's then stands for both.
  const zeroWidth = estimateTextWidth('0°', fontSize);
  const xZero = axisBox(frame.left - zeroWidth / 2, xTickLabelY, frame.left + zeroWidth / 2, xTickLabelY + TEXT_HEIGHT * fontSize);
  const yZero = axisBox(yTickLabelX - zeroWidth, bottom - (TEXT_HEIGHT / 2) * fontSize, yTickLabelX, bottom + (TEXT_HEIGHT / 2) * fontSize);
  const yTickLabels = xTickLabels.filter((tick) => tick.degrees !== 0 || !quadsOverlap(xZero, yZero));

  const column = middleColumn(plot.columns);
  const centreX = x(column.theta1);
  const centreY = y((column.lower + column.upper) / 2);
  // The band's thickness across the diagonal; when the text would not fit inside, it sits just above the band instead.
  const thickness = (y(column.lower) - y(column.upper)) * Math.SQRT1_2;
  const offset = thickness < 1.4 * fontSize ? thickness / 2 + 0.8 * fontSize : 0;
  const labelPlacement = { x: centreX - offset * Math.SQRT1_2, y: centreY - offset * Math.SQRT1_2, rotate: -45 };

  const inset = 0.5 * fontSize;
  const class1Corner = { x: frame.left + inset, y: frame.top + inset + 0.8 * fontSize, rotate: 0 };
  const class2Corner = { x: right - inset, y: bottom - inset, rotate: 0 };
  const [identity1, identity2] = text.identities;
  const ascent = TEXT_ASCENT * smallFontSize;
  const descent = (TEXT_HEIGHT - TEXT_ASCENT) * smallFontSize;
  // Each corner label stays inside the plot and on its own side of the diagonal θ2 = θ1.
  const corners = (form: CornerLabelForm): { texts: [string, string]; boxes: Quad[] } | null => {
    if (form === 'none') return { texts: ['', ''], boxes: [] };
    const texts: [string, string] = [cornerLabel(identity1, form), cornerLabel(identity2, form)];
    const [width1, width2] = texts.map((label) => estimateTextWidth(label, smallFontSize));
    const box1 = axisBox(class1Corner.x, class1Corner.y - ascent, class1Corner.x + width1, class1Corner.y + descent);
    const box2 = axisBox(class2Corner.x - width2, class2Corner.y - ascent, class2Corner.x, class2Corner.y + descent);
    const aboveDiagonal = box1[2].x - frame.left + (box1[2].y - frame.top) <= frame.side;
    const belowDiagonal = box2[0].x - frame.left + (box2[0].y - frame.top) >= frame.side;
    if (!insideFrame(box1, frame, 0) || !insideFrame(box2, frame, 0) || !aboveDiagonal || !belowDiagonal) return null;
    return { texts, boxes: [box1, box2] };
  };
  // The diagonal label stays inside the plot and clear of the corner labels.
  const diagonalFits = (label: string | null, cornerBoxes: readonly Quad[]): boolean => {
    if (label === null) return true;
    const box = rotatedBox(labelPlacement.x, labelPlacement.y, estimateTextWidth(label, fontSize) * SEMIBOLD, TEXT_HEIGHT * fontSize, labelPlacement.rotate);
    return insideFrame(box, frame, 1) && cornerBoxes.every((corner) => !quadsOverlap(box, corner, 2));
  };
  // Most text first: the margin label's forms with named corners, then with the corners left out, then the corners alone.
  const labels = [...new Set(text.diagonalLabels)];
  const candidates: [string | null, CornerLabelForm][] = [
    ...labels.flatMap((label): [string, CornerLabelForm][] => [
      [label, 'full'],
      [label, 'short'],
    ]),
    ...labels.map((label): [string, CornerLabelForm] => [label, 'none']),
    [null, 'full'],
    [null, 'short'],
  ];
  let diagonalText: string | null = null;
  let cornerForm: CornerLabelForm = 'none';
  let cornerTexts: [string, string] | null = null;
  for (const [label, form] of candidates) {
    const fitted = corners(form);
    if (fitted && diagonalFits(label, fitted.boxes)) {
      diagonalText = label;
      cornerForm = form;
      cornerTexts = form === 'none' ? null : fitted.texts;
      break;
    }
  }

  // The rotated θ2 title first (it runs along the plot's height), then the θ1 title clear of it.
  const xTitle = { x: frame.left + frame.side / 2, y: bottom + TICK_LENGTH + TICK_PAD + fontSize + 6 + 0.8 * fontSize, rotate: 0 };
  const yTitle = { x: frame.left - (TICK_LENGTH + TICK_PAD + tickLabelWidth + 4) - 0.25 * fontSize, y: frame.top + frame.side / 2, rotate: -90 };
  const titleAscent = TEXT_ASCENT * fontSize;
  const titleDescent = (TEXT_HEIGHT - TEXT_ASCENT) * fontSize;
  const yTitleBox = (label: string): Quad => {
    const half = estimateTextWidth(label, fontSize) / 2;
    return axisBox(yTitle.x - titleAscent, yTitle.y - half, yTitle.x + titleDescent, yTitle.y + half);
  };
  const yForms = axisTitles(2, identity2);
  const yTitleText = yForms.find((label) => insideStage(yTitleBox(label), text.stage)) ?? yForms[yForms.length - 1];
  const xTitleBox = (label: string): Quad => {
    const half = estimateTextWidth(label, fontSize) / 2;
    return axisBox(xTitle.x - half, xTitle.y - titleAscent, xTitle.x + half, xTitle.y + titleDescent);
  };
  const xForms = axisTitles(1, identity1);
  const xTitleText = xForms.find((label) => insideStage(xTitleBox(label), text.stage) && !quadsOverlap(xTitleBox(label), yTitleBox(yTitleText), 2)) ?? xForms[xForms.length - 1];

  return {
    ...plot,
    ticks,
    xTickLabels,
    yTickLabels,
    tickLabelStep: step,
    tickLength: TICK_LENGTH,
    xTickLabelY,
    yTickLabelX,
    xTitle,
    yTitle,
    xTitleText,
    yTitleText,
    labelPlacement,
    diagonalText,
    class1Corner,
    class2Corner,
    cornerForm,
    class1CornerText: cornerTexts ? cornerTexts[0] : null,
    class2CornerText: cornerTexts ? cornerTexts[1] : null,
  };
}

const sameMargin = (a: Target, b: Margin): boolean => !isTargetCurve(a) && Math.abs(a.m1 - b.m1) < 1e-9 && Math.abs(a.m2 - b.m2) < 1e-9 && Math.abs(a.m3 - b.m3) < 1e-9;

/** Rows Fig. 5's legend of runs aims for, shortening the runs' names before it takes more. */
export const MARGIN_LEGEND_ROWS = 2;

/**
 * A run's Fig. 5 legend entry: its name and margin. Where that is too long, the name's
 * bracketed value goes first ("ArcFace: Δθ2 = 57.3°"), then the name ("Δθ2 = 57.3°"): the
 * letter names the run in every panel, the margin is what this one is about.
 */
export function marginLegendEntry(letter: string, runLabel: string, marginLabel: string): LegendEntry {
  const text = `${runLabel}: ${marginLabel}`;
  const bareName = runLabel.replace(/\s*\([^)]*\)$/, '');
  const shorter = [...new Set([`${bareName}: ${marginLabel}`, marginLabel])].filter((form) => form !== text);
  return { letter, text, shorter };
}

/** Least room between two small multiples' titles side by side, px. */
export const MULTIPLE_TITLE_GAP = 4;

/** A small multiple's title's width as drawn: the estimate, with the short titles' allowance. */
export function multipleTitleWidth(title: string, fontSize: number): number {
  return SHORT_TEXT_ALLOWANCE * estimateTextWidth(title, fontSize);
}

/**
 * Titles side by side in a row of small multiples keep MULTIPLE_TITLE_GAP apart: a title
 * kept on the stage at its right edge ("SF m=4" in a narrow panel) pushes its left
 * neighbour ("NS") further left, and never right. Beside the main plot a title stops a gap
 * short of the plot's right edge (`mainRight`); in a row below it, at the stage's edge.
 */
function separateRowTitles(multiples: MultipleGeometry[], fontSize: number, mainRight: number): void {
  if (multiples.length < 2) return;
  const rows = new Map<number, MultipleGeometry[]>();
  for (const multiple of multiples) rows.set(Math.round(multiple.frame.top), [...(rows.get(Math.round(multiple.frame.top)) ?? []), multiple]);
  for (const row of rows.values()) {
    row.sort((a, b) => a.frame.left - b.frame.left);
    const leftBound = row[0].frame.left >= mainRight ? mainRight + MULTIPLE_TITLE_GAP : 0;
    for (let index = row.length - 2; index >= 0; index--) {
      const left = row[index];
      const right = row[index + 1];
      const leftHalf = multipleTitleWidth(left.title, fontSize) / 2;
      const limit = right.titleX - multipleTitleWidth(right.title, fontSize) / 2 - MULTIPLE_TITLE_GAP - leftHalf;
      if (left.titleX > limit) left.titleX = Math.min(left.titleX, Math.max(limit, leftBound + leftHalf));
    }
  }
}

/** Everything the Fig. 5 panel draws, from params and size alone (and, in compare mode, the runs). */
export function marginPanelGeometry(params: MarginParams, size: PanelSize, options: MarginGeometryOptions = {}): MarginPanelGeometry {
  const fontSize = options.fontSize ?? 11;
  const runs = options.runs && options.runs.length > 1 ? options.runs : [];
  const runMargins = runs.map((run) => panelMargin(run.params));
  const compare: MarginCompareExtras | null =
    runs.length > 0
      ? {
          legend: runs.map((run, index) => marginLegendEntry(run.letter, run.label, shortMarginLabel(runMargins[index]))),
          lineWidth: options.lineWidth ?? 2,
          caption: compareMarginCaption(options.dotsLetter ?? runs[0].letter),
        }
      : null;
  const layout = layoutMarginPanel(size, fontSize, compare);
  const margin = panelMargin(params);
  const samples = options.samples ?? 181;
  // During the warm-up the main plot shows the margin that applies now; the small multiples keep the targets.
  const warmup = params.head === 'softmax' ? null : (options.warmup ?? null);
  const applied = warmup ? warmedMargin(margin, warmup.step, warmup.steps) : margin;
  // During the warm-up the mark outranks the number: the short form is the mark alone.
  const label = warmup ? `${shortMarginLabel(applied)}, warming up` : marginLabel(applied);
  const shortLabel = warmup ? 'warming up' : shortMarginLabel(applied);
  const main = mainPlotGeometry(applied, layout.main, samples, {
    fontSize,
    smallFontSize: layout.smallFontSize,
    diagonalLabels: runs.length > 0 ? [] : [label, shortLabel],
    identities: options.identities ?? [0, 1],
    stage: layout.stage,
  });
  main.label = label;
  main.shortLabel = shortLabel;
  const shown = runMargins.length > 0 ? runMargins : [margin];
  const lambda = params.sphereLambda ?? SCHEMA.sphereLambda.default;
  const named = smallMultiples(lambda);
  const multiples = layout.multiples.map((frame, i): MultipleGeometry => {
    const setting = named[i];
    const plot = plotGeometry(setting.margin, frame, options.multipleSamples ?? 61);
    const title = layout.multipleTitlesShort ? setting.shortTitle : setting.title;
    const showLabel = layout.multipleLabelHeight > 0;
    // A title (or label) wider than its cell is centred on the cell but kept on the stage,
    // whose edge would otherwise cut it ("SF m=4" in the last column of a narrow panel).
    // Short titles are mostly wide glyphs: "SF m=4" sets 0.66 em a character in DejaVu
    // Sans against the estimate's 0.6, hence the allowance.
    const textWidth = Math.max(estimateTextWidth(title, layout.smallFontSize), showLabel ? estimateTextWidth(plot.shortLabel, layout.smallFontSize) : 0);
    const halfText = (SHORT_TEXT_ALLOWANCE * textWidth) / 2;
    const centre = frame.left + frame.side / 2;
    const widerThanCell = textWidth > frame.side + MULTIPLE_GAP;
    return {
      ...plot,
      id: setting.id,
      title,
      fullTitle: multipleFullName(setting, lambda),
      current: shown.some((candidate) => sameMargin(setting.margin, candidate)),
      titleX: widerThanCell ? Math.max(Math.min(centre, layout.stage.width - halfText), Math.min(halfText, centre)) : centre,
      // Baselines: the title's descenders stay clear of the frame, the label's ascenders too.
      titleY: frame.top - 0.3 * layout.smallFontSize - 2,
      labelY: frame.top + frame.side + layout.smallFontSize + 1,
      showLabel,
    };
  });
  separateRowTitles(multiples, layout.smallFontSize, main.frame.left + main.frame.side);
  const runPlots = runs.map((run, index): RunPlotGeometry => {
    const own = runMargins[index];
    const plot = plotGeometry(warmup && run.params.head !== 'softmax' ? warmedMargin(own, warmup.step, warmup.steps) : own, layout.main, samples);
    return { ...plot, letter: run.letter };
  });
  return { layout, main, multiples, runPlots };
}
