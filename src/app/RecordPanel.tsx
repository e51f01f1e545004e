/**
 * Record (issue #12): a panel's training, replayed from the timeline's stored frames, to a
 * WebM, MP4 or GIF for slide tools that play video but no iframe. One video frame per kept
 * frame; each is drawn by the replay path and rasterised from the panel as drawn, never
 * captured from the screen. Training pauses while recording and the page goes back to live
 * afterwards. The frame count and the progress bar are written to the DOM directly, so
 * React does not re-render per frame.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { PanelName } from '../core/urlState';
import { downloadBlob, exportFailureMessage } from './download';
import { parameterCaption } from './exportData';
import { RECORD_FORMATS, type RecordFormat, type RecordSize, recordingFileName, resolveRecordOptions } from './record/formats';
import { formatFileSize, parseStepField, stepsInRange } from './record/frameSource';
import { panelFrames } from './record/panelFrames';
import { record } from './record/recorder';
import type { TimelineController } from './timeline/timelineController';
import './record.css';

const FORMAT_LABELS: Record<RecordFormat, string> = { webm: 'WebM', mp4: 'MP4 (H.264)', gif: 'GIF' };
type SizeChoice = '720p' | '1080p' | 'panel';
const SIZE_LABELS: Record<SizeChoice, string> = { '720p': '720p (1280×720)', '1080p': '1080p (1920×1080)', panel: 'panel size' };

interface RecordPanelProps {
  timeline: TimelineController;
  /** The panels on the page: only a drawn panel can be recorded. */
  panels: readonly PanelName[];
  onError: (message: string) => void;
}

function figureOf(panel: PanelName): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.slot-${panel} figure`);
}

/** The settings under the picture: one line per run, as the figure exports caption them. */
function captionAt(timeline: TimelineController, step: number): string {
  const frame = timeline.history.at(step)?.frame;
  if (!frame) return '';
  if (frame.runs.length === 1) return parameterCaption(frame.runs[0].params, frame.step);
  return frame.runs.map((run) => parameterCaption(run.params, frame.step, run.label)).join('\n');
}

export function RecordPanel({ timeline, panels, onError }: RecordPanelProps) {
  const id = useId();
  const [panel, setPanel] = useState<PanelName>(panels[0] ?? 'circle');
  const [format, setFormat] = useState<RecordFormat>('webm');
  const [size, setSize] = useState<SizeChoice>('720p');
  const [fps, setFps] = useState('30');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [caption, setCaption] = useState(true);
  const [recording, setRecording] = useState(false);
  const [status, setStatus] = useState('');
  const countRef = useRef<HTMLSpanElement | null>(null);
  const progressRef = useRef<HTMLProgressElement | null>(null);
  const abortRef = useRef<AbortController | null>(null);

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
        const count = stepsInRange(timeline.history.steps(), low, high).length;
        element.textContent = `${count} frame${count === 1 ? '' : 's'} (one frame per kept frame)`;
        element.dataset.frames = String(count);
      }),
    [timeline, from, to],
  );

  useEffect(() => () => abortRef.current?.abort(), []);

  const fail = (message: string): void => {
    setStatus(message);
    onError(message);
  };

  const start = async (): Promise<void> => {
    if (abortRef.current) return;
    const low = parseStepField(from);
    const high = parseStepField(to);
    if (low === undefined || high === undefined) return fail('The steps range takes whole step numbers, or nothing for the whole kept history.');
    const steps = stepsInRange(timeline.history.steps(), low, high);
    if (steps.length === 0) return fail('There are no kept frames in that steps range: train first, or widen the range.');
    const figure = figureOf(panel);
    if (!figure) return fail(`The ${panel} panel is not on the page, so it cannot be recorded.`);
    let recordSize: RecordSize;
    if (size === 'panel') {
      const box = figure.getBoundingClientRect();
      recordSize = { width: Math.round(box.width), height: Math.round(box.height) };
    } else recordSize = size;
    const resolved = resolveRecordOptions({ format, size: recordSize, fps: Number(fps), frameCount: steps.length });
    if (!resolved.ok) return fail(resolved.error);
    const { options } = resolved;

    const controller = new AbortController();
    abortRef.current = controller;
    setRecording(true);
    setStatus(`Recording ${steps.length} frames at ${options.width}×${options.height}…`);
    if (progressRef.current) progressRef.current.value = 0;
    const background = getComputedStyle(figure.closest('.slot') ?? figure).backgroundColor || '#ffffff';
    try {
      const frames = panelFrames({
        steps,
        show: (step) => timeline.show(step),
        figure: () => figureOf(panel),
        caption: (step) => (caption ? captionAt(timeline, step) : ''),
        width: options.width,
        height: options.height,
        background: background === 'rgba(0, 0, 0, 0)' ? '#ffffff' : background,
        signal: controller.signal,
      });
      const blob = await record(options, frames, {
        signal: controller.signal,
        onProgress: ({ fraction }) => {
          if (progressRef.current) progressRef.current.value = fraction;
        },
      });
      const name = recordingFileName(options.format, new Date());
      downloadBlob(blob, name);
      setStatus(`Saved ${name} (${formatFileSize(blob.size)}, ${steps.length} frames, ${options.width}×${options.height} at ${options.fps} fps).`);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') setStatus('The recording was cancelled.');
      else fail(exportFailureMessage(error, 'The recording failed: reload the page and try again.'));
    } finally {
      abortRef.current = null;
      setRecording(false);
      timeline.live();
    }
  };

  const shownPanels = panels.length > 0 ? panels : (['circle'] as const);
  return (
    <details className="record" data-testid="record-section">
      <summary data-testid="record-open">Record video or GIF</summary>
      <fieldset className="record-fields" disabled={recording}>
        <label htmlFor={`${id}-panel`}>Panel</label>
        <select id={`${id}-panel`} data-testid="record-panel" value={panel} onChange={(event) => setPanel(event.currentTarget.value as PanelName)}>
          {shownPanels.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-format`}>Format</label>
        <select id={`${id}-format`} data-testid="record-format" value={format} onChange={(event) => setFormat(event.currentTarget.value as RecordFormat)}>
          {RECORD_FORMATS.map((name) => (
            <option key={name} value={name}>
              {FORMAT_LABELS[name]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-size`}>Size</label>
        <select id={`${id}-size`} data-testid="record-size" value={size} onChange={(event) => setSize(event.currentTarget.value as SizeChoice)}>
          {(Object.keys(SIZE_LABELS) as SizeChoice[]).map((name) => (
            <option key={name} value={name}>
              {SIZE_LABELS[name]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-fps`}>Frames/s</label>
        <input id={`${id}-fps`} data-testid="record-fps" type="number" min={5} max={60} step={1} value={fps} onChange={(event) => setFps(event.currentTarget.value)} />
        <label htmlFor={`${id}-from`}>Steps</label>
        <span className="record-range">
          <input id={`${id}-from`} data-testid="record-from" inputMode="numeric" placeholder="first" aria-label="From step" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          {' to '}
          <input data-testid="record-to" inputMode="numeric" placeholder="latest" aria-label="To step" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </span>
        <span />
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
