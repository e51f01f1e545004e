/**
 * A recording of the current run, from a request to a file: used by the sidebar's Record
 * section and by the embed API's `record` command. It picks the kept frames, plans the
 * frame (panels in a grid, run legend, caption), draws each frame on the recording stage
 * (stage.tsx) in the recording's theme and at its resolution, and hands the frames to the
 * encoder worker (recorder.ts). Training pauses while it records and resumes afterwards;
 * the page itself keeps showing what it showed.
 */
import { runLetter } from '../../core/compare';
import type { SessionFrame } from '../../core/snapshot';
import type { PanelName, ThemeName } from '../../core/urlState';
import { runColour } from '../../panels/runStyle';
import type { RunList } from '../runList';
import { panelTheme } from '../theme';
import type { TimelineController } from '../timeline/timelineController';
import { parameterCaption } from '../exportData';
import { wrapCaption } from '../exportFigure';
import { abortError, RecordError } from './errors';
import { type RecordFormat, recordingFileName, resolveRecordOptions, SIZE_PRESETS } from './formats';
import { recordingSteps } from './frameSource';
import { record, type RecordProgress } from './recorder';
import { RecordingStage, type StageRun, yieldToPage } from './stage';
import { captionFontSize, captionStripHeight, legendStripHeight, planStage, STAGE_CSS_HEIGHT, STAGE_GAP, STAGE_PADDING, type StagePlan } from './stageLayout';

export type RecordSizeChoice = '720p' | '1080p' | 'panel';

/** What to record; every field already checked (the sidebar's fields and the embed API's parser do that). */
export interface RecordSpec {
  /** Drawn in this order; several go side by side or in a grid. */
  panels: readonly PanelName[];
  format: RecordFormat;
  size: RecordSizeChoice;
  fps: number;
  /** null: one video frame per kept frame; k: one per k training steps. */
  stepsPerFrame: number | null;
  theme: ThemeName;
  caption: boolean;
  /** The steps range, both ends included; null is the first or the latest kept step. */
  from: number | null;
  to: number | null;
}

/** What a recording needs of the page besides its timeline: the run list and the play state. */
export interface RecordSession {
  getRunList(): RunList;
  isPlaying(): boolean;
  setPlaying(on: boolean): void;
}

export interface RecordedFile {
  blob: Blob;
  name: string;
  frames: number;
  width: number;
  height: number;
  fps: number;
  /** Whether the panels' canvases were painted at the recording's resolution (false: scaled up). */
  sharp: boolean;
}

export interface RunRecordingControls {
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
  /** Called once the request is checked and frames are about to be drawn. */
  onStart?: (plan: { frames: number; width: number; height: number; fps: number }) => void;
}

/** The size of a panel-size frame's cell when the panel is not on the page. */
const FALLBACK_PANEL_BOX = { width: 480, height: 400 };

/** The steps a request would record from what the timeline keeps now: the sidebar's frame count. */
export function plannedSteps(timeline: TimelineController, spec: Pick<RecordSpec, 'from' | 'to' | 'stepsPerFrame'>): number[] {
  return recordingSteps(timeline.history.steps(), spec.from, spec.to, spec.stepsPerFrame);
}

/** The settings under the picture at a frame: one line per run, as the figure exports caption them. */
export function frameCaption(frame: SessionFrame): string {
  if (frame.runs.length === 1) return parameterCaption(frame.runs[0].params, frame.step);
  return frame.runs.map((run, index) => `${runLetter(index)}: ${parameterCaption(run.params, frame.step, run.label)}`).join('\n');
}

/** The page's own box of a panel (not the stage's), for panel-size recordings. */
function pagePanelBox(panel: PanelName): { width: number; height: number } {
  const slots = Array.from(document.querySelectorAll<HTMLElement>(`.slot-${panel}, .slot`)).filter((slot) => !slot.closest('.record-stage-host'));
  const slot = slots.find((element) => element.classList.contains(`slot-${panel}`)) ?? slots[0];
  const box = slot?.getBoundingClientRect();
  return box && box.width > 0 && box.height > 0 ? { width: Math.round(box.width), height: Math.round(box.height) } : FALLBACK_PANEL_BOX;
}

function pageFontFamily(): string {
  return getComputedStyle(document.body).fontFamily || 'sans-serif';
}

/** How many lines `caption` takes at `width` CSS pixels in the caption's type. */
function captionLineCount(caption: string, width: number, fontSize: number): number {
  const context = new OffscreenCanvas(1, 1).getContext('2d');
  if (!context) return caption.split('\n').length;
  context.font = `${fontSize}px ${pageFontFamily()}`;
  return wrapCaption(caption, width, (text) => context.measureText(text).width).length;
}

/** The frame's size in pixels and in CSS pixels: 720p and 1080p lay out as a 1280×720 page; a panel-size frame is one page panel per cell, at 1:1. */
function frameSize(spec: RecordSpec, units: number, strips: number): { width: number; height: number; cssHeight: number } {
  if (spec.size !== 'panel') {
    const { width, height } = SIZE_PRESETS[spec.size];
    return { width, height, cssHeight: STAGE_CSS_HEIGHT };
  }
  const box = pagePanelBox(spec.panels[0]);
  const columns = Math.min(units, 3);
  const rows = Math.ceil(units / columns);
  const width = 2 * STAGE_PADDING + columns * box.width + (columns - 1) * STAGE_GAP;
  const height = 2 * STAGE_PADDING + rows * box.height + (rows - 1) * STAGE_GAP + strips;
  return { width, height, cssHeight: height };
}

/** One recording at a time, whoever asked for it (the sidebar or a host's command). */
let active = false;

async function* stageFrames(
  stage: RecordingStage,
  steps: readonly number[],
  frames: ReadonlyMap<number, SessionFrame>,
  caption: (frame: SessionFrame) => string,
  signal?: AbortSignal,
): AsyncGenerator<ImageBitmap> {
  const { plan } = stage;
  const canvas = new OffscreenCanvas(plan.width, plan.height);
  const context = canvas.getContext('2d');
  if (!context) throw new RecordError('The recording failed: the browser gave no canvas to draw on.');
  let repeat: ImageBitmap | null = null;
  try {
    for (let index = 0; index < steps.length; index++) {
      if (signal?.aborted) return;
      const step = steps[index];
      const frame = frames.get(step);
      if (!frame) throw new RecordError('The recording failed: a kept frame went missing; record again.');
      let bitmap: ImageBitmap;
      if (repeat && index > 0 && steps[index - 1] === step) {
        bitmap = await createImageBitmap(repeat);
      } else {
        context.resetTransform();
        stage.paintChrome(context, caption(frame));
        // One panel per task: each repaints from the kept frame, then is drawn onto the video frame.
        for (let cell = 0; cell < plan.cells.length; cell++) {
          await yieldToPage();
          if (signal?.aborted) return;
          stage.show(cell, frame);
          await yieldToPage();
          if (signal?.aborted) return;
          await stage.paintCell(context, cell);
        }
        bitmap = canvas.transferToImageBitmap();
      }
      // A step shown for several video frames (the history was thinner than the pace) is drawn once and copied.
      repeat?.close();
      repeat = steps[index + 1] === step ? await createImageBitmap(bitmap) : null;
      yield bitmap;
    }
  } finally {
    repeat?.close();
  }
}

/**
 * Records `spec` and returns the file. Rejects with a RecordError whose message can be
 * shown as is, or with an AbortError after `signal` aborts.
 */
export async function recordRun(spec: RecordSpec, timeline: TimelineController, session: RecordSession, { signal, onProgress, onStart }: RunRecordingControls = {}): Promise<RecordedFile> {
  if (active) throw new RecordError('A recording is already being made: wait for it to finish, or cancel it.');
  if (signal?.aborted) throw abortError();
  if (spec.panels.length === 0) throw new RecordError('Choose at least one panel to record.');
  const steps = plannedSteps(timeline, spec);
  if (steps.length === 0) throw new RecordError('There are no kept frames in that steps range: train first, or widen the range.');
  // The frames are held here: training that resumes, thins or resets the history cannot change them.
  const frames = new Map<number, SessionFrame>();
  for (const step of new Set(steps)) {
    const kept = timeline.history.at(step);
    if (kept) frames.set(step, kept.frame);
  }
  const list = session.getRunList();
  const lastFrame = frames.get(steps[steps.length - 1]);
  if (!lastFrame || lastFrame.runs.length !== list.runs.length) throw new RecordError('The kept frames belong to runs the page no longer has: train the current runs first.');

  const theme = panelTheme(spec.theme, false);
  const comparing = list.runs.length > 1;
  const fontSize = captionFontSize(theme.name);
  const legendHeight = legendStripHeight(list.runs.length, fontSize);
  const wideCircle = comparing && spec.panels.includes('circle') && spec.panels.length > 1;
  const units = spec.panels.length + (wideCircle ? 1 : 0);
  // The caption's height is set by its widest version, the last step's (its step number is the longest).
  const roughSize = frameSize(spec, units, 0);
  const cssWidth = (roughSize.width * roughSize.cssHeight) / roughSize.height;
  const captionHeight = spec.caption ? captionStripHeight(captionLineCount(frameCaption(lastFrame), cssWidth - 2 * STAGE_PADDING, fontSize), fontSize) : 0;
  const size = frameSize(spec, units, legendHeight + captionHeight);
  const resolved = resolveRecordOptions({ format: spec.format, size: spec.size === 'panel' ? { width: size.width, height: size.height } : spec.size, fps: spec.fps, frameCount: steps.length });
  if (!resolved.ok) throw new RecordError(resolved.error);
  const { options } = resolved;
  const plan: StagePlan = planStage({
    panels: spec.panels,
    width: options.width,
    height: options.height,
    cssHeight: spec.size === 'panel' ? options.height : size.cssHeight,
    wideCircle,
    legendHeight,
    captionHeight,
  });

  active = true;
  const resume = session.isPlaying();
  if (resume) session.setPlaying(false);
  let stage: RecordingStage | null = null;
  try {
    const runs: StageRun[] = list.runs.map((run, index) => ({
      letter: runLetter(index),
      label: run.label,
      colour: runColour(index, theme),
      params: lastFrame.runs[index]?.params ?? run.params,
      source: run.bus,
    }));
    stage = RecordingStage.mount({ plan, theme, runs });
    await yieldToPage();
    const sharp = stage.sharp();
    onStart?.({ frames: steps.length, width: options.width, height: options.height, fps: options.fps });
    const blob = await record(options, stageFrames(stage, steps, frames, spec.caption ? frameCaption : () => '', signal), { signal, onProgress });
    return { blob, name: recordingFileName(options.format, new Date()), frames: steps.length, width: options.width, height: options.height, fps: options.fps, sharp };
  } finally {
    stage?.dispose();
    active = false;
    if (resume) session.setPlaying(true);
  }
}
