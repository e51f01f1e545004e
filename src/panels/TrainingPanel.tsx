/**
 * Loss and train accuracy against step. The axes are SVG and change only when the
 * step range outgrows its current nice bound; the curves are painted on a canvas.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { line, scaleLinear, scaleLog } from 'd3';
import type { MetricsHistory } from './snapshotBus';
import type { PanelProps, PanelSnapshot, PanelTheme, PanelSize } from './types';
import { useCanvasPainter } from './useCanvasPainter';

const TITLE_HEIGHT = 26;
const PLOT = { left: 44, right: 44, top: TITLE_HEIGHT + 8, bottom: 30 };
export const LOSS_DOMAIN: [number, number] = [1e-4, 30];

/** The x-axis bound: 1, 2 or 5 × 10^k above the step, so the axis rarely changes. */
export function niceStepBound(step: number): number {
  const target = Math.max(step, 100);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= target) return factor * power;
  return 10 * power;
}

export function trainingScales(size: PanelSize, stepBound: number) {
  return {
    x: scaleLinear().domain([0, stepBound]).range([PLOT.left, size.width - PLOT.right]),
    loss: scaleLog().domain(LOSS_DOMAIN).range([size.height - PLOT.bottom, PLOT.top]).clamp(true),
    accuracy: scaleLinear().domain([0, 1]).range([size.height - PLOT.bottom, PLOT.top]),
  };
}

function paintTraining(context: CanvasRenderingContext2D, history: MetricsHistory, scales: ReturnType<typeof trainingScales>, theme: PanelTheme): void {
  const indices = history.steps.map((_, index) => index);
  const draw = (values: number[], y: (value: number) => number, colour: string): void => {
    const path = line<number>().x((index) => scales.x(history.steps[index])).y((index) => y(values[index])).defined((index) => Number.isFinite(values[index])).context(context);
    context.beginPath();
    path(indices);
    context.strokeStyle = colour;
    context.lineWidth = theme.lineWidth * 0.7;
    context.stroke();
  };
  draw(history.losses, (value) => scales.loss(Math.max(value, LOSS_DOMAIN[0])), theme.accent);
  draw(history.accuracies, scales.accuracy, theme.ink);
}

export function TrainingPanel({ size, theme, bus }: PanelProps) {
  const [stepBound, setStepBound] = useState(() => niceStepBound(bus.latest?.step ?? 0));
  const [rate, setRate] = useState(0);
  const scales = useMemo(() => trainingScales(size, stepBound), [size, stepBound]);
  const paint = useCallback((context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => {
    const bound = niceStepBound(snapshot.step);
    // Only a new bound (rare) re-renders React; the curves are canvas.
    if (bound !== stepBound) setStepBound(bound);
    paintTraining(context, bus.history, scales, theme);
  }, [bus, scales, theme, stepBound]);
  const canvasRef = useCanvasPainter(bus, size, paint);

  // steps/s changes every frame; refresh the label twice a second, not per frame.
  useEffect(() => {
    const timer = window.setInterval(() => setRate(bus.latest?.stepsPerSecond ?? 0), 500);
    return () => window.clearInterval(timer);
  }, [bus]);

  const bottom = size.height - PLOT.bottom;
  return (
    <figure className="panel" data-testid="panel-training" style={{ width: size.width, height: size.height }}>
      <figcaption className="panel-title">Training <span className="panel-note" data-testid="steps-per-second">{rate.toFixed(0)} steps/s</span></figcaption>
      <canvas ref={canvasRef} className="panel-layer" style={{ width: size.width, height: size.height }} />
      <svg className="panel-layer" width={size.width} height={size.height} role="img" aria-label="Loss and train accuracy against training step">
        <line x1={PLOT.left} x2={size.width - PLOT.right} y1={bottom} y2={bottom} stroke={theme.grid} />
        {scales.x.ticks(4).map((tick) => (
          <text key={tick} x={scales.x(tick)} y={bottom + 16} fill={theme.muted} fontSize={theme.fontSize} textAnchor="middle">{tick}</text>
        ))}
        <text x={(PLOT.left + size.width - PLOT.right) / 2} y={size.height - 2} fill={theme.muted} fontSize={theme.fontSize} textAnchor="middle">step</text>
        {[1e-3, 1e-2, 1e-1, 1, 10].map((tick) => (
          <text key={tick} x={PLOT.left - 4} y={scales.loss(tick)} fill={theme.accent} fontSize={theme.fontSize} textAnchor="end" dominantBaseline="middle">{tick >= 1 ? tick : tick.toExponential(0)}</text>
        ))}
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line x1={PLOT.left} x2={size.width - PLOT.right} y1={scales.accuracy(tick)} y2={scales.accuracy(tick)} stroke={theme.grid} strokeDasharray="2 4" />
            <text x={size.width - PLOT.right + 4} y={scales.accuracy(tick)} fill={theme.ink} fontSize={theme.fontSize} dominantBaseline="middle">{tick * 100}%</text>
          </g>
        ))}
        <text x={PLOT.left} y={PLOT.top - 4} fill={theme.accent} fontSize={theme.fontSize}>loss (log)</text>
        <text x={size.width - PLOT.right} y={PLOT.top - 4} fill={theme.ink} fontSize={theme.fontSize} textAnchor="end">train accuracy</text>
      </svg>
    </figure>
  );
}
