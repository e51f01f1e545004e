import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { withPreset } from '../core/cliArgs';
import { DEFAULT_PRESET_ID, matchPreset } from '../core/presets';
import { defaultParams, type Params } from '../core/schema';
import { isBackendName, type BackendInfo, type BackendRequest } from '../train/backend';
import type { WorkerSnapshot } from '../train/protocol';
import { CirclePanel } from '../panels/CirclePanel';
import { LogitPanel } from '../panels/LogitPanel';
import { MarginPanel } from '../panels/MarginPanel';
import { StatsPanel } from '../panels/StatsPanel';
import { TrainingPanel } from '../panels/TrainingPanel';
import { SnapshotBus } from '../panels/snapshotBus';
import { DARK_THEME, LIGHT_THEME, type PanelTheme } from '../panels/types';
import { Controls } from './Controls';
import { Formula } from './Formula';
import { PanelSlot } from './PanelSlot';
import { TrainingClient } from './trainingClient';

function requestedBackend(search: string): BackendRequest {
  const value = new URLSearchParams(search).get('backend') ?? 'auto';
  return isBackendName(value) ? value : 'auto';
}

const INITIAL_SPEED = 4;

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Keys that belong to a focused control, not to the page's shortcuts. */
function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName));
}

export function App() {
  const bus = useMemo(() => new SnapshotBus(), []);
  const clientRef = useRef<TrainingClient | null>(null);
  const stepRef = useRef<HTMLSpanElement | null>(null);
  const lossRef = useRef<HTMLSpanElement | null>(null);
  const accuracyRef = useRef<HTMLSpanElement | null>(null);
  const [params, setParams] = useState<Params>(() => withPreset(defaultParams(), DEFAULT_PRESET_ID));
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const [playing, setPlaying] = useState(true);
  const [stepsPerFrame, setStepsPerFrame] = useState(INITIAL_SPEED);
  const [dark, setDark] = useState(prefersDark);
  const theme: PanelTheme = dark ? DARK_THEME : LIGHT_THEME;
  const presetId = matchPreset(params)?.id ?? 'custom';
  // Refs mirror the latest state so the callbacks below stay stable and never send to
  // the worker from inside a state updater (StrictMode runs those twice).
  const paramsRef = useRef(params);
  const playingRef = useRef(playing);

  useEffect(() => {
    const draw = (snapshot: WorkerSnapshot): void => {
      if (stepRef.current) stepRef.current.textContent = String(snapshot.step);
      if (lossRef.current) lossRef.current.textContent = Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(4) : '–';
      if (accuracyRef.current) accuracyRef.current.textContent = `${(snapshot.trainAccuracy * 100).toFixed(1)}%`;
      bus.publish(snapshot);
    };
    const client = new TrainingClient({
      draw,
      backend: setBackend,
      notice: (message) => setNotices((list) => [...list, message]),
      error: (message) => setNotices((list) => [...list, message]),
    });
    clientRef.current = client;
    // The worker starts once, with the first params; later changes go through setParams.
    client.init(paramsRef.current, requestedBackend(window.location.search), true, INITIAL_SPEED);
    return () => client.dispose();
  }, [bus]);


  const changeParams = useCallback((next: Params) => {
    paramsRef.current = next;
    setParams(next);
    clientRef.current?.setParams(next);
  }, []);

  const choosePreset = useCallback((id: string) => changeParams(withPreset(paramsRef.current, id)), [changeParams]);

  const setPlayingState = useCallback((next: boolean) => {
    playingRef.current = next;
    setPlaying(next);
    if (next) clientRef.current?.play();
    else clientRef.current?.pause();
  }, []);
  const togglePlay = useCallback(() => setPlayingState(!playingRef.current), [setPlayingState]);
  const step = useCallback((count: number) => {
    setPlayingState(false);
    clientRef.current?.step(count);
  }, [setPlayingState]);
  const reset = useCallback(() => clientRef.current?.reset(), []);
  const changeSpeed = useCallback((speed: number) => {
    setStepsPerFrame(speed);
    clientRef.current?.setSpeed(speed);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTypingTarget(event.target)) return;
      if (event.key === ' ') { event.preventDefault(); togglePlay(); }
      else if (event.key === 'ArrowRight') { event.preventDefault(); step(1); }
      else if (event.key === 'r' || event.key === 'R') { event.preventDefault(); reset(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, step, reset]);

  return (
    <div className="app" data-theme={theme.name}>
      <header className="app-header">
        <h1>ArcFace Playground</h1>
        <Formula params={params} />
        <p className="status" aria-live="off">
          <span title={backend?.reason}>backend <strong data-testid="status-backend">{backend ? backend.name : 'starting…'}</strong></span>
          {' · '}step <span data-testid="status-step" ref={stepRef}>0</span>
          {' · '}loss <span data-testid="status-loss" ref={lossRef}>–</span>
          {' · '}accuracy <span data-testid="status-accuracy" ref={accuracyRef}>–</span>
          {' · '}<span data-testid="status-preset">{presetId === 'custom' ? 'custom' : matchPreset(params)?.label}</span>
        </p>
        <button type="button" className="theme-toggle" onClick={() => setDark(!dark)} aria-label={`Switch to ${dark ? 'light' : 'dark'} theme`}>{dark ? '☀' : '☾'}</button>
      </header>
      {backend && <p className="backend-reason" data-testid="backend-reason">{backend.reason}</p>}
      {notices.length > 0 && (
        <ul className="notices" role="status">
          {notices.map((notice, index) => (
            <li key={index}>{notice} <button type="button" aria-label="Dismiss" onClick={() => setNotices((list) => list.filter((_, i) => i !== index))}>×</button></li>
          ))}
        </ul>
      )}
      <main className="layout">
        <Controls params={params} presetId={presetId} playing={playing} stepsPerFrame={stepsPerFrame}
          onParams={changeParams} onPreset={choosePreset} onPlay={togglePlay} onStep={step} onReset={reset} onSpeed={changeSpeed} />
        <PanelSlot area="circle" panel={CirclePanel} params={params} theme={theme} bus={bus} />
        <PanelSlot area="logit" panel={LogitPanel} params={params} theme={theme} bus={bus} />
        <PanelSlot area="margin" panel={MarginPanel} params={params} theme={theme} bus={bus} />
        <PanelSlot area="training" panel={TrainingPanel} params={params} theme={theme} bus={bus} />
        <PanelSlot area="stats" panel={StatsPanel} params={params} theme={theme} bus={bus} />
      </main>
    </div>
  );
}
