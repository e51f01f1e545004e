import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import { matchPreset, withPreset } from '../core/presets';
import { SCHEMA, type Params } from '../core/schema';
import { decodeUrlState, type HideableControl, type PanelName, type ThemeName, type UrlState } from '../core/urlState';
import type { BackendInfo } from '../train/backend';
import type { WorkerSnapshot } from '../train/protocol';
import { CirclePanel } from '../panels/CirclePanel';
import { LogitPanel } from '../panels/LogitPanel';
import { MarginPanel } from '../panels/MarginPanel';
import { StatsPanel } from '../panels/StatsPanel';
import { TrainingPanel } from '../panels/TrainingPanel';
import { SnapshotBus } from '../panels/snapshotBus';
import { DARK_THEME, LIGHT_THEME, PROJECTOR_THEME, type PanelProps, type PanelTheme } from '../panels/types';
import { Controls } from './Controls';
import { DataExportButtons } from './ExportButtons';
import { installEmbedApi, postToParent, stateEvent } from './embedApi';
import { Formula } from './Formula';
import { PanelSlot } from './PanelSlot';
import { ShareBar } from './ShareBar';
import { TrainingClient } from './trainingClient';
import { installDebugHooks } from './debugHooks';
import { useUrlSync } from './urlSync';
import { useElementSize } from './useElementSize';

const PANELS: Record<PanelName, ComponentType<PanelProps>> = {
  circle: CirclePanel,
  logit: LogitPanel,
  margin: MarginPanel,
  training: TrainingPanel,
  stats: StatsPanel,
};

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

function panelTheme(name: ThemeName | null): PanelTheme {
  const resolved = name ?? (prefersDark() ? 'dark' : 'light');
  return resolved === 'dark' ? DARK_THEME : resolved === 'projector' ? PROJECTOR_THEME : LIGHT_THEME;
}

const THEME_CYCLE: ThemeName[] = ['light', 'dark', 'projector'];
const STATE_EVENT_INTERVAL_MS = 250;

/** Keys that belong to a focused control, not to the page's shortcuts. */
function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName));
}

/** Below this a panel stops being readable; the embed scrolls rather than shrink further. */
const MIN_EMBED_CELL = { width: 280, height: 230 };

/**
 * Grid for n panels in an iframe: the column count that makes the smaller side of a cell
 * largest, and a minimum row height when the frame is too small to show all panels
 * readably (then it scrolls instead of cutting panels off).
 */
export function embedGrid(count: number, width: number, height: number): { columns: number; minRowHeight: number } {
  let columns = 1;
  let bestSide = 0;
  for (let candidate = 1; candidate <= count; candidate++) {
    const side = Math.min(width / candidate, height / Math.ceil(count / candidate));
    if (side > bestSide) { bestSide = side; columns = candidate; }
  }
  const fits = width / columns >= MIN_EMBED_CELL.width && height / Math.ceil(count / columns) >= MIN_EMBED_CELL.height;
  if (fits) return { columns, minRowHeight: 0 };
  return { columns: Math.max(1, Math.min(count, Math.floor(width / MIN_EMBED_CELL.width))), minRowHeight: MIN_EMBED_CELL.height };
}

export function App() {
  const link = useMemo(() => decodeUrlState(window.location.search), []);
  const bus = useMemo(() => new SnapshotBus(), []);
  const clientRef = useRef<TrainingClient | null>(null);
  const stepRef = useRef<HTMLSpanElement | null>(null);
  const lossRef = useRef<HTMLSpanElement | null>(null);
  const accuracyRef = useRef<HTMLSpanElement | null>(null);
  const [params, setParams] = useState<Params>(link.state.params);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [notices, setNotices] = useState<string[]>(() => (link.corrections.length > 0 ? [`This link had settings that could not be used as given: ${link.corrections.join('; ')}.`] : []));
  const [playing, setPlaying] = useState(link.state.steps === null && link.state.autoplay);
  const [stepsPerFrame, setStepsPerFrame] = useState(link.state.speed);
  const [themeName, setThemeName] = useState<ThemeName | null>(link.state.theme);
  const [divergence, setDivergence] = useState<{ step: number; lastGoodStep: number } | null>(null);
  const theme = panelTheme(themeName);
  const presetId = matchPreset(params)?.id ?? 'custom';
  const hidden = useMemo(() => new Set<HideableControl>(link.state.hide), [link]);
  const { embed, panels } = link.state;

  // Refs mirror the latest state so the callbacks below stay stable and never send to
  // the worker from inside a state updater (StrictMode runs those twice).
  const paramsRef = useRef(params);
  const playingRef = useRef(playing);

  const urlState: UrlState = { ...link.state, preset: presetId, params, speed: stepsPerFrame, theme: themeName };
  useUrlSync(urlState);

  /**
   * State events for a host page: at most a few a second while training, but the last
   * one is never dropped (a trailing post), so a host sees where a `step` command ended.
   */
  const stateTimer = useRef<number | null>(null);
  const lastStatePost = useRef(0);
  const postState = useCallback((immediately: boolean) => {
    if (window.parent === window) return;
    const send = (): void => {
      stateTimer.current = null;
      lastStatePost.current = performance.now();
      const latest = bus.latest;
      postToParent(window, stateEvent({ step: latest?.step ?? 0, loss: latest?.loss ?? Number.NaN, accuracy: latest?.trainAccuracy ?? 0, playing: playingRef.current, params: paramsRef.current }));
    };
    const wait = STATE_EVENT_INTERVAL_MS - (performance.now() - lastStatePost.current);
    if (immediately || wait <= 0) {
      if (stateTimer.current !== null) window.clearTimeout(stateTimer.current);
      send();
    } else if (stateTimer.current === null) {
      stateTimer.current = window.setTimeout(send, wait);
    }
  }, [bus]);

  useEffect(() => {
    const draw = (snapshot: WorkerSnapshot): void => {
      if (stepRef.current) stepRef.current.textContent = String(snapshot.step);
      if (lossRef.current) lossRef.current.textContent = Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(4) : '–';
      if (accuracyRef.current) accuracyRef.current.textContent = `${(snapshot.trainAccuracy * 100).toFixed(1)}%`;
      bus.publish(snapshot);
      postState(false);
    };
    const client = new TrainingClient({
      draw,
      backend: setBackend,
      notice: (message) => setNotices((list) => [...list, message]),
      error: (message) => setNotices((list) => [...list, message]),
      diverged: (step, lastGoodStep) => {
        playingRef.current = false;
        setPlaying(false);
        setDivergence({ step, lastGoodStep });
      },
    });
    clientRef.current = client;
    // The worker starts once, with the link's settings; later changes go through setParams.
    client.init(paramsRef.current, link.state.backend, playingRef.current, link.state.speed, link.state.fused);
    if (link.state.debug) installDebugHooks(client);
    if (link.state.steps !== null && link.state.steps > 0) client.step(link.state.steps);
    return () => client.dispose();
  }, [bus, link, postState]);

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
  const reset = useCallback(() => {
    setDivergence(null);
    clientRef.current?.reset();
  }, []);
  const lowerLearningRateAndReset = useCallback(() => {
    const current = paramsRef.current;
    changeParams({ ...current, lr: Math.max(SCHEMA.lr.min, Number((current.lr / 10).toPrecision(3))) });
    reset();
    setPlayingState(true);
  }, [changeParams, reset, setPlayingState]);

  // A hidden tab stops training (a laptop's battery matters more than a background demo),
  // unless an embed was told to autoplay: a slide deck may hide the frame until its slide.
  useEffect(() => {
    const keepRunning = embed && link.state.autoplay;
    let resumeOnShow = false;
    const onVisibility = (): void => {
      const client = clientRef.current;
      if (!client) return;
      if (document.hidden) {
        if (keepRunning) { client.setBackground(true); return; }
        resumeOnShow = playingRef.current;
        if (resumeOnShow) client.pause();
      } else {
        if (keepRunning) { client.setBackground(false); return; }
        if (resumeOnShow && playingRef.current) client.play();
        resumeOnShow = false;
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [embed, link]);
  const changeSpeed = useCallback((speed: number) => {
    setStepsPerFrame(speed);
    clientRef.current?.setSpeed(speed);
  }, []);

  /** Back to exactly what the link said: its settings, a fresh run, and its steps or autoplay. */
  const resetToLink = useCallback(() => {
    changeParams(link.state.params);
    changeSpeed(link.state.speed);
    setThemeName(link.state.theme);
    const client = clientRef.current;
    if (!client) return;
    setPlayingState(link.state.steps === null && link.state.autoplay);
    client.reset();
    if (link.state.steps !== null && link.state.steps > 0) client.step(link.state.steps);
  }, [link, changeParams, changeSpeed, setPlayingState]);

  /** The state to share now: a paused run is pinned to its step so the link lands on the same picture. */
  const currentShareState = useCallback((): UrlState => {
    const step = bus.latest?.step ?? 0;
    const paused = !playingRef.current;
    return {
      ...link.state,
      preset: matchPreset(paramsRef.current)?.id ?? 'custom',
      params: paramsRef.current,
      speed: stepsPerFrame,
      theme: themeName,
      autoplay: !paused,
      steps: paused ? step : null,
    };
  }, [bus, link, stepsPerFrame, themeName]);

  // The slide deck's remote control; each command answers with a state event.
  useEffect(() => installEmbedApi(window, {
    setParams: (partial) => { changeParams({ ...paramsRef.current, ...partial }); postState(true); },
    setPreset: (id) => { choosePreset(id); postState(true); },
    play: () => { setPlayingState(true); postState(true); },
    pause: () => { setPlayingState(false); postState(true); },
    reset: () => { reset(); postState(true); },
    step: (count) => { step(count); postState(true); },
  }), [changeParams, choosePreset, setPlayingState, reset, step, postState]);

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

  const notify = useCallback((message: string) => setNotices((list) => [...list, message]), []);
  const [embedRef, embedSize] = useElementSize<HTMLElement>();
  const noticeList = (notices.length > 0 || divergence) && (
    <ul className="notices" role="status" data-testid="notices">
      {divergence && (
        <li data-testid="divergence">
          Training diverged at step {divergence.step}: the loss or the weights stopped being finite numbers, so it was paused; the picture is from step {divergence.lastGoodStep}.{' '}
          <button type="button" onClick={reset}>Reset</button>{' '}
          <button type="button" data-testid="lower-lr" onClick={lowerLearningRateAndReset}>Lower the learning rate and restart</button>
        </li>
      )}
      {notices.map((notice, index) => (
        <li key={index}>{notice} <button type="button" aria-label="Dismiss this notice" onClick={() => setNotices((list) => list.filter((_, i) => i !== index))}>×</button></li>
      ))}
    </ul>
  );
  const slots = panels.map((name) => (
    <PanelSlot key={name} area={name} panel={PANELS[name]} params={params} theme={theme} bus={bus} onError={notify} />
  ));

  if (embed) {
    const grid = embedGrid(panels.length, embedSize.width || 1, embedSize.height || 1);
    return (
      <div className="app app-embed" data-theme={theme.name}>
        {noticeList}
        <main className="layout-embed" ref={embedRef}
          style={{ gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`, gridAutoRows: `minmax(${grid.minRowHeight}px, 1fr)`, overflowY: grid.minRowHeight > 0 ? 'auto' : 'hidden' }}>
          {slots}
        </main>
      </div>
    );
  }

  const show = (control: HideableControl): boolean => !hidden.has(control);
  return (
    <div className="app" data-theme={theme.name}>
      <header className="app-header">
        <h1>ArcFace Playground</h1>
        {show('formula') && <Formula params={params} />}
        {show('status') && (
          <p className="status" aria-live="off">
            <span title={backend?.reason}>backend <strong data-testid="status-backend">{backend ? backend.name : 'starting…'}</strong></span>
            {' · '}step <span data-testid="status-step" ref={stepRef}>0</span>
            {' · '}loss <span data-testid="status-loss" ref={lossRef}>–</span>
            {' · '}accuracy <span data-testid="status-accuracy" ref={accuracyRef}>–</span>
            {' · '}<span data-testid="status-preset">{presetId === 'custom' ? 'custom' : matchPreset(params)?.label}</span>
          </p>
        )}
        <div className="header-actions">
          <ShareBar getState={currentShareState} onResetToLink={resetToLink} />
          {show('theme') && (
            <button type="button" data-testid="theme" onClick={() => setThemeName(THEME_CYCLE[(THEME_CYCLE.indexOf(theme.name) + 1) % THEME_CYCLE.length])}
              aria-label={`Theme: ${theme.name}; switch to ${THEME_CYCLE[(THEME_CYCLE.indexOf(theme.name) + 1) % THEME_CYCLE.length]}`}>
              {theme.name === 'light' ? '☀ light' : theme.name === 'dark' ? '☾ dark' : '▣ projector'}
            </button>
          )}
        </div>
      </header>
      {backend && show('status') && <p className="backend-reason" data-testid="backend-reason">{backend.reason}</p>}
      {noticeList}
      <main className={`layout${show('controls') ? '' : ' layout-no-controls'}`}>
        {show('controls') && (
          <div className="sidebar">
            <Controls params={params} presetId={presetId} playing={playing} stepsPerFrame={stepsPerFrame} hidden={hidden}
              onParams={changeParams} onPreset={choosePreset} onPlay={togglePlay} onStep={step} onReset={reset} onSpeed={changeSpeed} />
            <DataExportButtons getSnapshot={() => bus.latest} getHistory={() => bus.history} params={params} onError={notify} />
          </div>
        )}
        {slots}
      </main>
    </div>
  );
}
