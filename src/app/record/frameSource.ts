/**
 * Which kept frames a recording holds and where each lands on the video frame. Pure: the
 * page's side (showing a frame, rasterising the panel) is in panelFrames.ts.
 */

/** A frame's place on the recording: the panel's picture scaled to fit, centred, aspect kept. */
export interface LetterboxRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The kept steps from `from` to `to` (both included; null means the first or the latest
 * kept). One video frame per kept frame: the history is already thinned evenly, so a
 * recording of it moves at an even pace through the run's drawn frames.
 */
export function stepsInRange(kept: readonly number[], from: number | null, to: number | null): number[] {
  const low = from ?? Number.NEGATIVE_INFINITY;
  const high = to ?? Number.POSITIVE_INFINITY;
  return kept.filter((step) => step >= low && step <= high);
}

/** A step typed into the range fields: empty means "from the start" or "to the end". Returns undefined for text that is not a whole step. */
export function parseStepField(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * Fits a `source`-sized picture inside `target` without distorting it, centred, with bars
 * on the two sides it does not fill. Whole pixels, so the bars are crisp.
 */
export function letterbox(source: { width: number; height: number }, target: { width: number; height: number }): LetterboxRect {
  if (!(source.width > 0 && source.height > 0)) return { x: 0, y: 0, width: target.width, height: target.height };
  const scale = Math.min(target.width / source.width, target.height / source.height);
  const width = Math.min(target.width, Math.round(source.width * scale));
  const height = Math.min(target.height, Math.round(source.height * scale));
  return { x: Math.floor((target.width - width) / 2), y: Math.floor((target.height - height) / 2), width, height };
}

/** A file size for a person: 734 KB, 12.3 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
