import { describe, expect, it } from 'vitest';
import {
  avcFallbackCodecStrings,
  checkRecordOptions,
  MAX_GIF_FRAMES,
  MAX_SIDE,
  MAX_VIDEO_FRAMES,
  MIN_SIDE,
  type RecordRequest,
  recordingFileName,
  resolveRecordOptions,
  VIDEO_CODEC_CANDIDATES,
} from './formats';

const base: RecordRequest = { format: 'webm', size: '720p', fps: 30, frameCount: 30 };

function errorOf(request: RecordRequest): string {
  const result = resolveRecordOptions(request);
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(request)}`);
  return result.error;
}

describe('resolveRecordOptions', () => {
  it('maps the presets to their sizes', () => {
    expect(resolveRecordOptions(base)).toEqual({ ok: true, options: { format: 'webm', width: 1280, height: 720, fps: 30, frameCount: 30 }, notes: [] });
    const full = resolveRecordOptions({ ...base, format: 'mp4', size: '1080p', fps: 60, frameCount: 600 });
    expect(full.ok && full.options).toEqual({ format: 'mp4', width: 1920, height: 1080, fps: 60, frameCount: 600 });
  });

  it('makes a panel size even and clamps it, with a note', () => {
    const odd = resolveRecordOptions({ ...base, size: { width: 331, height: 305.6 } });
    expect(odd.ok && odd.options).toMatchObject({ width: 330, height: 304 });
    expect(odd.ok && odd.notes[0]).toMatch(/331×305.6 became 330×304/);
    const tiny = resolveRecordOptions({ ...base, size: { width: 10, height: 9000 } });
    expect(tiny.ok && tiny.options).toMatchObject({ width: MIN_SIDE, height: MAX_SIDE });
    const exact = resolveRecordOptions({ ...base, size: { width: 640, height: 480 } });
    expect(exact.ok && exact.notes).toEqual([]);
  });

  it('refuses a size that is not a preset or a positive finite panel size', () => {
    for (const size of ['4k', { width: Number.NaN, height: 10 }, { width: 0, height: 100 }, { width: 100, height: Number.POSITIVE_INFINITY }, null] as unknown as RecordRequest['size'][]) {
      expect(errorOf({ ...base, size })).toMatch(/720p, 1080p or a panel size/);
    }
  });

  it('refuses an unknown format, naming the ones it knows', () => {
    expect(errorOf({ ...base, format: 'avi' })).toBe('Unknown recording format "avi": choose WebM, MP4 or GIF.');
    expect(errorOf({ ...base, format: 'toString' })).toMatch(/Unknown recording format/);
  });

  it('refuses frame rates outside 5–60, fractional ones, and GIFs over 50', () => {
    for (const fps of [4, 61, 29.97, Number.NaN]) expect(errorOf({ ...base, fps })).toMatch(/from 5 to 60 frames per second/);
    expect(errorOf({ ...base, format: 'gif', fps: 60 })).toMatch(/from 5 to 50 frames per second \(browsers slow down faster GIFs\)/);
    expect(resolveRecordOptions({ ...base, format: 'gif', fps: 50 }).ok).toBe(true);
    expect(resolveRecordOptions({ ...base, fps: 60 }).ok).toBe(true);
  });

  it('refuses an empty, fractional or over-long recording, with the limit in seconds', () => {
    for (const frameCount of [0, -3, 2.5]) expect(errorOf({ ...base, frameCount })).toMatch(/holds 1 to/);
    expect(errorOf({ ...base, frameCount: MAX_VIDEO_FRAMES + 1 })).toBe(`A WEBM recording holds 1 to ${MAX_VIDEO_FRAMES} frames (600 s at 30 fps), not ${MAX_VIDEO_FRAMES + 1}.`);
    expect(resolveRecordOptions({ ...base, frameCount: MAX_VIDEO_FRAMES }).ok).toBe(true);
    expect(errorOf({ ...base, format: 'gif', frameCount: MAX_GIF_FRAMES + 1 })).toMatch(`1 to ${MAX_GIF_FRAMES} frames`);
    expect(resolveRecordOptions({ ...base, format: 'gif', frameCount: MAX_GIF_FRAMES }).ok).toBe(true);
  });

  it('keeps GIFs at 720p or smaller', () => {
    expect(errorOf({ ...base, format: 'gif', size: '1080p' })).toMatch(/at most 1280×720 pixels \(this one is 1920×1080\)/);
    expect(resolveRecordOptions({ ...base, format: 'gif', size: '720p' }).ok).toBe(true);
    expect(resolveRecordOptions({ ...base, format: 'gif', size: { width: 1000, height: 900 } }).ok).toBe(true);
    expect(resolveRecordOptions({ ...base, format: 'gif', size: { width: 1400, height: 700 } }).ok).toBe(false);
  });
});

describe('checkRecordOptions', () => {
  it('accepts resolved options and refuses hand-made odd or out-of-range ones', () => {
    expect(checkRecordOptions({ format: 'mp4', width: 1920, height: 1080, fps: 30, frameCount: 10 })).toBeNull();
    expect(checkRecordOptions({ format: 'mp4', width: 1921, height: 1080, fps: 30, frameCount: 10 })).toMatch(/1921×1080 is not allowed/);
    expect(checkRecordOptions({ format: 'webm', width: 1920, height: 1080, fps: 0, frameCount: 10 })).toMatch(/frame rate/);
  });
});

describe('codecs and names', () => {
  it('tries VP9 then VP8 for WebM and only H.264 for MP4', () => {
    expect(VIDEO_CODEC_CANDIDATES.webm).toEqual(['vp9', 'vp8']);
    expect(VIDEO_CODEC_CANDIDATES.mp4).toEqual(['avc']);
  });

  it('offers Main then Constrained Baseline H.264 at the lowest level that fits the size and rate', () => {
    expect(avcFallbackCodecStrings(1280, 720, 30)).toEqual(['avc1.4d001f', 'avc1.42e01f']);
    expect(avcFallbackCodecStrings(1280, 720, 60)).toEqual(['avc1.4d0028', 'avc1.42e028']);
    expect(avcFallbackCodecStrings(1920, 1080, 30)).toEqual(['avc1.4d0028', 'avc1.42e028']);
    expect(avcFallbackCodecStrings(1920, 1080, 60)).toEqual(['avc1.4d002a', 'avc1.42e02a']);
    expect(avcFallbackCodecStrings(3840, 2160, 60)).toEqual(['avc1.4d0034', 'avc1.42e034']);
  });

  it('names a file by its time and format', () => {
    expect(recordingFileName('gif', new Date(2026, 10, 9, 8, 5))).toBe('arcface-2026-11-09-0805.gif');
  });
});
