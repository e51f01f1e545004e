/**
 * A seeded synthetic stand-in for face identities, since no face data can be
 * downloaded here.
 *
 * Each identity is a prototype in an INPUT_DIM-dimensional space. Every sample adds a
 * large, low-rank nuisance shared by all identities (think pose and lighting), a
 * contrast factor, and isotropic noise, so that identities overlap in input space and
 * the network has to learn which directions matter. Held-out identities come from the
 * same generator, as LFW's unseen people do in the paper's Table 3 ("Intra2/Inter2").
 * The test split holds further samples of the trained identities that are never trained
 * on, for verification pairs (the paper's Fig. 6).
 */
import { DIGIT_PIXELS, digitsSplits, type DigitImages, type DigitsSplit } from '../core/digits';
import { createRng, deriveSeed, type Rng } from '../core/rng';

export const INPUT_DIM = 32;

export interface Difficulty {
  /** Spread of the identity prototypes. */
  prototypeScale: number;
  /** Number of shared nuisance directions. */
  nuisanceRank: number;
  /** Standard deviation of the nuisance coefficients. */
  nuisanceScale: number;
  /** Standard deviation of log-contrast: x = contrast·prototype + … */
  contrastSpread: number;
  /** Isotropic noise. */
  noiseScale: number;
}

export const DEFAULT_DIFFICULTY: Difficulty = {
  prototypeScale: 1,
  nuisanceRank: 4,
  nuisanceScale: 2.5,
  contrastSpread: 0.3,
  noiseScale: 0.6,
};

export interface Split {
  /** samples × INPUT_DIM, standardised with the training split's statistics. */
  inputs: Float32Array;
  labels: Int32Array;
  classes: number;
  count: number;
}

export interface Dataset {
  inputDim: number;
  train: Split;
  heldout: Split;
  /** More samples of the training identities (same labels), never trained on. */
  test: Split;
}

export interface DatasetOptions {
  seed: number;
  identities: number;
  samplesPerIdentity: number;
  /** Held-out identities and their samples; by default as many identities, 100 samples each. */
  heldoutIdentities?: number;
  heldoutSamplesPerIdentity?: number;
  /** Samples of each training identity in the test split; 0 leaves it empty. */
  testSamplesPerIdentity?: number;
  difficulty?: Partial<Difficulty>;
}

/** As many test samples per identity as the prototype held back (300 of 600). */
export const DEFAULT_TEST_SAMPLES_PER_IDENTITY = 300;

function gaussianMatrix(rng: Rng, rows: number, cols: number, scale: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * scale;
  return out;
}

function drawSplit(rng: Rng, prototypes: Float32Array, nuisance: Float32Array, difficulty: Difficulty, classes: number, perClass: number): Split {
  const count = classes * perClass;
  const inputs = new Float32Array(count * INPUT_DIM);
  const labels = new Int32Array(count);
  const coefficients = new Float32Array(difficulty.nuisanceRank);
  for (let i = 0; i < count; i++) {
    // Interleave identities so that any prefix of the data holds every identity.
    const label = i % classes;
    labels[i] = label;
    const contrast = Math.exp(rng.normal() * difficulty.contrastSpread);
    for (let r = 0; r < difficulty.nuisanceRank; r++) coefficients[r] = rng.normal() * difficulty.nuisanceScale;
    for (let k = 0; k < INPUT_DIM; k++) {
      let value = contrast * prototypes[label * INPUT_DIM + k] + rng.normal() * difficulty.noiseScale;
      for (let r = 0; r < difficulty.nuisanceRank; r++) value += coefficients[r] * nuisance[r * INPUT_DIM + k];
      inputs[i * INPUT_DIM + k] = value;
    }
  }
  return { inputs, labels, classes, count };
}

/** Standardise every input dimension with the training split's mean and deviation. */
function standardise(train: Split, others: Split[]): void {
  const mean = new Float64Array(INPUT_DIM);
  const variance = new Float64Array(INPUT_DIM);
  for (let i = 0; i < train.count; i++) for (let k = 0; k < INPUT_DIM; k++) mean[k] += train.inputs[i * INPUT_DIM + k] / train.count;
  for (let i = 0; i < train.count; i++) for (let k = 0; k < INPUT_DIM; k++) variance[k] += (train.inputs[i * INPUT_DIM + k] - mean[k]) ** 2 / train.count;
  const deviation = Array.from(variance, (v) => Math.sqrt(v) || 1);
  for (const split of [train, ...others]) {
    for (let i = 0; i < split.count; i++) {
      for (let k = 0; k < INPUT_DIM; k++) split.inputs[i * INPUT_DIM + k] = (split.inputs[i * INPUT_DIM + k] - mean[k]) / deviation[k];
    }
  }
}

export function makeDataset(options: DatasetOptions): Dataset {
  const difficulty = { ...DEFAULT_DIFFICULTY, ...options.difficulty };
  const heldoutIdentities = options.heldoutIdentities ?? options.identities;
  const heldoutPerClass = options.heldoutSamplesPerIdentity ?? 100;
  const testPerClass = options.testSamplesPerIdentity ?? DEFAULT_TEST_SAMPLES_PER_IDENTITY;
  // Separate streams: the training data does not change when the held-out or test size
  // does, and the test split, added later, left every earlier seed's data as it was.
  const structureRng = createRng(deriveSeed(options.seed, 'structure'));
  const nuisance = gaussianMatrix(structureRng, difficulty.nuisanceRank, INPUT_DIM, 1);
  const trainPrototypes = gaussianMatrix(structureRng, options.identities, INPUT_DIM, difficulty.prototypeScale);
  const heldoutPrototypes = gaussianMatrix(structureRng, heldoutIdentities, INPUT_DIM, difficulty.prototypeScale);
  const train = drawSplit(createRng(deriveSeed(options.seed, 'train')), trainPrototypes, nuisance, difficulty, options.identities, options.samplesPerIdentity);
  const heldout = drawSplit(createRng(deriveSeed(options.seed, 'heldout')), heldoutPrototypes, nuisance, difficulty, heldoutIdentities, heldoutPerClass);
  const test = drawSplit(createRng(deriveSeed(options.seed, 'test')), trainPrototypes, nuisance, difficulty, options.identities, testPerClass);
  standardise(train, [heldout, test]);
  return { inputDim: INPUT_DIM, train, heldout, test };
}

/** Pixels are scaled by this one constant, the same for every split: no statistic of the training part reaches the test part. */
export const DIGIT_INPUT_SCALE = 1 / 255;

function digitsSplit(digits: DigitImages, split: DigitsSplit): Split {
  const count = split.images.length;
  const inputs = new Float32Array(count * DIGIT_PIXELS);
  for (let i = 0; i < count; i++) {
    const source = split.images[i] * DIGIT_PIXELS;
    for (let k = 0; k < DIGIT_PIXELS; k++) inputs[i * DIGIT_PIXELS + k] = digits.pixels[source + k] * DIGIT_INPUT_SCALE;
  }
  return { inputs, labels: split.labels.slice(), classes: split.classes, count };
}

/**
 * Handwritten digits as identities (issue 13): digits 0 to identities − 1 (at most 7) are
 * trained on their first min(n, 600) images and tested on images 600–779; 8 and 9 are the
 * unseen identities. 784 inputs, pixels in [0, 1].
 */
export function makeDigitsDataset(digits: DigitImages, options: Pick<DatasetOptions, 'identities' | 'samplesPerIdentity'>): Dataset {
  const splits = digitsSplits(digits.labels, options.identities, options.samplesPerIdentity);
  return { inputDim: DIGIT_PIXELS, train: digitsSplit(digits, splits.train), heldout: digitsSplit(digits, splits.unseen), test: digitsSplit(digits, splits.test) };
}
