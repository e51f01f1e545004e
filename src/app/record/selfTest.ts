/**
 * A recording of synthetic frames (a coloured disc crossing the frame), for the end-to-end
 * test and the benchmark through window.__arcfaceDebug.recordTest under ?debug=1. It goes
 * through the same `record()` the app uses, so it checks the worker, the codecs and the CSP.
 */
import { resolveRecordOptions, type RecordSize } from './formats';
import { record } from './recorder';

export interface RecordTestRequest {
  format: string;
  size: RecordSize;
  fps: number;
  frameCount: number;
  /** Abort after this many frames have been handed over, to test cancelling. */
  cancelAfterFrames?: number;
  /** Return the file as base64 too (read after the clock has stopped, so it is not timed). */
  includeBytes?: boolean;
}

export type RecordTestResult =
  | {
      ok: true;
      /** A blob: URL of the file, valid while the page is open. */
      url: string;
      mimeType: string;
      byteLength: number;
      /** Frames the recorder took from the source. */
      framesRendered: number;
      elapsedMilliseconds: number;
      framesPerSecond: number;
      /** Progress callbacks seen, and the last fraction. */
      progressEvents: number;
      lastFraction: number;
      notes: string[];
      base64?: string;
    }
  | { ok: false; name: string; message: string; framesRendered: number; elapsedMilliseconds: number };

function drawFrame(context: OffscreenCanvasRenderingContext2D, index: number, frameCount: number, width: number, height: number): void {
  context.fillStyle = '#fafafa';
  context.fillRect(0, 0, width, height);
  const radius = Math.min(width, height) / 6;
  const progress = frameCount > 1 ? index / (frameCount - 1) : 0;
  context.fillStyle = `hsl(${Math.round(progress * 300)} 70% 45%)`;
  context.beginPath();
  context.arc(radius + progress * (width - 2 * radius), height / 2, radius, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = '#1d1d1f';
  context.font = `${Math.round(height / 20)}px sans-serif`;
  context.fillText(`frame ${index + 1} of ${frameCount}`, height / 30, height / 15);
}

async function* syntheticFrames(width: number, height: number, frameCount: number, onFrame: (index: number) => void): AsyncGenerator<ImageBitmap> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser has no OffscreenCanvas 2D context to draw the test frames.');
  for (let index = 0; index < frameCount; index += 1) {
    drawFrame(context, index, frameCount, width, height);
    onFrame(index);
    yield canvas.transferToImageBitmap();
  }
}

function base64Of(blob: Blob): Promise<string> {
  // FileReader encodes off the main thread's JS; a btoa loop over megabytes would be one long task.
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('Reading the recording failed.'));
    reader.readAsDataURL(blob);
  });
}

export async function recordSynthetic(request: RecordTestRequest): Promise<RecordTestResult> {
  const startedAt = performance.now();
  let framesRendered = 0;
  const resolved = resolveRecordOptions(request);
  if (!resolved.ok) return { ok: false, name: 'RecordError', message: resolved.error, framesRendered, elapsedMilliseconds: 0 };
  const { options, notes } = resolved;
  const controller = new AbortController();
  let progressEvents = 0;
  let lastFraction = 0;
  const frames = syntheticFrames(options.width, options.height, options.frameCount, (index) => {
    framesRendered = index + 1;
    if (request.cancelAfterFrames !== undefined && framesRendered > request.cancelAfterFrames) controller.abort();
  });
  try {
    const blob = await record(options, frames, {
      signal: controller.signal,
      onProgress: (progress) => {
        progressEvents += 1;
        lastFraction = progress.fraction;
      },
    });
    const elapsedMilliseconds = performance.now() - startedAt;
    return {
      ok: true,
      url: URL.createObjectURL(blob),
      mimeType: blob.type,
      byteLength: blob.size,
      framesRendered,
      elapsedMilliseconds,
      framesPerSecond: (framesRendered * 1000) / elapsedMilliseconds,
      progressEvents,
      lastFraction,
      notes,
      base64: request.includeBytes ? await base64Of(blob) : undefined,
    };
  } catch (error) {
    const { name, message } = error instanceof Error || error instanceof DOMException ? error : { name: 'Error', message: String(error) };
    return { ok: false, name, message, framesRendered, elapsedMilliseconds: performance.now() - startedAt };
  }
}
