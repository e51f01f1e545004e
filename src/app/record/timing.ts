/**
 * Frame times. Every time is computed from the frame's index, never by adding up frame
 * durations, so a long recording does not drift (1/30 s has no exact binary form).
 */

/** When frame `index` starts, in seconds. */
export function frameTimestamp(index: number, fps: number): number {
  return index / fps;
}

/** How long frame `index` lasts: the gap to the next frame's start (the same for every frame, up to rounding). */
export function frameDuration(index: number, fps: number): number {
  return frameTimestamp(index + 1, fps) - frameTimestamp(index, fps);
}

/** The length of a recording of `frameCount` frames, in seconds. */
export function recordingDuration(frameCount: number, fps: number): number {
  return frameCount / fps;
}

/** Hundredths of a second, rounded, at the end of frame `index`. */
function centisecondsAtEnd(index: number, fps: number): number {
  return Math.round(((index + 1) * 100) / fps);
}

/**
 * Frame `index`'s GIF delay, in whole hundredths of a second (the only unit GIF has).
 * Each delay is the rounded end time minus the rounded start time, so the rounding errors
 * never add up: at 30 fps the delays go 3, 4, 3, 3, 4, 3, ... and 30 frames last exactly 1 s.
 */
export function gifDelayCentiseconds(index: number, fps: number): number {
  const start = index === 0 ? 0 : centisecondsAtEnd(index - 1, fps);
  return centisecondsAtEnd(index, fps) - start;
}

/** Progress as a fraction in [0, 1]; an empty recording counts as done. */
export function progressFraction(done: number, total: number): number {
  if (!(total > 0)) return 1;
  return Math.min(1, Math.max(0, done / total));
}
