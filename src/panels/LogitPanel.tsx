/**
 * Fig. 4 of the paper. Top (SVG): the target logit ψ(θ) of the current margin against
 * the Fig. 4b references, with [θ*, 180°] shaded where the raw ψ would rise. Bottom
 * (canvas, repainted per snapshot): the θ_y histogram of the training samples over the
 * same θ axis, with the step-0 histogram as a ghost so the drift toward 0° shows (Fig. 4a).
 * In compare mode each run's ψ is a bold curve in its colour and dash, named by letter in
 * the legend, and each run's histogram an outline in the same style over the grey ghost.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { format, scaleLinear, type ScaleLinear } from 'd3';
import { legendSwatchWidth } from './legendGeometry';
import {
  estimateTextWidth,
  histogramBinDegrees,
  histogramOutline,
  logitCurves,
  logitLayout,
  logitRunCurves,
  nearestCurveValue,
  shortFallbackLabel,
  stackLabels,
  LEGEND_KEY_TEXT,
  thetaHistogram,
  thetaTicks,
  logitTicks,
  CURRICULAR_NEGATIVES_NOTE,
  warmupNote,
  type LogitCurve,
  type ReferenceSet,
  type LogitLayout,
  type NonMonotonicRegion,
  type ThetaHistogram,
} from './logitGeometry';
import { isCompare, runDash, runDashArray } from './runStyle';
import type { PanelProps, PanelRun, PanelSnapshot, PanelTheme } from './types';
import { useRunsPainter } from './useRunsPainter';
import { useWarmupProgress } from './useWarmupProgress';
import { pickReach, useTouchHover } from './useTouchHover';
import './logitPanel.css';
import { useRunsAsShown } from './shownParams';

const HISTOGRAM_LABEL = 'θ_y of training samples; ghost = step 0';
const COMPARE_HISTOGRAM_LABEL = 'θ_y of training samples, one outline per run; grey = step 0';
/** The histogram labels for a narrow panel; the full ones stay in the label's tooltip. */
const HISTOGRAM_LABEL_SHORT = 'θ_y now; ghost = step 0';
const COMPARE_HISTOGRAM_LABEL_SHORT = 'θ_y per run; grey = step 0';

/**
 * Okabe–Ito hues (minus yellow, too pale on white, and reddish purple, too close to the
 * accent of the current curve). Softmax is dashed grey: it is the no-margin baseline.
 */
const REFERENCE_COLOURS: Record<string, string> = {
  sphereface: '#E69F00',
  'sphereface-m4': '#E69F00',
  cosface: '#56B4E9',
  arcface: '#009E73',
  cm1: '#0072B2',
  cm2: '#D55E00',
  curricularface: '#009E73',
  'curricularface-negative': '#009E73',
  adaface: '#0072B2',
  elasticface: '#D55E00',
  magface: '#E69F00',
};
/**
 * The original SphereFace shares the re-implementation's hue with a long dash, and
 * CurricularFace's hard-negative logit (not a target) is dotted in its target's hue.
 */
const REFERENCE_DASHES: Record<string, string> = {
  'sphereface-m4': '7 3',
  'curricularface-negative': '1.5 2.5',
};
const REFERENCE_OPACITY = 0.6;

interface CurveStyle {
  colour: string;
  width: number;
  opacity: number;
  dash?: string;
}

function curveStyle(curve: LogitCurve, theme: PanelTheme, runs: readonly PanelRun[]): CurveStyle {
  const run = curve.runIndex === undefined ? undefined : runs[curve.runIndex];
  if (run) return { colour: run.colour, width: theme.lineWidth, opacity: 1, dash: runDashArray(run.index, theme.lineWidth) };
  if (curve.current) return { colour: theme.accent, width: theme.lineWidth, opacity: 1 };
  // The margin of this warm-up step: the current curve's colour, thinner and dashed, on its way to it.
  if (curve.id === 'warmup') return { colour: theme.accent, width: Math.max(1.5, theme.lineWidth * 0.7), opacity: 1, dash: '5 3' };
  const width = Math.max(1, theme.lineWidth * 0.5);
  const colour = REFERENCE_COLOURS[curve.id];
  return colour ? { colour, width, opacity: REFERENCE_OPACITY, dash: REFERENCE_DASHES[curve.id] } : { colour: theme.muted, width, opacity: REFERENCE_OPACITY, dash: '5 3' };
}

const formatLogit = format('.3f');
const formatTick = format('~g');
const formatCount = format('~s');

/** Draws "θ_y" as θ with a subscript y; dy rather than baseline-shift, which Firefox ignores. */
function withSubscripts(text: string): ReactNode[] {
  const [first, ...rest] = text.split('θ_y');
  const nodes: ReactNode[] = [first];
  // The pieces of one fixed label, never reordered: their position is a stable key.
  for (let piece = 0; piece < rest.length; piece++) {
    nodes.push(
      'θ',
      <tspan key={`s${piece}`} dy="0.3em" fontSize="0.8em">
        y
      </tspan>,
      <tspan key={`r${piece}`} dy="-0.3em">
        {rest[piece]}
      </tspan>,
    );
  }
  return nodes;
}

/** The count axis and the step, painted with the bars since the counts change every frame. */
function paintCountAxis(context: CanvasRenderingContext2D, y: ScaleLinear<number, number>, layout: LogitLayout, theme: PanelTheme, fontFamily: string, step: number, skipped: number): void {
  const { histogram: box } = layout;
  const font = layout.smallFont;
  context.font = `${font}px ${fontFamily}`;
  context.fillStyle = theme.muted;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  // Too short for two labels to clear each other: name only the top.
  const countTicks = box.height >= font * 3 ? y.ticks(box.height > 60 ? 3 : 1) : y.domain().slice(1);
  for (const tick of countTicks) {
    const at = Math.round(y(tick)) + 0.5;
    context.fillText(formatCount(tick), -4, Math.min(box.height - font / 2, Math.max(font / 2, at)));
  }
  context.textAlign = 'right';
  context.textBaseline = 'top';
  const skippedNote = skipped > 0 ? ` · ${skipped} not finite` : '';
  context.fillText(`step ${step}${skippedNote}`, box.width, 1);
}

function traceOutline(context: CanvasRenderingContext2D, histogram: ThetaHistogram, x: ScaleLinear<number, number>, y: ScaleLinear<number, number>): void {
  context.beginPath();
  histogramOutline(histogram.bins).forEach(([theta, count], index) => {
    if (index === 0) context.moveTo(x(theta), y(count));
    else context.lineTo(x(theta), y(count));
  });
}

function paintHistogram(
  context: CanvasRenderingContext2D,
  snapshot: PanelSnapshot,
  initial: Float32Array | null,
  x: ScaleLinear<number, number>,
  layout: LogitLayout,
  theme: PanelTheme,
  fontFamily: string,
): void {
  const { histogram: box } = layout;
  const binDegrees = histogramBinDegrees(box.width);
  const now = thetaHistogram(snapshot.thetaTarget, binDegrees);
  const ghost: ThetaHistogram | null = initial ? thetaHistogram(initial, binDegrees) : null;
  const y = scaleLinear()
    .domain([0, Math.max(1, now.maxCount, ghost?.maxCount ?? 0)])
    .range([box.height, 0])
    .nice(3);
  context.save();
  context.translate(box.left, box.top);

  context.fillStyle = theme.accent;
  context.globalAlpha = 0.55;
  let bars = 0;
  for (const bin of now.bins) {
    if (bin.count === 0) continue;
    bars++;
    const left = x(bin.x0);
    // A pixel of gap between bars, unless the bars are too thin to spare it.
    const width = Math.max(1, x(bin.x1) - left - 1);
    context.fillRect(left, y(bin.count), width, box.height - y(bin.count));
  }
  context.globalAlpha = 1;

  if (ghost) {
    context.strokeStyle = theme.ink;
    context.globalAlpha = 0.7;
    context.lineWidth = Math.max(1, theme.lineWidth * 0.45);
    context.setLineDash([3, 2]);
    traceOutline(context, ghost, x, y);
    context.stroke();
    context.setLineDash([]);
    context.globalAlpha = 1;
  }

  paintCountAxis(context, y, layout, theme, fontFamily, snapshot.step, now.skipped);
  context.restore();
  // Test contract (e2e): how many non-empty bars this paint drew, and for which step.
  context.canvas.dataset.bars = String(bars);
  context.canvas.dataset.step = String(snapshot.step);
}

/**
 * Compare mode: every run's histogram as an outline in its colour and dash, over the
 * step-0 histogram as a grey area. The runs start from the same weights on the same
 * data, so run A's step 0 is every run's.
 */
function paintCompareHistograms(
  context: CanvasRenderingContext2D,
  runs: readonly PanelRun[],
  snapshots: readonly PanelSnapshot[],
  x: ScaleLinear<number, number>,
  layout: LogitLayout,
  theme: PanelTheme,
  fontFamily: string,
): void {
  const { histogram: box } = layout;
  const binDegrees = histogramBinDegrees(box.width);
  const histograms = snapshots.map((snapshot) => thetaHistogram(snapshot.thetaTarget, binDegrees));
  const initial = runs[0].bus.initialThetaTarget;
  const ghost = initial ? thetaHistogram(initial, binDegrees) : null;
  const highest = Math.max(1, ghost?.maxCount ?? 0, ...histograms.map((histogram) => histogram.maxCount));
  const y = scaleLinear().domain([0, highest]).range([box.height, 0]).nice(3);
  context.save();
  context.translate(box.left, box.top);
  if (ghost) {
    context.fillStyle = theme.muted;
    context.globalAlpha = 0.22;
    traceOutline(context, ghost, x, y);
    context.closePath();
    context.fill();
    context.globalAlpha = 1;
  }
  const width = Math.max(1.25, theme.lineWidth * 0.6);
  // Last run first, so run A (solid) lies on top where outlines coincide.
  for (let index = runs.length - 1; index >= 0; index--) {
    const histogram = histograms[index];
    if (!histogram) continue;
    context.strokeStyle = runs[index].colour;
    context.lineWidth = width;
    context.setLineDash(runDash(runs[index].index, width));
    traceOutline(context, histogram, x, y);
    context.stroke();
  }
  context.setLineDash([]);
  const skipped = histograms.reduce((sum, histogram) => sum + histogram.skipped, 0);
  const step = snapshots[snapshots.length - 1].step;
  paintCountAxis(context, y, layout, theme, fontFamily, step, skipped);
  context.restore();
  // Test contract (e2e): run A's non-empty bins where single mode has them, and every run's in order.
  const bars = histograms.map((histogram) => histogram.bins.filter((bin) => bin.count > 0).length);
  context.canvas.dataset.bars = String(bars[0]);
  context.canvas.dataset.runBars = bars.join(',');
  context.canvas.dataset.step = String(step);
}

/** What the SVG and the hover layer draw: single mode's current curve, or one bold curve per run. */
interface LogitView {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  bold: LogitCurve[];
  references: LogitCurve[];
  /** Shaded [θ*, 180°] regions, each with the letter of its run in compare mode. */
  regions: { region: NonMonotonicRegion; letter: string | null }[];
  fallbackLabel: string;
}

interface HoverState {
  curve: LogitCurve;
  thetaDegrees: number;
  value: number;
  /** The view the hover was found on; a margin change makes it stale until the next move. */
  source: LogitView;
}

interface HoverLayerProps {
  view: LogitView;
  runs: readonly PanelRun[];
  layout: LogitLayout;
  theme: PanelTheme;
  figureWidth: number;
}

/**
 * Pointer handling and the tooltip live in their own component so that moving the
 * pointer re-renders only this, not the curves.
 */
function LogitHoverLayer({ view, runs, layout, theme, figureWidth }: HoverLayerProps) {
  const [hover, setHover] = useState<HoverState | null>(null);
  const box = layout.curves;
  const ordered = useMemo(() => [...view.bold, ...view.references], [view]);

  const clearHover = useCallback(() => setHover(null), []);
  const touch = useTouchHover<HTMLDivElement>(hover !== null, clearHover);

  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const pointerX = event.clientX - bounds.left;
    const pointerY = event.clientY - bounds.top;
    const nearest = nearestCurveValue(ordered, view.x.invert(pointerX), view.y.invert(pointerY));
    // Only a pointer near a line counts as hovering it.
    const reach = pickReach(event.pointerType, Math.max(10, layout.fontSize));
    if (!nearest || Math.abs(view.y(nearest.value) - pointerY) > reach) {
      setHover(null);
      return;
    }
    setHover({ curve: nearest.curve, thetaDegrees: nearest.thetaDegrees, value: nearest.value, source: view });
  };

  let tooltip: ReactNode = null;
  if (hover && hover.source === view) {
    const dotX = view.x(hover.thetaDegrees);
    const dotY = view.y(hover.value);
    const detail = `θ = ${hover.thetaDegrees.toFixed(1)}°, ψ = ${formatLogit(hover.value)}`;
    const width = Math.max(estimateTextWidth(hover.curve.label, layout.fontSize), estimateTextWidth(detail, layout.fontSize)) + 16;
    const height = layout.fontSize * 2.6 + 10;
    // Flip to whichever side has room, so the tooltip never leaves the figure.
    const fitsRight = box.left + dotX + 12 + width <= figureWidth;
    const left = fitsRight ? dotX + 12 : Math.max(4 - box.left, dotX - 12 - width);
    const top = dotY > box.height / 2 ? dotY - 8 - height : dotY + 8;
    const style = curveStyle(hover.curve, theme, runs);
    tooltip = (
      <>
        <div className="logit-dot" style={{ left: dotX, top: dotY, borderColor: style.colour }} />
        <div className="panel-tooltip logit-tooltip" role="tooltip" data-testid="logit-tooltip" style={{ left, top, fontSize: layout.fontSize }}>
          <strong style={{ color: style.colour }}>{hover.curve.label}</strong>
          <br />
          {detail}
        </div>
      </>
    );
  }

  return (
    <div
      className="logit-hover"
      ref={touch.ref}
      style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      onPointerDown={onPointerMove}
      onPointerMove={onPointerMove}
      onPointerLeave={touch.onPointerLeave}
      onPointerCancel={touch.onPointerCancel}>
      {tooltip}
    </div>
  );
}

interface CaptionBox {
  height: number;
  /** When the toggle has wrapped onto a line of its own: that line's centre and the room left of the toggle. */
  besideToggle?: { y: number; width: number };
}

const sameCaption = (a: CaptionBox | null, b: CaptionBox): boolean => a !== null && a.height === b.height && a.besideToggle?.y === b.besideToggle?.y && a.besideToggle?.width === b.besideToggle?.width;

/**
 * The title bar as drawn. It wraps in a narrow panel (the "later margins" toggle drops to a
 * second line), and the legend must start below it, so it is measured, not guessed.
 */
function useCaptionBox(): [(element: HTMLElement | null) => void, CaptionBox | null] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [box, setBox] = useState<CaptionBox | null>(null);
  useLayoutEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = (): void => {
      const caption = element.getBoundingClientRect();
      const toggle = element.querySelector('label')?.getBoundingClientRect();
      const next: CaptionBox = { height: Math.ceil(caption.height) };
      // Wrapped: the toggle sits on a line below the title, with the room left of it empty.
      if (toggle && toggle.top - caption.top > caption.height / 3) {
        next.besideToggle = { y: Math.round(element.offsetTop + (toggle.top + toggle.bottom) / 2 - caption.top), width: Math.floor(toggle.left - caption.left - 8 - 12) };
      }
      setBox((previous) => (sameCaption(previous, next) ? previous : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, box];
}

interface LegendKeyProps {
  curves: readonly LogitCurve[];
  figureHeight: number;
  runs: readonly PanelRun[];
  layout: LogitLayout;
  theme: PanelTheme;
}

/**
 * A folded legend's button and the list it opens over the ψ plot: every reference with its
 * full name. Closed, the list stays in the page (hidden), so its names are still found.
 */
function LegendKey({ curves, figureHeight, runs, layout, theme }: LegendKeyProps) {
  const [open, setOpen] = useState(false);
  const key = layout.key;
  if (!key) return null;
  const small = layout.smallFont;
  const swatch = layout.swatchWidth;
  // Just under the button, across the figure, scrolling if a tiny figure cannot hold every name.
  const listTop = Math.round(key.y + layout.rowHeight / 2 + 2);
  const close = (event: { key: string }): void => {
    if (event.key === 'Escape') setOpen(false);
  };
  return (
    <>
      <button
        type="button"
        className="logit-key-button"
        data-testid="logit-legend-key"
        aria-expanded={open}
        aria-controls="logit-key-list"
        title="Name every curve"
        onClick={() => setOpen((was) => !was)}
        onKeyDown={close}
        style={{ left: key.x, top: key.y - layout.rowHeight / 2, width: key.width, height: layout.rowHeight, fontSize: small, color: theme.ink }}>
        {LEGEND_KEY_TEXT}
      </button>
      <ul
        id="logit-key-list"
        className="logit-key"
        hidden={!open}
        onKeyDown={close}
        style={{ left: 8, right: 8, top: listTop, maxHeight: figureHeight - listTop - 8, fontSize: small, background: theme.paper, color: theme.ink }}>
        {curves.map((curve) => {
          const style = curveStyle(curve, theme, runs);
          return (
            <li key={curve.id}>
              <svg width={swatch} height={small} aria-hidden="true">
                <line x1={0} x2={swatch} y1={small / 2} y2={small / 2} stroke={style.colour} strokeWidth={style.width} strokeOpacity={Math.min(1, style.opacity + 0.2)} strokeDasharray={style.dash} />
              </svg>
              <span data-testid={`logit-legend-${curve.id}`}>{curve.label}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export function LogitPanel({ runs: liveRuns, size, theme }: PanelProps) {
  // Scrubbed back, ψ is the shown step's, beside that step's θ_y histogram.
  const runs = useRunsAsShown(liveRuns);
  const compare = isCompare(runs);
  const primary = runs[0];
  const { head, m1, m2, m3, fallback, warmupSteps, sphereLambda, curricularT, adaNorm, elasticSigma, magMagnitude } = primary.params;
  const [referenceSet, setReferenceSet] = useState<ReferenceSet>('paper');
  // Runs in lockstep share their step and warm-up, so run A's progress stands for all.
  const progress = useWarmupProgress(primary.bus, warmupSteps);
  const warmup = useMemo(() => (progress ? { step: progress.step, steps: progress.steps } : null), [progress]);
  const curveRuns = useMemo(() => (compare ? runs.map((run) => ({ letter: run.letter, label: run.label, params: run.params })) : []), [compare, runs]);

  /** Every curve for a plot of this size; called once for the legend's labels, then for the laid-out plot. */
  const curvesFor = useCallback(
    (plot: { width: number; height: number }): LogitView => {
      const options = { set: referenceSet, warmup };
      if (curveRuns.length > 0) {
        const curves = logitRunCurves(curveRuns, plot, 361, options);
        const regions = curves.regions.flatMap((region, index) => (region ? [{ region, letter: curveRuns[index].letter }] : []));
        return { x: curves.x, y: curves.y, bold: curves.runs, references: curves.references, regions, fallbackLabel: curves.fallbackLabel };
      }
      const curves = logitCurves({ head, m1, m2, m3, fallback, sphereLambda, curricularT, adaNorm, elasticSigma, magMagnitude }, plot, 361, options);
      return {
        x: curves.x,
        y: curves.y,
        bold: curves.warming ? [curves.current, curves.warming] : [curves.current],
        references: curves.references,
        regions: curves.region ? [{ region: curves.region, letter: null }] : [],
        fallbackLabel: curves.fallbackLabel,
      };
    },
    [referenceSet, warmup, curveRuns, head, m1, m2, m3, fallback, sphereLambda, curricularT, adaNorm, elasticSigma, magMagnitude],
  );

  const [captionRef, caption] = useCaptionBox();
  const histogramLabel = compare ? COMPARE_HISTOGRAM_LABEL : HISTOGRAM_LABEL;
  const layout = useMemo(() => {
    const labels = curvesFor({ width: 1, height: 1 });
    const entries = [...labels.bold.map(({ label, short }) => ({ label, short, bold: true })), ...labels.references.map(({ label, short }) => ({ label, short }))];
    const notes = [labels.fallbackLabel];
    if (curveRuns.length > 0 && warmup) notes.push(warmupNote(warmup));
    if (referenceSet === 'later') notes.push(CURRICULAR_NEGATIVES_NOTE);
    return logitLayout(size, theme.fontSize, entries, notes, curveRuns.length > 0 ? COMPARE_HISTOGRAM_LABEL : HISTOGRAM_LABEL, {
      minSwatchWidth: curveRuns.length > 0 ? legendSwatchWidth(theme.fontSize * 0.85, theme.lineWidth) : undefined,
      // Two pixels of air between the title bar and the first legend row.
      titleHeight: caption === null ? undefined : caption.height + 2,
      besideToggle: caption?.besideToggle,
      shortNote: shortFallbackLabel(labels.fallbackLabel),
      shortHistogramLabel: curveRuns.length > 0 ? COMPARE_HISTOGRAM_LABEL_SHORT : HISTOGRAM_LABEL_SHORT,
    });
  }, [size, theme.fontSize, theme.lineWidth, curveRuns, curvesFor, referenceSet, warmup, caption]);
  const { fontSize } = layout;
  const view = useMemo(() => curvesFor({ width: layout.curves.width, height: layout.curves.height }), [layout, curvesFor]);

  // A canvas font is not inherited from CSS; read the page's once so both layers match.
  const fontFamily = useRef<string | null>(null);
  const paint = useCallback(
    (context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => {
      fontFamily.current ??= getComputedStyle(context.canvas).fontFamily || 'system-ui, sans-serif';
      if (compare) paintCompareHistograms(context, runs, snapshots, view.x, layout, theme, fontFamily.current);
      else paintHistogram(context, snapshots[0], primary.bus.initialThetaTarget, view.x, layout, theme, fontFamily.current);
    },
    [compare, runs, primary, view, layout, theme],
  );
  const canvasRef = useRunsPainter(runs, size, paint);

  const { curves: plot, histogram: bars } = layout;
  const small = layout.smallFont;
  const { x, y } = view;
  const thetaTickValues = thetaTicks(plot.width, fontSize);
  const logitTickValues = logitTicks(y, small);
  // Bold curves on top; in compare mode run A last, so its solid line is never hidden by a dash.
  const allCurves = [...view.references, ...view.bold.slice().reverse()];
  const legendCurves = [...view.bold, ...view.references];
  const regionFill = theme.muted;
  // Runs' θ* a few degrees apart would print their marks over each other: stack them.
  const regionLabels = view.regions.map(({ letter }) => (letter === null ? 'θ*' : `θ* ${letter}`));
  const regionRows = stackLabels(view.regions.map(({ region }, index) => ({ right: x(region.fromDegrees) - 3, width: estimateTextWidth(regionLabels[index], small) })));
  const yTitle = estimateTextWidth('target logit ψ(θ)', small) <= plot.height ? 'target logit ψ(θ)' : 'ψ(θ)';
  const subject = compare ? `runs ${runs.map((run) => `${run.letter} (${run.label})`).join(', ')}` : view.bold[0].label;
  // The screen reader gets every curve's full name, whatever the legend has room to draw.
  const references = view.references.map((curve) => curve.label).join('; ');

  return (
    <figure className="panel logit-panel" data-testid="panel-logit" style={{ width: size.width, height: size.height, color: theme.ink }}>
      {/* The title keeps the theme's size even when a tiny figure's plots shrink their text; the layout measures it. */}
      <figcaption ref={captionRef} className="panel-title" style={{ fontSize: Math.round(theme.fontSize * 1.15) }}>
        Target logit (Fig. 4)
        <label className="panel-toggle" title="Draw the margins that came after ArcFace (CurricularFace, AdaFace, ElasticFace, MagFace) instead of the paper’s Fig. 4b references">
          <input type="checkbox" data-testid="logit-later-toggle" checked={referenceSet === 'later'} onChange={(event) => setReferenceSet(event.target.checked ? 'later' : 'paper')} /> later margins
        </label>
      </figcaption>
      <canvas ref={canvasRef} className="panel-layer" data-testid="logit-histogram" style={{ width: size.width, height: size.height }} />
      <svg
        className="panel-layer"
        width={size.width}
        height={size.height}
        role="img"
        aria-label={`Target logit against the angle to the class weight for ${subject} and the ${referenceSet === 'later' ? 'later margins' : 'Fig. 4b references'} (${references}); ${view.fallbackLabel}. Below, a histogram of the training samples' target angles, now and at step 0.`}>
        <g fontSize={small}>
          {legendCurves.map((curve, index) => {
            const slot = layout.legend[index];
            // A folded legend draws only the bold entries; the key lists the rest.
            if (!slot) return null;
            const style = curveStyle(curve, theme, runs);
            const textWidth = Math.max(...slot.lines.map((text) => estimateTextWidth(text, small) * (curve.current ? 1.1 : 1)));
            return (
              <g key={curve.id} className="logit-legend-entry" transform={`translate(${slot.x},${slot.y})`}>
                {/* The full name, paper and all, on hover; tests find the entry by it whether or not it is drawn short. */}
                <title data-testid={curve.current ? undefined : `logit-legend-${curve.id}`}>{curve.label}</title>
                <rect x={0} y={-layout.rowHeight / 2} width={slot.swatchWidth + 4 + textWidth} height={layout.rowHeight * slot.lines.length} fill="none" />
                <line x1={0} x2={slot.swatchWidth} stroke={style.colour} strokeWidth={style.width} strokeOpacity={curve.current ? 1 : Math.min(1, style.opacity + 0.2)} strokeDasharray={style.dash} />
                <text
                  x={slot.swatchWidth + 4}
                  dominantBaseline="central"
                  fill={curve.current || curve.id === 'warmup' ? theme.ink : theme.muted}
                  fontWeight={curve.current ? 600 : undefined}
                  data-testid={curve.current ? undefined : `logit-legend-text-${curve.id}`}>
                  {slot.lines.map((text) => (
                    // A wrapped label's lines differ from one another, so each is its own key.
                    <tspan key={text} x={slot.swatchWidth + 4} dy={text === slot.lines[0] ? 0 : layout.rowHeight}>
                      {text}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
          {layout.noteLines.map((line, index) => {
            const firstOfNote = index === 0 || layout.noteLines[index - 1].note !== line.note;
            const testId = firstOfNote ? (line.note === 0 ? 'logit-fallback-note' : `logit-note-${line.note}`) : undefined;
            return (
              <g key={line.text} className={line.note === 0 ? 'logit-legend-entry' : undefined} transform={`translate(${line.x},${line.y})`}>
                {line.note === 0 && <title>{view.fallbackLabel}</title>}
                {index === 0 && view.regions.length > 0 && <rect x={0} y={-small / 2} width={layout.swatchWidth} height={small} fill={regionFill} fillOpacity={0.25} />}
                <text x={layout.swatchWidth + 4} dominantBaseline="central" fill={line.note === 0 ? theme.ink : theme.muted} data-testid={testId}>
                  {line.text}
                </text>
              </g>
            );
          })}
        </g>

        <g transform={`translate(${plot.left},${plot.top})`}>
          {view.regions.map(({ region, letter }, index) => (
            <g key={letter ?? 'current'}>
              <rect x={x(region.fromDegrees)} y={0} width={x(region.toDegrees) - x(region.fromDegrees)} height={plot.height} fill={regionFill} fillOpacity={0.15} />
              <line x1={x(region.fromDegrees)} x2={x(region.fromDegrees)} y1={0} y2={plot.height} stroke={theme.muted} strokeDasharray="3 3" />
              <text x={x(region.fromDegrees) - 3} y={small * (1 + 1.2 * regionRows[index])} textAnchor="end" fontSize={small} fill={theme.muted}>
                {regionLabels[index]}
              </text>
            </g>
          ))}
          {logitTickValues.map((tick) => (
            <g key={tick}>
              <line x1={0} x2={plot.width} y1={y(tick)} y2={y(tick)} stroke={theme.grid} strokeWidth={tick === 0 ? 1.5 : 1} />
              <text x={-4} y={y(tick)} textAnchor="end" dominantBaseline="central" fontSize={small} fill={theme.muted}>
                {formatTick(tick)}
              </text>
            </g>
          ))}
          {thetaTickValues.map((tick) => (
            <line key={tick} x1={x(tick)} x2={x(tick)} y1={0} y2={plot.height} stroke={theme.grid} />
          ))}
          <text transform={`translate(${-plot.left + small},${plot.height / 2}) rotate(-90)`} textAnchor="middle" dominantBaseline="central" fontSize={small} fill={theme.muted}>
            {yTitle}
          </text>
          {view.references.map((curve) => {
            if (!curve.band) return null;
            return <path key={`${curve.id}-band`} d={curve.band.path} fill={curveStyle(curve, theme, runs).colour} fillOpacity={0.18} stroke="none" data-testid={`logit-band-${curve.id}`} />;
          })}
          {allCurves.map((curve) => {
            const style = curveStyle(curve, theme, runs);
            const testId = curve.runIndex !== undefined ? `logit-curve-run-${curve.runIndex}` : curve.current ? 'logit-curve-current' : `logit-curve-${curve.id}`;
            return (
              <path
                key={curve.id}
                d={curve.path}
                fill="none"
                stroke={style.colour}
                strokeWidth={style.width}
                strokeOpacity={style.opacity}
                strokeDasharray={style.dash}
                strokeLinejoin="round"
                data-testid={testId}
              />
            );
          })}
        </g>

        <g fontSize={small} fill={theme.muted}>
          {layout.histogramLabelLines.map((line, index) => (
            <text key={line.text} className="logit-legend-entry" x={layout.histogramLabelX} y={line.y} data-testid={index === 0 ? 'logit-histogram-label' : undefined}>
              <title>{histogramLabel.replace('θ_y', 'θy')}</title>
              {withSubscripts(line.text)}
            </text>
          ))}
        </g>
        <g transform={`translate(${bars.left},${bars.top})`}>
          {thetaTickValues.map((tick) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={0} y2={bars.height + 3} stroke={theme.grid} />
              <text x={x(tick)} y={layout.tickLabelY - bars.top} textAnchor="middle" fontSize={fontSize} fill={theme.muted}>
                {tick}°
              </text>
            </g>
          ))}
          <line x1={0} x2={bars.width} y1={bars.height} y2={bars.height} stroke={theme.muted} />
          <text x={-4 - estimateTextWidth('0°', fontSize) / 2} y={layout.tickLabelY - bars.top} textAnchor="end" fontSize={fontSize} fill={theme.ink}>
            θ
          </text>
          <text transform={`translate(${-bars.left + small},${bars.height / 2}) rotate(-90)`} textAnchor="middle" dominantBaseline="central" fontSize={small} fill={theme.muted}>
            {estimateTextWidth('count', small) <= bars.height ? 'count' : ''}
          </text>
        </g>
      </svg>
      <LogitHoverLayer view={view} runs={runs} layout={layout} theme={theme} figureWidth={size.width} />
      {layout.key && <LegendKey key={layout.legendMode} curves={view.references} figureHeight={size.height} runs={runs} layout={layout} theme={theme} />}
    </figure>
  );
}
