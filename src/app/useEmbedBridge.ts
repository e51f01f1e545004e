/**
 * The frame's side of the slide-deck API: commands from the host page drive the run
 * through the same controls the page's buttons use, and the run answers with state
 * events. While training, events go out at most a few times a second, but the last one
 * is never dropped (a trailing post), so a host sees where a `step` command ended.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Params } from '../core/schema';
import type { PanelSnapshot } from '../panels/types';
import type { SnapshotBus } from '../panels/snapshotBus';
import { installEmbedApi, postToParent, stateEvent, type EmbedStateEvent } from './embedApi';
import type { TrainingControls } from './useTrainingClient';

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

/** The state event for the newest drawn snapshot; before the first one, step 0 with no loss. */
export function snapshotStateEvent(latest: Pick<PanelSnapshot, 'step' | 'loss' | 'trainAccuracy'> | null, playing: boolean, params: Params): EmbedStateEvent {
  return stateEvent({ step: latest?.step ?? 0, loss: latest?.loss ?? Number.NaN, accuracy: latest?.trainAccuracy ?? 0, playing, params });
}

function isEmbedded(): boolean {
  return window.parent !== window;
}

export function useEmbedBridge(bus: SnapshotBus, controls: TrainingControls): void {
  const trailingTimer = useRef<number | null>(null);
  const lastPostAt = useRef(0);

  const postState = useCallback((immediately: boolean) => {
    if (!isEmbedded()) return;
    const send = (): void => {
      trailingTimer.current = null;
      lastPostAt.current = performance.now();
      postToParent(window, snapshotStateEvent(bus.latest, controls.isPlaying(), controls.getParams()));
    };
    const timing = statePostTiming(immediately, performance.now() - lastPostAt.current, trailingTimer.current !== null);
    if (timing.kind === 'now') {
      if (trailingTimer.current !== null) window.clearTimeout(trailingTimer.current);
      send();
    } else if (timing.kind === 'later') {
      trailingTimer.current = window.setTimeout(send, timing.delayMs);
    }
  }, [bus, controls]);

  // Every drawn frame may be news to the host; off-frame there is nothing to say.
  useEffect(() => {
    if (!isEmbedded()) return undefined;
    const unsubscribe = bus.subscribe(() => postState(false));
    return () => {
      unsubscribe();
      if (trailingTimer.current !== null) window.clearTimeout(trailingTimer.current);
      trailingTimer.current = null;
    };
  }, [bus, postState]);

  // Each command answers with a state event, so a host can wait for it.
  useEffect(() => installEmbedApi(window, {
    setParams: (partial) => { controls.changeParams({ ...controls.getParams(), ...partial }); postState(true); },
    setPreset: (id) => { controls.choosePreset(id); postState(true); },
    play: () => { controls.setPlaying(true); postState(true); },
    pause: () => { controls.setPlaying(false); postState(true); },
    reset: () => { controls.reset(); postState(true); },
    step: (count) => { controls.step(count); postState(true); },
  }), [controls, postState]);
}
