/**
 * Geometry of the Fig. 3 panel: where each run's circle sits. One run fills the panel
 * under its title; several runs share it as a grid of equal cells (side by side when the
 * panel is wide, 2 × 2 when four runs fit larger that way), each cell with a sub-figure
 * title over its circle, as the paper's 3a and 3b. Coordinates of a circle are its cell's.
 */
import type { PanelSize } from './types';

/** The panel's title row (figcaption), px. */
export const TITLE_HEIGHT = 26;
/** Gap labels sit at this multiple of the radius, outside the points. */
export const LABEL_RADIUS = 1.22;
const MIN_RADIUS = 20;
const MIN_CELL_RADIUS = 8;

export interface CircleGeometry {
  centreX: number;
  centreY: number;
  radius: number;
}

/** Room outside the circle for a gap label like "−12°" (about 4 characters). */
function labelRoom(fontSize: number): number {
  return fontSize * 1.4 + 4;
}

/** The single-run circle: centred under the title, as large as its gap labels allow. */
export function circleGeometry(size: PanelSize, fontSize = 11): CircleGeometry {
  const plotHeight = size.height - TITLE_HEIGHT;
  const radius = Math.max(MIN_RADIUS, (Math.min(size.width, plotHeight) / 2 - labelRoom(fontSize)) / LABEL_RADIUS);
  return { centreX: size.width / 2, centreY: TITLE_HEIGHT + plotHeight / 2, radius };
}

/** Screen position of a unit direction (y up). */
export function toScreen(geometry: CircleGeometry, x: number, y: number): [number, number] {
  return [geometry.centreX + x * geometry.radius, geometry.centreY - y * geometry.radius];
}

export interface CircleCell {
  /** The cell in panel pixels. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Height of the sub-figure title row; 0 for a single run. */
  titleHeight: number;
  /** Top of the sub-figure title row in the cell: just above the circle and its labels. */
  titleTop: number;
  /** The circle in the cell's own pixels (its canvas and SVG start at the cell's corner). */
  geometry: CircleGeometry;
}

export interface CircleLayout {
  columns: number;
  rows: number;
  cells: CircleCell[];
}

/** The sub-figure title row of a compare-mode cell. */
export function subtitleHeight(fontSize: number): number {
  return Math.ceil(fontSize * 1.7);
}

function cellRadius(width: number, height: number, titleHeight: number, fontSize: number): number {
  return (Math.min(width, height - titleHeight) / 2 - labelRoom(fontSize)) / LABEL_RADIUS;
}

/** A grid whose cells are narrower than the sub-figure titles must give circles this much larger to win. */
const CUT_TITLE_PENALTY = 0.8;

/**
 * One cell per run. A single run keeps `circleGeometry` exactly. For several, every grid
 * of r rows and ⌈n / r⌉ columns is tried and the one with the largest circles wins (on a
 * tie, more columns: side by side reads as the paper's figure); a short last row is centred.
 * Cells narrower than `titleWidth` (the widest sub-figure title, px) would cut the titles
 * short, so such a grid wins only with circles 25% larger.
 */
export function circleLayout(size: PanelSize, count: number, fontSize = 11, titleWidth = 0): CircleLayout {
  if (count <= 1) {
    return { columns: 1, rows: 1, cells: [{ left: 0, top: 0, width: size.width, height: size.height, titleHeight: 0, titleTop: 0, geometry: circleGeometry(size, fontSize) }] };
  }
  const titleHeight = subtitleHeight(fontSize);
  const areaHeight = Math.max(0, size.height - TITLE_HEIGHT);
  let columns = 1;
  let best = -Infinity;
  for (let candidate = 1; candidate <= count; candidate++) {
    const rows = Math.ceil(count / candidate);
    // More columns than the rows need only leaves cells empty (4 runs as 3 + 1).
    if (Math.ceil(count / rows) !== candidate) continue;
    const radius = cellRadius(size.width / candidate, areaHeight / rows, titleHeight, fontSize);
    const score = size.width / candidate >= titleWidth ? radius : radius - Math.abs(radius) * (1 - CUT_TITLE_PENALTY);
    if (score >= best) {
      best = score;
      columns = candidate;
    }
  }
  const rows = Math.ceil(count / columns);
  const cellWidth = size.width / columns;
  const cellHeight = areaHeight / rows;
  const boxes: Omit<CircleCell, 'geometry' | 'titleTop'>[] = [];
  for (let index = 0; index < count; index++) {
    const row = Math.floor(index / columns);
    const inRow = Math.min(columns, count - row * columns);
    const shift = ((columns - inRow) * cellWidth) / 2;
    // Whole pixels, so that neighbouring canvases neither overlap nor leave a seam.
    const left = Math.round(shift + (index % columns) * cellWidth);
    const top = Math.round(TITLE_HEIGHT + row * cellHeight);
    const width = Math.round(shift + ((index % columns) + 1) * cellWidth) - left;
    const height = Math.round(TITLE_HEIGHT + (row + 1) * cellHeight) - top;
    boxes.push({ left, top, width, height, titleHeight });
  }
  // One radius for all, from the smallest cell after rounding, so the runs compare at one scale.
  const radius = Math.max(MIN_CELL_RADIUS, Math.min(...boxes.map((box) => cellRadius(box.width, box.height, titleHeight, fontSize))));
  // Title and circle (with its ring of labels) as one block, centred in the cell, so the
  // title sits over its circle rather than at the top of a tall cell.
  const reach = radius * LABEL_RADIUS + labelRoom(fontSize);
  const cells = boxes.map((box): CircleCell => {
    const titleTop = Math.max(0, Math.floor((box.height - titleHeight - 2 * reach) / 2));
    return { ...box, titleTop, geometry: { centreX: box.width / 2, centreY: titleTop + titleHeight + reach, radius } };
  });
  return { columns, rows, cells };
}

/** '#rrggbb' as [r, g, b]; anything else as black. */
function hexRgb(colour: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  return match ? [Number.parseInt(match[1], 16), Number.parseInt(match[2], 16), Number.parseInt(match[3], 16)] : [0, 0, 0];
}

/**
 * One digit image (`size` bytes from `offset`, 0 = paper, 255 = ink) as RGBA for a canvas,
 * blended between the theme's paper and ink so a thumbnail reads in every theme.
 */
export function digitThumbnailRgba(pixels: Uint8Array, offset: number, size: number, ink: string, paper: string): Uint8ClampedArray<ArrayBuffer> {
  const inkRgb = hexRgb(ink);
  const paperRgb = hexRgb(paper);
  const rgba = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const amount = (pixels[offset + i] ?? 0) / 255;
    for (let channel = 0; channel < 3; channel++) rgba[i * 4 + channel] = paperRgb[channel] + (inkRgb[channel] - paperRgb[channel]) * amount;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** A box in a cell's pixels. */
export interface LabelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface GapLabelRequest {
  /** Direction of the label from the centre, radians, counter-clockwise from +x (y up). */
  angle: number;
  /** The label's text box, px. */
  width: number;
  height: number;
}

export interface PlacedGapLabel {
  /** Centre of the label's box, in the cell's pixels. */
  x: number;
  y: number;
  box: LabelBox;
}

export interface GapLabelRoom {
  /** Where labels may go: the cell less its edges and the title rows above the circle. */
  bounds: LabelBox;
  /** Other text of the panel over the cell, which no label may touch. */
  obstacles: readonly LabelBox[];
}

/** How many steps outward a crowded label may take, each half its extent along its radius. */
const GAP_LABEL_STEPS = 4;
/** Clear space kept between two labels, px. */
const GAP_LABEL_PADDING = 2;

function overlaps(a: LabelBox, b: LabelBox, padding: number): boolean {
  return a.left < b.right + padding && b.left < a.right + padding && a.top < b.bottom + padding && b.top < a.bottom + padding;
}

/**
 * Places the gap labels greedily, in the order given: each at LABEL_RADIUS along its
 * angle if that box is free, else pushed outward along its radius in steps of half its
 * extent along it,
 * every candidate moved back inside `bounds`. A label that touches an earlier one or an
 * obstacle at every candidate is left out (null), so labels never cover each other; far
 * apart, every label keeps its plain place.
 */
export function placeGapLabels(geometry: CircleGeometry, requests: readonly GapLabelRequest[], room: GapLabelRoom): (PlacedGapLabel | null)[] {
  const { bounds, obstacles } = room;
  const placed: LabelBox[] = [];
  return requests.map(({ angle, width, height }) => {
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // Beside the circle a label must travel its width to clear a neighbour, above or below it its height.
    const stride = (Math.abs(cos) * width + Math.abs(sin) * height + GAP_LABEL_PADDING) / 2;
    for (let step = 0; step <= GAP_LABEL_STEPS; step++) {
      const reach = geometry.radius * LABEL_RADIUS + step * stride;
      const x = clampCentre(geometry.centreX + cos * reach, width, bounds.left, bounds.right);
      const y = clampCentre(geometry.centreY - sin * reach, height, bounds.top, bounds.bottom);
      if (x === null || y === null) return null;
      const box = { left: x - width / 2, top: y - height / 2, right: x + width / 2, bottom: y + height / 2 };
      if (placed.some((other) => overlaps(box, other, GAP_LABEL_PADDING)) || obstacles.some((other) => overlaps(box, other, 0))) continue;
      placed.push(box);
      return { x, y, box };
    }
    return null;
  });
}

/** A box's centre moved so the box lies within [low, high]; null if it cannot. */
function clampCentre(centre: number, extent: number, low: number, high: number): number | null {
  if (high - low < extent) return null;
  return Math.min(Math.max(centre, low + extent / 2), high - extent / 2);
}

/** The room for a cell's gap labels: inside the cell, below its sub-figure title, clear of the panel title's parts (panel pixels). */
export function gapLabelRoom(cell: CircleCell, compare: boolean, captionBoxes: readonly LabelBox[]): GapLabelRoom {
  return {
    bounds: { left: 1, top: compare ? cell.titleTop + cell.titleHeight : 1, right: cell.width - 1, bottom: cell.height - 1 },
    obstacles: captionBoxes.map((box) => ({ left: box.left - cell.left, top: box.top - cell.top, right: box.right - cell.left, bottom: box.bottom - cell.top })),
  };
}

export interface GapLabelText {
  text: string;
  /** The identities either side of the gap. */
  from: number;
  to: number;
  /** Degrees; negative where their arcs overlap. */
  gap: number;
}

/** What the figure's hover and accessible text say about the gap labels that found no room; empty if none. */
export function leftOutGapsText(leftOut: readonly GapLabelText[]): string {
  if (leftOut.length === 0) return '';
  return `Gaps without a label for lack of room: ${leftOut.map((label) => `identities ${label.from} and ${label.to}, ${label.text}`).join('; ')}.`;
}

/**
 * A sub-figure title cut to `maxWidth` px. The "(a)" goes first: in compare mode the run's
 * letter and line stand before the title, so "A (a) Soft…" says less than "A Softmax".
 * Then the name loses letters from its end behind an ellipsis. Cut here rather than by
 * CSS, whose ellipsis leaves the whole text laid out under its neighbour's title.
 */
export function fitTitle(title: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(title) <= maxWidth) return title;
  const space = title.indexOf(' ');
  const prefix = space > 0 ? title.slice(0, space) : title;
  const name = space > 0 ? title.slice(space + 1) : '';
  if (name === '') return title;
  if (measure(name) <= maxWidth) return name;
  for (let end = name.length - 1; end > 0; end--) {
    const cut = `${name.slice(0, end).trimEnd()}…`;
    if (measure(cut) <= maxWidth) return cut;
  }
  return prefix;
}
