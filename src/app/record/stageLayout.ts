/**
 * Where each recorded panel goes on a recording's frame. Pure: the recording stage
 * (stage.tsx) lays its panels out at these CSS boxes and paints them at `pixelRatio`, so a
 * 1080p frame is drawn at 1080p, not scaled up from a smaller picture.
 *
 * A frame is a CSS canvas of `cssWidth` × `cssHeight`: a legend strip at the top when
 * the recording has two or more runs, the panels in a grid, and the caption strip at the
 * bottom. 720p and 1080p share one CSS layout (1280 × 720), so a panel reads the same in
 * both and 1080p is simply sharper.
 */
import type { PanelName } from '../../core/urlState';

/** The CSS size of a 720p or 1080p frame: a 1280 × 720 page, as a lecturer sees the app on a projector. */
export const STAGE_CSS_HEIGHT = 720;
export const STAGE_GAP = 8;
export const STAGE_PADDING = 8;

export interface StageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StageCell extends StageBox {
  panel: PanelName;
}

export interface StagePlan {
  /** The frame in pixels (what the encoder gets). */
  width: number;
  height: number;
  /** The frame in CSS pixels: the stage's layout size. */
  cssWidth: number;
  cssHeight: number;
  /** Device pixels per CSS pixel on the stage: width / cssWidth. */
  pixelRatio: number;
  cells: StageCell[];
  /** The legend strip (empty height for a single run) and the caption strip, in CSS pixels. */
  legend: StageBox;
  caption: StageBox;
}

export interface StagePlanRequest {
  panels: readonly PanelName[];
  /** The frame in pixels. */
  width: number;
  height: number;
  /** CSS pixels per frame pixel are height / cssHeight; a panel-size recording passes its own height (ratio 1). */
  cssHeight?: number;
  /** Fig. 3 of a comparison draws one circle per run: it takes two cells, as on the page. */
  wideCircle: boolean;
  legendHeight: number;
  captionHeight: number;
}

/** The column count that makes the smaller side of a cell largest: square-ish panels read best. */
export function gridColumns(units: number, width: number, height: number): number {
  let best = 1;
  let bestSide = 0;
  for (let columns = 1; columns <= Math.max(1, units); columns++) {
    const rows = Math.ceil(units / columns);
    const side = Math.min(width / columns, height / rows);
    if (side > bestSide + 1e-9) {
      bestSide = side;
      best = columns;
    }
  }
  return best;
}

/** Grid places for the panels in order, a wide circle spanning two columns (it starts a new row when one column is left). */
function placePanels(panels: readonly PanelName[], columns: number, wideCircle: boolean): { panel: PanelName; column: number; row: number; span: number }[] {
  const places: { panel: PanelName; column: number; row: number; span: number }[] = [];
  let column = 0;
  let row = 0;
  for (const panel of panels) {
    const span = wideCircle && panel === 'circle' && columns > 1 ? 2 : 1;
    if (column + span > columns) {
      column = 0;
      row += 1;
    }
    places.push({ panel, column, row, span });
    column += span;
    if (column >= columns) {
      column = 0;
      row += 1;
    }
  }
  return places;
}

export function planStage(request: StagePlanRequest): StagePlan {
  const { panels, width, height, wideCircle } = request;
  if (panels.length === 0) throw new RangeError('A recording needs at least one panel.');
  const cssHeight = request.cssHeight ?? STAGE_CSS_HEIGHT;
  const pixelRatio = height / cssHeight;
  const cssWidth = width / pixelRatio;
  const legendHeight = Math.max(0, request.legendHeight);
  const captionHeight = Math.max(0, request.captionHeight);
  const area: StageBox = {
    x: STAGE_PADDING,
    y: STAGE_PADDING + legendHeight,
    width: Math.max(1, cssWidth - 2 * STAGE_PADDING),
    height: Math.max(1, cssHeight - 2 * STAGE_PADDING - legendHeight - captionHeight),
  };
  const units = panels.length + (wideCircle && panels.includes('circle') && panels.length > 1 ? 1 : 0);
  const columns = gridColumns(units, area.width, area.height);
  const places = placePanels(panels, columns, wideCircle && panels.length > 1);
  const rows = Math.max(...places.map((place) => place.row)) + 1;
  const cellWidth = (area.width - (columns - 1) * STAGE_GAP) / columns;
  const cellHeight = (area.height - (rows - 1) * STAGE_GAP) / rows;
  const cells = places.map(({ panel, column, row, span }) => ({
    panel,
    x: Math.round(area.x + column * (cellWidth + STAGE_GAP)),
    y: Math.round(area.y + row * (cellHeight + STAGE_GAP)),
    width: Math.floor(span * cellWidth + (span - 1) * STAGE_GAP),
    height: Math.floor(cellHeight),
  }));
  return {
    width,
    height,
    cssWidth,
    cssHeight,
    pixelRatio,
    cells,
    legend: { x: STAGE_PADDING, y: STAGE_PADDING, width: area.width, height: legendHeight },
    caption: { x: STAGE_PADDING, y: cssHeight - STAGE_PADDING - captionHeight, width: area.width, height: captionHeight },
  };
}

/** Caption type on the frame: the projector theme's larger type, as on the page. */
export function captionFontSize(theme: 'light' | 'dark' | 'projector'): number {
  return theme === 'projector' ? 16 : 12;
}

export function captionLineHeight(fontSize: number): number {
  return Math.round(fontSize * 1.35);
}

/** The caption strip's height for `lines` lines: nothing for no caption. */
export function captionStripHeight(lines: number, fontSize: number): number {
  return lines > 0 ? lines * captionLineHeight(fontSize) + 8 : 0;
}

/** The run legend's strip: one line of swatches, only when there is more than one run to tell apart. */
export function legendStripHeight(runCount: number, fontSize: number): number {
  return runCount > 1 ? Math.round(fontSize * 2) : 0;
}
