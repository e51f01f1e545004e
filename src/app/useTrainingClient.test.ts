import { describe, expect, it } from 'vitest';
import { SCHEMA, defaultParams } from '../core/schema';
import { loweredLearningRate, statusText } from './useTrainingClient';

describe('statusText', () => {
  it('writes the step, the loss to four decimals and the accuracy in percent', () => {
    expect(statusText({ step: 300, loss: 0.123456, trainAccuracy: 0.875 })).toEqual({ step: '300', loss: '0.1235', accuracy: '87.5%' });
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
