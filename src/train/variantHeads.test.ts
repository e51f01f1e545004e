/**
 * The variant heads' target logits against their plain-number twins in core, over the whole
 * range of θ, and each head training a step: finite loss and gradients, state that moves as
 * its paper says, no tensor leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adaFaceTarget, CURRICULARFACE, magFaceMargin, magFaceRegulariser, elasticTarget } from '../core/laterMargins';
import { sphereFaceTarget } from '../core/sphereface';
import { useNodeBackend } from './headless';
import { crossEntropy } from './model';
import { tf } from './tf';
import { adaFaceTargetOp, detach, magFaceMarginOp, magFaceRegulariserOp, sphereFaceTargetOp, VARIANT_HEADS, VariantState, variantLogits, type VariantSettings } from './variantHeads';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const THETAS = Array.from({ length: 91 }, (_, index) => (index * Math.PI) / 90);

async function read(make: () => tf.Tensor): Promise<Float32Array> {
  const tensor = tf.tidy(make);
  const values = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return values;
}

describe('target logits match core', () => {
  it('the original SphereFace (m = 4) at λ = 0, 5 and 1000', async () => {
    for (const lambda of [0, 5, 1000]) {
      const values = await read(() => {
        const theta = tf.tensor1d(THETAS);
        return sphereFaceTargetOp(theta, tf.cos(theta) as tf.Tensor1D, lambda);
      });
      for (const [index, theta] of THETAS.entries()) expect(values[index]).toBeCloseTo(sphereFaceTarget(theta, lambda), 4);
    }
  });
  it('AdaFace at ẑ = −1, 0, 0.5 and 1', async () => {
    for (const zHat of [-1, 0, 0.5, 1]) {
      const values = await read(() => adaFaceTargetOp(tf.tensor1d(THETAS), tf.fill([THETAS.length], zHat) as tf.Tensor1D, 0.4));
      for (const [index, theta] of THETAS.entries()) expect(values[index]).toBeCloseTo(adaFaceTarget(theta, zHat, 0.4), 4);
    }
  });
  it('MagFace’s margin and regulariser over magnitudes below, inside and above [l_a, u_a]', async () => {
    const magnitudes = [1, 10, 35, 60, 110, 500];
    const margins = await read(() => magFaceMarginOp(tf.tensor1d(magnitudes)));
    const regularisers = await read(() => magFaceRegulariserOp(tf.tensor1d(magnitudes)));
    magnitudes.forEach((a, index) => {
      expect(margins[index]).toBeCloseTo(magFaceMargin(a), 5);
      expect(regularisers[index]).toBeCloseTo(magFaceRegulariser(a), 5);
    });
  });
});

const CLASSES = 4;

function variableOf(values: number[], shape: [number, number]): tf.Variable {
  const initial = tf.tensor2d(values, shape);
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}
function settingsFor(head: VariantSettings['head']): VariantSettings {
  return { head, s: 16, margin: 0.5, lambda: 5, sigma: 0.05, h: 0.333, fallback: true };
}

it('detach passes the value and stops the gradient', async () => {
  const x = variableOf([1, 2, 3, 4], [2, 2]);
  const { value, grads } = tf.variableGrads(() => tf.add(tf.sum(detach(tf.square(x))), tf.sum(x)) as tf.Scalar, [x]);
  expect((await value.data())[0]).toBe(30 + 10);
  // Only the undetached sum's gradient, 1 everywhere; the square's 2x is stopped.
  expect(Array.from(await grads[x.name].data())).toEqual([1, 1, 1, 1]);
  for (const tensor of [x, value, ...Object.values(grads)]) tensor.dispose();
});

describe('each head trains a step', () => {
  for (const head of VARIANT_HEADS) {
    it(head, async () => {
      const state = new VariantState(3);
      const before = tf.memory().numTensors;
      const embedding = variableOf([3, 0.5, -1, 2, 0.2, -4, 1, 1, -2, -2, 0.5, 3], [6, 2]);
      const weights = variableOf([1, 0, -1, 0, 0, 1, 0, -1], [2, CLASSES]);
      const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 2], 'int32'), CLASSES), 'float32') as tf.Tensor2D);
      const { value, grads } = tf.variableGrads(() => {
        const { logits, extra } = variantLogits(embedding as tf.Tensor2D, weights as tf.Tensor2D, oneHot, settingsFor(head), state);
        const loss = crossEntropy(logits, oneHot);
        return extra ? (tf.add(loss, extra) as tf.Scalar) : loss;
      }, [embedding, weights]);
      expect(Number.isFinite((await value.data())[0])).toBe(true);
      for (const gradient of Object.values(grads)) {
        expect((await gradient.data()).every(Number.isFinite)).toBe(true);
        gradient.dispose();
      }
      value.dispose();
      for (const tensor of [embedding, weights, oneHot]) tensor.dispose();
      expect(tf.memory().numTensors).toBe(before);
      state.dispose();
    });
  }

  it('CurricularFace’s t follows the batch’s mean target cosine at rate 1 − α', async () => {
    const state = new VariantState(1);
    const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2), 'float32') as tf.Tensor2D);
    const embedding = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const weights = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    tf.tidy(() => variantLogits(embedding, weights, oneHot, { ...settingsFor('curricularface'), s: 1 }, state).logits);
    // Both samples sit on their W: mean target cosine 1 (clamped a hair below), t = α·1 + (1 − α)·0.
    expect((await state.curricularT.data())[0]).toBeCloseTo(CURRICULARFACE.alpha, 4);
    for (const tensor of [oneHot, embedding, weights]) tensor.dispose();
    state.dispose();
  });

  it('ElasticFace’s margins are seeded draws from N(m, σ²)', async () => {
    const margins = new VariantState(5).elasticMargins(20_000, 0.5, 0.05);
    const mean = margins.reduce((sum, value) => sum + value, 0) / margins.length;
    const spread = Math.sqrt(margins.reduce((sum, value) => sum + (value - mean) ** 2, 0) / margins.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(spread).toBeCloseTo(0.05, 2);
    expect(new VariantState(5).elasticMargins(4, 0.5, 0.05)).toEqual(margins.subarray(0, 4));
    // One drawn margin's logit is core's cos(θ + E).
    expect(elasticTarget(1, margins[0], true)).toBeCloseTo(Math.cos(1 + margins[0]), 12);
  });
});
