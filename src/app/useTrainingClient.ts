/**
 * One training run: its worker, the snapshot bus its panels paint from, and the actions
 * the controls, the keyboard and an embedding host call. The per-frame path (the worker's
 * snapshot → the status line and the bus) writes to the DOM through refs and never sets
 * React state; state changes only on what a person or a host does.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { withPreset } from '../core/presets';
import { SCHEMA, type Params } from '../core/schema';
import type { WorkerSnapshot } from '../core/snapshot';
import type { BackendInfo, BackendRequest } from '../train/backend';
import { SnapshotBus } from '../panels/snapshotBus';
import { installDebugHooks } from './debugHooks';
import { TrainingClient } from './trainingClient';
import type { HideableRun } from './usePauseWhenHidden';

/** How a run starts, and what "reset to link" returns it to. */
export interface RunSettings {
  params: Params;
  playing: boolean;
  stepsPerFrame: number;
  /** Train to this step and pause, as a pinned share link asks; null or 0 trains from step 0 on. */
  steps: number | null;
}

interface WorkerSettings {
  backend: BackendRequest;
  fused: boolean;
  /** Expose window.__arcfaceDebug for the tests and the benchmark; one run per page may. */
  debugHooks: boolean;
}

export interface Divergence {
  step: number;
  lastGoodStep: number;
}

/** The status line's spans, written every frame without a React render. */
interface StatusRefs {
  step: RefObject<HTMLSpanElement | null>;
  loss: RefObject<HTMLSpanElement | null>;
  accuracy: RefObject<HTMLSpanElement | null>;
}

/** Stable for the run's lifetime, so callbacks and effects built on them never go stale. */
export interface TrainingControls {
  getParams(): Params;
  isPlaying(): boolean;
  changeParams(next: Params): void;
  choosePreset(id: string): void;
  setPlaying(on: boolean): void;
  togglePlay(): void;
  step(count: number): void;
  reset(): void;
  lowerLearningRateAndRestart(): void;
  changeSpeed(stepsPerFrame: number): void;
  /** A fresh run with these settings, as if the page had just loaded with them. */
  restart(settings: RunSettings): void;
}

interface TrainingRun {
  bus: SnapshotBus;
  params: Params;
  playing: boolean;
  stepsPerFrame: number;
  backend: BackendInfo | null;
  divergence: Divergence | null;
  status: StatusRefs;
  controls: TrainingControls;
  /** For the hidden-tab logic: pauses the worker without changing what the play button shows. */
  hideable: HideableRun;
}

/** The status line's text for a snapshot; a loss that is not a finite number shows as a dash. */
export function statusText(snapshot: Pick<WorkerSnapshot, 'step' | 'loss' | 'trainAccuracy'>): { step: string; loss: string; accuracy: string } {
  return {
    step: String(snapshot.step),
    loss: Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(4) : '–',
    accuracy: `${(snapshot.trainAccuracy * 100).toFixed(1)}%`,
  };
}

/** A tenth of the learning rate, to three significant digits, never below the schema's minimum. */
export function loweredLearningRate(params: Params): Params {
  return { ...params, lr: Math.max(SCHEMA.lr.min, Number((params.lr / 10).toPrecision(3))) };
}

function trainsToPinnedStep(steps: number | null): steps is number {
  return steps !== null && steps > 0;
}

/**
 * Starts the worker once, with the first render's settings; later changes go through the
 * controls. `onNotice` receives the worker's notices and errors, one sentence each.
 */
export function useTrainingClient(initial: RunSettings, worker: WorkerSettings, onNotice: (message: string) => void): TrainingRun {
  const [start] = useState(() => ({ run: initial, worker }));
  const bus = useMemo(() => new SnapshotBus(), []);
  const clientRef = useRef<TrainingClient | null>(null);
  const stepRef = useRef<HTMLSpanElement | null>(null);
  const lossRef = useRef<HTMLSpanElement | null>(null);
  const accuracyRef = useRef<HTMLSpanElement | null>(null);
  const [params, setParams] = useState<Params>(start.run.params);
  const [playing, setPlayingState] = useState(start.run.playing);
  const [stepsPerFrame, setStepsPerFrame] = useState(start.run.stepsPerFrame);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [divergence, setDivergence] = useState<Divergence | null>(null);

  // Refs mirror the latest state so the controls stay stable and never send to the
  // worker from inside a state updater (StrictMode runs those twice).
  const paramsRef = useRef(params);
  const playingRef = useRef(playing);
  const onNoticeRef = useRef(onNotice);
  useEffect(() => { onNoticeRef.current = onNotice; }, [onNotice]);

  useEffect(() => {
    const draw = (snapshot: WorkerSnapshot): void => {
      const text = statusText(snapshot);
      if (stepRef.current) stepRef.current.textContent = text.step;
      if (lossRef.current) lossRef.current.textContent = text.loss;
      if (accuracyRef.current) accuracyRef.current.textContent = text.accuracy;
      bus.publish(snapshot);
    };
    const notify = (message: string): void => onNoticeRef.current(message);
    const client = new TrainingClient({
      draw,
      backend: setBackend,
      notice: notify,
      error: notify,
      diverged: (step, lastGoodStep) => {
        playingRef.current = false;
        setPlayingState(false);
        setDivergence({ step, lastGoodStep });
      },
    });
    clientRef.current = client;
    client.init(paramsRef.current, start.worker.backend, playingRef.current, start.run.stepsPerFrame, start.worker.fused);
    if (start.worker.debugHooks) installDebugHooks(client);
    if (trainsToPinnedStep(start.run.steps)) client.step(start.run.steps);
    return () => client.dispose();
  }, [bus, start]);

  const controls = useMemo((): TrainingControls => {
    const changeParams = (next: Params): void => {
      paramsRef.current = next;
      setParams(next);
      clientRef.current?.setParams(next);
    };
    const setPlaying = (on: boolean): void => {
      playingRef.current = on;
      setPlayingState(on);
      if (on) clientRef.current?.play();
      else clientRef.current?.pause();
    };
    const reset = (): void => {
      setDivergence(null);
      clientRef.current?.reset();
    };
    const changeSpeed = (next: number): void => {
      setStepsPerFrame(next);
      clientRef.current?.setSpeed(next);
    };
    return {
      getParams: () => paramsRef.current,
      isPlaying: () => playingRef.current,
      changeParams,
      choosePreset: (id) => changeParams(withPreset(paramsRef.current, id)),
      setPlaying,
      togglePlay: () => setPlaying(!playingRef.current),
      step: (count) => {
        setPlaying(false);
        clientRef.current?.step(count);
      },
      reset,
      lowerLearningRateAndRestart: () => {
        changeParams(loweredLearningRate(paramsRef.current));
        reset();
        setPlaying(true);
      },
      changeSpeed,
      restart: (settings) => {
        changeParams(settings.params);
        changeSpeed(settings.stepsPerFrame);
        const client = clientRef.current;
        if (!client) return;
        setPlaying(settings.playing);
        client.reset();
        if (trainsToPinnedStep(settings.steps)) client.step(settings.steps);
      },
    };
  }, []);

  const hideable = useMemo((): HideableRun => ({
    isPlaying: () => playingRef.current,
    pause: () => clientRef.current?.pause(),
    play: () => clientRef.current?.play(),
    setBackground: (on) => clientRef.current?.setBackground(on),
  }), []);

  const status = useMemo((): StatusRefs => ({ step: stepRef, loss: lossRef, accuracy: accuracyRef }), []);

  return { bus, params, playing, stepsPerFrame, backend, divergence, status, controls, hideable };
}
