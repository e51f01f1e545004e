import { describe, expect, it } from 'vitest';
import { frameDuration, frameTimestamp, gifDelayCentiseconds, progressFraction, recordingDuration } from './timing';

describe('frame pacing', () => {
  it('stamps frame i at i/fps and a recording of n frames lasts n/fps', () => {
    expect(frameTimestamp(0, 30)).toBe(0);
    expect(frameTimestamp(30, 30)).toBe(1);
    expect(frameTimestamp(45, 60)).toBe(0.75);
    expect(recordingDuration(30, 30)).toBe(1);
    expect(recordingDuration(90, 60)).toBe(1.5);
  });

  it('does not drift over a long recording: frame 18 000 at 60 fps starts at exactly 300 s', () => {
    expect(frameTimestamp(18_000, 60)).toBe(300);
    let summed = 0;
    for (let i = 0; i < 18_000; i += 1) summed += frameDuration(i, 60);
    expect(summed).toBeCloseTo(300, 9);
  });

  it('gives every frame the same duration, up to rounding', () => {
    for (const fps of [5, 24, 25, 30, 50, 60]) {
      const durations = Array.from({ length: 200 }, (_, i) => frameDuration(i, fps));
      expect(Math.max(...durations.map((d) => Math.abs(d - 1 / fps)))).toBeLessThan(1e-12);
    }
  });
});

describe('GIF delays', () => {
  const total = (frames: number, fps: number) => Array.from({ length: frames }, (_, i) => gifDelayCentiseconds(i, fps)).reduce((a, b) => a + b, 0);

  it('keeps the total right: 30 frames at 30 fps last exactly 100 hundredths', () => {
    expect(total(30, 30)).toBe(100);
    expect(Array.from({ length: 6 }, (_, i) => gifDelayCentiseconds(i, 30))).toEqual([3, 4, 3, 3, 4, 3]);
  });

  it('never drifts by more than half a hundredth, at any frame rate and length', () => {
    for (let fps = 5; fps <= 50; fps += 1) {
      for (const frames of [1, 7, 30, 99, 600]) {
        expect(Math.abs(total(frames, fps) - (frames * 100) / fps)).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('never gives a delay under 2 hundredths up to 50 fps (browsers slow shorter delays to 10)', () => {
    let shortest = Number.POSITIVE_INFINITY;
    for (let fps = 5; fps <= 50; fps += 1) {
      for (let i = 0; i < 600; i += 1) shortest = Math.min(shortest, gifDelayCentiseconds(i, fps));
    }
    expect(shortest).toBe(2);
  });

  it('uses whole hundredths at rates that divide 100', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(gifDelayCentiseconds(i, 10)).toBe(10);
      expect(gifDelayCentiseconds(i, 25)).toBe(4);
      expect(gifDelayCentiseconds(i, 50)).toBe(2);
    }
  });
});

describe('progressFraction', () => {
  it('is done/total clamped to [0, 1], and 1 for an empty total', () => {
    expect(progressFraction(15, 60)).toBe(0.25);
    expect(progressFraction(70, 60)).toBe(1);
    expect(progressFraction(-1, 60)).toBe(0);
    expect(progressFraction(0, 0)).toBe(1);
    expect(progressFraction(3, Number.NaN)).toBe(1);
  });
});
