/**
 * The warm-up progress of a run, for the parts of the page that show the margin that
 * applies now (Fig. 4's current curve, Fig. 5's main plot, the formula). The margin
 * changes every step of the warm-up, but React must not re-render per frame: the step is
 * taken from the snapshot bus at most every WARMUP_REFRESH_MS (the last one always
 * arrives), and once the warm-up is over the value stays null, so nothing re-renders for
 * the rest of the run.
 */
import { useEffect, useState } from 'react';
import { warmupProgress, type WarmupProgress } from '../core/margin';
import type { SnapshotBus } from './snapshotBus';

export const WARMUP_REFRESH_MS = 250;

/** What the bus says the warm-up is at: the latest snapshot's step, or step 0 before the first one. */
function progressOf(bus: SnapshotBus, warmupSteps: number): WarmupProgress | null {
  return warmupProgress(bus.latest?.step ?? 0, warmupSteps);
}

const same = (a: WarmupProgress | null, b: WarmupProgress | null): boolean => a === b || (a !== null && b !== null && a.step === b.step && a.steps === b.steps);

export interface WarmupClock {
  now: () => number;
  setTimeout: (callback: () => void, delay: number) => ReturnType<typeof setTimeout>;
  clearTimeout: (timer: ReturnType<typeof setTimeout>) => void;
}

const REAL_CLOCK: WarmupClock = {
  now: () => performance.now(),
  setTimeout: (callback, delay) => setTimeout(callback, delay),
  clearTimeout: (timer) => clearTimeout(timer),
};

/**
 * Calls `onChange` with the bus's warm-up progress now, and again as snapshots arrive:
 * at once when the warm-up ends or a reset starts it again, otherwise at most every
 * WARMUP_REFRESH_MS with the newest step. Never twice with the same value. Returns the
 * unsubscribe.
 */
export function followWarmup(bus: SnapshotBus, warmupSteps: number, onChange: (progress: WarmupProgress | null) => void, clock: WarmupClock = REAL_CLOCK): () => void {
  let shownAt = Number.NEGATIVE_INFINITY;
  let shown: WarmupProgress | null | undefined;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  const show = (next: WarmupProgress | null): void => {
    cancel();
    shownAt = clock.now();
    if (shown !== undefined && same(shown, next)) return;
    shown = next;
    onChange(next);
  };
  show(progressOf(bus, warmupSteps));
  const unsubscribe = bus.subscribe((snapshot) => {
    const next = warmupProgress(snapshot.step, warmupSteps);
    if (shown !== undefined && same(shown, next)) {
      cancel();
      return;
    }
    const waited = clock.now() - shownAt;
    const boundary = next === null || shown === null;
    if (boundary || waited >= WARMUP_REFRESH_MS) {
      show(next);
      return;
    }
    cancel();
    timer = clock.setTimeout(() => show(next), WARMUP_REFRESH_MS - waited);
  });
  return () => {
    unsubscribe();
    cancel();
  };
}

export function useWarmupProgress(bus: SnapshotBus, warmupSteps: number): WarmupProgress | null {
  const [progress, setProgress] = useState<WarmupProgress | null>(() => progressOf(bus, warmupSteps));
  useEffect(() => followWarmup(bus, warmupSteps, (next) => setProgress((previous) => (same(previous, next) ? previous : next))), [bus, warmupSteps]);
  return progress;
}
