/**
 * The frame's side of the slide-deck API: commands from the host page drive the run
 * through the same controls the page's buttons use, and the run answers with state
 * events. While training, events go out at most a few times a second, but the last one
 * is never dropped (a trailing post), so a host sees where a `step` command ended.
 */
import { useCallback, useEffect, useRef } from 'react';
import { runLetter } from '../core/compare';
import type { Params } from '../core/schema';
import { PANEL_NAMES, type PanelName, type ThemeName } from '../core/urlState';
import type { PanelSnapshot } from '../panels/types';
import { exportFailureMessage } from './download';
import { type EmbedRecordRequest, installEmbedApi, postToParent, recordedEvent, recordErrorEvent, recordProgressEvent, stateEvent, type EmbedStateEvent } from './embedApi';
import { type RecordSpec, recordRun } from './record/recordRun';
import { isComparing } from './runList';
import type { TimelineController } from './timeline/timelineController';
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

/** Recording progress goes to the host at most this often (and always at the end). */
export const RECORD_PROGRESS_INTERVAL_MS = 200;

/**
 * A host's record request with the page's defaults filled in: the panels the frame shows
 * (in the page's order), 720p, 30 fps, one frame per kept frame, the frame's own theme,
 * a caption, and the whole kept history.
 */
export function recordSpecOf(request: EmbedRecordRequest, pagePanels: readonly PanelName[], pageTheme: ThemeName): RecordSpec {
  const panels = request.panels ?? (pagePanels.length > 0 ? pagePanels : ['circle']);
  return {
    panels: PANEL_NAMES.filter((name) => panels.includes(name)),
    format: request.format,
    size: request.size ?? '720p',
    fps: request.fps ?? 30,
    stepsPerFrame: request.stepsPerFrame ?? null,
    theme: request.theme ?? pageTheme,
    caption: request.caption ?? true,
    from: request.from ?? null,
    to: request.to ?? null,
  };
}

export function useEmbedBridge(frames: FrameFeed, controls: TrainingControls, timeline?: TimelineController, theme: ThemeName = 'light', pagePanels: readonly PanelName[] = PANEL_NAMES): void {
  const trailingTimer = useRef<number | null>(null);
  const lastPostAt = useRef(0);
  // Read when a record command arrives, so a theme change does not reinstall the listener.
  const recordContext = useRef({ timeline, theme, pagePanels });
  recordContext.current = { timeline, theme, pagePanels };
  const recording = useRef<AbortController | null>(null);

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
          record: (request) => {
            const context = recordContext.current;
            if (!context.timeline) {
              postToParent(window, recordErrorEvent(request.id, 'This page cannot record.'));
              return;
            }
            if (recording.current) {
              postToParent(window, recordErrorEvent(request.id, 'A recording is already being made: wait for it to finish, or send cancelRecord.'));
              return;
            }
            const abort = new AbortController();
            recording.current = abort;
            void recordForHost(request, recordSpecOf(request, context.pagePanels, context.theme), context.timeline, controls, abort.signal).finally(() => {
              if (recording.current === abort) recording.current = null;
            });
          },
          cancelRecord: () => recording.current?.abort(),
        },
        () => controls.getRunList().runs.length,
      ),
    [controls, postState],
  );

  useEffect(() => () => recording.current?.abort(), []);
}

/** Records for the host: progress events (at most every RECORD_PROGRESS_INTERVAL_MS), then the file or one sentence. */
async function recordForHost(request: EmbedRecordRequest, spec: RecordSpec, timeline: TimelineController, controls: TrainingControls, signal: AbortSignal): Promise<void> {
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  try {
    const file = await recordRun(spec, timeline, controls, {
      signal,
      onProgress: ({ encoded, total, fraction }) => {
        const now = performance.now();
        if (encoded < total && now - lastProgressAt < RECORD_PROGRESS_INTERVAL_MS) return;
        lastProgressAt = now;
        postToParent(window, recordProgressEvent(request.id, encoded, total, fraction));
      },
    });
    postToParent(window, recordedEvent(request.id, file));
  } catch (error) {
    const cancelled = error instanceof DOMException && error.name === 'AbortError';
    postToParent(window, recordErrorEvent(request.id, cancelled ? 'The recording was cancelled.' : exportFailureMessage(error, 'The recording failed: reload the page and try again.')));
  }
}
