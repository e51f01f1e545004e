/**
 * The objective beyond the margin head: which settings need it, that with no term it is the
 * margin head's own loss, that the centre loss moves the centres by Wen et al.'s rule after
 * the step, and that a trainer with a term trains unfused, finitely, without leaking.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { updatedCentres } from '../core/auxLosses';
import { withPreset } from '../core/presets';
import { defaultParams, type Params } from '../core/schema';
import { useNodeBackend } from './headless';
import { createVariables, crossEntropy, disposeVariables, embed, headLogits } from './model';
import { needsObjective, ObjectiveState, objectiveLoss, type ObjectiveSettings } from './objective';
import { tf } from './tf';
import { Trainer } from './trainer';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const OFF = { intra: 0, inter: 0, triplet: 0, tripletMargin: 0.35, center: 0, elasticSigma: 0.05 };

describe('needsObjective', () => {
  it('is false for the margin head and softmax alone, true for any term or other head', () => {
    expect(needsObjective({ head: 'margin', ...OFF })).toBe(false);
    expect(needsObjective({ head: 'softmax', ...OFF })).toBe(false);
    for (const head of ['triplet', 'sphereface4', 'curricularface', 'adaface', 'elasticface', 'magface'] as const) expect(needsObjective({ head, ...OFF }), head).toBe(true);
    for (const term of ['intra', 'inter', 'triplet', 'center'] as const) expect(needsObjective({ head: 'margin', ...OFF, [term]: 0.1 }), term).toBe(true);
  });
});

describe('objectiveLoss', () => {
  it('with no term and the margin head, is the margin head’s cross-entropy', async () => {
    const variables = createVariables(3, 4, 3);
    const state = new ObjectiveState(3, 3, 2);
    const settings: ObjectiveSettings = { head: 'margin', s: 16, m1: 1, m2: 0.5, m3: 0, fallback: true, ...OFF };
    const losses = tf.tidy(() => {
      const inputs = tf.tensor2d([0.1, 0.2, 0.3, 0.4, -1, 0, 1, 0.5, 0.3, -0.2, 0.8, 0], [3, 4]);
      const oneHot = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
      const embedding = embed(variables, inputs);
      return tf.stack([objectiveLoss(variables, embedding, oneHot, settings, 0, state), crossEntropy(headLogits(variables, embedding, oneHot, { ...settings, head: 'margin' }), oneHot)]);
    });
    const [objective, plain] = await losses.data();
    losses.dispose();
    expect(objective).toBe(plain);
    state.dispose();
    disposeVariables(variables);
  });

  it('the centre loss holds the new centres until commit, then they are Wen et al.’s update', async () => {
    const variables = createVariables(3, 4, 2);
    const state = new ObjectiveState(3, 2, 2);
    const settings: ObjectiveSettings = { head: 'softmax', s: 16, m1: 1, m2: 0, m3: 0, fallback: true, ...OFF, center: 0.1 };
    const inputs = [0.1, 0.2, 0.3, 0.4, -1, 0, 1, 0.5, 0.3, -0.2, 0.8, 0];
    const labels = [0, 1, 1];
    const embedded = tf.tidy(() => {
      const embedding = embed(variables, tf.tensor2d(inputs, [3, 4]));
      objectiveLoss(variables, embedding, tf.tensor2d([1, 0, 0, 1, 0, 1], [3, 2]), settings, 0, state);
      return embedding;
    });
    const features = (await embedded.data()) as Float32Array;
    embedded.dispose();
    expect(Array.from((await state.centresSnapshot()) ?? [])).toEqual([0, 0, 0, 0]);
    state.commit();
    const expected = updatedCentres(features, labels, new Float32Array(4), 2, 2, 0.5);
    const actual = (await state.centresSnapshot()) ?? new Float32Array();
    for (let index = 0; index < 4; index++) expect(actual[index]).toBeCloseTo(expected[index], 6);
    state.dispose();
    disposeVariables(variables);
  });
});

describe('a trainer with an objective', () => {
  const small = (preset: string): Params => ({ ...withPreset(defaultParams(), preset), samplesPerIdentity: 20, batchSize: 64, warmupSteps: 0 });

  for (const preset of ['ns-intra-inter', 'arcface-triplet', 'triplet', 'center', 'sphereface-m4', 'curricularface', 'adaface', 'elasticface', 'magface']) {
    it(`${preset}: unfused, finite, no leak`, async () => {
      const trainer = new Trainer(small(preset), { dataset: { heldoutSamplesPerIdentity: 10 } });
      expect(trainer.fused).toBe(false);
      trainer.train(2);
      const before = tf.memory().numTensors;
      trainer.train(5);
      const snapshot = await trainer.readSnapshot();
      expect(Number.isFinite(snapshot.loss), `${preset} loss ${snapshot.loss}`).toBe(true);
      expect(snapshot.embeddings.every(Number.isFinite)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
    });
  }

  it('the plain ArcFace preset keeps the fused path', () => {
    const trainer = new Trainer(small('arcface'));
    expect(trainer.fused).toBe(true);
    trainer.dispose();
  });
});
