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

/**
 * One cell per run. A single run keeps `circleGeometry` exactly. For several, every grid
 * of r rows and ⌈n / r⌉ columns is tried and the one with the largest circles wins (on a
 * tie, more columns: side by side reads as the paper's figure); a short last row is centred.
 */
export function circleLayout(size: PanelSize, count: number, fontSize = 11): CircleLayout {
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
    if (radius >= best) {
      best = radius;
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
