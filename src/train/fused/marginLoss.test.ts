import { beforeAll, describe, expect, it } from 'vitest';
import { targetLogit, thetaStar, toRadians } from '../../core/margin';
import { useNodeBackend } from '../headless';
import { tf } from '../tf';
import { MAX_FUSED_CLASSES, PARITY_MARGINS, fusedParityReport, fusedSupported, headParity, marginSoftmaxLoss, parityBatch } from './index';
import { ANGLE_RANGES } from './parity';

const arcface = { s: 64, m1: 1, m2: 0.5, m3: 0, fallback: true };

describe('the fused margin head on the CPU backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  for (const margin of PARITY_MARGINS) {
    for (const fallback of [true, false]) {
      for (const range of ANGLE_RANGES) {
        it(`${margin.name}, fallback ${fallback ? 'on' : 'off'}, θ_y ${range}: the float64 twin matches the float64 reference within 1e-6, the unfused path within its float32 bound`, async () => {
          const batch = parityBatch(3, 96, 8, margin, range);
          // Every margin with θ* < π gets samples past it (CosFace's θ* is π).
          if (range === 'spread' && thetaStar(margin.m1, margin.m2) < Math.PI) expect(batch.beyondThetaStar).toBeGreaterThan(0);
          if (range === 'near0') expect(batch.minTargetDegrees).toBeLessThan(0.05);
          if (range === 'near180') expect(batch.maxTargetDegrees).toBeGreaterThan(179.5);
          const parity = await headParity(batch, margin, fallback);
          expect(parity.fusedVsReference.ratio).toBeLessThanOrEqual(1);
          expect(parity.fusedVsUnfused.ratio).toBeLessThanOrEqual(1);
          expect(parity.unfusedVsReference.ratio).toBeLessThanOrEqual(1);
          // The gradients are not trivially zero.
          expect(parity.fusedVsReference.dEmbedding.scale).toBeGreaterThan(range === 'spread' ? 0.1 : 1e-9);
          expect(parity.fusedVsReference.dWeights.scale).toBeGreaterThan(range === 'spread' ? 0.1 : 1e-9);
        });
      }
    }
  }

  it('near 0° the unfused path is visibly off the float64 reference where the twin is not: float32 rounding, within its bound', async () => {
    const margin = PARITY_MARGINS[0];
    const batch = parityBatch(3, 96, 8, margin, 'near0');
    const parity = await headParity(batch, margin, true);
    const scaled = (comparison: { difference: number; scale: number }): number => comparison.difference / comparison.scale;
    // The gap the issue saw, measured against the scale of the gradient.
    expect(scaled(parity.unfusedVsReference.dEmbedding)).toBeGreaterThan(1e-5);
    expect(scaled(parity.fusedVsReference.dEmbedding)).toBeLessThan(1e-6);
    expect(parity.unfusedVsReference.ratio).toBeLessThanOrEqual(1);
  });

  it('the same at s = 16 on a batch of 512 with 32 classes', async () => {
    for (const margin of PARITY_MARGINS) {
      for (const range of ANGLE_RANGES) {
        const parity = await headParity(parityBatch(11, 512, 32, margin, range), margin, true, 16);
        expect(parity.worst, `${margin.name} ${range}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('one sample: the loss is logsumexp of s·cos θ_j with s·ψ(θ_y) from core/margin at the target', async () => {
    for (const thetaDegrees of [5, 60, 100, 155, 175]) {
      for (const fallback of [true, false]) {
        const margin = { m1: 2, m2: 1, m3: 0.8, fallback };
        const theta = toRadians(thetaDegrees);
        // W_0 on the x axis, W_1 on the y axis; the feature θ from W_0.
        const loss = tf.tidy(() =>
          marginSoftmaxLoss(
            tf.tensor2d([[2 * Math.cos(theta), 2 * Math.sin(theta)]]),
            tf.tensor2d([
              [1, 0],
              [0, 1],
            ]),
            tf.tensor1d([0], 'int32'),
            { s: 10, ...margin },
          ),
        );
        const value = (await loss.data())[0];
        loss.dispose();
        const own = 10 * targetLogit(theta, margin);
        const rival = 10 * Math.sin(theta);
        expect(value).toBeCloseTo(Math.log(Math.exp(own) + Math.exp(rival)) - own, 4);
      }
    }
  });

  it('the gradient scales with the upstream gradient dy', async () => {
    const batch = parityBatch(5, 32, 4, PARITY_MARGINS[0]);
    const embedding = tf.tidy(() => tf.variable(tf.tensor2d(batch.embedding, [32, 2])));
    const weights = tf.tidy(() => tf.variable(tf.tensor2d(batch.weights, [2, 4])));
    const labels = tf.tensor1d(batch.labels, 'int32');
    const grads = async (factor: number): Promise<Float32Array> => {
      const { value, grads: map } = tf.variableGrads(() => tf.mul(marginSoftmaxLoss(embedding, weights, labels, arcface), factor) as tf.Scalar, [embedding, weights]);
      const values = (await tf.concat([tf.reshape(map[embedding.name], [-1]), tf.reshape(map[weights.name], [-1])]).data()) as Float32Array;
      tf.dispose([value, ...Object.values(map)]);
      return values;
    };
    const once = await grads(1);
    const thrice = await grads(3);
    thrice.forEach((value, i) => {
      expect(value).toBeCloseTo(3 * once[i], 4);
    });
    tf.dispose([embedding, weights, labels]);
  });

  it('a zero feature gives a finite loss and finite gradients, as the unfused head does', async () => {
    const embedding = tf.tidy(() =>
      tf.variable(
        tf.tensor2d([
          [0, 0],
          [1, 0.5],
        ]),
      ),
    );
    const weights = tf.tidy(() =>
      tf.variable(
        tf.tensor2d([
          [1, 0, -1],
          [0, 1, 0],
        ]),
      ),
    );
    const labels = tf.tensor1d([0, 1], 'int32');
    const { value, grads } = tf.variableGrads(() => marginSoftmaxLoss(embedding, weights, labels, arcface), [embedding, weights]);
    const values = [await value.data(), await grads[embedding.name].data(), await grads[weights.name].data()];
    tf.dispose([value, ...Object.values(grads), embedding, weights, labels]);
    expect(values.every((array) => Array.from(array).every(Number.isFinite))).toBe(true);
  });

  it('takes 128 classes and refuses 129; refuses labels that do not match the batch', () => {
    const run = (classes: number, labelCount: number): void =>
      tf.tidy(() => {
        marginSoftmaxLoss(tf.ones([4, 2]), tf.ones([2, classes]), tf.zeros([labelCount], 'int32'), arcface);
      });
    expect(() => run(MAX_FUSED_CLASSES, 4)).not.toThrow();
    expect(() => run(MAX_FUSED_CLASSES + 1, 4)).toThrow(/classes/);
    expect(() => run(8, 3)).toThrow(/labels/);
  });

  it('the parity report passes and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const report = await fusedParityReport();
    expect(tf.memory().numTensors).toBe(before);
    expect(report.backend).toBe('cpu');
    // Fallback on and off for each range but near 0°, where no sample is past θ*.
    expect(report.head).toHaveLength((2 * ANGLE_RANGES.length - 1) * PARITY_MARGINS.length);
    expect(report.lockStep.map((entry) => entry.pretrainSteps)).toEqual([0, 50]);
    expect(report.dense.length).toBeGreaterThan(0);
    expect(report.worst).toBeLessThanOrEqual(1);
    expect(report.ok).toBe(true);
  });
});

describe('the fused margin head on the WASM backend', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('has the fused kernels, and every margin matches the unfused autodiff', async () => {
    expect(fusedSupported('wasm')).toBe(true);
    const report = await fusedParityReport();
    expect(report.backend).toBe('wasm');
    for (const entry of report.head) expect(entry.worst, `${entry.name} ${entry.range} fallback ${entry.fallback}`).toBeLessThanOrEqual(1);
    for (const entry of report.dense) expect(entry.comparison.ratio, entry.variable).toBeLessThanOrEqual(1);
    for (const entry of report.lockStep) expect(entry.ratio, entry.name).toBeLessThanOrEqual(1);
    expect(report.adam).toBe(0);
    expect(report.ok).toBe(true);
  });
});

describe('which backends have the fused path', () => {
  it('WebGPU, CPU and WASM do; WebGL does not', () => {
    expect(['webgpu', 'cpu', 'wasm'].map(fusedSupported)).toEqual([true, true, true]);
    expect(fusedSupported('webgl')).toBe(false);
  });
});
