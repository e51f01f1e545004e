import { describe, expect, it } from 'vitest';
import { DIGIT_PIXELS } from '../core/digits';
import { fakeDigitImages } from '../core/digitsFixture';
import { DIGIT_INPUT_SCALE, makeDigitsDataset } from './data';

describe('makeDigitsDataset', () => {
  const digits = fakeDigitImages();
  const dataset = makeDigitsDataset(digits, { identities: 8, samplesPerIdentity: 50 });

  it('has 784 inputs, 8 trained identities, a test part of 180 per digit and 2 unseen identities', () => {
    expect(dataset.inputDim).toBe(DIGIT_PIXELS);
    expect([dataset.train.count, dataset.train.classes]).toEqual([400, 8]);
    expect([dataset.test.count, dataset.test.classes]).toEqual([1440, 8]);
    expect([dataset.heldout.count, dataset.heldout.classes]).toEqual([600, 2]);
    for (const split of [dataset.train, dataset.test, dataset.heldout]) expect(split.inputs.length).toBe(split.count * DIGIT_PIXELS);
  });

  it('scales every split by the same constant, pixel / 255, so train and test inputs mean the same', () => {
    // The fake images are flat: each sample's inputs are one grey, byte × 1/255, in every split.
    for (const split of [dataset.train, dataset.test, dataset.heldout]) {
      for (let i = 0; i < split.count; i += 37) {
        const first = split.inputs[i * DIGIT_PIXELS];
        expect(Math.round(first / DIGIT_INPUT_SCALE)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(first / DIGIT_INPUT_SCALE - Math.round(first / DIGIT_INPUT_SCALE))).toBeLessThan(1e-3);
        expect(first).toBeLessThanOrEqual(1);
      }
    }
    // Sample 0 is digit 0's first image (image 0 of the asset, grey 0); sample 1 is digit 1's first (image 780, grey 780·7 mod 256).
    expect(dataset.train.inputs[DIGIT_PIXELS] * 255).toBeCloseTo((780 * 7) % 256, 3);
  });

  it('is the same for every call: the split is fixed, the seed only moves weights and batches', () => {
    const again = makeDigitsDataset(digits, { identities: 8, samplesPerIdentity: 50 });
    expect(again.train.inputs).toEqual(dataset.train.inputs);
    expect(again.test.labels).toEqual(dataset.test.labels);
  });
});
