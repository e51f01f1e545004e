/**
 * The frame's side of the slide-deck API: commands from the host page drive the run
 * through the same controls the page's buttons use, and the run answers with state
 * events. While training, events go out at most a few times a second, but the last one
 * is never dropped (a trailing post), so a host sees where a `step` command ended.
 */
import { useCallback, useEffect, useRef } from 'react';
import { runLetter } from '../core/compare';
import type { Params } from '../core/schema';
import type { PanelSnapshot } from '../panels/types';
import { installEmbedApi, postToParent, stateEvent, type EmbedStateEvent } from './embedApi';
import { isComparing } from './runList';
import type { FrameFeed, TrainingControls } from './useTrainingClient';

export const STATE_EVENT_INTERVAL_MS = 250;

type StatePostTiming =
  | { kind: 'now' }
  /** Schedule the trailing post. */
  | { kind: 'later'; delayMs: number }
  /** A trailing post is already scheduled and will carry the newest state. */
  | { kind: 'alreadyScheduled' };

/**
 * When to post a state event. A command's answer goes out at once; a frame's waits until
 * the interval since the last post has passed.
 */
export function statePostTiming(immediately: boolean, msSinceLastPost: number, trailingScheduled: boolean, intervalMs = STATE_EVENT_INTERVAL_MS): StatePostTiming {
  const wait = intervalMs - msSinceLastPost;
  if (immediately || wait <= 0) return { kind: 'now' };
  if (trailingScheduled) return { kind: 'alreadyScheduled' };
  return { kind: 'later', delayMs: wait };
}

type DrawnNumbers = Pick<PanelSnapshot, 'step' | 'loss' | 'trainAccuracy'>;

/** The state event for the newest drawn snapshot; before the first one, step 0 with no loss. */
export function snapshotStateEvent(latest: DrawnNumbers | null, playing: boolean, params: Params): EmbedStateEvent {
  return stateEvent({ step: latest?.step ?? 0, loss: latest?.loss ?? Number.NaN, accuracy: latest?.trainAccuracy ?? 0, playing, params });
}

/** What the state event reads of a run: its settings and the numbers its bus last drew. */
interface StateRun {
  label: string;
  params: Params;
  bus: { latest: DrawnNumbers | null };
}

/**
 * The state event for the page's runs: run A's numbers at the top level, as in single
 * mode, and in compare mode every run's in `runs`.
 */
export function runListStateEvent(list: { runs: readonly StateRun[] }, playing: boolean): EmbedStateEvent {
  const [first] = list.runs;
  const event = snapshotStateEvent(first.bus.latest, playing, first.params);
  if (!isComparing(list)) return event;
  const runs = list.runs.map((run, index) => ({
    letter: runLetter(index),
    label: run.label,
    params: run.params,
    loss: run.bus.latest?.loss ?? Number.NaN,
    accuracy: run.bus.latest?.trainAccuracy ?? 0,
  }));
  return stateEvent({ step: event.step, loss: first.bus.latest?.loss ?? Number.NaN, accuracy: event.accuracy, playing, params: first.params, runs });
}

function isEmbedded(): boolean {
  return window.parent !== window;
}

export function useEmbedBridge(frames: FrameFeed, controls: TrainingControls): void {
  const trailingTimer = useRef<number | null>(null);
  const lastPostAt = useRef(0);

  const postState = useCallback(
    (immediately: boolean) => {
      if (!isEmbedded()) return;
      const send = (): void => {
        trailingTimer.current = null;
        lastPostAt.current = performance.now();
        postToParent(window, runListStateEvent(controls.getRunList(), controls.isPlaying()));
      };
      const timing = statePostTiming(immediately, performance.now() - lastPostAt.current, trailingTimer.current !== null);
      if (timing.kind === 'now') {
        if (trailingTimer.current !== null) window.clearTimeout(trailingTimer.current);
        send();
      } else if (timing.kind === 'later') {
        trailingTimer.current = window.setTimeout(send, timing.delayMs);
      }
    },
    [controls],
  );

  // Every drawn frame may be news to the host; off-frame there is nothing to say.
  useEffect(() => {
    if (!isEmbedded()) return undefined;
    const unsubscribe = frames.subscribe(() => postState(false));
    return () => {
      unsubscribe();
      if (trailingTimer.current !== null) window.clearTimeout(trailingTimer.current);
      trailingTimer.current = null;
    };
  }, [frames, postState]);

  // Each command answers with a state event, so a host can wait for it. The run index
  // was checked against the runs the page had when the command arrived.
  useEffect(
    () =>
      installEmbedApi(
        window,
        {
          setParams: (partial, run) => {
            const target = controls.getRunList().runs[run];
            if (!target) return;
            controls.changeParams({ ...target.params, ...partial }, run);
            postState(true);
          },
          setPreset: (id, run) => {
            controls.choosePreset(id, run);
            postState(true);
          },
          play: () => {
            controls.setPlaying(true);
            postState(true);
          },
          pause: () => {
            controls.setPlaying(false);
            postState(true);
          },
          reset: () => {
            controls.reset();
            postState(true);
          },
          step: (count) => {
            controls.step(count);
            postState(true);
          },
        },
        () => controls.getRunList().runs.length,
      ),
    [controls, postState],
  );
}
