/**
 * The TensorFlow.js loss terms against their plain-array twins in core/auxLosses.ts, on
 * seeded random batches, and their gradients: finite, and pointing the way the term says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { centerPenalty, interPenalty, intraPenalty, tripletSemiHard, updatedCentres } from '../core/auxLosses';
import { targetAngles } from '../core/angles';
import { createRng } from '../core/rng';
import { centerTerm, interTerm, intraTerm, tripletTerm, updatedCentresOf } from './auxLosses';
import { useNodeBackend } from './headless';
import { tf } from './tf';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const CLASSES = 5;
const COUNT = 40;

function batch(seed: number) {
  const rng = createRng(seed);
  const embedding = Float32Array.from({ length: COUNT * 2 }, () => 4 * rng.next() - 2);
  const labels = Int32Array.from({ length: COUNT }, () => rng.int(CLASSES));
  // The model's W is dim × classes; core reads classes × dim.
  const weightRows = Float32Array.from({ length: CLASSES * 2 }, () => 2 * rng.next() - 1);
  const weightColumns = Float32Array.from({ length: CLASSES * 2 }, (_, index) => weightRows[(index % CLASSES) * 2 + Math.floor(index / CLASSES)]);
  const centres = Float32Array.from({ length: CLASSES * 2 }, () => rng.next() - 0.5);
  return { embedding, labels, weightRows, weightColumns, centres };
}

function tensorsOf(data: ReturnType<typeof batch>) {
  return tf.tidy(() => ({
    embedding: tf.tensor2d(data.embedding, [COUNT, 2]),
    weights: tf.tensor2d(data.weightColumns, [2, CLASSES]),
    oneHot: tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), CLASSES), 'float32') as tf.Tensor2D,
    centres: tf.tensor2d(data.centres, [CLASSES, 2]),
  }));
}

/** The first value of a tensor, read asynchronously as the app reads; the tensor is freed. */
async function scalarOf(make: () => tf.Tensor): Promise<number> {
  const tensor = tf.tidy(make);
  const [value] = await tensor.data();
  tensor.dispose();
  return value;
}

describe('the loss terms match core/auxLosses on seeded batches', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}`, async () => {
      const data = batch(seed);
      const before = tf.memory().numTensors;
      const t = tensorsOf(data);
      const unit = Float32Array.from(data.embedding);
      const thetaTarget = Float32Array.from(targetAngles(unit, data.labels, data.weightRows, 2), (degrees) => (degrees * Math.PI) / 180);
      expect(await scalarOf(() => intraTerm(t.embedding, t.weights, t.oneHot))).toBeCloseTo(intraPenalty(thetaTarget), 4);
      expect(await scalarOf(() => interTerm(t.weights, t.oneHot))).toBeCloseTo(interPenalty(data.weightRows, CLASSES, 2, data.labels), 4);
      expect(await scalarOf(() => tripletTerm(t.embedding, t.oneHot, 0.35))).toBeCloseTo(tripletSemiHard(data.embedding, data.labels, 2, 0.35).loss, 4);
      expect(await scalarOf(() => centerTerm(t.embedding, t.centres, t.oneHot, 0.1))).toBeCloseTo(centerPenalty(data.embedding, data.labels, data.centres, 2, 0.1), 4);
      const next = tf.tidy(() => updatedCentresOf(t.embedding, t.centres, t.oneHot, 0.5));
      const expected = updatedCentres(data.embedding, data.labels, data.centres, CLASSES, 2, 0.5);
      const actual = await next.data();
      for (let index = 0; index < expected.length; index++) expect(actual[index]).toBeCloseTo(expected[index], 5);
      next.dispose();
      for (const tensor of Object.values(t)) tensor.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('gradients', () => {
  it('Intra pulls features towards their W, Inter pushes the W apart, the triplet term moves features, the centre term pulls to the centres: all finite', async () => {
    const data = batch(7);
    const t = tensorsOf(data);
    const features = tf.variable(t.embedding);
    const weights = tf.variable(t.weights);
    const step = 0.01;
    const descend = async (loss: () => tf.Scalar, variable: tf.Variable) => {
      const before = await scalarOf(loss);
      const { grads } = tf.variableGrads(loss, [variable]);
      const gradient = grads[variable.name];
      expect((await gradient.data()).every(Number.isFinite)).toBe(true);
      const original = variable.clone();
      variable.assign(tf.sub(variable, tf.mul(gradient, step)));
      const after = await scalarOf(loss);
      variable.assign(original);
      original.dispose();
      gradient.dispose();
      return { before, after };
    };
    const intra = await descend(() => intraTerm(features, weights, t.oneHot), features);
    expect(intra.after).toBeLessThan(intra.before);
    // Inter is subtracted: a step against its negation spreads the W.
    const inter = await descend(() => tf.neg(interTerm(weights, t.oneHot)) as tf.Scalar, weights);
    expect(inter.after).toBeLessThan(inter.before);
    const triplet = await descend(() => tripletTerm(features, t.oneHot, 0.35), features);
    expect(triplet.before).toBeGreaterThan(0);
    expect(triplet.after).toBeLessThan(triplet.before);
    const centre = await descend(() => centerTerm(features, t.centres, t.oneHot, 0.1), features);
    expect(centre.after).toBeLessThan(centre.before);
    for (const tensor of [features, weights, ...Object.values(t)]) tensor.dispose();
  });
});
