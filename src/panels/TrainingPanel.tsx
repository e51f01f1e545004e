/**
 * Loss and train accuracy against step. The axes are SVG and change only when the
 * step range outgrows its current nice bound; the curves are painted on a canvas.
 * With several runs, each run's loss and accuracy are overlaid in its colour and dash,
 * loss above and accuracy below, with a legend of the runs.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { RunLegend } from './RunLegend';
import { isCompare, runDash } from './runStyle';
import type { MetricsHistory } from './snapshotBus';
import {
  LOSS_DOMAIN,
  TICK_GAP,
  TITLE_HEIGHT,
  compareTrainingLayout,
  compareTrainingScales,
  niceStepBound,
  stepTicks,
  trainingLayout,
  trainingScales,
  type CompareTrainingLayout,
  type TrainingLayout,
  type TrainingScales,
} from './trainingGeometry';
import type { PanelProps, PanelRun, PanelSnapshot, PanelTheme } from './types';
import { useRunsPainter } from './useRunsPainter';

interface CurveStyle {
  colour: string;
  width: number;
  dash: number[];
}

/**
 * Strokes one metric of a history; returns how many points had a finite value. A plain
 * loop rather than d3.line over an index array: the history grows with the run, and this
 * runs every frame for every run.
 */
function drawMetric(context: CanvasRenderingContext2D, history: MetricsHistory, values: number[], x: (step: number) => number, y: (value: number) => number, style: CurveStyle): number {
  context.beginPath();
  let points = 0;
  let drawing = false;
  for (let index = 0; index < history.steps.length; index++) {
    const value = values[index];
    // A gap (NaN before the first step, a diverged value) breaks the line, as d3's defined() does.
    if (!Number.isFinite(value)) {
      drawing = false;
      continue;
    }
    const pointX = x(history.steps[index]);
    const pointY = y(value);
    if (drawing) context.lineTo(pointX, pointY);
    else context.moveTo(pointX, pointY);
    drawing = true;
    points++;
  }
  context.strokeStyle = style.colour;
  context.lineWidth = style.width;
  context.setLineDash(style.dash);
  context.stroke();
  context.setLineDash([]);
  return points;
}

function paintTraining(context: CanvasRenderingContext2D, history: MetricsHistory, scales: TrainingScales, theme: PanelTheme): void {
  const width = theme.lineWidth * 0.7;
  const lossPoints = drawMetric(context, history, history.losses, scales.x, (value) => scales.loss(Math.max(value, LOSS_DOMAIN[0])), { colour: theme.accent, width, dash: [] });
  const accuracyPoints = drawMetric(context, history, history.accuracies, scales.x, scales.accuracy, { colour: theme.ink, width, dash: [] });
  // Test contract (e2e): how many points each curve got from the history.
  context.canvas.dataset.lossPoints = String(lossPoints);
  context.canvas.dataset.accuracyPoints = String(accuracyPoints);
}

function paintCompare(context: CanvasRenderingContext2D, runs: readonly PanelRun[], scales: ReturnType<typeof compareTrainingScales>, theme: PanelTheme): void {
  const width = theme.lineWidth * 0.7;
  const lossPoints: number[] = [];
  const accuracyPoints: number[] = [];
  // Last run first, so run A (solid) lies on top where curves coincide.
  for (let index = runs.length - 1; index >= 0; index--) {
    const run = runs[index];
    const { history } = run.bus;
    const style = { colour: run.colour, width, dash: runDash(run.index, width) };
    lossPoints[index] = drawMetric(context, history, history.losses, scales.x, (value) => scales.loss(Math.max(value, LOSS_DOMAIN[0])), style);
    accuracyPoints[index] = drawMetric(context, history, history.accuracies, scales.x, scales.accuracy, style);
  }
  // Test contract (e2e): run A's counts where single mode has them, and every run's in order.
  context.canvas.dataset.lossPoints = String(lossPoints[0]);
  context.canvas.dataset.accuracyPoints = String(accuracyPoints[0]);
  context.canvas.dataset.runLossPoints = lossPoints.join(',');
  context.canvas.dataset.runAccuracyPoints = accuracyPoints.join(',');
}

const formatLoss = (tick: number): string => (tick >= 1 ? String(tick) : tick.toExponential(0));

function CompareAxes({ layout, scales, theme }: { layout: CompareTrainingLayout; scales: ReturnType<typeof compareTrainingScales>; theme: PanelTheme }) {
  const { fontSize, left, right } = layout;
  return (
    <g fontSize={fontSize}>
      {layout.lossTicks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={right} y1={scales.loss(tick)} y2={scales.loss(tick)} stroke={theme.grid} strokeDasharray="2 4" />
          <text x={left - 4} y={scales.loss(tick)} fill={theme.muted} textAnchor="end" dominantBaseline="middle">
            {formatLoss(tick)}
          </text>
        </g>
      ))}
      {layout.accuracyTicks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={right} y1={scales.accuracy(tick)} y2={scales.accuracy(tick)} stroke={theme.grid} strokeDasharray="2 4" />
          <text x={left - 4} y={scales.accuracy(tick)} fill={theme.muted} textAnchor="end" dominantBaseline="middle">
            {tick * 100}%
          </text>
        </g>
      ))}
      <line x1={left} x2={right} y1={layout.loss.bottom} y2={layout.loss.bottom} stroke={theme.grid} />
      <line x1={left} x2={right} y1={layout.accuracy.bottom} y2={layout.accuracy.bottom} stroke={theme.grid} />
      {stepTicks(scales.x, fontSize).map((tick) => (
        <text key={tick} x={scales.x(tick)} y={layout.tickLabelY} fill={theme.muted} textAnchor="middle">
          {tick}
        </text>
      ))}
      <text x={right} y={layout.tickLabelY} dy="1.2em" fill={theme.muted} textAnchor="end">
        step
      </text>
      <text x={left} y={layout.loss.top - 4} fill={theme.ink}>
        loss (log)
      </text>
      <text x={left} y={layout.accuracy.top - 4} fill={theme.ink}>
        train accuracy
      </text>
    </g>
  );
}

/** Where the panel title's text ends, px from the panel's top; follows the theme's type and any wrap. */
function useTitleBottom(caption: RefObject<HTMLElement | null>): number {
  // Until measured (and in server rendering): the title's height less its padding, as the light theme draws it.
  const [bottom, setBottom] = useState(TITLE_HEIGHT - 7);
  useLayoutEffect(() => {
    const element = caption.current;
    if (!element) return undefined;
    const measure = (contentBottom: number): void => {
      if (contentBottom > 0) setBottom(Math.ceil(contentBottom));
    };
    measure(element.getBoundingClientRect().height - (Number.parseFloat(getComputedStyle(element).paddingBottom) || 0));
    // contentRect.top is the top padding.
    const observer = new ResizeObserver(([entry]) => measure(entry.contentRect.top + entry.contentRect.height));
    observer.observe(element);
    return () => observer.disconnect();
  }, [caption]);
  return bottom;
}

function SingleAxes({ layout, scales, theme }: { layout: TrainingLayout; scales: TrainingScales; theme: PanelTheme }) {
  const { left, right, bottom, fontSize } = layout;
  return (
    <g fontSize={fontSize}>
      <line x1={left} x2={right} y1={bottom} y2={bottom} stroke={theme.grid} />
      {stepTicks(scales.x, fontSize).map((tick) => (
        <text key={tick} x={scales.x(tick)} y={layout.tickLabelY} fill={theme.muted} textAnchor="middle">
          {tick}
        </text>
      ))}
      <text x={(left + right) / 2} y={layout.stepLabelY} fill={theme.muted} textAnchor="middle">
        step
      </text>
      {layout.lossTicks.map((tick) => (
        <text key={tick} x={left - TICK_GAP} y={scales.loss(tick)} fill={theme.accent} textAnchor="end" dominantBaseline="middle">
          {formatLoss(tick)}
        </text>
      ))}
      {layout.accuracyTicks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={right} y1={scales.accuracy(tick)} y2={scales.accuracy(tick)} stroke={theme.grid} strokeDasharray="2 4" />
          <text x={right + TICK_GAP} y={scales.accuracy(tick)} fill={theme.ink} dominantBaseline="middle">
            {tick * 100}%
          </text>
        </g>
      ))}
      <text x={left} y={layout.labelY} fill={theme.accent}>
        loss (log)
      </text>
      <text x={right} y={layout.labelY} fill={theme.ink} textAnchor="end">
        train accuracy
      </text>
    </g>
  );
}

export function TrainingPanel({ runs, size, theme }: PanelProps) {
  const primary = runs[0];
  const compare = isCompare(runs);
  const [stepBound, setStepBound] = useState(() => niceStepBound(primary.bus.latest?.step ?? 0));
  const [rate, setRate] = useState(0);
  const captionRef = useRef<HTMLElement | null>(null);
  const titleBottom = useTitleBottom(captionRef);
  const layout = useMemo(() => trainingLayout(size, theme.fontSize, titleBottom), [size, theme.fontSize, titleBottom]);
  const scales = useMemo(() => trainingScales(layout, stepBound), [layout, stepBound]);
  const legendFont = theme.fontSize * 0.95;
  const compareLayout = useMemo(
    () =>
      compare
        ? compareTrainingLayout(
            size,
            legendFont,
            theme.lineWidth * 0.7,
            runs.map((run) => ({ letter: run.letter, text: run.label })),
          )
        : null,
    [compare, size, legendFont, theme.lineWidth, runs],
  );
  const compareScales = useMemo(() => (compareLayout ? compareTrainingScales(compareLayout, stepBound) : null), [compareLayout, stepBound]);
  const paint = useCallback(
    (context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => {
      const step = snapshots[snapshots.length - 1].step;
      const bound = niceStepBound(step);
      // Only a new bound (rare) re-renders React; the curves are canvas.
      if (bound !== stepBound) setStepBound(bound);
      if (compareScales) paintCompare(context, runs, compareScales, theme);
      else paintTraining(context, primary.bus.history, scales, theme);
      context.canvas.dataset.step = String(step);
    },
    [runs, primary, scales, compareScales, theme, stepBound],
  );
  const canvasRef = useRunsPainter(runs, size, paint);

  // steps/s changes every frame; refresh the label twice a second, not per frame.
  useEffect(() => {
    const timer = window.setInterval(() => setRate(primary.bus.latest?.stepsPerSecond ?? 0), 500);
    return () => window.clearInterval(timer);
  }, [primary]);

  return (
    <figure className="panel" data-testid="panel-training" style={{ width: size.width, height: size.height }}>
      <figcaption ref={captionRef} className="panel-title">
        Training{' '}
        <span className="panel-note" data-testid="steps-per-second">
          {rate.toFixed(0)} steps/s
        </span>
      </figcaption>
      <canvas ref={canvasRef} className="panel-layer" style={{ width: size.width, height: size.height }} />
      {compareLayout && compareScales ? (
        <svg
          className="panel-layer"
          width={size.width}
          height={size.height}
          role="img"
          aria-label={`Loss and train accuracy against training step for runs ${runs.map((run) => `${run.letter} (${run.label})`).join(', ')}`}>
          <RunLegend
            runs={runs}
            placement={compareLayout.legend}
            left={compareLayout.legendLeft}
            top={compareLayout.legendTop}
            fontSize={compareLayout.fontSize}
            lineWidth={theme.lineWidth * 0.7}
            theme={theme}
          />
          <CompareAxes layout={compareLayout} scales={compareScales} theme={theme} />
        </svg>
      ) : (
        <svg className="panel-layer" width={size.width} height={size.height} role="img" aria-label="Loss and train accuracy against training step">
          <SingleAxes layout={layout} scales={scales} theme={theme} />
        </svg>
      )}
    </figure>
  );
}
