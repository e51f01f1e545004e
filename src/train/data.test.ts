import { describe, expect, it } from 'vitest';
import { INPUT_DIM, makeDataset } from './data';

describe('the synthetic identity generator', () => {
  const options = { seed: 3, identities: 8, samplesPerIdentity: 200 };

  it('is reproducible from its seed and changes with it', () => {
    const first = makeDataset(options);
    const second = makeDataset(options);
    const other = makeDataset({ ...options, seed: 4 });
    expect(Array.from(second.train.inputs)).toEqual(Array.from(first.train.inputs));
    expect(other.train.inputs[0]).not.toBe(first.train.inputs[0]);
  });

  it('makes the requested identities, interleaved, and as many held-out ones', () => {
    const { train, heldout } = makeDataset(options);
    expect(train.count).toBe(1600);
    expect(train.inputs.length).toBe(1600 * INPUT_DIM);
    expect(Array.from(train.labels.slice(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0]);
    expect(heldout.classes).toBe(8);
    expect(heldout.count).toBe(800);
  });

  it('standardises every input dimension of the training split', () => {
    const { train } = makeDataset(options);
    for (let k = 0; k < INPUT_DIM; k++) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < train.count; i++) { sum += train.inputs[i * INPUT_DIM + k]; squares += train.inputs[i * INPUT_DIM + k] ** 2; }
      expect(sum / train.count).toBeCloseTo(0, 4);
      expect(squares / train.count).toBeCloseTo(1, 3);
    }
  });

  it('lets identities overlap in input space: the nuisance outweighs the identity signal', () => {
    const { train } = makeDataset(options);
    // Between-identity variance of the class means versus the total variance.
    const means = new Float64Array(8 * INPUT_DIM);
    for (let i = 0; i < train.count; i++) for (let k = 0; k < INPUT_DIM; k++) means[train.labels[i] * INPUT_DIM + k] += train.inputs[i * INPUT_DIM + k] / 200;
    let between = 0;
    for (let c = 0; c < 8; c++) for (let k = 0; k < INPUT_DIM; k++) between += means[c * INPUT_DIM + k] ** 2 / 8;
    const fractionExplained = between / INPUT_DIM;
    expect(fractionExplained).toBeGreaterThan(0.05);
    expect(fractionExplained).toBeLessThan(0.5);
  });

  it('supports more identities for the scale benchmark', () => {
    const { train } = makeDataset({ seed: 1, identities: 128, samplesPerIdentity: 20 });
    expect(new Set(train.labels).size).toBe(128);
  });
});
