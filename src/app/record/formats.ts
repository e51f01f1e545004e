/**
 * What a recording may be: its container, size, frame rate and length, checked before any
 * encoder starts, so a bad request gets one sentence instead of a half-written file.
 * Pure: no DOM, no WebCodecs (the worker asks the browser what it can encode).
 */

export const RECORD_FORMATS = ['webm', 'mp4', 'gif'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const SIZE_PRESETS = {
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
} as const;
export type SizePreset = keyof typeof SIZE_PRESETS;

/** A preset, or a panel's own size in CSS pixels (clamped and made even). */
export type RecordSize = SizePreset | { width: number; height: number };

/** What the page asks for; `resolveRecordOptions` turns it into RecordOptions or a message. */
export interface RecordRequest {
  format: string;
  size: RecordSize;
  fps: number;
  frameCount: number;
}

/** A checked recording: every field is within the limits below. */
export interface RecordOptions {
  format: RecordFormat;
  width: number;
  height: number;
  fps: number;
  /** How many frames the recording holds at most; the source may end earlier. */
  frameCount: number;
}

/** Smaller than a panel's smallest size is unreadable; larger than 4K no slide needs, and encoders refuse it. */
export const MIN_SIDE = 64;
export const MAX_SIDE = 3840;
/** 5 fps for a slow step-by-step GIF; above 60 no projector shows the difference. */
export const MIN_FPS = 5;
export const MAX_FPS = 60;
/** GIF delays are whole hundredths of a second and browsers slow any delay under 2/100 s to 1/10 s, so 50 fps is the fastest a GIF really plays. */
export const MAX_GIF_FPS = 50;
/** Five minutes at 60 fps: the whole file is built in memory (BufferTarget), a few hundred MB at most. */
export const MAX_VIDEO_FRAMES = 18_000;
/** A GIF stores every frame with its own palette and no inter-frame compression: 600 frames of 720p are already ~100 MB+. */
export const MAX_GIF_FRAMES = 600;
/** 1280×720: a 1080p GIF is too large for slides and too slow to quantise frame by frame. */
export const MAX_GIF_PIXELS = 1280 * 720;

/** Codecs tried in order for each video container (mediabunny's names). */
export const VIDEO_CODEC_CANDIDATES = {
  // VP9 is smaller at the same quality; VP8 plays everywhere WebM plays.
  webm: ['vp9', 'vp8'],
  // PowerPoint and Keynote want H.264 in MP4; an MP4 with VP9 would not help them.
  mp4: ['avc'],
} as const satisfies Record<Exclude<RecordFormat, 'gif'>, readonly string[]>;

/** H.264 levels: the most macroblocks per frame and per second each allows (ITU-T H.264 Table A-1). */
const AVC_LEVELS = [
  { level: 0x1f, frameMacroblocks: 3_600, macroblocksPerSecond: 108_000 }, // 3.1
  { level: 0x28, frameMacroblocks: 8_192, macroblocksPerSecond: 245_760 }, // 4.0
  { level: 0x2a, frameMacroblocks: 8_704, macroblocksPerSecond: 522_240 }, // 4.2
  { level: 0x33, frameMacroblocks: 36_864, macroblocksPerSecond: 983_040 }, // 5.1
  { level: 0x34, frameMacroblocks: 36_864, macroblocksPerSecond: 2_073_600 }, // 5.2
] as const;

/**
 * H.264 codec strings to try after mediabunny's own choice (High profile), for encoders that
 * only offer Main or Constrained Baseline (some software H.264 encoders): same size, lower profile.
 */
export function avcFallbackCodecStrings(width: number, height: number, fps: number): string[] {
  const frameMacroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const fitting = AVC_LEVELS.find((entry) => frameMacroblocks <= entry.frameMacroblocks && frameMacroblocks * fps <= entry.macroblocksPerSecond) ?? AVC_LEVELS[AVC_LEVELS.length - 1];
  const level = fitting.level.toString(16).padStart(2, '0');
  // 4d00: Main; 42e0: Constrained Baseline.
  return [`avc1.4d00${level}`, `avc1.42e0${level}`];
}

export const MIME_TYPES: Record<RecordFormat, string> = { webm: 'video/webm', mp4: 'video/mp4', gif: 'image/gif' };
export const FILE_EXTENSIONS: Record<RecordFormat, string> = { webm: 'webm', mp4: 'mp4', gif: 'gif' };

/** Shown when the browser has no H.264 encoder, which some Chromium builds and Linux browsers lack. */
export const MP4_UNSUPPORTED_MESSAGE =
  'This browser cannot encode H.264, so it cannot make an MP4. Record a WebM or a GIF instead, or make the MP4 in Chrome or Edge on Windows or macOS, or in Safari.';
export const WEBM_UNSUPPORTED_MESSAGE = 'This browser cannot encode VP9 or VP8 video, so it cannot make a WebM. Record a GIF, or use a current Chrome, Edge or Firefox.';

export type ResolveResult = { ok: true; options: RecordOptions; notes: string[] } | { ok: false; error: string };

function isRecordFormat(value: string): value is RecordFormat {
  return (RECORD_FORMATS as readonly string[]).includes(value);
}

function isSizePreset(value: unknown): value is SizePreset {
  return typeof value === 'string' && Object.hasOwn(SIZE_PRESETS, value);
}

/** The largest even number within [MIN_SIDE, MAX_SIDE] not above `side`: H.264 and VP9 with 4:2:0 chroma need even sides. */
function evenSide(side: number): number {
  const clamped = Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.floor(side)));
  return clamped - (clamped % 2);
}

/**
 * Checks a request and turns it into options. Sizes are corrected (with a note, since a
 * panel's measured size is never wrong on purpose); format, frame rate and length are refused
 * with a message, since guessing them would record something the user did not ask for.
 */
export function resolveRecordOptions(request: RecordRequest): ResolveResult {
  const { format, size, fps, frameCount } = request;
  if (typeof format !== 'string' || !isRecordFormat(format)) return { ok: false, error: `Unknown recording format ${JSON.stringify(format)}: choose WebM, MP4 or GIF.` };

  const notes: string[] = [];
  let width: number;
  let height: number;
  if (isSizePreset(size)) {
    ({ width, height } = SIZE_PRESETS[size]);
  } else if (typeof size === 'object' && size !== null && Number.isFinite(size.width) && Number.isFinite(size.height) && size.width > 0 && size.height > 0) {
    width = evenSide(size.width);
    height = evenSide(size.height);
    if (width !== size.width || height !== size.height)
      notes.push(`The recording size ${size.width}×${size.height} became ${width}×${height} (even sides between ${MIN_SIDE} and ${MAX_SIDE} pixels).`);
  } else {
    return { ok: false, error: 'The recording size must be 720p, 1080p or a panel size in pixels.' };
  }

  const fpsLimit = format === 'gif' ? MAX_GIF_FPS : MAX_FPS;
  if (!Number.isInteger(fps) || fps < MIN_FPS || fps > fpsLimit) {
    const why = format === 'gif' ? ' (browsers slow down faster GIFs)' : '';
    return { ok: false, error: `The frame rate must be a whole number from ${MIN_FPS} to ${fpsLimit} frames per second${why}, not ${fps}.` };
  }

  const frameLimit = format === 'gif' ? MAX_GIF_FRAMES : MAX_VIDEO_FRAMES;
  if (!Number.isInteger(frameCount) || frameCount < 1 || frameCount > frameLimit) {
    const seconds = Math.floor(frameLimit / fps);
    return { ok: false, error: `A ${format.toUpperCase()} recording holds 1 to ${frameLimit} frames (${seconds} s at ${fps} fps), not ${frameCount}.` };
  }

  if (format === 'gif' && width * height > MAX_GIF_PIXELS) {
    return { ok: false, error: `A GIF can be at most 1280×720 pixels (this one is ${width}×${height}): choose 720p or fewer panels, or record a video.` };
  }

  return { ok: true, options: { format, width, height, fps, frameCount }, notes };
}

/** The same limits, for options that did not come through resolveRecordOptions (e.g. built by hand or sent across a worker). */
export function checkRecordOptions(options: RecordOptions): string | null {
  const result = resolveRecordOptions({ format: options.format, size: { width: options.width, height: options.height }, fps: options.fps, frameCount: options.frameCount });
  if (!result.ok) return result.error;
  const { width, height } = result.options;
  if (width !== options.width || height !== options.height) return `The recording size ${options.width}×${options.height} is not allowed: use even sides between ${MIN_SIDE} and ${MAX_SIDE} pixels.`;
  return null;
}

/** A file name that sorts by time and says what it holds, e.g. arcface-2026-11-29-1320.webm. */
export function recordingFileName(format: RecordFormat, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
  return `arcface-${stamp}.${FILE_EXTENSIONS[format]}`;
}
