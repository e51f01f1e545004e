/**
 * The training session: its worker, the runs (one in single mode, 2 to 4 in compare
 * mode), each with the snapshot bus its panels paint from, and the actions the controls,
 * the keyboard and an embedding host call. The per-frame path (the worker's frame → the
 * status line and each run's bus) writes to the DOM through refs and never sets React
 * state; state changes only on what a person or a host does.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { runLetter, type CompareRun } from '../core/compare';
import { SCHEMA, type Params } from '../core/schema';
import { runWithFrameFields, type SessionFrame, type WorkerSnapshot } from '../core/snapshot';
import type { BackendInfo, BackendRequest } from '../train/backend';
import type { DatasetStatus } from '../train/protocol';
import type { SnapshotBus } from '../panels/snapshotBus';
import { installDebugHooks } from './debugHooks';
import { ReplayBus, showOnBus } from './timeline/replayBus';
import { TimelineController } from './timeline/timelineController';
import { addRun, changeRunParams, chooseRunPreset, isComparing, removeRun, runListOf, selectRun, selectedRun, startComparing, stopComparing, type RunList } from './runList';
import { TrainingClient, type TrainingListeners } from './trainingClient';
import type { HideableRun } from './usePauseWhenHidden';

/** How a session starts, and what "reset to link" returns it to. */
export interface RunSettings {
  /** The shared settings, which in single mode are the one run's. */
  params: Params;
  /** A comparison's runs on `params`, or null for single mode. */
  compare: readonly CompareRun[] | null;
  playing: boolean;
  stepsPerFrame: number;
  /** Train to this step and pause, as a pinned share link asks; null or 0 trains from step 0 on. */
  steps: number | null;
  /** The timeline range to show once training reaches its end (a link's `replay=FROM-TO`). */
  replay?: { from: number; to: number } | null;
}

interface WorkerSettings {
  backend: BackendRequest;
  fused: boolean;
  /** Expose window.__arcfaceDebug for the tests and the benchmark; one session per page may. */
  debugHooks: boolean;
}

export interface Divergence {
  step: number;
  lastGoodStep: number;
  /** Which run went non-finite, in compare mode; null in single mode, where there is only one. */
  run: { letter: string; label: string } | null;
}

/** The status line's spans, written every frame without a React render. */
interface StatusRefs {
  step: RefObject<HTMLSpanElement | null>;
  loss: RefObject<HTMLSpanElement | null>;
  accuracy: RefObject<HTMLSpanElement | null>;
}

/** Stable for the session's lifetime, so callbacks and effects built on them never go stale. */
export interface TrainingControls {
  /** The selected run's params: what the controls show. */
  getParams(): Params;
  getRunList(): RunList;
  isPlaying(): boolean;
  /** Run `run`'s new params (the selected run when omitted); shared settings move every run. */
  changeParams(next: Params, run?: number): void;
  choosePreset(id: string, run?: number): void;
  selectRun(index: number): void;
  /** Compare mode on (the current run against a partner) or off (the selected run alone); all runs restart. */
  setComparing(on: boolean): void;
  addRun(): void;
  removeRun(index: number): void;
  setPlaying(on: boolean): void;
  togglePlay(): void;
  step(count: number): void;
  reset(): void;
  lowerLearningRateAndRestart(): void;
  changeSpeed(stepsPerFrame: number): void;
  /** A fresh session with these settings, as if the page had just loaded with them. */
  restart(settings: RunSettings): void;
}

/** Drawn frames, for what must hear every one (the embed's state events) without a React render. */
export interface FrameFeed {
  latest(): SessionFrame | null;
  subscribe(listener: (frame: SessionFrame) => void): () => void;
}

interface TrainingSessionView {
  runList: RunList;
  /** The selected run's params. */
  params: Params;
  playing: boolean;
  stepsPerFrame: number;
  backend: BackendInfo | null;
  divergence: Divergence | null;
  status: StatusRefs;
  controls: TrainingControls;
  /** For the hidden-tab logic: pauses the worker without changing what the play button shows. */
  hideable: HideableRun;
  frames: FrameFeed;
  /** The drawn frames of the current runs, for the scrubber and replay. */
  timeline: TimelineController;
  /** The digits asset's loading, while it loads (null otherwise, and always for the synthetic data). */
  dataset: Extract<DatasetStatus, { state: 'loading' }> | null;
}

/**
 * The run list after the worker gave up on the digits: every run back on the synthetic
 * data, as the worker already is, so the controls and the link say what trains.
 */
export function withSyntheticData(list: RunList): RunList {
  const selected = list.runs[list.selected];
  if (selected?.params.data !== 'digits') return list;
  return changeRunParams(list, list.selected, { ...selected.params, data: 'synthetic' });
}

/** The status line's text for a snapshot; a loss that is not a finite number shows as a dash. */
/**
 * Six characters, the room the status keeps for it (app.css): four decimals below 10, and
 * five significant digits above, where the early loss at s = 64 starts (53.413, not 53.4126,
 * which widened the status and moved the header's wrap for the first frames).
 */
function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return '–';
  const fixed = loss.toFixed(4);
  return fixed.length <= 6 ? fixed : loss.toPrecision(5);
}

export function statusText(snapshot: Pick<WorkerSnapshot, 'step' | 'loss' | 'trainAccuracy'>): { step: string; loss: string; accuracy: string } {
  return {
    step: String(snapshot.step),
    loss: formatLoss(snapshot.loss),
    accuracy: `${(snapshot.trainAccuracy * 100).toFixed(1)}%`,
  };
}

/** A tenth of the learning rate, to three significant digits, never below the schema's minimum. */
export function loweredLearningRate(params: Params): Params {
  return { ...params, lr: Math.max(SCHEMA.lr.min, Number((params.lr / 10).toPrecision(3))) };
}

/**
 * Whether a frame belongs to the runs the page has now. A frame still on its way when the
 * runs were replaced (compare on or off, a run added or removed) holds the old runs: its
 * run count differs, or its generation is one the page had seen before it asked for the
 * new runs (the worker starts a new generation for them). Drawing it would put one run's
 * picture on another's bus.
 */
export function frameFitsRuns(frame: Pick<SessionFrame, 'runs' | 'generation'>, runCount: number, staleThroughGeneration: number): boolean {
  return frame.runs.length === runCount && frame.generation > staleThroughGeneration;
}

function trainsToPinnedStep(steps: number | null): steps is number {
  return steps !== null && steps > 0;
}

// A bus that can show a kept past frame, for the timeline.
const newBus = (): SnapshotBus => new ReplayBus();

/**
 * Starts the worker once, with the first render's settings; later changes go through the
 * controls. `onNotice` receives the worker's notices and errors, one sentence each.
 */
export function useTrainingClient(initial: RunSettings, worker: WorkerSettings, onNotice: (message: string) => void): TrainingSessionView {
  const [start] = useState(() => ({ run: initial, worker, list: runListOf(initial.params, initial.compare, newBus) }));
  const clientRef = useRef<TrainingClient | null>(null);
  const stepRef = useRef<HTMLSpanElement | null>(null);
  const lossRef = useRef<HTMLSpanElement | null>(null);
  const accuracyRef = useRef<HTMLSpanElement | null>(null);
  const [runList, setRunListState] = useState<RunList>(start.list);
  const [playing, setPlayingState] = useState(start.run.playing);
  const [stepsPerFrame, setStepsPerFrame] = useState(start.run.stepsPerFrame);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [timeline] = useState(() => new TimelineController(initial.replay ?? null));
  const [divergence, setDivergence] = useState<Divergence | null>(null);
  const [dataset, setDataset] = useState<TrainingSessionView['dataset']>(null);

  // Refs mirror the latest state so the controls stay stable and never send to the
  // worker from inside a state updater (StrictMode runs those twice).
  const runListRef = useRef(runList);
  const playingRef = useRef(playing);
  const onNoticeRef = useRef(onNotice);
  useEffect(() => {
    onNoticeRef.current = onNotice;
  }, [onNotice]);
  /** What the draw path knows of frames: the newest drawn, and which generations are stale. */
  const seen = useRef({ latest: null as SessionFrame | null, generation: -1, staleThrough: -1 });
  const frameListeners = useMemo(() => new Set<(frame: SessionFrame) => void>(), []);

  const frames = useMemo(
    (): FrameFeed => ({
      latest: () => seen.current.latest,
      subscribe: (listener) => {
        frameListeners.add(listener);
        return () => {
          frameListeners.delete(listener);
        };
      },
    }),
    [frameListeners],
  );

  /** The status line shows the session's step and the selected run's loss and accuracy. */
  const writeStatus = useCallback((frame: SessionFrame): void => {
    const run = frame.runs[runListRef.current.selected] ?? frame.runs[0];
    if (!run) return;
    const text = statusText({ step: frame.step, loss: run.loss, trainAccuracy: run.trainAccuracy });
    if (stepRef.current) stepRef.current.textContent = text.step;
    if (lossRef.current) lossRef.current.textContent = text.loss;
    if (accuracyRef.current) accuracyRef.current.textContent = text.accuracy;
  }, []);

  useEffect(() => {
    const draw = (frame: SessionFrame): void => {
      const { runs } = runListRef.current;
      if (!frameFitsRuns(frame, runs.length, seen.current.staleThrough)) return;
      seen.current.latest = frame;
      seen.current.generation = frame.generation;
      // Whether the worker was still playing when it made this frame: a pause has settled once
      // a frame says false (a test contract, like the panels' data-step; also in embed mode, which has no status line).
      document.documentElement.dataset.framePlaying = String(frame.playing);
      timeline.record(frame);
      // While a past frame is shown, the buses hold live frames back and the status line stays on the past step.
      if (!timeline.showingPast) writeStatus(frame);
      // Run 0 first, as the panels expect: a panel that shows every run repaints once all have published.
      runs.forEach((run, index) => {
        run.bus.publish(runWithFrameFields(frame, index));
      });
      for (const listener of frameListeners) listener(frame);
    };
    const notify = (message: string): void => onNoticeRef.current(message);
    // The notice of a failed load comes as a worker notice; this only follows the progress and the fallback.
    const datasetChanged = (status: DatasetStatus): void => {
      setDataset(status.state === 'loading' ? status : null);
      if (status.state !== 'failed') return;
      const next = withSyntheticData(runListRef.current);
      runListRef.current = next;
      setRunListState(next);
    };
    const listeners: TrainingListeners & { dataset(status: DatasetStatus): void } = {
      draw,
      backend: setBackend,
      notice: notify,
      error: notify,
      diverged: (step, lastGoodStep, run) => {
        const list = runListRef.current;
        playingRef.current = false;
        setPlayingState(false);
        setDivergence({ step, lastGoodStep, run: isComparing(list) ? { letter: runLetter(run), label: list.runs[run]?.label ?? '' } : null });
      },
      dataset: datasetChanged,
    };
    const client = new TrainingClient(listeners);
    clientRef.current = client;
    client.init(
      runListRef.current.runs.map((run) => run.params),
      start.worker.backend,
      playingRef.current,
      start.run.stepsPerFrame,
      start.worker.fused,
    );
    if (start.worker.debugHooks) installDebugHooks(client);
    if (trainsToPinnedStep(start.run.steps)) client.step(start.run.steps);
    return () => {
      client.dispose();
      timeline.stopReplay();
    };
  }, [start, frameListeners, writeStatus, timeline]);

  const controls = useMemo((): TrainingControls => {
    const setRunList = (next: RunList): void => {
      runListRef.current = next;
      setRunListState(next);
    };
    /** New runs for the worker: every run starts again, and frames of the old runs in flight are dropped. */
    const replaceRuns = (next: RunList): void => {
      timeline.clear();
      setRunList(next);
      setDivergence(null);
      seen.current.staleThrough = seen.current.generation;
      seen.current.latest = null;
      clientRef.current?.setRuns(next.runs.map((run) => run.params));
    };
    const changeParamsOf = (run: number, update: (list: RunList) => RunList): void => {
      const list = runListRef.current;
      const next = update(list);
      if (next === list) return;
      setRunList(next);
      clientRef.current?.setRunParams(run, next.runs[run].params);
    };
    const setPlaying = (on: boolean): void => {
      // Play while a past step is shown goes back to live first.
      if (on) timeline.live();
      playingRef.current = on;
      setPlayingState(on);
      if (on) clientRef.current?.play();
      else clientRef.current?.pause();
    };
    const reset = (): void => {
      timeline.live(false);
      setDivergence(null);
      clientRef.current?.reset();
    };
    const changeSpeed = (next: number): void => {
      setStepsPerFrame(next);
      clientRef.current?.setSpeed(next);
    };
    const changeParams = (next: Params, run = runListRef.current.selected): void => changeParamsOf(run, (list) => changeRunParams(list, run, next));
    return {
      getParams: () => selectedRun(runListRef.current).params,
      getRunList: () => runListRef.current,
      isPlaying: () => playingRef.current,
      changeParams,
      choosePreset: (id, run = runListRef.current.selected) => changeParamsOf(run, (list) => chooseRunPreset(list, run, id)),
      selectRun: (index) => {
        const list = runListRef.current;
        const next = selectRun(list, index);
        if (next === list) return;
        setRunList(next);
        // Paused, no frame may come for a while: show the newly selected run's numbers now.
        const latest = seen.current.latest;
        if (latest) writeStatus(latest);
      },
      setComparing: (on) => {
        const list = runListRef.current;
        const next = on ? startComparing(list, newBus) : stopComparing(list);
        if (next !== list) replaceRuns(next);
      },
      addRun: () => {
        const list = runListRef.current;
        const next = addRun(list, newBus);
        if (next !== list) replaceRuns(next);
      },
      removeRun: (index) => {
        const list = runListRef.current;
        const next = removeRun(list, index);
        if (next !== list) replaceRuns(next);
      },
      setPlaying,
      togglePlay: () => setPlaying(!playingRef.current),
      step: (count) => {
        timeline.live(false);
        setPlaying(false);
        clientRef.current?.step(count);
      },
      reset,
      lowerLearningRateAndRestart: () => {
        changeParams(loweredLearningRate(selectedRun(runListRef.current).params));
        reset();
        setPlaying(true);
      },
      changeSpeed,
      restart: (settings) => {
        replaceRuns(runListOf(settings.params, settings.compare, newBus));
        timeline.armRange(settings.replay ?? null);
        changeSpeed(settings.stepsPerFrame);
        const client = clientRef.current;
        if (!client) return;
        setPlaying(settings.playing);
        // Drops steps still queued by an earlier Step, so the pinned step is exactly the link's.
        client.reset();
        if (trainsToPinnedStep(settings.steps)) client.step(settings.steps);
      },
    };
  }, [writeStatus, timeline]);

  useEffect(() => {
    timeline.attach({
      show: (frame, past) => {
        const { runs } = runListRef.current;
        if (frame.runs.length !== runs.length) return;
        writeStatus(frame);
        runs.forEach((run, index) => {
          showOnBus(run.bus, runWithFrameFields(frame, index), past);
        });
      },
      isPlaying: () => playingRef.current,
      setPlaying: controls.setPlaying,
    });
  }, [timeline, controls, writeStatus]);

  const hideable = useMemo(
    (): HideableRun => ({
      isPlaying: () => playingRef.current,
      pause: () => clientRef.current?.pause(),
      play: () => clientRef.current?.play(),
      setBackground: (on) => clientRef.current?.setBackground(on),
    }),
    [],
  );

  const status = useMemo((): StatusRefs => ({ step: stepRef, loss: lossRef, accuracy: accuracyRef }), []);

  return { runList, params: selectedRun(runList).params, playing, stepsPerFrame, backend, divergence, status, controls, hideable, frames, timeline, dataset };
}
