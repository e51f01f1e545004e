/**
 * Record (issue #12): the run, replayed from the timeline's kept frames, to a WebM, MP4 or
 * GIF for slide tools that play video but no iframe. One or several panels, or in compare
 * mode the compare view (every panel of the page, every run, with the run legend), in a
 * theme of the recording's own and at its resolution; the page keeps its own theme and
 * step while it records (record/stage.tsx draws the frames off the page). The frame count
 * and the progress bar are written to the DOM directly, so React does not re-render per frame.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { PANEL_NAMES, type PanelName, type ThemeName } from '../core/urlState';
import { PANEL_ACCESSIBLE_NAMES } from '../panels/summary';
import { downloadBlob, exportFailureMessage } from './download';
import { RECORD_FORMATS, type RecordFormat } from './record/formats';
import { formatFileSize, parseStepField } from './record/frameSource';
import { plannedSteps, type RecordSession, type RecordSizeChoice, recordRun } from './record/recordRun';
import type { TimelineController } from './timeline/timelineController';
import './record.css';

const FORMAT_LABELS: Record<RecordFormat, string> = { webm: 'WebM', mp4: 'MP4 (H.264)', gif: 'GIF' };
const SIZE_LABELS: Record<RecordSizeChoice, string> = { '720p': '720p (1280×720)', '1080p': '1080p (1920×1080)', panel: 'panel size' };
const THEME_LABELS: Record<ThemeName, string> = { light: 'light', dark: 'dark', projector: 'projector' };
/** Training steps per video frame; 'kept' is one frame per kept frame. */
const PACE_CHOICES = ['kept', '1', '2', '5', '10', '20', '50', '100'] as const;
type Pace = (typeof PACE_CHOICES)[number];
type View = 'panels' | 'compare';

interface RecordPanelProps {
  timeline: TimelineController;
  session: RecordSession;
  /** The panels on the page, in order: the compare view records them all. */
  panels: readonly PanelName[];
  /** The page's theme now: the recording's default. */
  pageTheme: ThemeName;
  comparing: boolean;
  onError: (message: string) => void;
}

function paceOf(pace: Pace): number | null {
  return pace === 'kept' ? null : Number(pace);
}

export function RecordPanel({ timeline, session, panels, pageTheme, comparing, onError }: RecordPanelProps) {
  const id = useId();
  const [chosen, setChosen] = useState<readonly PanelName[]>(() => [panels[0] ?? 'circle']);
  const [view, setView] = useState<View>('panels');
  const [format, setFormat] = useState<RecordFormat>('webm');
  const [size, setSize] = useState<RecordSizeChoice>('720p');
  const [fps, setFps] = useState('30');
  const [pace, setPace] = useState<Pace>('kept');
  const [theme, setTheme] = useState<ThemeName | 'page'>('page');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [caption, setCaption] = useState(true);
  const [recording, setRecording] = useState(false);
  const [status, setStatus] = useState('');
  const countRef = useRef<HTMLSpanElement | null>(null);
  const progressRef = useRef<HTMLProgressElement | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const compareView = comparing && view === 'compare';
  const recorded = compareView ? panels : PANEL_NAMES.filter((name) => chosen.includes(name));

  // The kept frames change with every drawn step: the count follows them by DOM writes.
  useEffect(
    () =>
      timeline.subscribe(() => {
        const element = countRef.current;
        if (!element) return;
        const low = parseStepField(from);
        const high = parseStepField(to);
        if (low === undefined || high === undefined) {
          element.textContent = 'steps must be whole numbers';
          element.dataset.frames = '0';
          return;
        }
        const count = plannedSteps(timeline, { from: low, to: high, stepsPerFrame: paceOf(pace) }).length;
        const per = pace === 'kept' ? 'one per kept frame' : `one per ${pace} step${pace === '1' ? '' : 's'}`;
        element.textContent = `${count} frame${count === 1 ? '' : 's'} (${per})`;
        element.dataset.frames = String(count);
      }),
    [timeline, from, to, pace],
  );

  useEffect(() => () => abortRef.current?.abort(), []);

  const fail = (message: string): void => {
    setStatus(message);
    onError(message);
  };

  const togglePanel = (name: PanelName, on: boolean): void => setChosen((current) => (on ? [...current.filter((panel) => panel !== name), name] : current.filter((panel) => panel !== name)));

  const start = async (): Promise<void> => {
    if (abortRef.current) return;
    const low = parseStepField(from);
    const high = parseStepField(to);
    if (low === undefined || high === undefined) return fail('The steps range takes whole step numbers, or nothing for the whole kept history.');
    if (recorded.length === 0) return fail('Choose at least one panel to record.');
    const controller = new AbortController();
    abortRef.current = controller;
    setRecording(true);
    setStatus('Preparing the recording…');
    try {
      const file = await recordRun(
        { panels: recorded, format, size, fps: Number(fps), stepsPerFrame: paceOf(pace), theme: theme === 'page' ? pageTheme : theme, caption, from: low, to: high },
        timeline,
        session,
        {
          signal: controller.signal,
          onStart: (plan) => {
            if (progressRef.current) progressRef.current.value = 0;
            setStatus(`Recording ${plan.frames} frames at ${plan.width}×${plan.height}…`);
          },
          onProgress: ({ fraction }) => {
            if (progressRef.current) progressRef.current.value = fraction;
          },
        },
      );
      downloadBlob(file.blob, file.name);
      const soft = file.sharp ? '' : ' This browser drew the panels at the page’s resolution, so they are scaled up.';
      setStatus(`Saved ${file.name} (${formatFileSize(file.blob.size)}, ${file.frames} frames, ${file.width}×${file.height} at ${file.fps} fps).${soft}`);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') setStatus('The recording was cancelled.');
      else fail(exportFailureMessage(error, 'The recording failed: reload the page and try again.'));
    } finally {
      abortRef.current = null;
      setRecording(false);
    }
  };

  return (
    <details className="record" data-testid="record-section">
      <summary data-testid="record-open">Record video or GIF</summary>
      <fieldset className="record-fields" disabled={recording}>
        {comparing && (
          <>
            <label htmlFor={`${id}-view`}>Record</label>
            <select id={`${id}-view`} data-testid="record-view" value={view} onChange={(event) => setView(event.currentTarget.value as View)}>
              <option value="panels">the panels ticked below</option>
              <option value="compare">the compare view (every panel, every run, legend)</option>
            </select>
          </>
        )}
        <fieldset className="record-panels" disabled={compareView}>
          <legend>Panels (several go side by side)</legend>
          {PANEL_NAMES.map((name) => (
            <label key={name}>
              <input
                type="checkbox"
                data-testid={`record-panel-${name}`}
                checked={compareView ? panels.includes(name) : chosen.includes(name)}
                onChange={(event) => togglePanel(name, event.currentTarget.checked)}
              />{' '}
              {PANEL_ACCESSIBLE_NAMES[name]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-format`}>Format</label>
        <select id={`${id}-format`} data-testid="record-format" value={format} onChange={(event) => setFormat(event.currentTarget.value as RecordFormat)}>
          {RECORD_FORMATS.map((name) => (
            <option key={name} value={name}>
              {FORMAT_LABELS[name]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-size`}>Size</label>
        <select id={`${id}-size`} data-testid="record-size" value={size} onChange={(event) => setSize(event.currentTarget.value as RecordSizeChoice)}>
          {(Object.keys(SIZE_LABELS) as RecordSizeChoice[]).map((name) => (
            <option key={name} value={name}>
              {SIZE_LABELS[name]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-theme`}>Theme</label>
        <select id={`${id}-theme`} data-testid="record-theme" value={theme} onChange={(event) => setTheme(event.currentTarget.value as ThemeName | 'page')}>
          <option value="page">as on the page ({pageTheme})</option>
          {(Object.keys(THEME_LABELS) as ThemeName[]).map((name) => (
            <option key={name} value={name}>
              {THEME_LABELS[name]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-fps`}>Frames/s</label>
        <input id={`${id}-fps`} data-testid="record-fps" type="number" min={5} max={60} step={1} value={fps} onChange={(event) => setFps(event.currentTarget.value)} />
        <label htmlFor={`${id}-pace`}>Steps per frame</label>
        <select id={`${id}-pace`} data-testid="record-steps-per-frame" value={pace} onChange={(event) => setPace(event.currentTarget.value as Pace)}>
          {PACE_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice === 'kept' ? 'each kept frame' : `${choice} step${choice === '1' ? '' : 's'}`}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-from`}>Steps</label>
        <span className="record-range">
          <input id={`${id}-from`} data-testid="record-from" inputMode="numeric" placeholder="first" aria-label="From step" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          {' to '}
          <input data-testid="record-to" inputMode="numeric" placeholder="latest" aria-label="To step" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </span>
        <label className="record-caption">
          <input type="checkbox" data-testid="record-caption" checked={caption} onChange={(event) => setCaption(event.currentTarget.checked)} /> Caption with the parameters
        </label>
      </fieldset>
      <p className="record-count">
        <span data-testid="record-frame-count" ref={countRef} />
      </p>
      <div className="record-actions">
        <button type="button" data-testid="record-start" onClick={() => void start()} disabled={recording}>
          Record
        </button>
        {recording && (
          <>
            <progress data-testid="record-progress" ref={progressRef} max={1} value={0} aria-label="Recording progress" />
            <button type="button" data-testid="record-cancel" onClick={() => abortRef.current?.abort()}>
              Cancel
            </button>
          </>
        )}
      </div>
      <p className="record-status" data-testid="record-status" role="status">
        {status}
      </p>
    </details>
  );
}
