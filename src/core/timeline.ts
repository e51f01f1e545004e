/**
 * The timeline's memory: the frames the page drew for the current run list, so a
 * scrubber can show any earlier step exactly as it was drawn (issue #12). Pure: it keeps
 * the worker's frames as they arrived (their buffers were transferred, so keeping one
 * costs no copy) and never touches the DOM or TensorFlow.
 *
 * Bounded by a byte ceiling. The newest frames are kept densely, so scrubbing back a few
 * seconds is frame-exact; older frames are thinned to every 2nd, 4th, 8th… drawn frame,
 * so a long run stays covered from step 0 to now with evenly spaced gaps instead of
 * losing its start. Step 0 and the latest frame are always kept.
 */
import type { SessionFrame, TrainerSnapshot } from './snapshot';

/**
 * 64 MiB. A drawn frame of the paper's toy (8 identities × 300 samples, 800 held out)
 * holds about 70 KB of arrays per run, so this keeps about 900 single-mode frames (30 s
 * densely at 30 frames/s, or a 10,000-step run thinned to every 16th frame) and about
 * 230 frames of a four-run comparison. It stays small beside what the tab's TensorFlow
 * backend already holds, and well inside what a phone or an old laptop gives a tab.
 */
export const TIMELINE_CEILING_BYTES = 64 * 1024 * 1024;

/** The newest frames kept without thinning: 10 s of drawing at 30 frames/s. */
export const TIMELINE_DENSE_FRAMES = 300;

/**
 * What a run's snapshot holds besides its typed arrays (the arcs, the angle report, the
 * pair histograms, the params and the objects around them), rounded up generously.
 */
export const RUN_OVERHEAD_BYTES = 4096;

function snapshotArrays(snapshot: TrainerSnapshot): ArrayBufferView[] {
  return [snapshot.embeddings, snapshot.unitEmbeddings, snapshot.labels, snapshot.weights, snapshot.bias, snapshot.thetaTarget, snapshot.heldoutEmbeddings, snapshot.heldoutLabels];
}

/**
 * The memory a kept frame holds: every distinct buffer behind its arrays (a view into a
 * larger buffer keeps the whole buffer alive) plus each run's overhead.
 */
export function frameBytes(frame: SessionFrame): number {
  const buffers = new Set<ArrayBufferLike>();
  for (const run of frame.runs) for (const array of snapshotArrays(run)) buffers.add(array.buffer);
  let bytes = frame.runs.length * RUN_OVERHEAD_BYTES;
  for (const buffer of buffers) bytes += buffer.byteLength;
  return bytes;
}

interface KeptFrame {
  frame: SessionFrame;
  /** Position among the frames drawn since the history last cleared (0 is the first). */
  drawn: number;
  bytes: number;
}

/** What `at(step)` found: the frame to show and the step it really holds (at or before the asked step). */
export interface TimelineFrame {
  frame: SessionFrame;
  step: number;
}

export interface FrameHistoryOptions {
  ceilingBytes?: number;
  denseFrames?: number;
}

export class FrameHistory {
  readonly ceilingBytes: number;
  private readonly denseLimit: number;
  private kept: KeptFrame[] = [];
  private drawnCount = 0;
  private keepEvery = 1;
  private totalBytes = 0;
  /** The newest frames kept whole: the dense limit, or fewer when frames are so large that the limit would take over half the ceiling. */
  private dense: number;
  private session: { generation: number; runsVersion: number; runCount: number } | null = null;

  constructor(options: FrameHistoryOptions = {}) {
    this.ceilingBytes = options.ceilingBytes ?? TIMELINE_CEILING_BYTES;
    this.denseLimit = Math.max(1, Math.floor(options.denseFrames ?? TIMELINE_DENSE_FRAMES));
    this.dense = this.denseLimit;
  }

  /** Bytes held by the kept frames. */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.kept.length;
  }

  /** Older frames are kept when their position among drawn frames is a multiple of this (1, 2, 4…); it bounds the gap between kept frames. */
  get stride(): number {
    return this.keepEvery;
  }

  get firstStep(): number | null {
    return this.kept[0]?.frame.step ?? null;
  }

  get latestStep(): number | null {
    return this.latest?.step ?? null;
  }

  get latest(): SessionFrame | null {
    return this.kept[this.kept.length - 1]?.frame ?? null;
  }

  /** The kept steps, oldest first. */
  steps(): number[] {
    return this.kept.map((entry) => entry.frame.step);
  }

  clear(): void {
    this.kept = [];
    this.drawnCount = 0;
    this.keepEvery = 1;
    this.totalBytes = 0;
    this.dense = this.denseLimit;
    this.session = null;
  }

  /**
   * Keeps a drawn frame. A frame of another generation (a reset), another run list, or an
   * earlier step than the latest starts the history again; a redraw of the latest step
   * replaces it. Returns true when the history started again.
   */
  add(frame: SessionFrame): boolean {
    const latest = this.latest;
    const session = this.session;
    const restarted =
      session !== null
      && (session.generation !== frame.generation || session.runsVersion !== frame.runsVersion || session.runCount !== frame.runs.length || (latest !== null && frame.step < latest.step));
    if (restarted) this.clear();
    const bytes = frameBytes(frame);
    if (this.session === null) {
      this.session = { generation: frame.generation, runsVersion: frame.runsVersion, runCount: frame.runs.length };
      this.dense = Math.max(1, Math.min(this.denseLimit, Math.floor(this.ceilingBytes / 2 / bytes)));
    }
    const last = this.kept[this.kept.length - 1];
    if (last && last.frame.step === frame.step) {
      this.totalBytes += bytes - last.bytes;
      this.kept[this.kept.length - 1] = { frame, drawn: last.drawn, bytes };
      this.fitCeiling();
      return restarted;
    }
    this.kept.push({ frame, drawn: this.drawnCount++, bytes });
    this.totalBytes += bytes;
    // The frame that just left the dense window is thinned like every older one.
    const leaving = this.kept.length - 1 - this.dense;
    if (leaving > 0 && !this.keeps(this.kept[leaving])) {
      this.totalBytes -= this.kept[leaving].bytes;
      this.kept.splice(leaving, 1);
    }
    this.fitCeiling();
    return restarted;
  }

  /** The frame drawn at `step` if kept, else the nearest kept one before it; null before the first. */
  at(step: number): TimelineFrame | null {
    const index = this.indexAtOrBefore(step);
    if (index < 0) return null;
    const { frame } = this.kept[index];
    return { frame, step: frame.step };
  }

  /** The first kept step after `step`, or null at the end: what a replay shows next. */
  stepAfter(step: number): number | null {
    const next = this.kept[this.indexAtOrBefore(step) + 1];
    return next ? next.frame.step : null;
  }

  private indexAtOrBefore(step: number): number {
    let low = 0;
    let high = this.kept.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.kept[middle].frame.step <= step) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }

  private keeps(entry: KeptFrame): boolean {
    return entry.drawn === 0 || entry.drawn % this.keepEvery === 0;
  }

  /** Doubles the thinning stride over the frames older than the dense window until the ceiling holds (or only step 0 is left of them). */
  private fitCeiling(): void {
    while (this.totalBytes > this.ceilingBytes) {
      const denseStart = Math.max(1, this.kept.length - this.dense);
      if (denseStart <= 1) return;
      this.keepEvery *= 2;
      const older = this.kept.slice(1, denseStart).filter((entry) => this.keeps(entry));
      this.kept = [this.kept[0], ...older, ...this.kept.slice(denseStart)];
      this.totalBytes = this.kept.reduce((sum, entry) => sum + entry.bytes, 0);
    }
  }
}
