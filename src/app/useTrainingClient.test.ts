import { describe, expect, it } from 'vitest';
import { SCHEMA, defaultParams } from '../core/schema';
import { SnapshotBus } from '../panels/snapshotBus';
import { divergenceMessage } from './NoticeList';
import { isCurrentFrame } from './trainingClient';
import { runListOf } from './runList';
import { frameFitsRuns, loweredLearningRate, statusText, withSyntheticData } from './useTrainingClient';

describe('statusText', () => {
  it('writes the step, the loss to four decimals and the accuracy in percent', () => {
    expect(statusText({ step: 300, loss: 0.123456, trainAccuracy: 0.875 })).toEqual({ step: '300', loss: '0.1235', accuracy: '87.5%' });
  });

  it('keeps the loss to six characters, as the status keeps room for, from the first steps on', () => {
    expect(statusText({ step: 4, loss: 53.41261, trainAccuracy: 0.17 }).loss).toBe('53.413');
    expect(statusText({ step: 1, loss: 123.4567, trainAccuracy: 0.1 }).loss).toBe('123.46');
    expect(statusText({ step: 9, loss: 9.87654, trainAccuracy: 0.4 }).loss).toBe('9.8765');
    for (const loss of [0.0198, 5.6817, 9.99994, 9.99996, 10, 53.4126, 131.2]) expect(statusText({ step: 1, loss, trainAccuracy: 0 }).loss.length, String(loss)).toBeLessThanOrEqual(6);
  });

  it('shows a dash for a loss that is not a finite number', () => {
    expect(statusText({ step: 0, loss: Number.NaN, trainAccuracy: 0 }).loss).toBe('–');
    expect(statusText({ step: 7, loss: Number.POSITIVE_INFINITY, trainAccuracy: 1 })).toEqual({ step: '7', loss: '–', accuracy: '100.0%' });
  });
});

describe('loweredLearningRate', () => {
  it('divides the learning rate by ten and leaves every other setting', () => {
    const params = { ...defaultParams(), lr: 0.01, m2: 0.3 };
    expect(loweredLearningRate(params)).toEqual({ ...params, lr: 0.001 });
  });

  it('rounds to three significant digits, so the slider shows a clean number', () => {
    expect(loweredLearningRate({ ...defaultParams(), lr: 0.0123456 }).lr).toBe(0.00123);
  });

  it('never goes below the schema minimum', () => {
    expect(loweredLearningRate({ ...defaultParams(), lr: SCHEMA.lr.min * 3 }).lr).toBe(SCHEMA.lr.min);
  });
});

describe('frameFitsRuns', () => {
  const frame = (runs: number, generation: number) => ({ runs: Array.from({ length: runs }, () => null), generation }) as unknown as Parameters<typeof frameFitsRuns>[0];

  it('draws a frame of the page’s runs', () => {
    expect(frameFitsRuns(frame(2, 3), 2, -1)).toBe(true);
    expect(frameFitsRuns(frame(1, 1), 1, -1)).toBe(true);
  });

  it('drops a frame with another number of runs (one still on its way when runs were added or removed)', () => {
    expect(frameFitsRuns(frame(3, 5), 2, -1)).toBe(false);
    expect(frameFitsRuns(frame(1, 5), 2, -1)).toBe(false);
  });

  it('drops a frame of a generation from before the runs were replaced', () => {
    expect(frameFitsRuns(frame(2, 4), 2, 4)).toBe(false);
    expect(frameFitsRuns(frame(2, 5), 2, 4)).toBe(true);
  });
});

describe('isCurrentFrame', () => {
  it('draws only frames of the run list the page sent last, whatever the run count', () => {
    expect(isCurrentFrame({ runsVersion: 3 }, 3)).toBe(true);
    // Reset to link in compare mode replaces two runs with two runs: the count cannot tell.
    expect(isCurrentFrame({ runsVersion: 2 }, 3)).toBe(false);
  });
});

describe('divergenceMessage', () => {
  it('says training diverged in single mode', () => {
    expect(divergenceMessage({ step: 120, lastGoodStep: 110, run: null })).toMatch(/^Training diverged at step 120: .* the picture is from step 110\.$/);
  });

  it('names the run in compare mode', () => {
    expect(divergenceMessage({ step: 120, lastGoodStep: 110, run: { letter: 'B', label: 'ArcFace (0.5)' } })).toMatch(/^Run B \(ArcFace \(0\.5\)\) diverged at step 120: .*every run was paused/);
  });
});

describe('withSyntheticData', () => {
  const bus = () => new SnapshotBus();
  it('puts every run of a digits list back on the synthetic data, keeping the rest', () => {
    const list = runListOf({ ...defaultParams(), data: 'digits', seed: 7 }, null, bus);
    const next = withSyntheticData(list);
    expect(next.runs.map((run) => [run.params.data, run.params.seed])).toEqual([['synthetic', 7]]);
  });
  it('leaves a synthetic list as it is', () => {
    const list = runListOf(defaultParams(), null, bus);
    expect(withSyntheticData(list)).toBe(list);
  });
});
