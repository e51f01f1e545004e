/**
 * The messages between the page (recorder.ts) and the encoder worker (encoder.worker.ts).
 * Pixels and the finished file are transferred, never copied.
 */
import type { RecordOptions } from './formats';

/** A frame as raw pixels: width × height × 4 bytes, row by row, RGBA, not premultiplied. */
export interface RgbaFrame {
  width: number;
  height: number;
  rgba: ArrayBuffer;
}

export type RecordFrame = ImageBitmap | RgbaFrame;

export type EncoderRequest =
  | { kind: 'start'; options: RecordOptions }
  /** Frames arrive in order; `index` is checked so a lost or doubled frame is an error, not a jump in the video. */
  | { kind: 'frame'; index: number; frame: RecordFrame }
  | { kind: 'finish' }
  | { kind: 'cancel' };

export type EncoderResponse =
  /** The encoder is set up; `codec` is what it chose (vp9, vp8, avc or gif). */
  | { kind: 'ready'; codec: string }
  /** `encoded` frames are done in all: the page's backpressure counter and progress bar. */
  | { kind: 'progress'; encoded: number; total: number }
  | { kind: 'done'; bytes: ArrayBuffer; mimeType: string; frameCount: number }
  | { kind: 'error'; message: string };

export function isRgbaFrame(frame: RecordFrame): frame is RgbaFrame {
  return 'rgba' in frame;
}

/** What a page can hand over in one postMessage without copying. */
export function transferablesOf(frame: RecordFrame): Transferable[] {
  return isRgbaFrame(frame) ? [frame.rgba] : [frame];
}

/** Frees an ImageBitmap's pixels now rather than at the next garbage collection (8 MB at 1080p). */
export function closeFrame(frame: RecordFrame): void {
  if (!isRgbaFrame(frame)) frame.close();
}
