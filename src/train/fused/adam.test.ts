import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../headless';
import { tf } from '../tf';
import { FusedAdam, PARITY_TOLERANCE, adamParity, adamUpdate, countWebGpuDispatches } from './index';

/** tf.train.adam whose learning rate can be changed, as the trainer's LiveAdam. */
class SettableAdam extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

describe('fused Adam on the CPU backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('matches tf.train.adam over 20 steps within 1e-5 (in fact bit for bit)', async () => {
    const difference = await adamParity(20);
    expect(difference).toBeLessThanOrEqual(PARITY_TOLERANCE);
    expect(difference).toBe(0);
  });

  it('one step by hand: m = 0.1 g, v = 0.001 g², and the step is lr·m̂/(√v̂ + ε)', () => {
    const g = Float32Array.of(2, -0.5, 0);
    const next = adamUpdate(Float32Array.of(1, 1, 1), new Float32Array(3), new Float32Array(3), g, {
      learningRate: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      correction1: Math.fround(1 - 0.9),
      correction2: Math.fround(1 - 0.999),
    });
    expect(Array.from(next.first)).toEqual(Array.from(g, (value) => Math.fround(Math.fround(value * Math.fround(0.1)))));
    // After one step m̂/√v̂ = sign(g): each parameter moves by the learning rate.
    expect(next.param[0]).toBeCloseTo(0.9, 5);
    expect(next.param[1]).toBeCloseTo(1.1, 5);
    expect(next.param[2]).toBe(1);
  });

  it('a learning rate changed mid-run applies at the next step and keeps the moments', async () => {
    const initial = [0.5, -0.25, 2];
    const reference = tf.tidy(() => tf.variable(tf.tensor1d(initial)));
    const fused = tf.tidy(() => tf.variable(tf.tensor1d(initial)));
    const referenceAdam = new SettableAdam(0.01, 0.9, 0.999, 1e-7);
    const fusedAdam = new FusedAdam(0.01, 0.9, 0.999, 1e-7);
    for (let step = 0; step < 10; step++) {
      if (step === 5) {
        referenceAdam.setLearningRate(0.002);
        fusedAdam.setLearningRate(0.002);
      }
      const gradient = tf.tensor1d([Math.sin(step), Math.cos(step), 0.1 * step]);
      referenceAdam.applyGradients([{ name: reference.name, tensor: gradient }]);
      fusedAdam.applyGradients([fused], [gradient]);
      gradient.dispose();
    }
    expect(Array.from(await fused.data())).toEqual(Array.from(await reference.data()));
    referenceAdam.dispose();
    fusedAdam.dispose();
    tf.dispose([reference, fused]);
  });

  it('dispose frees its moments; steps make no garbage', () => {
    const before = tf.memory().numTensors;
    const variable = tf.tidy(() => tf.variable(tf.ones([4, 3])));
    const adam = new FusedAdam(0.01);
    const gradient = tf.ones([4, 3]);
    adam.applyGradients([variable], [gradient]);
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) adam.applyGradients([variable], [gradient]);
    expect(tf.memory().numTensors).toBe(afterFirst);
    adam.dispose();
    tf.dispose([variable, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counting dispatches off WebGPU gives 0 and still runs the work', async () => {
    let ran = false;
    expect(
      await countWebGpuDispatches(() => {
        ran = true;
      }),
    ).toBe(0);
    expect(ran).toBe(true);
  });
});
