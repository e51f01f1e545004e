/**
 * Which kept frames a recording holds and where each lands on the video frame. Pure: the
 * page's side (drawing the frames) is in stage.tsx and recordRun.ts.
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

/**
 * The steps a recording shows, one per video frame. `stepsPerFrame` null: every kept step
 * in the range, one frame each. A number k: a fixed pace through training, frame i showing
 * step first + i·k as it was drawn (the newest kept frame at or before it), so the video's
 * clock runs with the training steps; where the history was thinned to gaps wider than k,
 * a kept frame is shown for several video frames rather than the video speeding up.
 */
export function recordingSteps(kept: readonly number[], from: number | null, to: number | null, stepsPerFrame: number | null): number[] {
  const inRange = stepsInRange(kept, from, to);
  if (stepsPerFrame === null || inRange.length === 0) return inRange;
  if (!(Number.isInteger(stepsPerFrame) && stepsPerFrame >= 1)) throw new RangeError(`Steps per frame must be a whole number of at least 1, not ${stepsPerFrame}.`);
  const first = inRange[0];
  const last = inRange[inRange.length - 1];
  const steps: number[] = [];
  let index = 0;
  for (let target = first; target <= last; target += stepsPerFrame) {
    while (index + 1 < inRange.length && inRange[index + 1] <= target) index++;
    steps.push(inRange[index]);
  }
  return steps;
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
