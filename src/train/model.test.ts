import { beforeAll, describe, expect, it } from 'vitest';
import { targetLogit, toRadians } from '../core/margin';
import { useNodeBackend } from './headless';
import { createVariables, disposeVariables, headLogits } from './model';
import { tf } from './tf';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

/** Logits of the margin head for one feature at angle `theta` from W_0. */
async function marginLogits(thetaDegrees: number, margin: { m1: number; m2: number; m3: number; fallback: boolean }, s: number): Promise<Float32Array> {
  const variables = createVariables(1, 4, 8);
  // Put W_0 on the x axis and the feature `theta` away from it.
  variables.classWeights.assign(tf.tensor2d([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], [2, 8]));
  const theta = toRadians(thetaDegrees);
  const logits = tf.tidy(() =>
    headLogits(variables, tf.tensor2d([[3 * Math.cos(theta), 3 * Math.sin(theta)]]), tf.cast(tf.oneHot(tf.tensor1d([0], 'int32'), 8), 'float32') as tf.Tensor2D, { head: 'margin', s, ...margin }),
  );
  const values = (await logits.data()) as Float32Array;
  logits.dispose();
  disposeVariables(variables);
  return values;
}

describe('the margin head in TF agrees with core/margin', () => {
  const margins = [
    { name: 'ArcFace', m1: 1, m2: 0.5, m3: 0 },
    { name: 'CosFace', m1: 1, m2: 0, m3: 0.35 },
    { name: 'SphereFace', m1: 1.35, m2: 0, m3: 0 },
    { name: 'CM2', m1: 0.9, m2: 0.4, m3: 0.15 },
    { name: 'extreme', m1: 2, m2: 1, m3: 0.8 },
  ];
  for (const margin of margins) {
    for (const fallback of [true, false]) {
      it(`${margin.name}, fallback ${fallback ? 'on' : 'off'}: target logit is s·ψ(θ) from 0° to 179°`, async () => {
        for (const theta of [0.5, 20, 45, 90, 120, 140, 160, 179]) {
          const logits = await marginLogits(theta, { ...margin, fallback }, 10);
          expect(logits[0]).toBeCloseTo(10 * targetLogit(toRadians(theta), { ...margin, fallback }), 3);
          // Rivals stay plain s·cos θ_j: W_1 is the y axis.
          expect(logits[1]).toBeCloseTo(10 * Math.sin(toRadians(theta)), 3);
        }
      });
    }
  }

  it('a zero feature gives finite logits, not NaN', async () => {
    const variables = createVariables(1, 4, 8);
    const logits = tf.tidy(() =>
      headLogits(variables, tf.zeros([1, 2]) as tf.Tensor2D, tf.cast(tf.oneHot(tf.tensor1d([0], 'int32'), 8), 'float32') as tf.Tensor2D, {
        head: 'margin',
        s: 64,
        m1: 1,
        m2: 0.5,
        m3: 0,
        fallback: true,
      }),
    );
    const values = await logits.data();
    logits.dispose();
    disposeVariables(variables);
    expect(Array.from(values).every(Number.isFinite)).toBe(true);
  });
});
