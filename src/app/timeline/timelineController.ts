/**
 * The timeline on the page: the drawn frames (core/timeline's FrameHistory), which one is
 * shown (live, or a past step), and the replay that steps through them at a fixed pace.
 * Replay is separate from training: showing a past step pauses the worker and publishes
 * the kept frame to the runs' buses; going live publishes the newest frame again and
 * resumes training if it was playing. Training state is never changed by scrubbing.
 *
 * Per-frame updates reach the scrubber through `subscribe` (DOM writes, no React render).
 */
import { FrameHistory } from '../../core/timeline';
import type { SessionFrame } from '../../core/snapshot';

/** A replay's pace: frames shown per second, whatever the training speed was. */
export const REPLAY_FRAMES_PER_SECOND = 30;

/** What the session lends the timeline: its buses and status line, and the play state. */
export interface TimelineSink {
  /** Draws a kept frame (`past`) or the newest live one on every run's bus and the status line. */
  show(frame: SessionFrame, past: boolean): void;
  isPlaying(): boolean;
  setPlaying(on: boolean): void;
}

export interface TimelineView {
  /** The kept range: step 0 (or the first kept) to the latest drawn step; null before a frame. */
  first: number | null;
  latest: number | null;
  /** The step shown from the history; null when live. */
  showing: number | null;
  /** A replay is playing through the frames. */
  replaying: boolean;
  /** The range a link asked for (`replay=FROM-TO`), once training has reached TO; null otherwise. */
  range: { from: number; to: number } | null;
}

export class TimelineController {
  readonly history: FrameHistory;
  private showing: number | null = null;
  private resumeOnLive = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private replayEnd: number | null = null;
  private pendingRange: { from: number; to: number } | null;
  private activeRange: { from: number; to: number } | null = null;
  private replayStart: number | null = null;
  private readonly listeners = new Set<(view: TimelineView) => void>();
  private sink: TimelineSink | null = null;

  constructor(range: { from: number; to: number } | null = null, history: FrameHistory = new FrameHistory()) {
    this.history = history;
    this.pendingRange = range;
  }

  /** A past frame is on the buses: live frames are kept but not drawn, and the status line is the timeline's. */
  get showingPast(): boolean {
    return this.showing !== null;
  }

  attach(sink: TimelineSink): void {
    this.sink = sink;
  }

  view(): TimelineView {
    return { first: this.history.firstStep, latest: this.history.latestStep, showing: this.showing, replaying: this.timer !== null, range: this.activeRange };
  }

  subscribe(listener: (view: TimelineView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view());
    return () => {
      this.listeners.delete(listener);
    };
  }

  private notify(): void {
    const view = this.view();
    for (const listener of this.listeners) listener(view);
  }

  /**
   * Keeps a drawn live frame. A frame that starts the history again (a reset, new runs)
   * ends any replay first. Once a link's replay range is reached, shows its start.
   */
  record(frame: SessionFrame): void {
    if (this.history.add(frame)) {
      this.activeRange = null;
      if (this.showing !== null) this.leave(false);
    }
    const range = this.pendingRange;
    if (range && frame.step >= range.to) {
      this.pendingRange = null;
      this.activeRange = range;
      this.show(range.from);
      return;
    }
    this.notify();
  }

  /** A range to show once training reaches its end, as `replay=FROM-TO` asks (Reset to link arms it again). */
  armRange(range: { from: number; to: number } | null): void {
    this.pendingRange = range;
  }

  /** Forgets every frame (the run list is being replaced); a shown past frame goes back to live first. */
  clear(): void {
    if (this.showing !== null) this.leave(false);
    this.history.clear();
    this.activeRange = null;
    this.notify();
  }

  /** Shows the kept frame at `step` (or the nearest before it), pausing training; returns the step shown, or null when none is kept. */
  show(step: number): number | null {
    const sink = this.sink;
    const found = this.history.at(step) ?? (this.history.size > 0 ? this.history.at(this.history.firstStep ?? 0) : null);
    if (!sink || !found) return null;
    if (this.showing === null) {
      this.resumeOnLive = sink.isPlaying();
      if (this.resumeOnLive) sink.setPlaying(false);
    }
    this.showing = found.step;
    sink.show(found.frame, true);
    this.notify();
    return found.step;
  }

  /** Back to the newest frame; training resumes if it was playing when the scrubbing began (unless `resume` is false: a Step or Reset decides the play state itself). */
  live(resume = true): void {
    if (this.showing === null) return;
    this.leave(resume);
    this.notify();
  }

  private leave(resume: boolean): void {
    this.stopReplay();
    this.showing = null;
    this.replayStart = null;
    const latest = this.history.latest;
    if (this.sink && latest) this.sink.show(latest, false);
    if (resume && this.resumeOnLive) this.sink?.setPlaying(true);
    this.resumeOnLive = false;
  }

  /** Plays the kept frames from the shown step (or the range's start) to the range's end or the latest, at REPLAY_FRAMES_PER_SECOND. */
  playReplay(): void {
    if (this.timer !== null) return;
    const range = this.activeRange;
    const end = range ? range.to : this.history.latestStep;
    const atEnd = this.showing === null || end === null || this.showing >= end;
    const start = atEnd ? (range?.from ?? this.history.firstStep) : this.showing;
    if (start === null || end === null) return;
    const shown = this.show(start);
    if (shown === null) return;
    this.replayStart = shown;
    this.replayEnd = end;
    this.timer = setInterval(() => this.advance(), 1000 / REPLAY_FRAMES_PER_SECOND);
    this.notify();
  }

  stopReplay(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    this.notify();
  }

  private advance(): void {
    const next = this.showing === null ? null : this.history.stepAfter(this.showing);
    if (next === null || this.replayEnd === null || next > this.replayEnd) {
      this.stopReplay();
      return;
    }
    this.show(next);
  }

  /** What a share link pins while a past step is shown: the replayed range (its start to its end or the latest); null when live. */
  sharedRange(): { from: number; to: number } | null {
    if (this.showing === null) return null;
    if (this.activeRange) return this.activeRange;
    const to = this.history.latestStep ?? this.showing;
    return { from: Math.min(this.replayStart ?? this.showing, to), to };
  }

  dispose(): void {
    this.stopReplay();
    this.listeners.clear();
  }
}
