import { describe, expect, it } from 'vitest';
import { formatFileSize, letterbox, parseStepField, recordingSteps, stepsInRange } from './frameSource';

describe('stepsInRange', () => {
  const kept = [0, 2, 4, 8, 16, 17, 18];
  it('takes every kept step when no range is given', () => {
    expect(stepsInRange(kept, null, null)).toEqual(kept);
  });
  it('includes both ends and only kept steps', () => {
    expect(stepsInRange(kept, 4, 17)).toEqual([4, 8, 16, 17]);
    expect(stepsInRange(kept, 5, 15)).toEqual([8]);
  });
  it('is empty for a range with no kept frame or a reversed range', () => {
    expect(stepsInRange(kept, 9, 15)).toEqual([]);
    expect(stepsInRange(kept, 17, 4)).toEqual([]);
  });
});

describe('parseStepField', () => {
  it('reads empty as open and whole numbers as steps', () => {
    expect(parseStepField('  ')).toBeNull();
    expect(parseStepField(' 40 ')).toBe(40);
  });
  it('refuses anything else', () => {
    for (const text of ['-1', '1.5', 'ten', '1e3']) expect(parseStepField(text)).toBeUndefined();
  });
});

describe('letterbox', () => {
  it('fits a square panel into 720p with bars left and right', () => {
    expect(letterbox({ width: 400, height: 400 }, { width: 1280, height: 720 })).toEqual({ x: 280, y: 0, width: 720, height: 720 });
  });
  it('fits a wide panel with bars above and below', () => {
    expect(letterbox({ width: 800, height: 200 }, { width: 1280, height: 720 })).toEqual({ x: 0, y: 200, width: 1280, height: 320 });
  });
  it('fills a target of the same shape exactly', () => {
    expect(letterbox({ width: 640, height: 360 }, { width: 1920, height: 1080 })).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
  });
  it('never draws outside the target', () => {
    const rect = letterbox({ width: 333, height: 777 }, { width: 1280, height: 720 });
    expect(rect.x + rect.width).toBeLessThanOrEqual(1280);
    expect(rect.y + rect.height).toBeLessThanOrEqual(720);
  });
});

describe('formatFileSize', () => {
  it('says bytes, kilobytes or megabytes', () => {
    expect([formatFileSize(999), formatFileSize(73_400), formatFileSize(12_345_678)]).toEqual(['999 B', '73 KB', '12.3 MB']);
  });
});

describe('recordingSteps', () => {
  const dense = Array.from({ length: 41 }, (_, step) => step);
  it('is every kept step in the range without a pace', () => {
    expect(recordingSteps(dense, 10, 12, null)).toEqual([10, 11, 12]);
  });
  it('takes one frame per k steps where every step was kept', () => {
    expect(recordingSteps(dense, null, null, 5)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(recordingSteps(dense, 3, 20, 10)).toEqual([3, 13]);
  });
  it('shows a thinned stretch at the same pace, repeating the kept frame at or before each step', () => {
    const thinned = [0, 16, 32, 33, 34, 35];
    expect(recordingSteps(thinned, null, null, 8)).toEqual([0, 0, 16, 16, 32]);
    expect(recordingSteps(thinned, 30, null, 1)).toEqual([32, 33, 34, 35]);
  });
  it('is empty for a range with no kept frame, and refuses a pace that is not a whole number of steps', () => {
    expect(recordingSteps(dense, 100, 200, 5)).toEqual([]);
    expect(() => recordingSteps(dense, null, null, 0)).toThrow(RangeError);
    expect(() => recordingSteps(dense, null, null, 2.5)).toThrow(RangeError);
  });
});
