/**
 * The page's side of a recording: pulls frames from the caller, hands each to the encoder
 * worker (transferred, never copied), keeps at most MAX_FRAMES_IN_FLIGHT of them queued
 * there, and gives back the finished file. One worker per recording, ended when it ends.
 */
import { abortError, RecordError } from './errors';
import { checkRecordOptions, MP4_UNSUPPORTED_MESSAGE, type RecordOptions } from './formats';
import { FrameWindow } from './frameWindow';
import { recordWithMediaRecorder } from './mediaRecorderFallback';
import { closeFrame, type EncoderRequest, type EncoderResponse, type RecordFrame, type RgbaFrame, transferablesOf } from './protocol';
import { progressFraction } from './timing';

export { RecordError };
export type { RecordFrame, RgbaFrame };

export interface RecordProgress {
  /** Frames encoded so far. */
  encoded: number;
  total: number;
  /** encoded / total, in [0, 1]. */
  fraction: number;
}

export interface RecordControls {
  onProgress?: (progress: RecordProgress) => void;
  /** Aborting cancels the recording: the worker is ended and `record` rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Three 1080p frames are ~25 MB: enough to keep the encoder busy while the page renders the next one, and no more. */
export const MAX_FRAMES_IN_FLIGHT = 3;

/**
 * Records `frames` (at most options.frameCount of them; fewer ends the recording early) into
 * a WebM, MP4 or GIF. The frames are ImageBitmaps (or raw RGBA) of exactly options.width ×
 * options.height; `record` owns them once yielded and closes them. Rejects with a RecordError
 * whose message can be shown as is, or with an AbortError after `signal` aborts.
 */
export async function record(options: RecordOptions, frames: AsyncIterable<RecordFrame>, { onProgress, signal }: RecordControls = {}): Promise<Blob> {
  const problem = checkRecordOptions(options);
  if (problem) throw new RecordError(problem);
  if (signal?.aborted) throw abortError();
  if (options.format !== 'gif' && typeof VideoEncoder === 'undefined') {
    if (options.format === 'mp4') throw new RecordError(MP4_UNSUPPORTED_MESSAGE);
    return recordWithMediaRecorder(options, frames, { onProgress, signal });
  }

  const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'recorder' });
  const send = (request: EncoderRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
  const inFlight = new FrameWindow(MAX_FRAMES_IN_FLIGHT);

  // `failure` rejects on the first error or cancel; it is raced against every wait below, so
  // a cancel is seen at once, even while the caller is still rendering the next frame.
  let fail: (error: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    fail = (error) => {
      inFlight.close(error);
      reject(error);
    };
  });
  failure.catch(() => {});
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let markDone: (result: { bytes: ArrayBuffer; mimeType: string }) => void = () => {};
  const done = new Promise<{ bytes: ArrayBuffer; mimeType: string }>((resolve) => {
    markDone = resolve;
  });

  worker.addEventListener('message', (event: MessageEvent<EncoderResponse>) => {
    const message = event.data;
    switch (message.kind) {
      case 'ready':
        markReady();
        break;
      case 'progress':
        inFlight.acknowledge(message.encoded);
        onProgress?.({ encoded: message.encoded, total: message.total, fraction: progressFraction(message.encoded, message.total) });
        break;
      case 'done':
        markDone({ bytes: message.bytes, mimeType: message.mimeType });
        break;
      case 'error':
        fail(new RecordError(message.message));
        break;
    }
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    fail(new RecordError(`The encoder stopped unexpectedly${event.message ? ` (${event.message})` : ''}. Reload the page and try again.`));
  });
  const onAbort = () => {
    send({ kind: 'cancel' });
    fail(abortError());
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const iterator = frames[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordFrame>> | null = null;
  try {
    send({ kind: 'start', options });
    // An encoder the browser lacks (MP4 without H.264) fails here, before the caller renders a frame.
    await Promise.race([ready, failure]);
    let index = 0;
    while (index < options.frameCount) {
      pending = iterator.next();
      const next = await Promise.race([pending, failure]);
      pending = null;
      if (next.done) break;
      try {
        await Promise.race([inFlight.waitForRoom(), failure]);
      } catch (error) {
        closeFrame(next.value);
        throw error;
      }
      send({ kind: 'frame', index, frame: next.value }, transferablesOf(next.value));
      inFlight.markSent();
      index += 1;
    }
    if (index === 0) throw new RecordError('There was nothing to record: the recording got no frames.');
    send({ kind: 'finish' });
    const { bytes, mimeType } = await Promise.race([done, failure]);
    return new Blob([bytes], { type: mimeType });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
    // A frame the caller yields after we stopped listening is ours to close.
    void pending?.then((next) => !next.done && closeFrame(next.value)).catch(() => {});
    void iterator.return?.()?.catch(() => {});
  }
}
