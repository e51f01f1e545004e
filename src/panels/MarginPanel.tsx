/**
 * Fig. 5 of the paper: the decision boundaries of two identities in the θ1–θ2 plane
 * (θ1, θ2 = a feature's angles to W1 and W2) for the current margin, the margin between
 * them shaded, and the paper's four settings as small multiples. The boundaries depend
 * only on the params, so they are SVG; the training samples of the chosen pair move
 * every step, so they are painted on a canvas under the SVG and React never re-renders
 * per frame. In compare mode the main plot shows every run's two boundaries in the run's
 * colour and dash, named in a legend with each run's margin, and the dots are those of
 * one run, chosen beside the identities.
 */
import { useCallback, useMemo, useState, type PointerEvent } from 'react';
import { decisionAt, pairAngles, type Decision } from '../core/boundaries';
import { toDegrees } from '../core/margin';
import {
  MARGIN_CAPTION,
  MARGIN_TITLE,
  compareMarginCaption,
  estimateTextWidth,
  marginPanelGeometry,
  type CornerLabelForm,
  type MainPlotGeometry,
  type MarginPanelLayout,
  type MultipleGeometry,
  type RunPlotGeometry,
} from './marginGeometry';
import { identityColour } from './palette';
import { RunLegend } from './RunLegend';
import { isCompare, runDashArray } from './runStyle';
import type { PanelProps, PanelRun, PanelSnapshot, PanelTheme } from './types';
import { useCanvasPainter } from './useCanvasPainter';
import { useTouchHover } from './useTouchHover';
import { useWarmupProgress } from './useWarmupProgress';
import './marginPanel.css';
import { useRunsAsShown } from './shownParams';

const REGION_OPACITY = 0.18;

function paintPairSamples(context: CanvasRenderingContext2D, snapshot: PanelSnapshot, main: MainPlotGeometry, identityA: number, identityB: number, pointSize: number): void {
  // A snapshot from before a change of the identity count can lack the chosen rows.
  if (identityA >= snapshot.classes || identityB >= snapshot.classes) {
    context.canvas.dataset.dots = '0';
    return;
  }
  const { thetaA, thetaB, identity } = pairAngles(snapshot.unitEmbeddings, snapshot.labels, snapshot.weights, identityA, identityB);
  const { left, top } = main.frame;
  const half = pointSize / 2;
  context.globalAlpha = 0.75;
  let drawn = 0;
  for (let i = 0; i < identity.length; i++) {
    context.fillStyle = identityColour(identity[i]);
    context.fillRect(main.x(thetaA[i]) - left - half, main.y(thetaB[i]) - top - half, pointSize, pointSize);
    drawn++;
  }
  context.globalAlpha = 1;
  // Test contract (e2e): how many live samples this paint drew, and for which step.
  context.canvas.dataset.dots = String(drawn);
  context.canvas.dataset.step = String(snapshot.step);
}

/** Halo in the paper colour so text stays readable over lines, shading and points. */
function haloProps(theme: PanelTheme) {
  return { stroke: theme.paper, strokeWidth: 3, strokeLinejoin: 'round' as const, paintOrder: 'stroke' };
}

interface MainPlotProps {
  main: MainPlotGeometry;
  layout: MarginPanelLayout;
  theme: PanelTheme;
  identityA: number;
  identityB: number;
  /** Compare mode: each run's boundaries replace the single margin's. */
  runPlots: readonly RunPlotGeometry[];
  runs: readonly PanelRun[];
}

/** Every run's margin, lightly shaded, and its two boundaries in the run's colour and dash. */
function RunBoundaries({ runPlots, runs, theme }: { runPlots: readonly RunPlotGeometry[]; runs: readonly PanelRun[]; theme: PanelTheme }) {
  const width = theme.lineWidth * 0.8;
  // Last run first, so run A (solid) lies on top where boundaries coincide.
  const order = runPlots
    .map((plot, index) => ({ plot, run: runs[index] }))
    .filter(({ run }) => run !== undefined)
    .reverse();
  return (
    <g>
      {order.map(({ plot, run }) => (
        <path key={`region-${run.index}`} d={plot.regionPath} fill={run.colour} fillOpacity={0.08} stroke="none" />
      ))}
      {order.map(({ plot, run }) => (
        <g key={run.index} data-testid={`margin-run-${run.index}`} stroke={run.colour} strokeWidth={width} strokeDasharray={runDashArray(run.index, width)} fill="none" strokeLinejoin="round">
          <title>{`Run ${run.letter}, ${run.label}: ${plot.label}`}</title>
          <path d={plot.class2Path} />
          <path d={plot.class1Path} />
        </g>
      ))}
    </g>
  );
}

/**
 * A corner's "… wins", in the geometry's form (cornerLabel's text). Written as separate text
 * nodes, as it always was, so that the light theme's pixels stay those of the baseline.
 */
function CornerText({ form, identity }: { form: CornerLabelForm; identity: number }) {
  if (form === 'none') return null;
  return form === 'full' ? <>identity {identity} wins</> : <>{identity} wins</>;
}

function MainPlot({ main, layout, theme, identityA, identityB, runPlots, runs }: MainPlotProps) {
  const { left, top, side } = main.frame;
  const { fontSize, smallFontSize } = layout;
  const right = left + side;
  const bottom = top + side;
  const halo = haloProps(theme);
  const dash = `${theme.lineWidth * 3} ${theme.lineWidth * 1.6}`;
  return (
    <g>
      {main.ticks.map((tick) => (
        <g key={tick.degrees} stroke={theme.grid} strokeWidth={1}>
          <line x1={tick.x} x2={tick.x} y1={top} y2={bottom} />
          <line x1={left} x2={right} y1={tick.y} y2={tick.y} />
        </g>
      ))}
      <path d={main.diagonalPath} stroke={theme.muted} strokeOpacity={0.5} strokeWidth={1} strokeDasharray="2 3" fill="none" />
      {runPlots.length > 0 ? (
        <RunBoundaries runPlots={runPlots} runs={runs} theme={theme} />
      ) : (
        <>
          <path d={main.regionPath} fill={theme.accent} fillOpacity={REGION_OPACITY} stroke="none" />
          <path d={main.class2Path} stroke={identityColour(identityB)} strokeWidth={theme.lineWidth} strokeDasharray={dash} fill="none" strokeLinejoin="round" />
          <path d={main.class1Path} stroke={identityColour(identityA)} strokeWidth={theme.lineWidth} fill="none" strokeLinejoin="round" />
        </>
      )}
      <rect x={left} y={top} width={side} height={side} fill="none" stroke={theme.muted} strokeWidth={1} />
      <g fill={theme.muted} fontSize={fontSize}>
        {main.ticks.map((tick) => (
          <g key={tick.degrees}>
            <line x1={tick.x} x2={tick.x} y1={bottom} y2={bottom + main.tickLength} stroke={theme.muted} />
            <line x1={left - main.tickLength} x2={left} y1={tick.y} y2={tick.y} stroke={theme.muted} />
          </g>
        ))}
        {main.xTickLabels.map((tick) => (
          <text key={`x${tick.degrees}`} x={tick.x} y={main.xTickLabelY} textAnchor="middle" dominantBaseline="hanging">
            {tick.label}
          </text>
        ))}
        {main.yTickLabels.map((tick) => (
          <text key={`y${tick.degrees}`} x={main.yTickLabelX} y={tick.y} textAnchor="end" dominantBaseline="middle">
            {tick.label}
          </text>
        ))}
      </g>
      <g fill={theme.ink} fontSize={fontSize} textAnchor="middle">
        <text x={main.xTitle.x} y={main.xTitle.y}>
          {main.xTitleText}
        </text>
        <text x={main.yTitle.x} y={main.yTitle.y} transform={`rotate(${main.yTitle.rotate} ${main.yTitle.x} ${main.yTitle.y})`}>
          {main.yTitleText}
        </text>
      </g>
      <g fill={theme.muted} fontSize={smallFontSize} {...halo}>
        {main.class1CornerText && (
          <text x={main.class1Corner.x} y={main.class1Corner.y} textAnchor="start">
            <CornerText form={main.cornerForm} identity={identityA} />
          </text>
        )}
        {main.class2CornerText && (
          <text x={main.class2Corner.x} y={main.class2Corner.y} textAnchor="end">
            <CornerText form={main.cornerForm} identity={identityB} />
          </text>
        )}
      </g>
      {runPlots.length === 0 && main.diagonalText && (
        <text
          x={main.labelPlacement.x}
          y={main.labelPlacement.y}
          transform={`rotate(${main.labelPlacement.rotate} ${main.labelPlacement.x} ${main.labelPlacement.y})`}
          textAnchor="middle"
          dominantBaseline="central"
          fontSize={fontSize}
          fontWeight={600}
          fill={theme.ink}
          data-testid="margin-diagonal-label"
          {...halo}>
          {main.diagonalText}
        </text>
      )}
    </g>
  );
}

function SmallMultiple({ multiple, layout, theme }: { multiple: MultipleGeometry; layout: MarginPanelLayout; theme: PanelTheme }) {
  const { left, top, side } = multiple.frame;
  const strokeWidth = Math.max(1, theme.lineWidth * 0.5);
  return (
    <g>
      <title>{`${multiple.fullTitle}: ${multiple.label}`}</title>
      <text x={multiple.titleX} y={multiple.titleY} textAnchor="middle" fontSize={layout.smallFontSize} fontWeight={multiple.current ? 700 : 400} fill={theme.ink}>
        {multiple.title}
      </text>
      <path d={multiple.regionPath} fill={theme.accent} fillOpacity={REGION_OPACITY * 1.4} stroke="none" />
      <path d={multiple.class2Path} stroke={theme.ink} strokeWidth={strokeWidth} strokeDasharray="4 2" fill="none" />
      <path d={multiple.class1Path} stroke={theme.ink} strokeWidth={strokeWidth} fill="none" />
      <rect x={left} y={top} width={side} height={side} fill="none" stroke={multiple.current ? theme.accent : theme.muted} strokeWidth={multiple.current ? 2 : 1} />
      {multiple.showLabel && (
        <text x={multiple.titleX} y={multiple.labelY} textAnchor="middle" fontSize={layout.smallFontSize} fill={theme.muted}>
          {multiple.shortLabel}
        </text>
      )}
    </g>
  );
}

const VERDICTS: Record<Decision, (identityA: number, identityB: number) => string> = {
  class1: (identityA) => `identity ${identityA} wins`,
  class2: (_identityA, identityB) => `identity ${identityB} wins`,
  margin: () => 'in the margin',
  both: () => 'both win: the boundaries overlap',
};

interface HoverProps {
  main: MainPlotGeometry;
  layout: MarginPanelLayout;
  theme: PanelTheme;
  identityA: number;
  identityB: number;
  /** Compare mode: a verdict per run. */
  runPlots: readonly RunPlotGeometry[];
}

/** Owns the pointer state, so moving the pointer re-renders only the tooltip. */
function MarginHover({ main, layout, theme, identityA, identityB, runPlots }: HoverProps) {
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const clearPointer = useCallback(() => setPointer(null), []);
  const touch = useTouchHover<HTMLDivElement>(pointer !== null, clearPointer);
  const { left, top, side } = main.frame;
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    setPointer({ x: left + event.clientX - box.left, y: top + event.clientY - box.top });
  };
  let tooltip = null;
  if (pointer) {
    const clamp = (theta: number): number => Math.min(Math.PI, Math.max(0, theta));
    const theta1 = clamp(main.x.invert(pointer.x));
    const theta2 = clamp(main.y.invert(pointer.y));
    const where = `θ1 = ${toDegrees(theta1).toFixed(1)}°, θ2 = ${toDegrees(theta2).toFixed(1)}°`;
    const lines =
      runPlots.length > 0
        ? [where, ...runPlots.map((plot) => `${plot.letter}: ${VERDICTS[decisionAt(theta1, theta2, plot.margin)](identityA, identityB)}`)]
        : [where, VERDICTS[decisionAt(theta1, theta2, main.margin)](identityA, identityB)];
    // Keep the whole tooltip on the stage: flip it to the other side of the pointer near an edge.
    const width = Math.max(...lines.map((text) => estimateTextWidth(text, layout.fontSize))) + 14;
    const height = lines.length * Math.ceil(layout.fontSize * 1.35) + 8;
    const gap = 12;
    const x = pointer.x + gap + width <= layout.stage.width ? pointer.x + gap : pointer.x - gap - width;
    const y = pointer.y + gap + height <= layout.stage.height ? pointer.y + gap : pointer.y - gap - height;
    tooltip = (
      <>
        <div className="margin-hover-dot" style={{ left: pointer.x, top: pointer.y, borderColor: theme.ink }} />
        <div
          className="margin-tooltip"
          role="status"
          style={{ left: Math.max(0, x), top: Math.max(0, y), fontSize: layout.fontSize, lineHeight: 1.35, background: theme.paper, borderColor: theme.grid, color: theme.ink }}>
          {lines.map((text) => (
            <div key={text}>{text}</div>
          ))}
        </div>
      </>
    );
  }
  return (
    <>
      <div
        className="margin-hover"
        data-testid="margin-hover"
        ref={touch.ref}
        style={{ left, top, width: side, height: side }}
        onPointerDown={onPointerMove}
        onPointerMove={onPointerMove}
        onPointerLeave={touch.onPointerLeave}
        onPointerCancel={touch.onPointerCancel}
      />
      {tooltip}
    </>
  );
}

interface IdentitySelectProps {
  label: string;
  /** Only the colour swatch shows; the select keeps its name for screen readers, and the pointer gets it as a tooltip. */
  compact: boolean;
  value: number;
  identities: number;
  fontSize: number;
  width: number;
  height: number;
  onChange: (identity: number) => void;
}

function IdentitySelect({ label, compact, value, identities, fontSize, width, height, onChange }: IdentitySelectProps) {
  return (
    <label title={compact ? label : undefined}>
      <span className="margin-swatch" style={{ background: identityColour(value) }} />
      {!compact && label}
      <select aria-label={label} value={value} onChange={(event) => onChange(Number(event.target.value))} style={{ fontSize, width, height }}>
        {Array.from({ length: identities }, (_, identity) => identity).map((identity) => (
          <option key={identity} value={identity}>
            {identity}
          </option>
        ))}
      </select>
    </label>
  );
}

interface RunSelectProps {
  runs: readonly PanelRun[];
  value: number;
  fontSize: number;
  width: number;
  height: number;
  onChange: (index: number) => void;
}

function RunSelect({ runs, value, fontSize, width, height, onChange }: RunSelectProps) {
  return (
    <label>
      dots
      <select aria-label="dots of run" data-testid="margin-dots-run" value={value} onChange={(event) => onChange(Number(event.target.value))} style={{ fontSize, width, height }}>
        {runs.map((run, position) => (
          <option key={run.index} value={position}>
            {run.letter}
          </option>
        ))}
      </select>
    </label>
  );
}

export function MarginPanel({ runs: liveRuns, size, theme }: PanelProps) {
  // Scrubbed back, the boundaries are those of the shown step's margins.
  const runs = useRunsAsShown(liveRuns);
  const compare = isCompare(runs);
  const [chosenA, setChosenA] = useState(0);
  const [chosenB, setChosenB] = useState(1);
  const [chosenRun, setChosenRun] = useState(0);
  const dotsRun = runs[Math.min(chosenRun, runs.length - 1)];
  const { params } = runs[0];
  const identities = Math.max(1, params.identities);
  // A choice beyond a smaller identity count falls back to the last identity instead of vanishing.
  const identityA = Math.min(chosenA, identities - 1);
  const identityB = Math.min(chosenB, identities - 1);

  const { head, m1, m2, m3, fallback, sphereLambda, warmupSteps } = params;
  const { width, height } = size;
  // Runs in lockstep share their step and warm-up, so run A's progress stands for all.
  const progress = useWarmupProgress(runs[0].bus, warmupSteps);
  const marginRuns = useMemo(() => (compare ? runs.map((run) => ({ letter: run.letter, label: run.label, params: run.params })) : undefined), [compare, runs]);
  const geometry = useMemo(
    () =>
      marginPanelGeometry(
        { head, m1, m2, m3, fallback, sphereLambda },
        { width, height },
        {
          fontSize: theme.fontSize,
          runs: marginRuns,
          lineWidth: theme.lineWidth * 0.8,
          dotsLetter: dotsRun.letter,
          warmup: progress ? { step: progress.step, steps: progress.steps } : null,
          identities: [identityA, identityB],
        },
      ),
    [head, m1, m2, m3, fallback, sphereLambda, width, height, theme.fontSize, theme.lineWidth, marginRuns, dotsRun.letter, progress, identityA, identityB],
  );
  const { layout, main, multiples, runPlots } = geometry;

  const pointSize = theme.name === 'projector' ? 4 : 3;
  const paint = useCallback(
    (context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => paintPairSamples(context, snapshot, main, identityA, identityB, pointSize),
    [main, identityA, identityB, pointSize],
  );
  const canvasRef = useCanvasPainter(dotsRun.bus, { width: main.frame.side, height: main.frame.side }, paint);

  const { header, caption, stage, padding, gap } = layout;
  const selectHeight = header.rowHeight - 4;
  const runSelect = compare ? (
    <RunSelect runs={runs} value={Math.min(chosenRun, runs.length - 1)} fontSize={layout.fontSize} width={layout.runSelectWidth} height={selectHeight} onChange={setChosenRun} />
  ) : null;
  const subject = compare ? `runs ${runs.map((run, index) => `${run.letter} (${run.label}): ${runPlots[index]?.label ?? ''}`).join('; ')}` : main.label;
  return (
    <figure className="panel margin-panel" data-testid="panel-margin" style={{ width: layout.stage.width, height: Math.floor(height), fontSize: layout.fontSize, color: theme.ink }}>
      <div className={`margin-header ${header.rows === 1 ? 'margin-header-single' : 'margin-header-stacked'}`} style={{ height: header.height, padding: `0 ${padding}px` }}>
        {header.runBesideTitle ? (
          <div className="margin-title-row" style={{ height: header.rowHeight }}>
            <div className="margin-title" title={header.title === MARGIN_TITLE ? undefined : MARGIN_TITLE} style={{ height: header.rowHeight, fontSize: layout.titleFontSize }}>
              {header.title}
            </div>
            <div className="margin-controls" style={{ height: header.rowHeight, gap: layout.controlGap }}>
              {runSelect}
            </div>
          </div>
        ) : (
          <div className="margin-title" title={header.title === MARGIN_TITLE ? undefined : MARGIN_TITLE} style={{ height: header.rowHeight, fontSize: layout.titleFontSize }}>
            {header.title}
          </div>
        )}
        <div className="margin-controls" style={{ height: header.rowHeight, gap: layout.controlGap }}>
          {(
            [
              ['identity 1', identityA, setChosenA],
              ['identity 2', identityB, setChosenB],
            ] as const
          ).map(([label, value, onChange]) => (
            <IdentitySelect
              key={label}
              label={label}
              compact={header.compact}
              value={value}
              identities={identities}
              fontSize={layout.fontSize}
              width={layout.selectWidth}
              height={selectHeight}
              onChange={onChange}
            />
          ))}
          {header.rows < 3 && !header.runBesideTitle && runSelect}
        </div>
        {header.rows === 3 && (
          <div className="margin-controls" style={{ height: header.rowHeight, gap: layout.controlGap }}>
            {runSelect}
          </div>
        )}
      </div>
      <div className="margin-stage" style={{ width: stage.width, height: stage.height, marginTop: gap }}>
        <canvas ref={canvasRef} data-run={compare ? dotsRun.index : undefined} style={{ left: main.frame.left, top: main.frame.top, width: main.frame.side, height: main.frame.side }} />
        <svg className="margin-svg" width={stage.width} height={stage.height} role="img" aria-label={`Decision boundaries of identities ${identityA} and ${identityB} in the θ1–θ2 plane: ${subject}`}>
          <MainPlot main={main} layout={layout} theme={theme} identityA={identityA} identityB={identityB} runPlots={runPlots} runs={runs} />
          {multiples.map((multiple) => (
            <SmallMultiple key={multiple.id} multiple={multiple} layout={layout} theme={theme} />
          ))}
        </svg>
        <MarginHover main={main} layout={layout} theme={theme} identityA={identityA} identityB={identityB} runPlots={runPlots} />
      </div>
      {compare && (
        <svg
          className="margin-legend"
          width={stage.width}
          height={layout.legend.height}
          style={{ marginTop: gap }}
          role="img"
          aria-label={`Runs: ${runs.map((run) => `${run.letter}, ${run.label}`).join('; ')}`}>
          <RunLegend runs={runs} placement={layout.legend} left={padding} top={0} fontSize={layout.smallFontSize} lineWidth={theme.lineWidth * 0.8} theme={theme} />
        </svg>
      )}
      <figcaption
        className={caption.hidden ? 'margin-caption visually-hidden' : 'margin-caption'}
        style={
          caption.hidden ? undefined : { height: caption.height, lineHeight: `${caption.lineHeight}px`, marginTop: gap, padding: `0 ${padding}px`, fontSize: layout.fontSize, color: theme.muted }
        }>
        {compare ? compareMarginCaption(dotsRun.letter) : MARGIN_CAPTION}
      </figcaption>
    </figure>
  );
}
