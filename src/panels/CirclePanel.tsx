/**
 * Fig. 3: features on the unit circle with each identity's W_j (solid) and feature
 * centre (dashed), and the empty angle between neighbouring identities written in
 * degrees, so the margin shows as gaps. A toggle shows the raw, unnormalised features.
 * In compare mode each run gets its own circle, titled as the paper's sub-figures
 * ("(a) Softmax", "(b) ArcFace"), painted from its own bus and hovered on its own.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { scaleLinear } from 'd3';
import { arcGaps, classCentres, normalizeRows } from '../core/angles';
import { DIGIT_PIXELS, DIGIT_SIDE, decodeDigits, digitsSplits, type DigitImages } from '../core/digits';
import { safeAcos, toDegrees } from '../core/margin';
import { circleLayout, digitThumbnailRgba, LABEL_RADIUS, TITLE_HEIGHT, toScreen, type CircleCell, type CircleGeometry } from './circleGeometry';
import { identityColour } from './palette';
import { RunChip } from './RunLegend';
import { isCompare, runFigureName, subfigureTitle } from './runStyle';
import type { PanelProps, PanelRun, PanelSnapshot, PanelTheme } from './types';
import { useCanvasPainter } from './useCanvasPainter';
import { pickReach, useTouchHover } from './useTouchHover';
import './circlePanel.css';

/** Largest |coordinate| of the raw features, so the raw view fits them all. */
function rawExtent(embeddings: Float32Array): number {
  let largest = 1e-6;
  for (let i = 0; i < embeddings.length; i++) largest = Math.max(largest, Math.abs(embeddings[i]));
  return largest;
}

function paintCircle(context: CanvasRenderingContext2D, snapshot: PanelSnapshot, geometry: CircleGeometry, theme: PanelTheme, raw: boolean): void {
  const { labels, weights, classes, unitEmbeddings, embeddings } = snapshot;
  const pointSize = theme.name === 'projector' ? 4 : 3;
  const count = labels.length;
  // Thin dense runs (many identities or samples) so the picture stays readable.
  const stride = Math.max(1, Math.floor(count / 6000));
  const extent = raw ? rawExtent(embeddings) : 1;
  const scale = scaleLinear().domain([-extent, extent]).range([-1, 1]);
  let drawn = 0;
  for (let i = 0; i < count; i += stride) {
    const spread = raw ? 1 : 1 - 0.05 * ((i * 0.618034) % 1);
    const source = raw ? embeddings : unitEmbeddings;
    const [x, y] = toScreen(geometry, scale(source[i * 2]) * spread, scale(source[i * 2 + 1]) * spread);
    context.fillStyle = identityColour(labels[i]);
    context.fillRect(x - pointSize / 2, y - pointSize / 2, pointSize, pointSize);
    drawn++;
  }
  // Test contract (e2e): how many feature marks this paint drew, and for which step.
  context.canvas.dataset.points = String(drawn);
  context.canvas.dataset.step = String(snapshot.step);
  const unitWeights = normalizeRows(weights, 2);
  const { centres, present } = classCentres(unitEmbeddings, labels, classes, 2);
  context.lineWidth = theme.lineWidth * 0.8;
  for (let c = 0; c < classes; c++) {
    context.strokeStyle = identityColour(c);
    context.setLineDash([]);
    context.beginPath();
    context.moveTo(geometry.centreX, geometry.centreY);
    context.lineTo(...toScreen(geometry, unitWeights[c * 2] * 1.1, unitWeights[c * 2 + 1] * 1.1));
    context.stroke();
    if (!present[c] || raw) continue;
    context.setLineDash([5, 4]);
    context.beginPath();
    context.moveTo(geometry.centreX, geometry.centreY);
    context.lineTo(...toScreen(geometry, centres[c * 2] * 0.85, centres[c * 2 + 1] * 0.85));
    context.stroke();
  }
  context.setLineDash([]);
  if (raw || classes > 16) return;
  const { arcs } = snapshot;
  const byIdentity = new Map(arcs.map((arc) => [arc.identity, arc]));
  context.font = `${theme.fontSize}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (const gap of arcGaps(arcs)) {
    const from = byIdentity.get(gap.from);
    const to = byIdentity.get(gap.to);
    if (!from || !to) continue;
    // Label the middle of the stretch between the two arcs (empty, or shared when they overlap).
    let separation = to.centre - from.centre;
    if (separation < 0) separation += 2 * Math.PI;
    const middle = from.centre + (from.end + separation + to.start) / 2;
    const [x, y] = toScreen(geometry, Math.cos(middle) * LABEL_RADIUS, Math.sin(middle) * LABEL_RADIUS);
    // A negative gap is an overlap: shown muted, with its sign.
    context.fillStyle = gap.gap > 0 ? theme.ink : theme.muted;
    context.fillText(`${gap.gap.toFixed(0).replace('-', '−')}°`, x, y);
  }
}

interface PointInfo {
  x: number;
  y: number;
  /** The sample's index in the training split. */
  index: number;
  identity: number;
  thetaTarget: number;
  rivalGap: number;
}

/** The pointer's reach (px) for a mouse; a finger gets more (pickReach). */
const POINT_REACH = 12;

/** The sample under the pointer: its identity, θ_y, and how much closer it is to W_y than to its nearest rival W. */
export function describeNearestPoint(snapshot: PanelSnapshot, geometry: CircleGeometry, pointerX: number, pointerY: number, reach = POINT_REACH): PointInfo | null {
  const { unitEmbeddings, labels, weights, classes } = snapshot;
  const unitWeights = normalizeRows(weights, 2);
  let best = -1;
  let bestDistance = reach * reach;
  for (let i = 0; i < labels.length; i++) {
    const [x, y] = toScreen(geometry, unitEmbeddings[i * 2], unitEmbeddings[i * 2 + 1]);
    const distance = (x - pointerX) ** 2 + (y - pointerY) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  if (best < 0) return null;
  const identity = labels[best];
  let nearestRival = Infinity;
  for (let c = 0; c < classes; c++) {
    if (c === identity) continue;
    const cosine = unitEmbeddings[best * 2] * unitWeights[c * 2] + unitEmbeddings[best * 2 + 1] * unitWeights[c * 2 + 1];
    nearestRival = Math.min(nearestRival, toDegrees(safeAcos(cosine)));
  }
  const [x, y] = toScreen(geometry, unitEmbeddings[best * 2], unitEmbeddings[best * 2 + 1]);
  return { x, y, index: best, identity, thetaTarget: snapshot.thetaTarget[best], rivalGap: nearestRival - snapshot.thetaTarget[best] };
}

/** The digits asset's file name (vite.config.ts). */
declare const __DIGITS_ASSET__: string;
let digitImages: Promise<DigitImages | null> | null = null;

/**
 * The digits for hover thumbnails. The worker has fetched the asset already to train on
 * it, so this read comes from the browser's or the service worker's cache; it happens on
 * the first hover of a digits run, never for the synthetic data. A failure only leaves
 * the thumbnail out (the worker's own load reports what went wrong), and is retried on
 * a later hover.
 */
function loadDigitImages(): Promise<DigitImages | null> {
  digitImages ??= fetch(new URL(__DIGITS_ASSET__, document.baseURI))
    .then(async (response) => {
      if (!response.ok) return null;
      const decoded = decodeDigits(new Uint8Array(await response.arrayBuffer()));
      return decoded.ok ? decoded.digits : null;
    })
    .catch(() => null)
    .then((digits) => {
      if (!digits) digitImages = null;
      return digits;
    });
  return digitImages;
}

/** Which asset image each training sample of a digits run is; null until the asset is here, or for synthetic data. */
function useTrainingImages(params: PanelRun['params'], wanted: boolean): { digits: DigitImages; images: Int32Array } | null {
  const [digits, setDigits] = useState<DigitImages | null>(null);
  const digitsRun = params.data === 'digits';
  useEffect(() => {
    if (!digitsRun || !wanted || digits) return;
    let live = true;
    void loadDigitImages().then((loaded) => {
      if (live) setDigits(loaded);
    });
    return () => {
      live = false;
    };
  }, [digitsRun, wanted, digits]);
  const { identities, samplesPerIdentity } = params;
  return useMemo(
    () => (digits && digitsRun ? { digits, images: digitsSplits(digits.labels, identities, samplesPerIdentity).train.images } : null),
    [digits, digitsRun, identities, samplesPerIdentity],
  );
}

/** A digit image, drawn pixel for pixel and shown at twice the size. */
function DigitThumbnail({ digits, image, identity, theme }: { digits: DigitImages; image: number; identity: number; theme: PanelTheme }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const rgba = digitThumbnailRgba(digits.pixels, image * DIGIT_PIXELS, DIGIT_PIXELS, theme.ink, theme.paper);
    context.putImageData(new ImageData(rgba, DIGIT_SIDE, DIGIT_SIDE), 0, 0);
  }, [digits, image, theme.ink, theme.paper]);
  return (
    <canvas
      ref={ref}
      width={DIGIT_SIDE}
      height={DIGIT_SIDE}
      data-testid="digit-thumbnail"
      data-image={image}
      role="img"
      aria-label={`handwritten ${identity}`}
      style={{ display: 'block', width: DIGIT_SIDE * 2, height: DIGIT_SIDE * 2, imageRendering: 'pixelated', marginBottom: 4 }}
    />
  );
}

interface CircleFigureProps {
  run: PanelRun;
  cell: CircleCell;
  theme: PanelTheme;
  raw: boolean;
  /** Several runs: the cell gets a sub-figure title and names its run. */
  compare: boolean;
}

/** One run's circle: its own canvas painted from its own bus, its own hover. */
function CircleFigure({ run, cell, theme, raw, compare }: CircleFigureProps) {
  const [hover, setHover] = useState<PointInfo | null>(null);
  const { geometry } = cell;
  const cellSize = useMemo(() => ({ width: cell.width, height: cell.height }), [cell.width, cell.height]);
  const paint = useCallback((context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => paintCircle(context, snapshot, geometry, theme, raw), [geometry, theme, raw]);
  const canvasRef = useCanvasPainter(run.bus, cellSize, paint);
  const training = useTrainingImages(run.params, hover !== null);
  // The frame under the pointer may be of other settings than the run's (a reset on its way): then there is no picture to show.
  const image = hover && training && hover.index < training.images.length && run.bus.latest?.labels.length === training.images.length ? training.images[hover.index] : null;

  const clearHover = useCallback(() => setHover(null), []);
  const touch = useTouchHover<SVGSVGElement>(hover !== null, clearHover);
  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    const snapshot = run.bus.latest;
    if (!snapshot || raw) return;
    const bounds = event.currentTarget.getBoundingClientRect();
    setHover(describeNearestPoint(snapshot, geometry, event.clientX - bounds.left, event.clientY - bounds.top, pickReach(event.pointerType, POINT_REACH)));
  };

  const name = runFigureName(run.label, run.params);
  const description = 'Training features of each identity on the unit circle, with class directions W and feature centres';
  return (
    <div className="circle-run" data-testid={`run-${run.index}`} style={{ left: cell.left, top: cell.top, width: cell.width, height: cell.height }}>
      {compare && (
        <div className="circle-subtitle" style={{ top: cell.titleTop, height: cell.titleHeight, fontSize: theme.fontSize * 1.1 }}>
          <RunChip run={run} size={Math.round(theme.fontSize * 0.9)} lineWidth={Math.max(1.5, theme.lineWidth * 0.8)} />
          <span>{subfigureTitle(run.index, name)}</span>
        </div>
      )}
      <canvas ref={canvasRef} className="panel-layer" style={{ width: cell.width, height: cell.height }} />
      <svg
        className="panel-layer"
        width={cell.width}
        height={cell.height}
        role="img"
        aria-label={compare ? `Run ${run.letter}, ${run.label}: ${description.charAt(0).toLowerCase()}${description.slice(1)}` : description}
        ref={touch.ref}
        onPointerDown={onPointerMove}
        onPointerMove={onPointerMove}
        onPointerLeave={touch.onPointerLeave}
        onPointerCancel={touch.onPointerCancel}>
        {!raw && <circle cx={geometry.centreX} cy={geometry.centreY} r={geometry.radius} fill="none" stroke={theme.grid} strokeWidth={1} />}
        {raw && (
          <text x={8} y={cell.height - 8} fill={theme.muted} fontSize={theme.fontSize}>
            raw 2-D features, scaled to fit
          </text>
        )}
        {hover && (
          <g pointerEvents="none">
            <circle cx={hover.x} cy={hover.y} r={6} fill="none" stroke={theme.ink} strokeWidth={1.5} />
          </g>
        )}
      </svg>
      {hover && (
        <div
          className="panel-tooltip"
          role="tooltip"
          style={{ left: Math.max(0, Math.min(hover.x + 10, cell.width - 170)), top: Math.max(hover.y - 50, compare ? cell.titleTop + cell.titleHeight : TITLE_HEIGHT) }}>
          {image !== null && training && <DigitThumbnail digits={training.digits} image={image} identity={hover.identity} theme={theme} />}
          {compare && (
            <>
              run {run.letter}
              <br />
            </>
          )}
          identity {hover.identity}
          <br />θ<sub>y</sub> = {hover.thetaTarget.toFixed(1)}°<br />
          gap to nearest rival: {hover.rivalGap.toFixed(1)}°
        </div>
      )}
    </div>
  );
}

export function CirclePanel({ runs, size, theme }: PanelProps) {
  const [raw, setRaw] = useState(false);
  const compare = isCompare(runs);
  const layout = useMemo(() => circleLayout(size, runs.length, theme.fontSize), [size, runs.length, theme.fontSize]);

  return (
    <figure className="panel" data-testid="panel-circle" style={{ width: size.width, height: size.height }}>
      <figcaption className="panel-title">
        Features on the circle (Fig. 3)
        <label className="panel-toggle">
          <input type="checkbox" checked={raw} onChange={(event) => setRaw(event.target.checked)} /> raw features
        </label>
      </figcaption>
      {runs.map((run, index) => {
        const cell = layout.cells[index];
        return cell ? <CircleFigure key={run.index} run={run} cell={cell} theme={theme} raw={raw} compare={compare} /> : null;
      })}
    </figure>
  );
}
