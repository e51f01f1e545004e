/**
 * The timeline scrubber (issue #12): drag back to any kept step and every panel shows that
 * frame exactly as it was drawn; Live returns to the newest frame, and Play replay steps
 * through the kept frames at a fixed pace. The slider, its label and its bounds follow the
 * frames through DOM writes; React renders only when the mode changes (live, past, replaying).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { TimelineController, TimelineView } from './timeline/timelineController';
import './timeline.css';

interface TimelineMode {
  past: boolean;
  replaying: boolean;
  range: string | null;
}

function modeOf(view: TimelineView): TimelineMode {
  return { past: view.showing !== null, replaying: view.replaying, range: view.range ? `${view.range.from}–${view.range.to}` : null };
}

function sameMode(a: TimelineMode, b: TimelineMode): boolean {
  return a.past === b.past && a.replaying === b.replaying && a.range === b.range;
}

/** The label beside the slider: the live step, or, unmistakably, the replayed one. */
export function timelineLabel(view: Pick<TimelineView, 'latest' | 'showing'>): string {
  if (view.showing !== null) return `replay: step ${view.showing}`;
  return view.latest === null ? 'live' : `live · step ${view.latest}`;
}

export function Timeline({ timeline }: { timeline: TimelineController }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement | null>(null);
  const labelRef = useRef<HTMLSpanElement | null>(null);
  const [mode, setMode] = useState<TimelineMode>(() => modeOf(timeline.view()));
  const modeRef = useRef(mode);

  useEffect(
    () =>
      timeline.subscribe((view) => {
        const input = inputRef.current;
        if (input) {
          // A link's range limits the slider to it; otherwise it spans every kept step.
          input.min = String(view.range?.from ?? view.first ?? 0);
          input.max = String(view.range?.to ?? view.latest ?? 0);
          input.value = String(view.showing ?? view.latest ?? 0);
          input.dataset.step = String(view.showing ?? view.latest ?? 0);
          input.setAttribute('aria-valuetext', timelineLabel(view));
        }
        if (labelRef.current) labelRef.current.textContent = timelineLabel(view);
        const next = modeOf(view);
        if (!sameMode(next, modeRef.current)) {
          modeRef.current = next;
          setMode(next);
        }
      }),
    [timeline],
  );

  const className = ['timeline', mode.past ? 'timeline-past' : ''].filter(Boolean).join(' ');
  return (
    <div className={className} data-testid="timeline-bar">
      <label htmlFor={id} className="timeline-label">
        Timeline{' '}
        <span className="timeline-step" data-testid="timeline-step" ref={labelRef} aria-live="polite">
          live
        </span>
        {mode.range && (
          <span className="timeline-range" data-testid="timeline-range">
            {' '}
            · range {mode.range}
          </span>
        )}
      </label>
      <input
        id={id}
        ref={inputRef}
        type="range"
        className="timeline-slider"
        data-testid="timeline"
        min={0}
        max={0}
        step={1}
        defaultValue={0}
        onChange={(event) => {
          timeline.stopReplay();
          timeline.show(Number(event.currentTarget.value));
        }}
      />
      <button
        type="button"
        data-testid="timeline-play"
        onClick={() => (mode.replaying ? timeline.stopReplay() : timeline.playReplay())}
        title="Plays the kept frames at 30 frames per second; training stays paused">
        {mode.replaying ? 'Stop replay' : 'Play replay'}
      </button>
      <button type="button" data-testid="timeline-live" onClick={() => timeline.live()} disabled={!mode.past} title="Back to the newest frame; training continues where it was">
        Live
      </button>
    </div>
  );
}
