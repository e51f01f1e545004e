/**
 * WebM for browsers that have MediaRecorder but not WebCodecs' VideoEncoder. It shows each
 * frame on a canvas and lets MediaRecorder capture the canvas as a live stream.
 *
 * What it cannot do, compared with the worker encoder:
 * - It is real time: each frame has to stay on the canvas for 1/fps s of wall-clock time, so a
 *   60 s video takes at least 60 s, however fast the machine.
 * - Frame timing follows the page's timers: on a busy page a frame can be held too long or too
 *   short (the worker stamps frame i at exactly i/fps), and the browser's live encoder drops
 *   frames it cannot keep up with (on a loaded test machine a 15-frame file kept only 2).
 * - WebM only (no MP4), the encoder's quality settings are the browser's, and Chrome leaves
 *   the WebM's duration empty, so a player learns the length only once it has read the file.
 * - Drawing happens on the page, not in a worker (the encoding itself is the browser's).
 */
import { abortError, RecordError } from './errors';
import { type RecordOptions, WEBM_UNSUPPORTED_MESSAGE } from './formats';
import { closeFrame, isRgbaFrame, type RecordFrame } from './protocol';
import type { RecordControls } from './recorder';
import { progressFraction } from './timing';

const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/** Bits per second for a mostly flat figure: ~8 Mbit/s at 1080p30, scaled by pixels and frame rate. */
function bitrateFor(options: RecordOptions): number {
  return Math.round(options.width * options.height * options.fps * 0.13);
}

/** How long the recorder may take to start after its first frame (it took 0.1–0.3 s in headless Chromium). */
const START_TIMEOUT_MILLISECONDS = 5_000;

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, milliseconds),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function recordWithMediaRecorder(options: RecordOptions, frames: AsyncIterable<RecordFrame>, { onProgress, signal }: RecordControls): Promise<Blob> {
  if (options.format !== 'webm') throw new RecordError('Only WebM can be recorded without WebCodecs.');
  if (typeof MediaRecorder === 'undefined') throw new RecordError(WEBM_UNSUPPORTED_MESSAGE);
  const mimeType = WEBM_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  if (!mimeType) throw new RecordError(WEBM_UNSUPPORTED_MESSAGE);

  const canvas = document.createElement('canvas');
  canvas.width = options.width;
  canvas.height = options.height;
  const context = canvas.getContext('2d');
  if (!context) throw new RecordError('This browser cannot draw the frames to record (no 2D canvas).');
  // Frame rate 0: the stream takes a frame only when requestFrame() is called, so every frame is captured once.
  const stream = canvas.captureStream(0);
  const [track] = stream.getVideoTracks();
  if (!track || !('requestFrame' in track)) throw new RecordError(WEBM_UNSUPPORTED_MESSAGE);
  const capture = track as CanvasCaptureMediaStreamTrack;

  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: bitrateFor(options) });
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));

  const show = (frame: RecordFrame): void => {
    try {
      if (frame.width !== options.width || frame.height !== options.height) {
        throw new RecordError(`Every frame must be ${options.width}×${options.height} pixels; this one is ${frame.width}×${frame.height}.`);
      }
      if (isRgbaFrame(frame)) context.putImageData(new ImageData(new Uint8ClampedArray(frame.rgba), frame.width, frame.height), 0, 0);
      else context.drawImage(frame, 0, 0);
    } finally {
      closeFrame(frame);
    }
    capture.requestFrame();
  };

  const frameMilliseconds = 1000 / options.fps;
  let index = 0;
  let startedAt = 0;
  const recorderStarted = new Promise<boolean>((resolve) => recorder.addEventListener('start', () => resolve(true), { once: true }));
  recorder.start();
  try {
    for await (const frame of frames) {
      if (signal?.aborted) {
        closeFrame(frame);
        throw abortError();
      }
      if (index >= options.frameCount) {
        closeFrame(frame);
        break;
      }
      show(frame);
      if (index === 0) {
        // Chromium's recorder starts (fires 'start') only once a frame arrives, and may drop the
        // frames before that: the first frame is sent again once it has started, and the clock starts then.
        const didStart = await Promise.race([recorderStarted, sleep(START_TIMEOUT_MILLISECONDS, signal).then(() => false)]);
        if (!didStart) throw new RecordError("The browser's video recorder did not start. Try again, or record a GIF.");
        capture.requestFrame();
        startedAt = performance.now();
      }
      index += 1;
      onProgress?.({ encoded: index, total: options.frameCount, fraction: progressFraction(index, options.frameCount) });
      // Hold the frame until its slot ends, measured from the start so waits do not drift.
      await sleep(startedAt + index * frameMilliseconds - performance.now(), signal);
    }
    if (index === 0) throw new RecordError('There was nothing to record: the recording got no frames.');
  } finally {
    if (recorder.state !== 'inactive') recorder.stop();
    await stopped;
    for (const streamTrack of stream.getTracks()) streamTrack.stop();
  }
  return new Blob(chunks, { type: mimeType });
}
