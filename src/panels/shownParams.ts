/**
 * The settings a panel draws its margins from. Live, they are the run's current settings,
 * so a slider redraws Fig. 4's ψ and Fig. 5's boundaries at once. A kept frame (the
 * timeline scrubbed back, a replay, a recording) was trained with the settings of its own
 * step, and the sliders may have moved since: the curves then follow the frame, so the
 * picture is the one the class saw at that step, histogram and margin together.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Params } from '../core/schema';
import type { SnapshotBus } from './snapshotBus';
import type { PanelRun, PanelSnapshot } from './types';

/** The settings a worker frame carries (SessionFrame runs do; a test's bare snapshot may not). */
export function snapshotParams(snapshot: PanelSnapshot | null): Params | null {
  if (!snapshot || !('params' in snapshot)) return null;
  const params = (snapshot as PanelSnapshot & { params?: Params }).params;
  return params ?? null;
}

export function sameParams(a: Params | null, b: Params | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a) as (keyof Params)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

/** The settings to draw a run with: a kept frame's own, when the bus shows one that differs. */
export function paramsAsShown(live: Params, bus: Pick<SnapshotBus, 'showingPast' | 'latest'>): Params | null {
  if (!bus.showingPast) return null;
  const past = snapshotParams(bus.latest);
  return past && !sameParams(past, live) ? past : null;
}

/** A run's bus and the kept frame's settings it shows (null: draw the run's own). */
interface ShownSettings {
  bus: SnapshotBus;
  params: Params | null;
}

function shownSettings(runs: readonly PanelRun[]): ShownSettings[] {
  return runs.map((run) => ({ bus: run.bus, params: paramsAsShown(run.params, run.bus) }));
}

/**
 * `runs`, each with the settings its shown frame was trained with. It re-renders only
 * when those differ from the last shown (a scrub across a slider move), never per frame.
 */
export function useRunsAsShown(runs: readonly PanelRun[]): readonly PanelRun[] {
  const [shown, setShown] = useState<readonly ShownSettings[]>(() => shownSettings(runs));
  const shownRef = useRef(shown);
  useEffect(() => {
    const update = (): void => {
      const next = shownSettings(runs);
      const before = shownRef.current;
      if (next.length === before.length && next.every((entry, index) => entry.bus === before[index].bus && sameParams(entry.params, before[index].params))) return;
      shownRef.current = next;
      setShown(next);
    };
    update();
    const unsubscribes = runs.map((run) => run.bus.subscribe(update));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [runs]);
  return useMemo(
    () =>
      runs.map((run) => {
        // Settings kept for another run list (the runs were just replaced) do not apply.
        const params = shown.find((entry) => entry.bus === run.bus)?.params ?? null;
        return params ? { ...run, params } : run;
      }),
    [runs, shown],
  );
}
