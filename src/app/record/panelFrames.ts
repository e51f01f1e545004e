/**
 * The frames of a recording, rendered from the timeline's stored frames, never captured
 * from the screen: each kept step is published to the panels (the replay path, so every
 * panel draws it exactly as it was drawn live, curves cut at that step), the panel is
 * rasterised as exportFigure composes it (canvases, SVG axes and text, no screenshot),
 * and the picture is letterboxed onto a frame of the recording's size.
 */
import { composeFigure } from '../exportFigure';
import { letterbox } from './frameSource';

export interface PanelFramesSource {
  /** The kept steps to record, in order: one video frame per kept frame. */
  steps: readonly number[];
  /** Puts the kept frame at `step` on the panels' buses. */
  show: (step: number) => void;
  /** The panel's figure on the page, read afresh each frame (a re-render may replace it). */
  figure: () => HTMLElement | null;
  /** The caption under the picture at `step`; empty for none. */
  caption: (step: number) => string;
  width: number;
  height: number;
  /** The colour of the bars around a picture of another shape. */
  background: string;
  signal?: AbortSignal;
}

/** If the tab is hidden, animation frames stop; a timer keeps the recording going anyway. */
const PAINT_WAIT_LIMIT_MS = 100;

/** Yields to the event loop until the next frame is painted, so the page stays responsive between frames. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, PAINT_WAIT_LIMIT_MS);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function svgImage(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } catch {
    throw new Error('The recording failed: the browser could not draw the panel; reload the page and try again.');
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function* panelFrames(source: PanelFramesSource): AsyncGenerator<ImageBitmap> {
  const canvas = new OffscreenCanvas(source.width, source.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('The recording failed: the browser gave no canvas to draw on.');
  for (const step of source.steps) {
    if (source.signal?.aborted) return;
    source.show(step);
    await nextPaint();
    const figure = source.figure();
    if (!figure) throw new Error('The recording failed: the panel left the page while it was being recorded.');
    const composed = composeFigure(figure, source.caption(step));
    const image = await svgImage(composed.svg);
    const place = letterbox(composed, source);
    context.fillStyle = source.background;
    context.fillRect(0, 0, source.width, source.height);
    context.drawImage(image, place.x, place.y, place.width, place.height);
    yield await createImageBitmap(canvas);
  }
}
