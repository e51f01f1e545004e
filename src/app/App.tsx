import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { matchPreset } from '../core/presets';
import { decodeUrlState, type HideableControl, type PanelName, type ThemeName, type UrlState } from '../core/urlState';
import { Controls } from './Controls';
import { DataExportButtons } from './ExportButtons';
import { Drawer, DrawerToggle } from './Drawer';
import { embedGrid } from './embedGrid';
import { Formula } from './Formula';
import { LessonBar } from './LessonBar';
import { LessonEditor } from './LessonEditor';
import { NoticeList } from './NoticeList';
import { PanelSlot } from './PanelSlot';
import { RecordPanel } from './RecordPanel';
import { compareRunsOf, exportRunsOf, isComparing, panelRuns } from './runList';
import { ShareBar } from './ShareBar';
import { Timeline } from './Timeline';
import { THEME_BUTTON_TEXT, nextTheme, panelTheme, systemPrefersDark } from './theme';
import { useEmbedBridge } from './useEmbedBridge';
import { useElementSize } from './useElementSize';
import { useKeyboard } from './useKeyboard';
import { useLesson } from './useLesson';
import { useMediaQuery } from './useMediaQuery';
import { linkCorrectionNotices, useNotices } from './useNotices';
import { usePauseWhenHidden } from './usePauseWhenHidden';
import { useTrainingClient } from './useTrainingClient';
import { liveUrlState, prefersReducedMotion, runSettingsOf, shareState, useUrlSync } from './urlSync';
import { PANEL_COMPONENTS } from './panelComponents';

/**
 * Below this width the sidebar column would leave the figures too narrow to read, so the
 * controls fold into a drawer (app.css has the same breakpoint for the grid).
 */
const FOLD_CONTROLS_QUERY = '(max-width: 1100px)';

export function App() {
  const link = useMemo(() => decodeUrlState(window.location.search), []);
  // Read once: the choice is made when the page opens, and Reset to link repeats it.
  const [reducedMotion] = useState(prefersReducedMotion);
  const { embed } = link.state;
  const hidden = useMemo(() => new Set<HideableControl>(link.state.hide), [link]);
  const notices = useNotices(() => linkCorrectionNotices(link.corrections));
  const session = useTrainingClient(runSettingsOf(link.state, reducedMotion), { backend: link.state.backend, fused: link.state.fused, debugHooks: link.state.debug }, notices.add);
  const { controls, params, runList } = session;
  const [themeName, setThemeName] = useState<ThemeName | null>(link.state.theme);
  const theme = panelTheme(themeName, systemPrefersDark());
  const comparing = isComparing(runList);
  const runs = useMemo(() => panelRuns(runList, theme), [runList, theme]);
  const selected = runList.runs[runList.selected];
  const selectedLetter = runs[runList.selected]?.letter ?? 'A';
  const compare = useMemo(() => compareRunsOf(runList), [runList]);

  const [presenting, setPresenting] = useState(link.state.present);
  useUrlSync(liveUrlState(link.state, { params: runList.shared, compare, stepsPerFrame: session.stepsPerFrame, theme: themeName, present: presenting }));
  useEmbedBridge(session.frames, controls, session.timeline, theme.name, link.state.panels);
  const stepOnce = useCallback(() => controls.step(1), [controls]);
  const togglePresent = useCallback(() => setPresenting((on) => !on), []);
  useKeyboard({ togglePlay: controls.togglePlay, stepOnce, reset: controls.reset, togglePresent }, { embed, keys: link.state.keys });
  const lesson = useLesson({ raw: link.state.lesson, embed, keys: link.state.keys, controls, stepsPerFrame: session.stepsPerFrame, addNotice: notices.add });
  const panels = lesson.stepPanels ?? link.state.panels;
  const openLessonEditor = useCallback(() => lesson.setEditorOpen(true), [lesson.setEditorOpen]);
  const lessonBar = lesson.lesson && <LessonBar lesson={lesson.lesson} index={lesson.index} onPrevious={lesson.previous} onNext={lesson.next} onEdit={embed ? undefined : openLessonEditor} />;
  const narrow = useMediaQuery(FOLD_CONTROLS_QUERY);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerToggleRef = useRef<HTMLButtonElement | null>(null);
  const closeDrawer = useCallback(() => {
    setDrawerOpen(false);
    drawerToggleRef.current?.focus();
  }, []);
  // A run held back for reduced motion: its Play button stands out until it first plays.
  const [held, setHeld] = useState(reducedMotion && link.state.autoplay && link.state.steps === null);
  useEffect(() => {
    if (session.playing) setHeld(false);
  }, [session.playing]);
  usePauseWhenHidden(session.hideable, embed && link.state.autoplay);

  /** Back to exactly what the link said: its settings and runs, a fresh start, and its steps or autoplay. */
  const resetToLink = useCallback(() => {
    setThemeName(link.state.theme);
    controls.restart(runSettingsOf(link.state, reducedMotion));
  }, [link, controls, reducedMotion]);
  const currentShareState = useCallback((): UrlState => {
    const list = controls.getRunList();
    return shareState(link.state, {
      params: list.shared,
      compare: compareRunsOf(list),
      stepsPerFrame: session.stepsPerFrame,
      theme: themeName,
      present: presenting,
      playing: controls.isPlaying(),
      step: list.runs[0].bus.latest?.step ?? 0,
      replay: session.timeline.sharedRange(),
    });
  }, [link, controls, session.stepsPerFrame, session.timeline, themeName, presenting]);
  const getExportRuns = useCallback(() => exportRunsOf(controls.getRunList()), [controls]);

  const [embedRef, embedSize] = useElementSize<HTMLElement>();
  const noticeList = (
    <NoticeList notices={notices.list} onDismiss={notices.dismiss} divergence={session.divergence} onReset={controls.reset} onLowerLearningRate={controls.lowerLearningRateAndRestart} />
  );
  // Fig. 3 in compare mode puts the runs' circles side by side, so its cell is two wide.
  const wideCircle = comparing && panels.includes('circle') && panels.length > 1;
  const slot = (name: PanelName, wide: boolean) => <PanelSlot key={name} area={name} panel={PANEL_COMPONENTS[name]} runs={runs} theme={theme} wide={wide} onError={notices.add} />;

  if (embed) {
    const grid = embedGrid(panels.length + (wideCircle ? 1 : 0), embedSize.width || 1, embedSize.height || 1);
    return (
      <div className="app app-embed" data-theme={theme.name}>
        {/* Not shown (the slide around the frame has its own title), but a screen reader lands on it. */}
        <h1 className="visually-hidden">ArcFace Playground</h1>
        {noticeList}
        {lessonBar}
        <main
          className="layout-embed"
          ref={embedRef}
          style={{ gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`, gridAutoRows: `minmax(${grid.minRowHeight}px, 1fr)`, overflowY: grid.minRowHeight > 0 ? 'auto' : 'hidden' }}>
          {panels.map((name) => slot(name, wideCircle && name === 'circle' && grid.columns > 1))}
        </main>
      </div>
    );
  }

  const show = (control: HideableControl): boolean => !hidden.has(control);
  const singlePreset = matchPreset(params);
  const folded = show('controls') && (narrow || presenting);
  // Folded controls leave the figures a header Play button; so does a run held for reduced motion, whose Play must be in plain sight.
  const headerPlay = (folded && show('play')) || (held && !show('controls'));
  const appClass = ['app', folded ? 'app-folded' : '', presenting ? 'app-present' : '', held ? 'app-held' : ''].filter(Boolean).join(' ');
  const layoutClass = ['layout', show('controls') && !folded ? '' : 'layout-no-controls', comparing ? 'layout-compare' : ''].filter(Boolean).join(' ');
  const shareBar = <ShareBar getState={currentShareState} onResetToLink={resetToLink} />;
  return (
    <div className={appClass} data-theme={theme.name}>
      <header className="app-header">
        {folded && <DrawerToggle open={drawerOpen} onToggle={() => setDrawerOpen((open) => !open)} buttonRef={drawerToggleRef} />}
        <h1>ArcFace Playground</h1>
        {show('formula') && <Formula params={params} bus={runs[runList.selected]?.bus} />}
        {show('status') && (
          <p className="status" aria-live="off">
            <span className="status-item" title={session.backend?.reason}>
              backend{' '}
              <strong className="status-backend" data-testid="status-backend">
                {session.backend ? session.backend.name : '…'}
              </strong>
            </span>
            {session.dataset && (
              <>
                {' · '}
                <span className="status-item" data-testid="status-dataset">
                  loading digits <progress max={session.dataset.total ?? undefined} value={session.dataset.total ? session.dataset.loaded : undefined} aria-label="Loading the handwritten digits" />
                </span>
              </>
            )}
            {' · '}
            <span className="status-item">
              step{' '}
              <span className="status-value status-count" data-testid="status-step" ref={session.status.step}>
                0
              </span>
            </span>
            {comparing && (
              <>
                {' · '}
                <span className="status-item" data-testid="status-runs">
                  {runList.runs.length} runs in lockstep
                </span>
              </>
            )}
            {comparing && (
              <>
                {' · '}
                <span className="status-item" data-testid="status-preset">
                  {selectedLetter}: {selected?.label}
                </span>
              </>
            )}
            {' · '}
            <span className="status-item">
              loss{' '}
              <span className="status-value status-loss" data-testid="status-loss" ref={session.status.loss}>
                –
              </span>
            </span>
            {' · '}
            <span className="status-item">
              accuracy{' '}
              <span className="status-value status-accuracy" data-testid="status-accuracy" ref={session.status.accuracy}>
                –
              </span>
            </span>
            {!comparing && (
              <>
                {' · '}
                <span className="status-item" data-testid="status-preset">
                  {singlePreset ? singlePreset.label : 'custom'}
                </span>
              </>
            )}
          </p>
        )}
        {show('status') && <Timeline timeline={session.timeline} />}
        <div className="header-actions">
          {headerPlay && (
            <button type="button" className="header-play" data-testid="header-play" onClick={controls.togglePlay} aria-keyshortcuts="Space">
              {session.playing ? 'Pause' : 'Play'}
            </button>
          )}
          {!folded && shareBar}
          {show('theme') && (
            <button type="button" data-testid="theme" onClick={() => setThemeName(nextTheme(theme.name))} aria-label={`Theme: ${theme.name}; switch to ${nextTheme(theme.name)}`}>
              {THEME_BUTTON_TEXT[theme.name]}
            </button>
          )}
          <button
            type="button"
            className="present-toggle"
            data-testid="present-toggle"
            aria-pressed={presenting}
            aria-keyshortcuts="P"
            title="Present: the figures fill the screen and the controls fold into a drawer (P)"
            onClick={togglePresent}>
            {presenting ? 'Exit present' : 'Present'}
          </button>
        </div>
      </header>
      {session.backend && show('status') && (
        <p className="backend-reason" data-testid="backend-reason">
          {session.backend.reason}
        </p>
      )}
      {noticeList}
      {lessonBar}
      {lesson.editorOpen && <LessonEditor initial={lesson.lesson} backend={link.state.backend} onClose={() => lesson.setEditorOpen(false)} />}
      <main className={layoutClass}>
        {show('controls') && (
          <Drawer folded={folded} open={drawerOpen} onClose={closeDrawer}>
            {folded && shareBar}
            <Controls
              params={params}
              presetId={selected?.preset ?? 'custom'}
              playing={session.playing}
              stepsPerFrame={session.stepsPerFrame}
              hidden={hidden}
              onParams={controls.changeParams}
              onPreset={controls.choosePreset}
              onPlay={controls.togglePlay}
              onStep={controls.step}
              onReset={controls.reset}
              onSpeed={controls.changeSpeed}
              compare={{ runs, selected: runList.selected, onCompare: controls.setComparing, onSelect: controls.selectRun, onAdd: controls.addRun, onRemove: controls.removeRun }}
            />
            <DataExportButtons getRuns={getExportRuns} onError={notices.add} />
            <RecordPanel timeline={session.timeline} session={controls} panels={panels} pageTheme={theme.name} comparing={comparing} onError={notices.add} />
            {!lesson.lesson && (
              <div className="lesson-editor-open-row">
                <button type="button" data-testid="lesson-editor-open" onClick={openLessonEditor}>
                  Write a lesson
                </button>
              </div>
            )}
          </Drawer>
        )}
        {panels.map((name) => slot(name, false))}
      </main>
    </div>
  );
}
