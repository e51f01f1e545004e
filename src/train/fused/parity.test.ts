/**
 * The parity harness itself: its comparison rule, the fused dense layers' backward, the
 * whole step in lock step (loss, every gradient, the weights after each update), and
 * that it does fail when a fused kernel is off by 1%.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../headless';
import { tf } from '../tf';
import { floatOutput, readFloats } from './jsBackend';
import { MARGIN_LOSS_GRAD } from './marginLoss';
import { F32_TOLERANCE, PARITY_MARGINS, REPORT_LOCK_STEPS, STEP_TOLERANCE, compareSteps, compareValues, denseParity, headParity, lockStepParity, parityBatch } from './parity';

describe('compareValues', () => {
  it('allows relative·|b| + absolute·scale + bound per element, and reports the worst ratio', () => {
    const expected = [100, 1, 0];
    // Allowances with 1e-5 and scale 100: 1e-3 + 1e-3, 1e-5 + 1e-3, 0 + 1e-3.
    expect(compareValues([100.002, 1.00101, 0.001], expected, F32_TOLERANCE).ratio).toBeCloseTo(1, 5);
    expect(compareValues([100.0021, 1, 0], expected, F32_TOLERANCE).ratio).toBeGreaterThan(1);
    expect(compareValues([100, 1, 0.002], expected, F32_TOLERANCE, { bound: [0, 0, 0.001] }).ratio).toBeCloseTo(1, 5);
    expect(compareValues([100, 1, 0.002], expected, F32_TOLERANCE, { bound: [0, 0, 0.0005], boundFactor: 2 }).ratio).toBeCloseTo(1, 5);
  });

  it('NaN and a length mismatch never pass; equal values always do', () => {
    expect(compareValues([Number.NaN], [1], F32_TOLERANCE).ratio).toBe(Infinity);
    expect(compareValues([1, 2], [1], F32_TOLERANCE).ratio).toBe(Infinity);
    expect(compareValues([0, 0], [0, 0], { relative: 0, absolute: 0 }).ratio).toBe(0);
    expect(compareValues([1e-30], [0], F32_TOLERANCE).ratio).toBe(Infinity);
  });

  it('a gradient scaled by 1.01 fails the float32 tolerance', () => {
    const gradient = Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.3);
    expect(
      compareValues(
        gradient.map((value) => value * 1.01),
        gradient,
        F32_TOLERANCE,
      ).ratio,
    ).toBeGreaterThan(100);
  });

  it('weights after a step: STEP_TOLERANCE of the largest move, plus rounding, plus the gradients’ leeway', () => {
    const before = [1, 2, 3];
    const after = [1.01, 1.99, 3.001];
    expect(compareSteps(after, after, before, 0.01).ratio).toBe(0);
    const off = after.map((value, i) => (i === 2 ? value + 2e-5 : value));
    // 2e-5 is 2e-3 of the largest move (0.01), twice STEP_TOLERANCE.
    expect(compareSteps(off, after, before, 0.01).ratio).toBeGreaterThan(1);
    expect(STEP_TOLERANCE).toBe(1e-3);
    // With a leeway of 1e-3 of lr·2 on that element, it is explained.
    expect(compareSteps(off, after, before, 0.01, [0, 0, 1e-3]).ratio).toBeLessThanOrEqual(1);
  });
});

/** Runs `body` with the JS twin of the fused loss gradient on `backendName` replaced by one whose dE is scaled by `factor`. */
async function withScaledHeadGradient<T>(backendName: string, factor: number, body: () => Promise<T>): Promise<T> {
  const original = tf.getKernel(MARGIN_LOSS_GRAD, backendName);
  tf.unregisterKernel(MARGIN_LOSS_GRAD, backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const [dEmbedding, dWeights] = original.kernelFunc(args) as tf.TensorInfo[];
      const scaled = floatOutput(
        args.backend,
        dEmbedding.shape,
        readFloats(args.backend, dEmbedding).map((value) => value * factor),
      );
      const backend: { disposeData?: (dataId: object) => void } = args.backend;
      backend.disposeData?.(dEmbedding.dataId);
      return [scaled, dWeights];
    },
  });
  try {
    return await body();
  } finally {
    tf.unregisterKernel(MARGIN_LOSS_GRAD, backendName);
    tf.registerKernel(original);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`the parity harness on ${backend}`, () => {
    beforeAll(async () => {
      await useNodeBackend(backend);
    });

    it('the fused dense layers’ backward matches autodiff of embed for every kernel and bias', async () => {
      const dense = await denseParity(3);
      expect(dense.map((entry) => entry.variable)).toEqual(['layer 1 kernel', 'layer 1 bias', 'layer 2 kernel', 'layer 2 bias', 'layer 3 kernel', 'layer 3 bias']);
      for (const entry of dense) {
        expect(entry.comparison.ratio, entry.variable).toBeLessThanOrEqual(1);
        expect(entry.comparison.scale, entry.variable).toBeGreaterThan(0.01);
      }
    });

    it('in lock step from the initial weights and after 50 steps: loss, every gradient and the weights after each Adam step agree', async () => {
      const before = tf.memory().numTensors;
      for (const options of REPORT_LOCK_STEPS) {
        const parity = await lockStepParity({ ...options, margin: PARITY_MARGINS[0] });
        expect(parity.gradients.map((entry) => entry.variable)).toEqual(['layer 1 kernel', 'layer 1 bias', 'layer 2 kernel', 'layer 2 bias', 'layer 3 kernel', 'layer 3 bias', 'W']);
        for (const entry of [...parity.gradients, ...parity.weightsAfter]) expect(entry.comparison.ratio, `${parity.name}: ${entry.variable}`).toBeLessThanOrEqual(1);
        expect(parity.loss.ratio).toBeLessThanOrEqual(1);
        expect(parity.head.worst).toBeLessThanOrEqual(1);
        if (options.pretrainSteps > 0) {
          // Trained: the samples sit near their W, some inside the cosine clamp.
          expect(parity.medianTargetDegrees).toBeLessThan(6);
          expect(parity.minTargetDegrees).toBeLessThan(0.1);
        }
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('in lock step with the extreme margin (2, 1, 0.8) without fallback and every other preset margin, from the initial weights', async () => {
      for (const margin of PARITY_MARGINS) {
        for (const fallback of [true, false]) {
          const parity = await lockStepParity({ ...REPORT_LOCK_STEPS[0], margin, fallback, steps: 2 });
          expect(parity.ratio, parity.name).toBeLessThanOrEqual(1);
        }
      }
    });

    it('fails when the fused head’s dE is scaled by 1.01: against the reference at every angle, against the unfused path where it is well conditioned', async () => {
      const margin = PARITY_MARGINS[0];
      await withScaledHeadGradient(backend, 1.01, async () => {
        for (const range of ['spread', 'near0', 'near180'] as const) {
          const parity = await headParity(parityBatch(3, 96, 8, margin, range), margin, true);
          expect(parity.fusedVsReference.dEmbedding.ratio, range).toBeGreaterThan(1);
          if (range === 'spread') expect(parity.fusedVsUnfused.dEmbedding.ratio).toBeGreaterThan(1);
        }
        const lockStep = await lockStepParity({ ...REPORT_LOCK_STEPS[0], margin });
        expect(lockStep.ratio).toBeGreaterThan(1);
      });
      // Restored: passes again.
      expect((await headParity(parityBatch(3, 96, 8, margin), margin, true)).worst).toBeLessThanOrEqual(1);
    });
  });
}
