/**
 * Recording (issue 12):
 * - Encoding speed: the circle panel recorded from the sidebar to a 720p and a 1080p WebM
 *   in the built app, one video frame per kept frame, frames/s from pressing Record to the
 *   download (each frame redrawn on the recording stage, rasterised and encoded). In a
 *   Chromium of its own without a GPU process (--disable-gpu, as the e2e tests record):
 *   with the benchmark's SwiftShader flags every canvas draw goes through emulated GL,
 *   (a 720p recording ran at 1.7 frames/s in one run here, against 27.7 without it, at a
 *   higher load), which says nothing about a GPU or a CPU-only machine.
 * - The timeline's memory at 10,000 steps, in Node: src/core/timeline.ts's FrameHistory fed
 *   frames of the paper toy's real array sizes (8 identities × 300 samples, 800 held out),
 *   one drawn frame per step (the densest a page draws), with the ArrayBuffer memory Node
 *   reports beside the history's own count.
 */
import { stat } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumPath, QUIET_FLAGS } from '../e2e/browser';
import type { SessionFrame } from '../src/core/snapshot';
import { realSizeRun } from '../src/core/snapshotFixture';
import { FrameHistory, frameBytes, TIMELINE_CEILING_BYTES } from '../src/core/timeline';
import { failed, type Outcome } from './report';
import { BENCH_ORIGIN } from './serve';

/** Kept frames to record: 3 s of video at 30 fps. */
const RECORD_FRAMES = 90;
const HISTORY_STEPS = 10_000;

export interface EncodingResult {
  size: '720p' | '1080p';
  width: number;
  height: number;
  frames: number;
  elapsedMs: number;
  framesPerSecond: number;
  bytes: number;
  /** Device pixels per CSS pixel of the stage's canvases while recording (1.5 at 1080p: drawn at the recording's resolution). */
  stagePixelRatio: number | null;
}

export interface HistoryResult {
  runs: number;
  steps: number;
  /** One frame's arrays and overhead, as the history counts them. */
  frameBytes: number;
  keptFrames: number;
  heldBytes: number;
  peakBytes: number;
  ceilingBytes: number;
  /** Every n-th older drawn frame is kept. */
  stride: number;
  largestGapSteps: number;
  /** What Node's process.memoryUsage().arrayBuffers grew by while the history was held (after a GC); null without a GC. */
  arrayBufferBytes: number | null;
  /** Time to add one frame, thinning included. */
  addMicroseconds: number;
}

export interface RecordResults {
  encoding: Outcome<EncodingResult>[];
  history: Outcome<HistoryResult>[];
}

type Guarded = <T>(label: string, run: () => Promise<T>) => Promise<Outcome<T> | 'skipped'>;

/** Node's collector, reached without --expose-gc (tsx runs the benchmark), so the ArrayBuffer figure is not last round's garbage. */
function collector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    return null;
  }
}

function frameAt(step: number, runs: number): SessionFrame {
  return {
    step,
    generation: 1,
    runsVersion: 0,
    backend: 'wasm',
    stepsPerSecond: 30,
    playing: true,
    runs: Array.from({ length: runs }, (_, index) => realSizeRun(index, step, (i) => Math.sin(i + step))),
  };
}

/** A full collection, twice with a pause between: V8 frees ArrayBuffer memory on a background sweeper, after the collection itself. */
async function settle(gc: (() => void) | null): Promise<void> {
  if (!gc) return;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

export async function measureHistory(runs: number, steps = HISTORY_STEPS): Promise<HistoryResult> {
  const gc = collector();
  await settle(gc);
  const before = process.memoryUsage().arrayBuffers;
  const history = new FrameHistory();
  let peak = 0;
  let addMs = 0;
  for (let step = 0; step <= steps; step++) {
    const frame = frameAt(step, runs);
    const started = performance.now();
    history.add(frame);
    addMs += performance.now() - started;
    peak = Math.max(peak, history.bytes);
  }
  await settle(gc);
  const after = process.memoryUsage().arrayBuffers;
  const kept = history.steps();
  let gap = 0;
  for (let index = 1; index < kept.length; index++) gap = Math.max(gap, kept[index] - kept[index - 1]);
  return {
    runs,
    steps,
    frameBytes: frameBytes(frameAt(0, runs)),
    keptFrames: history.size,
    heldBytes: history.bytes,
    peakBytes: peak,
    ceilingBytes: TIMELINE_CEILING_BYTES,
    stride: history.stride,
    largestGapSteps: gap,
    arrayBufferBytes: gc ? after - before : null,
    addMicroseconds: (addMs * 1000) / (steps + 1),
  };
}

async function keptFrames(page: Page): Promise<number> {
  return Number((await page.getByTestId('record-frame-count').getAttribute('data-frames')) ?? '0');
}

/** Records the circle panel as a WebM of every kept frame from `from` on, and times it from the click to the download. */
async function recordCircle(page: Page, size: '720p' | '1080p', from: number | null): Promise<EncodingResult> {
  await page.getByTestId('record-format').selectOption('webm');
  await page.getByTestId('record-size').selectOption(size);
  await page.getByTestId('record-fps').fill('30');
  await page.getByTestId('record-from').fill(from === null ? '' : String(from));
  const frames = await keptFrames(page);
  const download = page.waitForEvent('download', { timeout: 240_000 });
  const started = Date.now();
  await page.getByTestId('record-start').click();
  const ratio = await page
    .locator('.record-stage-host canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => canvas.width / canvas.getBoundingClientRect().width, undefined, { timeout: 10_000 })
    .catch(() => null);
  const file = await download;
  const elapsedMs = Date.now() - started;
  const path = await file.path();
  const width = size === '720p' ? 1280 : 1920;
  return { size, width, height: (width * 9) / 16, frames, elapsedMs, framesPerSecond: (frames * 1000) / elapsedMs, bytes: (await stat(path)).size, stagePixelRatio: ratio };
}

/** A WASM run of the circle panel at one step a frame, paused once the timeline keeps RECORD_FRAMES frames. */
async function trainedPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${BENCH_ORIGIN}?backend=wasm&panels=circle&speed=1`);
  await page.getByTestId('record-open').click();
  const deadline = Date.now() + 90_000;
  while ((await keptFrames(page)) < RECORD_FRAMES) {
    if (Date.now() > deadline) throw new Error(`the timeline kept only ${await keptFrames(page)} frames in 90 s`);
    await page.waitForTimeout(250);
  }
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.documentElement.dataset.framePlaying === 'false');
  return page;
}

export async function measureRecord(guarded: Guarded): Promise<RecordResults> {
  const encoding: Outcome<EncodingResult>[] = [];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--disable-gpu', ...QUIET_FLAGS] });
  try {
    await measureEncoding(browser, guarded, encoding);
  } finally {
    await browser.close().catch(() => undefined);
  }
  const history: Outcome<HistoryResult>[] = [];
  for (const runs of [1, 2]) {
    const result = await guarded(`timeline history, ${runs} run(s), ${HISTORY_STEPS} steps`, () => measureHistory(runs));
    history.push(result === 'skipped' ? { error: 'skipped (time budget)' } : result);
  }
  return { encoding, history };
}

async function measureEncoding(browser: Browser, guarded: Guarded, encoding: Outcome<EncodingResult>[]): Promise<void> {
  const page = await guarded('record: a trained circle panel', () => trainedPage(browser));
  if (page === 'skipped' || failed(page)) encoding.push(page === 'skipped' ? { error: 'skipped (time budget)' } : page);
  else {
    try {
      const steps = Number(await page.getByTestId('status-step').textContent());
      // The first recording pays once for the encoder's chunk, the worker's start and the fonts.
      await guarded('record: warm-up', () => recordCircle(page, '720p', Number.isFinite(steps) ? Math.max(0, steps - 4) : null));
      for (const size of ['720p', '1080p'] as const) {
        const result = await guarded(`record: circle panel, WebM ${size}`, () => recordCircle(page, size, null));
        encoding.push(result === 'skipped' ? { error: 'skipped (time budget)' } : result);
      }
    } finally {
      await page.context().close();
    }
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function renderRecord(results: RecordResults): string[] {
  const lines = ['## Recording', ''];
  lines.push(
    'Circle panel, recorded from the sidebar as WebM, one video frame per kept frame: frames/s from pressing Record to the download (drawing each frame and encoding it), in Chromium without a GPU process (--disable-gpu).',
    '',
  );
  lines.push('| size | frames | time | frames/s | file | stage pixel ratio |', '|---|---|---|---|---|---|');
  for (const outcome of results.encoding) {
    if (failed(outcome)) lines.push(`| – | ${outcome.error} | | | | |`);
    else
      lines.push(
        `| ${outcome.size} (${outcome.width}×${outcome.height}) | ${outcome.frames} | ${outcome.elapsedMs} ms | **${outcome.framesPerSecond.toFixed(1)}** | ${(outcome.bytes / 1024).toFixed(0)} KiB | ${outcome.stagePixelRatio?.toFixed(2) ?? '–'} |`,
      );
  }
  lines.push('', `Timeline history (src/core/timeline.ts) after ${HISTORY_STEPS.toLocaleString('en')} steps drawn one a frame, 8 identities × 300 samples:`, '');
  lines.push('| runs | a frame | frames kept | held (peak) | ceiling | older frames kept | largest gap | ArrayBuffers (Node) | add a frame |', '|---|---|---|---|---|---|---|---|---|');
  for (const outcome of results.history) {
    if (failed(outcome)) lines.push(`| – | ${outcome.error} | | | | | | | |`);
    else
      lines.push(
        `| ${outcome.runs} | ${(outcome.frameBytes / 1024).toFixed(1)} KiB | ${outcome.keptFrames} | ${mib(outcome.heldBytes)} (${mib(outcome.peakBytes)}) | ${mib(outcome.ceilingBytes)} | every ${outcome.stride} | ${outcome.largestGapSteps} steps | ${outcome.arrayBufferBytes === null ? '–' : mib(outcome.arrayBufferBytes)} | ${outcome.addMicroseconds.toFixed(1)} µs |`,
      );
  }
  lines.push('');
  return lines;
}
