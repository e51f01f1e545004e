/**
 * A hidden tab stops training (a laptop's battery matters more than a background demo),
 * unless an embed was told to autoplay: a slide deck may hide the frame until its slide,
 * and then the run should already be there. Such a run only switches the worker to its
 * background pace.
 */
import { useEffect } from 'react';

/** What the visibility logic needs of a run; pausing here leaves the run's play state alone. */
export interface HideableRun {
  isPlaying(): boolean;
  pause(): void;
  play(): void;
  setBackground(on: boolean): void;
}

export type VisibilityCommand = 'pause' | 'play' | 'background' | 'foreground' | null;

interface VisibilityState {
  /** The run was playing when the tab was hidden, so showing the tab resumes it. */
  resumeOnShow: boolean;
}

/**
 * What to tell the run when the tab is hidden or shown. A run paused by hand while the
 * tab was hidden (a host's pause command) stays paused when the tab is shown.
 */
export function visibilityDecision(hidden: boolean, keepRunning: boolean, playing: boolean, state: VisibilityState): { command: VisibilityCommand; state: VisibilityState } {
  if (keepRunning) return { command: hidden ? 'background' : 'foreground', state };
  if (hidden) return { command: playing ? 'pause' : null, state: { resumeOnShow: playing } };
  return { command: state.resumeOnShow && playing ? 'play' : null, state: { resumeOnShow: false } };
}

/** `run` must be stable: the listener is re-added whenever it changes. */
export function usePauseWhenHidden(run: HideableRun, keepRunning: boolean): void {
  useEffect(() => {
    let state: VisibilityState = { resumeOnShow: false };
    const onVisibility = (): void => {
      const decision = visibilityDecision(document.hidden, keepRunning, run.isPlaying(), state);
      state = decision.state;
      switch (decision.command) {
        case 'pause':
          run.pause();
          break;
        case 'play':
          run.play();
          break;
        case 'background':
          run.setBackground(true);
          break;
        case 'foreground':
          run.setBackground(false);
          break;
        case null:
          break;
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [run, keepRunning]);
}
