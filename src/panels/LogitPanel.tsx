/**
 * Fig. 4 of the paper. Top (SVG): the target logit ψ(θ) of the current margin against
 * the Fig. 4b references, with [θ*, 180°] shaded where the raw ψ would rise. Bottom
 * (canvas, repainted per snapshot): the θ_y histogram of the training samples over the
 * same θ axis, with the step-0 histogram as a ghost so the drift toward 0° shows (Fig. 4a).
 */
import { useCallback, useMemo, useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { format, scaleLinear } from 'd3';
import {
  estimateTextWidth,
  histogramBinDegrees,
  logitCurves,
  logitLayout,
  nearestCurveValue,
  thetaHistogram,
  thetaTicks,
  logitTicks,
  currentCurveLabel,
  fallbackLabel,
  REFERENCE_CURVES,
  type LogitCurve,
  type LogitCurves,
  type LogitLayout,
  type ThetaHistogram,
} from './logitGeometry';
import type { PanelProps, PanelSnapshot, PanelTheme } from './types';
import { useCanvasPainter } from './useCanvasPainter';
import './logitPanel.css';

const HISTOGRAM_LABEL = 'θ_y of training samples; ghost = step 0';

/**
 * Okabe–Ito hues (minus yellow, too pale on white, and reddish purple, too close to the
 * accent of the current curve). Softmax is dashed grey: it is the no-margin baseline.
 */
const REFERENCE_COLOURS: Record<string, string> = {
  sphereface: '#E69F00',
  cosface: '#56B4E9',
  arcface: '#009E73',
  cm1: '#0072B2',
  cm2: '#D55E00',
};
const REFERENCE_OPACITY = 0.6;

interface CurveStyle {
  colour: string;
  width: number;
  opacity: number;
  dash?: string;
}

function curveStyle(curve: LogitCurve, theme: PanelTheme): CurveStyle {
  if (curve.current) return { colour: theme.accent, width: theme.lineWidth, opacity: 1 };
  const width = Math.max(1, theme.lineWidth * 0.5);
  const colour = REFERENCE_COLOURS[curve.id];
  return colour ? { colour, width, opacity: REFERENCE_OPACITY } : { colour: theme.muted, width, opacity: REFERENCE_OPACITY, dash: '5 3' };
}

const formatLogit = format('.3f');
const formatTick = format('~g');
const formatCount = format('~s');

/** Draws "θ_y" as θ with a subscript y; dy rather than baseline-shift, which Firefox ignores. */
function withSubscripts(text: string): ReactNode[] {
  return text.split('θ_y').flatMap<ReactNode>((part, index) => (index === 0
    ? [part]
    : ['θ', <tspan key={`s${index}`} dy="0.3em" fontSize="0.8em">y</tspan>, <tspan key={`r${index}`} dy="-0.3em">{part}</tspan>]));
}

function paintHistogram(context: CanvasRenderingContext2D, snapshot: PanelSnapshot, initial: Float32Array | null, curves: LogitCurves, layout: LogitLayout, theme: PanelTheme, fontFamily: string): void {
  const { histogram: box } = layout;
  const binDegrees = histogramBinDegrees(box.width);
  const now = thetaHistogram(snapshot.thetaTarget, binDegrees);
  const ghost: ThetaHistogram | null = initial ? thetaHistogram(initial, binDegrees) : null;
  const y = scaleLinear().domain([0, Math.max(1, now.maxCount, ghost?.maxCount ?? 0)]).range([box.height, 0]).nice(3);
  const { x } = curves;
  context.save();
  context.translate(box.left, box.top);

  context.fillStyle = theme.accent;
  context.globalAlpha = 0.55;
  for (const bin of now.bins) {
    if (bin.count === 0) continue;
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
    context.beginPath();
    context.moveTo(x(0), y(0));
    for (const bin of ghost.bins) {
      context.lineTo(x(bin.x0), y(bin.count));
      context.lineTo(x(bin.x1), y(bin.count));
    }
    context.lineTo(x(180), y(0));
    context.stroke();
    context.setLineDash([]);
    context.globalAlpha = 1;
  }

  // The count axis changes every frame, so it is painted here rather than in the SVG.
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
  const skippedNote = now.skipped > 0 ? ` · ${now.skipped} not finite` : '';
  context.fillText(`step ${snapshot.step}${skippedNote}`, box.width, 1);
  context.restore();
}

interface HoverState {
  curve: LogitCurve;
  thetaDegrees: number;
  value: number;
  /** The curves the hover was found on; a margin change makes it stale until the next move. */
  source: LogitCurves;
}

interface HoverLayerProps {
  curves: LogitCurves;
  layout: LogitLayout;
  theme: PanelTheme;
  figureWidth: number;
}

/**
 * Pointer handling and the tooltip live in their own component so that moving the
 * pointer re-renders only this, not the curves.
 */
function LogitHoverLayer({ curves, layout, theme, figureWidth }: HoverLayerProps) {
  const [hover, setHover] = useState<HoverState | null>(null);
  const box = layout.curves;
  const ordered = useMemo(() => [curves.current, ...curves.references], [curves]);

  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const pointerX = event.clientX - bounds.left;
    const pointerY = event.clientY - bounds.top;
    const nearest = nearestCurveValue(ordered, curves.x.invert(pointerX), curves.y.invert(pointerY));
    // Only a pointer near a line counts as hovering it.
    const reach = Math.max(10, layout.fontSize);
    if (!nearest || Math.abs(curves.y(nearest.value) - pointerY) > reach) {
      setHover(null);
      return;
    }
    setHover({ curve: nearest.curve, thetaDegrees: nearest.thetaDegrees, value: nearest.value, source: curves });
  };

  let tooltip: ReactNode = null;
  if (hover && hover.source === curves) {
    const dotX = curves.x(hover.thetaDegrees);
    const dotY = curves.y(hover.value);
    const detail = `θ = ${hover.thetaDegrees.toFixed(1)}°, ψ = ${formatLogit(hover.value)}`;
    const width = Math.max(estimateTextWidth(hover.curve.label, layout.fontSize), estimateTextWidth(detail, layout.fontSize)) + 16;
    const height = layout.fontSize * 2.6 + 10;
    // Flip to whichever side has room, so the tooltip never leaves the figure.
    const fitsRight = box.left + dotX + 12 + width <= figureWidth;
    const left = fitsRight ? dotX + 12 : Math.max(4 - box.left, dotX - 12 - width);
    const top = dotY > box.height / 2 ? dotY - 8 - height : dotY + 8;
    const style = curveStyle(hover.curve, theme);
    tooltip = (
      <>
        <div className="logit-dot" style={{ left: dotX, top: dotY, borderColor: style.colour }} />
        <div className="panel-tooltip logit-tooltip" role="tooltip" data-testid="logit-tooltip" style={{ left, top, fontSize: layout.fontSize }}>
          <strong style={{ color: style.colour }}>{hover.curve.label}</strong><br />{detail}
        </div>
      </>
    );
  }

  return (
    <div className="logit-hover" style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)}>
      {tooltip}
    </div>
  );
}

export function LogitPanel(props: PanelProps) {
  const { params, size, theme, bus } = props;
  const { head, m1, m2, m3, fallback } = params;

  const layout = useMemo(() => {
    const curveParams = { head, m1, m2, m3, fallback };
    const entries = [{ label: currentCurveLabel(curveParams), bold: true }, ...REFERENCE_CURVES.map(({ label }) => ({ label }))];
    return logitLayout(size, theme.fontSize, entries, fallbackLabel(curveParams), HISTOGRAM_LABEL);
  }, [size, theme.fontSize, head, m1, m2, m3, fallback]);
  const { fontSize } = layout;
  const curves = useMemo(
    () => logitCurves({ head, m1, m2, m3, fallback }, { width: layout.curves.width, height: layout.curves.height }),
    [layout, head, m1, m2, m3, fallback],
  );

  // A canvas font is not inherited from CSS; read the page's once so both layers match.
  const fontFamily = useRef<string | null>(null);
  const paint = useCallback((context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => {
    fontFamily.current ??= getComputedStyle(context.canvas).fontFamily || 'system-ui, sans-serif';
    paintHistogram(context, snapshot, bus.initialThetaTarget, curves, layout, theme, fontFamily.current);
  }, [bus, curves, layout, theme]);
  const canvasRef = useCanvasPainter(bus, size, paint);

  const { curves: plot, histogram: bars } = layout;
  const small = layout.smallFont;
  const { x, y } = curves;
  const thetaTickValues = thetaTicks(plot.width, fontSize);
  const logitTickValues = logitTicks(y, small);
  const allCurves = [...curves.references, curves.current];
  const legendCurves = [curves.current, ...curves.references];
  const regionFill = theme.muted;
  const yTitle = estimateTextWidth('target logit ψ(θ)', small) <= plot.height ? 'target logit ψ(θ)' : 'ψ(θ)';

  return (
    <figure className="panel logit-panel" data-testid="panel-logit" style={{ width: size.width, height: size.height, color: theme.ink }}>
      <figcaption className="panel-title" style={{ fontSize: Math.round(fontSize * 1.15) }}>Target logit (Fig. 4)</figcaption>
      <canvas ref={canvasRef} className="panel-layer" data-testid="logit-histogram" style={{ width: size.width, height: size.height }} />
      <svg className="panel-layer" width={size.width} height={size.height} role="img"
        aria-label={`Target logit against the angle to the class weight for ${curves.current.label} and the Fig. 4b references; ${curves.fallbackLabel}. Below, a histogram of the training samples' target angles, now and at step 0.`}>
        <g fontSize={small}>
          {legendCurves.map((curve, index) => {
            const slot = layout.legend[index];
            const style = curveStyle(curve, theme);
            return (
              <g key={curve.id} transform={`translate(${slot.x},${slot.y})`}>
                <line x1={0} x2={layout.swatchWidth} stroke={style.colour} strokeWidth={style.width} strokeOpacity={curve.current ? 1 : Math.min(1, style.opacity + 0.2)} strokeDasharray={style.dash} />
                <text x={layout.swatchWidth + 4} dominantBaseline="central" fill={curve.current ? theme.ink : theme.muted} fontWeight={curve.current ? 600 : undefined}>{curve.label}</text>
              </g>
            );
          })}
          {layout.noteLines.map((line, index) => (
            <g key={index} transform={`translate(8,${line.y})`}>
              {index === 0 && curves.region && <rect x={0} y={-small / 2} width={layout.swatchWidth} height={small} fill={regionFill} fillOpacity={0.25} />}
              <text x={layout.swatchWidth + 4} dominantBaseline="central" fill={theme.ink} data-testid={index === 0 ? 'logit-fallback-note' : undefined}>{line.text}</text>
            </g>
          ))}
        </g>

        <g transform={`translate(${plot.left},${plot.top})`}>
          {curves.region && (
            <g>
              <rect x={x(curves.region.fromDegrees)} y={0} width={x(curves.region.toDegrees) - x(curves.region.fromDegrees)} height={plot.height} fill={regionFill} fillOpacity={0.15} />
              <line x1={x(curves.region.fromDegrees)} x2={x(curves.region.fromDegrees)} y1={0} y2={plot.height} stroke={theme.muted} strokeDasharray="3 3" />
              <text x={x(curves.region.fromDegrees) - 3} y={small} textAnchor="end" fontSize={small} fill={theme.muted}>θ*</text>
            </g>
          )}
          {logitTickValues.map((tick) => (
            <g key={tick}>
              <line x1={0} x2={plot.width} y1={y(tick)} y2={y(tick)} stroke={theme.grid} strokeWidth={tick === 0 ? 1.5 : 1} />
              <text x={-4} y={y(tick)} textAnchor="end" dominantBaseline="central" fontSize={small} fill={theme.muted}>{formatTick(tick)}</text>
            </g>
          ))}
          {thetaTickValues.map((tick) => (
            <line key={tick} x1={x(tick)} x2={x(tick)} y1={0} y2={plot.height} stroke={theme.grid} />
          ))}
          <text transform={`translate(${-plot.left + small},${plot.height / 2}) rotate(-90)`} textAnchor="middle" dominantBaseline="central" fontSize={small} fill={theme.muted}>{yTitle}</text>
          {allCurves.map((curve) => {
            const style = curveStyle(curve, theme);
            return (
              <path key={curve.id} d={curve.path} fill="none" stroke={style.colour} strokeWidth={style.width} strokeOpacity={style.opacity}
                strokeDasharray={style.dash} strokeLinejoin="round" data-testid={curve.current ? 'logit-curve-current' : `logit-curve-${curve.id}`} />
            );
          })}
        </g>

        <g fontSize={small} fill={theme.muted}>
          {layout.histogramLabelLines.map((line, index) => (
            <text key={index} x={bars.left} y={line.y} data-testid={index === 0 ? 'logit-histogram-label' : undefined}>{withSubscripts(line.text)}</text>
          ))}
        </g>
        <g transform={`translate(${bars.left},${bars.top})`}>
          {thetaTickValues.map((tick) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={0} y2={bars.height + 3} stroke={theme.grid} />
              <text x={x(tick)} y={layout.tickLabelY - bars.top} textAnchor="middle" fontSize={fontSize} fill={theme.muted}>{tick}°</text>
            </g>
          ))}
          <line x1={0} x2={bars.width} y1={bars.height} y2={bars.height} stroke={theme.muted} />
          <text x={-4 - estimateTextWidth('0°', fontSize) / 2} y={layout.tickLabelY - bars.top} textAnchor="end" fontSize={fontSize} fill={theme.ink}>θ</text>
          <text transform={`translate(${-bars.left + small},${bars.height / 2}) rotate(-90)`} textAnchor="middle" dominantBaseline="central" fontSize={small} fill={theme.muted}>
            {estimateTextWidth('count', small) <= bars.height ? 'count' : ''}
          </text>
        </g>
      </svg>
      <LogitHoverLayer curves={curves} layout={layout} theme={theme} figureWidth={size.width} />
    </figure>
  );
}
