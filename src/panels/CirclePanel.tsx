/**
 * Fig. 3: features on the unit circle with each identity's W_j (solid) and feature
 * centre (dashed), and the empty angle between neighbouring identities written in
 * degrees, so the margin shows as gaps. A toggle shows the raw, unnormalised features.
 * In compare mode each run gets its own circle, titled as the paper's sub-figures
 * ("(a) Softmax", "(b) ArcFace"), painted from its own bus and hovered on its own.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { scaleLinear } from 'd3';
import { arcGaps, classCentres, normalizeRows } from '../core/angles';
import { DIGIT_PIXELS, DIGIT_SIDE, decodeDigits, digitsSplits, type DigitImages } from '../core/digits';
import { safeAcos, toDegrees } from '../core/margin';
import {
  circleLayout,
  digitThumbnailRgba,
  fitTitle,
  gapLabelRoom,
  leftOutGapsText,
  placeGapLabels,
  TITLE_HEIGHT,
  toScreen,
  type CircleCell,
  type CircleGeometry,
  type GapLabelRequest,
  type GapLabelRoom,
  type GapLabelText,
  type LabelBox,
} from './circleGeometry';
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

let measuringContext: CanvasRenderingContext2D | null | undefined;

/**
 * Width of a bold sub-figure title at `fontSize`, px: measured on a canvas in the page;
 * estimated at 0.7 em a character where there is none (server rendering).
 */
function titleTextWidth(text: string, fontSize: number): number {
  if (measuringContext === undefined) measuringContext = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!measuringContext) return text.length * fontSize * 0.7;
  measuringContext.font = `600 ${fontSize}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  return measuringContext.measureText(text).width;
}

/** What a sub-figure title row holds besides its text: padding, the run's chip and letter, gaps (circlePanel.css, runs.css). */
function subtitleChrome(fontSize: number): number {
  const chip = Math.round(fontSize * 0.9) * 2 + 3 + fontSize * 1.1 * 0.8;
  return 2 * 4 + chip + 6 + 2;
}

/** Height of a gap label's box: the em box of the canvas font, with a little air. */
const GAP_LABEL_LINE = 1.2;

/**
 * The gap labels, placed so none covers another or the panel's other text. Those left
 * out for lack of room are returned, for the figure's accessible text and hover.
 */
function paintGapLabels(context: CanvasRenderingContext2D, snapshot: PanelSnapshot, geometry: CircleGeometry, theme: PanelTheme, room: GapLabelRoom): GapLabelText[] {
  const { arcs } = snapshot;
  const byIdentity = new Map(arcs.map((arc) => [arc.identity, arc]));
  context.font = `${theme.fontSize}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  const labels: GapLabelText[] = [];
  const requests: GapLabelRequest[] = [];
  for (const gap of arcGaps(arcs)) {
    const from = byIdentity.get(gap.from);
    const to = byIdentity.get(gap.to);
    if (!from || !to) continue;
    // Label the middle of the stretch between the two arcs (empty, or shared when they overlap).
    let separation = to.centre - from.centre;
    if (separation < 0) separation += 2 * Math.PI;
    const text = `${gap.gap.toFixed(0).replace('-', '−')}°`;
    labels.push({ text, from: gap.from, to: gap.to, gap: gap.gap });
    requests.push({ angle: from.centre + (from.end + separation + to.start) / 2, width: Math.ceil(context.measureText(text).width), height: Math.ceil(theme.fontSize * GAP_LABEL_LINE) });
  }
  const placements = placeGapLabels(geometry, requests, room);
  const leftOut: GapLabelText[] = [];
  const drawn: string[] = [];
  placements.forEach((placement, index) => {
    const label = labels[index];
    if (!placement) {
      leftOut.push(label);
      return;
    }
    // A negative gap is an overlap: shown muted, with its sign.
    context.fillStyle = label.gap > 0 ? theme.ink : theme.muted;
    context.fillText(label.text, placement.x, placement.y);
    const { box } = placement;
    drawn.push(`${label.text} ${Math.round(box.left)} ${Math.round(box.top)} ${Math.round(box.right)} ${Math.round(box.bottom)}`);
  });
  // Test contract (e2e): each drawn label as "text left top right bottom" in the cell's pixels, and how many were left out.
  context.canvas.dataset.gapLabels = drawn.join(';');
  context.canvas.dataset.gapLabelsLeftOut = String(leftOut.length);
  return leftOut;
}

function paintCircle(context: CanvasRenderingContext2D, snapshot: PanelSnapshot, geometry: CircleGeometry, theme: PanelTheme, raw: boolean, room: GapLabelRoom): GapLabelText[] {
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
  if (raw || classes > 16) {
    context.canvas.dataset.gapLabels = '';
    context.canvas.dataset.gapLabelsLeftOut = '0';
    return [];
  }
  return paintGapLabels(context, snapshot, geometry, theme, room);
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
  /** The panel title's parts, in panel pixels: no gap label may cover them. */
  captionBoxes: readonly LabelBox[];
}

/** One run's circle: its own canvas painted from its own bus, its own hover. */
function CircleFigure({ run, cell, theme, raw, compare, captionBoxes }: CircleFigureProps) {
  const [hover, setHover] = useState<PointInfo | null>(null);
  const { geometry } = cell;
  const cellSize = useMemo(() => ({ width: cell.width, height: cell.height }), [cell.width, cell.height]);
  const room = useMemo(() => gapLabelRoom(cell, compare, captionBoxes), [cell, compare, captionBoxes]);
  // Gap labels left out: the SVG's <title>, its hover text and accessible description, written only when they change.
  // React types an SVG <title> as HTML's; only its text is written.
  const leftOutRef = useRef<HTMLTitleElement | null>(null);
  const paint = useCallback(
    (context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => {
      const text = leftOutGapsText(paintCircle(context, snapshot, geometry, theme, raw, room));
      const title = leftOutRef.current;
      if (title && title.textContent !== text) title.textContent = text;
    },
    [geometry, theme, raw, room],
  );
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
  const subtitleFont = theme.fontSize * 1.1;
  const subtitle = fitTitle(subfigureTitle(run.index, name), cell.width - subtitleChrome(theme.fontSize), (text) => titleTextWidth(text, subtitleFont));
  const description = 'Training features of each identity on the unit circle, with class directions W and feature centres';
  return (
    <div className="circle-run" data-testid={`run-${run.index}`} style={{ left: cell.left, top: cell.top, width: cell.width, height: cell.height }}>
      {compare && (
        <div className="circle-subtitle" style={{ top: cell.titleTop, height: cell.titleHeight, fontSize: subtitleFont }}>
          <RunChip run={run} size={Math.round(theme.fontSize * 0.9)} lineWidth={Math.max(1.5, theme.lineWidth * 0.8)} />
          <span>{subtitle}</span>
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
        <title ref={leftOutRef} data-testid="gap-labels-left-out" />
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

const sameBoxes = (a: readonly LabelBox[], b: readonly LabelBox[]): boolean =>
  a.length === b.length && a.every((box, index) => box.left === b[index].left && box.top === b[index].top && box.right === b[index].right && box.bottom === b[index].bottom);

/**
 * The boxes of the panel title's text and its toggle, in panel pixels, following the
 * theme's type and a wrap of the toggle onto a second line. Before measuring (and in
 * server rendering): the title row, TITLE_HEIGHT tall, across the panel.
 */
function useCaptionBoxes(caption: RefObject<HTMLElement | null>, width: number): LabelBox[] {
  const [boxes, setBoxes] = useState<LabelBox[]>(() => [{ left: 0, top: 0, right: width, bottom: TITLE_HEIGHT }]);
  useLayoutEffect(() => {
    const element = caption.current;
    const panel = element?.parentElement;
    if (!element || !panel) return undefined;
    const measure = (): void => {
      const origin = panel.getBoundingClientRect();
      const measured: LabelBox[] = [];
      for (const node of element.childNodes) {
        let rect: DOMRect | null = null;
        if (node instanceof Element) rect = node.getBoundingClientRect();
        else if (node.textContent?.trim()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          rect = range.getBoundingClientRect();
        }
        if (!rect || rect.width === 0) continue;
        measured.push({ left: Math.floor(rect.left - origin.left), top: Math.floor(rect.top - origin.top), right: Math.ceil(rect.right - origin.left), bottom: Math.ceil(rect.bottom - origin.top) });
      }
      setBoxes((current) => (sameBoxes(current, measured) ? current : measured));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [caption]);
  return boxes;
}

export function CirclePanel({ runs, size, theme }: PanelProps) {
  const [raw, setRaw] = useState(false);
  const compare = isCompare(runs);
  // The widest sub-figure title, whole: grids that would cut it short are the last resort.
  const titleWidth = compare
    ? Math.max(...runs.map((run) => titleTextWidth(subfigureTitle(run.index, runFigureName(run.label, run.params)), theme.fontSize * 1.1))) + subtitleChrome(theme.fontSize)
    : 0;
  const layout = useMemo(() => circleLayout(size, runs.length, theme.fontSize, titleWidth), [size, runs.length, theme.fontSize, titleWidth]);
  const captionRef = useRef<HTMLElement | null>(null);
  const captionBoxes = useCaptionBoxes(captionRef, size.width);

  return (
    <figure className="panel" data-testid="panel-circle" style={{ width: size.width, height: size.height }}>
      <figcaption ref={captionRef} className="panel-title">
        Features on the circle (Fig. 3)
        <label className="panel-toggle">
          <input type="checkbox" checked={raw} onChange={(event) => setRaw(event.target.checked)} /> raw features
        </label>
      </figcaption>
      {runs.map((run, index) => {
        const cell = layout.cells[index];
        return cell ? <CircleFigure key={run.index} run={run} cell={cell} theme={theme} raw={raw} compare={compare} captionBoxes={captionBoxes} /> : null;
      })}
    </figure>
  );
}
