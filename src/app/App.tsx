import { useCallback, useMemo, useState, type ComponentType } from 'react';
import { matchPreset } from '../core/presets';
import { decodeUrlState, type HideableControl, type PanelName, type ThemeName, type UrlState } from '../core/urlState';
import { CirclePanel } from '../panels/CirclePanel';
import { LogitPanel } from '../panels/LogitPanel';
import { MarginPanel } from '../panels/MarginPanel';
import { StatsPanel } from '../panels/StatsPanel';
import { TrainingPanel } from '../panels/TrainingPanel';
import type { PanelProps } from '../panels/types';
import { Controls } from './Controls';
import { DataExportButtons } from './ExportButtons';
import { embedGrid } from './embedGrid';
import { Formula } from './Formula';
import { NoticeList } from './NoticeList';
import { PanelSlot } from './PanelSlot';
import { ShareBar } from './ShareBar';
import { THEME_BUTTON_TEXT, nextTheme, panelTheme, systemPrefersDark } from './theme';
import { useEmbedBridge } from './useEmbedBridge';
import { useElementSize } from './useElementSize';
import { useKeyboard } from './useKeyboard';
import { linkCorrectionNotices, useNotices } from './useNotices';
import { usePauseWhenHidden } from './usePauseWhenHidden';
import { useTrainingClient } from './useTrainingClient';
import { liveUrlState, runSettingsOf, shareState, useUrlSync } from './urlSync';

const PANELS: Record<PanelName, ComponentType<PanelProps>> = {
  circle: CirclePanel,
  logit: LogitPanel,
  margin: MarginPanel,
  training: TrainingPanel,
  stats: StatsPanel,
};

export function App() {
  const link = useMemo(() => decodeUrlState(window.location.search), []);
  const { embed, panels } = link.state;
  const hidden = useMemo(() => new Set<HideableControl>(link.state.hide), [link]);
  const notices = useNotices(() => linkCorrectionNotices(link.corrections));
  const run = useTrainingClient(runSettingsOf(link.state), { backend: link.state.backend, fused: link.state.fused, debugHooks: link.state.debug }, notices.add);
  const { bus, controls, params } = run;
  const [themeName, setThemeName] = useState<ThemeName | null>(link.state.theme);
  const theme = panelTheme(themeName, systemPrefersDark());
  const preset = matchPreset(params);

  useUrlSync(liveUrlState(link.state, { params, stepsPerFrame: run.stepsPerFrame, theme: themeName }));
  useEmbedBridge(bus, controls);
  const stepOnce = useCallback(() => controls.step(1), [controls]);
  useKeyboard({ togglePlay: controls.togglePlay, stepOnce, reset: controls.reset });
  usePauseWhenHidden(run.hideable, embed && link.state.autoplay);

  /** Back to exactly what the link said: its settings, a fresh run, and its steps or autoplay. */
  const resetToLink = useCallback(() => {
    setThemeName(link.state.theme);
    controls.restart(runSettingsOf(link.state));
  }, [link, controls]);
  const currentShareState = useCallback((): UrlState => shareState(link.state, {
    params: controls.getParams(), stepsPerFrame: run.stepsPerFrame, theme: themeName, playing: controls.isPlaying(), step: bus.latest?.step ?? 0,
  }), [link, controls, bus, run.stepsPerFrame, themeName]);

  const [embedRef, embedSize] = useElementSize<HTMLElement>();
  const noticeList = (
    <NoticeList notices={notices.list} onDismiss={notices.dismiss} divergence={run.divergence}
      onReset={controls.reset} onLowerLearningRate={controls.lowerLearningRateAndRestart} />
  );
  const slots = panels.map((name) => (
    <PanelSlot key={name} area={name} panel={PANELS[name]} params={params} theme={theme} bus={bus} onError={notices.add} />
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
            <span title={run.backend?.reason}>backend <strong data-testid="status-backend">{run.backend ? run.backend.name : 'starting…'}</strong></span>
            {' · '}step <span data-testid="status-step" ref={run.status.step}>0</span>
            {' · '}loss <span data-testid="status-loss" ref={run.status.loss}>–</span>
            {' · '}accuracy <span data-testid="status-accuracy" ref={run.status.accuracy}>–</span>
            {' · '}<span data-testid="status-preset">{preset ? preset.label : 'custom'}</span>
          </p>
        )}
        <div className="header-actions">
          <ShareBar getState={currentShareState} onResetToLink={resetToLink} />
          {show('theme') && (
            <button type="button" data-testid="theme" onClick={() => setThemeName(nextTheme(theme.name))}
              aria-label={`Theme: ${theme.name}; switch to ${nextTheme(theme.name)}`}>
              {THEME_BUTTON_TEXT[theme.name]}
            </button>
          )}
        </div>
      </header>
      {run.backend && show('status') && <p className="backend-reason" data-testid="backend-reason">{run.backend.reason}</p>}
      {noticeList}
      <main className={`layout${show('controls') ? '' : ' layout-no-controls'}`}>
        {show('controls') && (
          <div className="sidebar">
            <Controls params={params} presetId={preset?.id ?? 'custom'} playing={run.playing} stepsPerFrame={run.stepsPerFrame} hidden={hidden}
              onParams={controls.changeParams} onPreset={controls.choosePreset} onPlay={controls.togglePlay} onStep={controls.step} onReset={controls.reset} onSpeed={controls.changeSpeed} />
            <DataExportButtons getSnapshot={() => bus.latest} getHistory={() => bus.history} params={params} onError={notices.add} />
          </div>
        )}
        {slots}
      </main>
    </div>
  );
}
