import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SAMPLES_PER_IDENTITY, INPUT_DIM, makeDataset, type Split } from './data';

/** Mean input of each identity, classes × INPUT_DIM. */
function classMeans(split: Split): Float64Array {
  const means = new Float64Array(split.classes * INPUT_DIM);
  const counts = new Float64Array(split.classes);
  for (let i = 0; i < split.count; i++) {
    counts[split.labels[i]]++;
    for (let k = 0; k < INPUT_DIM; k++) means[split.labels[i] * INPUT_DIM + k] += split.inputs[i * INPUT_DIM + k];
  }
  for (let index = 0; index < means.length; index++) means[index] /= counts[Math.floor(index / INPUT_DIM)];
  return means;
}

function nearestMean(row: ArrayLike<number>, rowIndex: number, means: Float64Array, classes: number): number {
  let best = Infinity;
  let bestClass = -1;
  for (let c = 0; c < classes; c++) {
    let squared = 0;
    for (let k = 0; k < INPUT_DIM; k++) squared += (row[rowIndex * INPUT_DIM + k] - means[c * INPUT_DIM + k]) ** 2;
    if (squared < best) {
      best = squared;
      bestClass = c;
    }
  }
  return bestClass;
}

/** Fraction of a split's samples whose nearest training identity mean is their own label. */
function nearestMeanAgreement(split: Split, trainMeans: Float64Array): number {
  let agree = 0;
  for (let i = 0; i < split.count; i++) if (nearestMean(split.inputs, i, trainMeans, split.classes) === split.labels[i]) agree++;
  return agree / split.count;
}

/** FNV-1a over the bytes of a typed array: a short fingerprint of a whole split. */
function fingerprint(values: Float32Array | Int32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let hash = 2166136261;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

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
      for (let i = 0; i < train.count; i++) {
        sum += train.inputs[i * INPUT_DIM + k];
        squares += train.inputs[i * INPUT_DIM + k] ** 2;
      }
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

  // Taken from the generator before the test split existed (commit 673b999): adding it
  // must not move a single bit of the training or held-out data, so old results stand.
  it.each([
    [{ seed: 1, identities: 8, samplesPerIdentity: 300 }, '1af39421', 'aaa86dc5', '06e1c348', '09c08dc5'],
    [{ seed: 3, identities: 8, samplesPerIdentity: 200 }, '26bce54a', '82447dc5', '712ddd54', '09c08dc5'],
    [{ seed: 42, identities: 32, samplesPerIdentity: 20, heldoutSamplesPerIdentity: 7 }, '262604be', '8f8857c5', '219a9df8', '3e580545'],
  ])('%j gives the same train and held-out data as before the test split', (options, trainInputs, trainLabels, heldoutInputs, heldoutLabels) => {
    const { train, heldout } = makeDataset(options);
    expect([fingerprint(train.inputs), fingerprint(train.labels), fingerprint(heldout.inputs), fingerprint(heldout.labels)]).toEqual([trainInputs, trainLabels, heldoutInputs, heldoutLabels]);
  });
});

describe('the test split: unseen samples of the trained identities', () => {
  const options = { seed: 1, identities: 8, samplesPerIdentity: 300 };

  it('holds 300 samples of each training identity by default, interleaved like the training split', () => {
    const { test } = makeDataset(options);
    expect(DEFAULT_TEST_SAMPLES_PER_IDENTITY).toBe(300);
    expect(test.classes).toBe(8);
    expect(test.count).toBe(2400);
    expect(test.inputs.length).toBe(2400 * INPUT_DIM);
    expect(Array.from(test.labels.slice(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0]);
    expect(makeDataset({ ...options, testSamplesPerIdentity: 25 }).test.count).toBe(200);
    expect(makeDataset({ ...options, testSamplesPerIdentity: 0 }).test.count).toBe(0);
  });

  it('never repeats a training sample', () => {
    const { train, test } = makeDataset(options);
    const trainRows = new Set<string>();
    for (let i = 0; i < train.count; i++) trainRows.add(train.inputs.slice(i * INPUT_DIM, (i + 1) * INPUT_DIM).join(','));
    for (let i = 0; i < test.count; i++) expect(trainRows.has(test.inputs.slice(i * INPUT_DIM, (i + 1) * INPUT_DIM).join(','))).toBe(false);
  });

  it('comes from the trained identities: nearest training mean agrees with the label as often as on the training data', () => {
    const { train, test } = makeDataset(options);
    const trainMeans = classMeans(train);
    const onTrain = nearestMeanAgreement(train, trainMeans);
    const onTest = nearestMeanAgreement(test, trainMeans);
    // Chance is 1/8. The nuisance makes single samples ambiguous (about 61% on the
    // training data itself), but unseen samples of the same identity score the same.
    expect(onTest).toBeGreaterThan(0.5);
    expect(Math.abs(onTest - onTrain)).toBeLessThan(0.05);
    // Averaged over 300 samples the nuisance cancels: each test identity's mean sits
    // nearest its own training mean.
    const testMeans = classMeans(test);
    for (let c = 0; c < 8; c++) expect(nearestMean(testMeans, c, trainMeans, 8)).toBe(c);
  });

  it('is standardised with the training statistics, like the held-out split', () => {
    const { test } = makeDataset(options);
    for (let k = 0; k < INPUT_DIM; k++) {
      let sum = 0;
      for (let i = 0; i < test.count; i++) sum += test.inputs[i * INPUT_DIM + k];
      // Same distribution as the training split, so close to (not exactly) zero mean.
      expect(Math.abs(sum / test.count)).toBeLessThan(0.15);
    }
  });

  it('is reproducible from its seed, changes with it, and leaves the training split alone when its size changes', () => {
    const first = makeDataset(options);
    expect(Array.from(makeDataset(options).test.inputs)).toEqual(Array.from(first.test.inputs));
    expect(makeDataset({ ...options, seed: 2 }).test.inputs[0]).not.toBe(first.test.inputs[0]);
    const resized = makeDataset({ ...options, testSamplesPerIdentity: 50 });
    expect(fingerprint(resized.train.inputs)).toBe(fingerprint(first.train.inputs));
    expect(fingerprint(resized.heldout.inputs)).toBe(fingerprint(first.heldout.inputs));
  });
});
