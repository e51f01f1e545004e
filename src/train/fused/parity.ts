/**
 * Fused against unfused on the current backend: the margin head's loss and gradients
 * against tfjs autodiff of model.ts `headLogits` + `crossEntropy`, and FusedAdam against
 * tf.train.adam. The unit tests run it on the CPU; on WebGPU it is the only check that
 * the WGSL computes what the JS twin does.
 *
 * The batch keeps most target angles θ_y between 8° and 172°. Nearer 0° or 180°, dψ/dcos
 * has 1/sin θ in it and the unfused path's float32 rounding of cos θ (about 1e-7) moves
 * the gradient by more than 1e-5 on its own; that is conditioning, not a difference
 * between the implementations.
 */
import { thetaStar } from '../../core/margin';
import { createRng, deriveSeed, type Rng } from '../../core/rng';
import { crossEntropy, headLogits, type ModelVariables } from '../model';
import { tf } from '../tf';
import { FusedAdam } from './adam';
import { marginSoftmaxLoss } from './marginLoss';
import { fusedSupported } from './registry';

export const PARITY_TOLERANCE = 1e-5;

export interface MarginCase {
  name: string;
  m1: number;
  m2: number;
  m3: number;
}

export const PARITY_MARGINS: readonly MarginCase[] = [
  { name: 'ArcFace', m1: 1, m2: 0.5, m3: 0 },
  { name: 'CosFace', m1: 1, m2: 0, m3: 0.35 },
  { name: 'SphereFace', m1: 1.35, m2: 0, m3: 0 },
  { name: 'CM2', m1: 0.9, m2: 0.4, m3: 0.15 },
  { name: 'extreme', m1: 2, m2: 1, m3: 0.8 },
];

export interface ParityBatch {
  embedding: Float32Array;
  weights: Float32Array;
  labels: Int32Array;
  classes: number;
  /** Samples whose target angle is past θ* (where the fallback, when on, takes over). */
  beyondThetaStar: number;
}

const DEGREE = Math.PI / 180;

/**
 * A seeded batch: W spread round the circle with uneven norms; each sample at a chosen
 * angle from its own W_y, a quarter of them just past θ* when θ* ≤ 175° (CM2's θ* is
 * 174.5°; past θ* the fallback's slope is 1 and the slope without it is small, so the
 * 8°–172° rule is not needed there).
 */
export function parityBatch(seed: number, count: number, classes: number, margin: MarginCase): ParityBatch {
  const rng: Rng = createRng(deriveSeed(seed, 'fused-parity'));
  const weights = new Float32Array(2 * classes);
  const directions: number[] = [];
  const rotation = rng.next() * 2 * Math.PI;
  for (let c = 0; c < classes; c++) {
    const angle = rotation + (2 * Math.PI * c) / classes + (rng.next() - 0.5) * 0.3;
    const norm = 0.5 + 1.5 * rng.next();
    directions.push(angle);
    weights[c] = norm * Math.cos(angle);
    weights[classes + c] = norm * Math.sin(angle);
  }
  const limit = thetaStar(margin.m1, margin.m2);
  const embedding = new Float32Array(2 * count);
  const labels = new Int32Array(count);
  let beyondThetaStar = 0;
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    const pastLimit = i % 4 === 3 && limit + 4 * DEGREE <= 179 * DEGREE;
    const theta = pastLimit ? limit + (0.5 + 3.5 * rng.next()) * DEGREE : (8 + 164 * rng.next()) * DEGREE;
    if (theta > limit) beyondThetaStar++;
    const side = rng.next() < 0.5 ? -1 : 1;
    const norm = 0.5 + 2 * rng.next();
    embedding[2 * i] = norm * Math.cos(directions[label] + side * theta);
    embedding[2 * i + 1] = norm * Math.sin(directions[label] + side * theta);
  }
  return { embedding, weights, labels, classes, beyondThetaStar };
}

export interface HeadParity {
  name: string;
  fallback: boolean;
  beyondThetaStar: number;
  /** Max absolute differences, fused − unfused. */
  loss: number;
  dEmbedding: number;
  dWeights: number;
  /** The unfused values' largest magnitudes, for scale. */
  lossValue: number;
  dEmbeddingScale: number;
  dWeightsScale: number;
  /** The largest difference relative to max(1, magnitude): see FusedParityReport.ok. */
  worst: number;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return a.length === b.length ? max : Infinity;
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Loss and gradients of one head setting, fused and unfused, on the current backend. */
export async function headParity(batch: ParityBatch, margin: MarginCase, fallback: boolean, s = 64): Promise<HeadParity> {
  const count = batch.labels.length;
  // tidy frees the initial tensors; each variable keeps its own reference to the data.
  const embedding = tf.tidy(() => tf.variable(tf.tensor2d(batch.embedding, [count, 2])));
  const classWeights = tf.tidy(() => tf.variable(tf.tensor2d(batch.weights, [2, batch.classes])));
  const classBias = tf.tidy(() => tf.variable(tf.zeros([batch.classes])));
  const labels = tf.tensor1d(batch.labels, 'int32');
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, batch.classes), 'float32') as tf.Tensor2D);
  const variables: ModelVariables = { layers: [], classWeights, classBias };
  const settings = { s, m1: margin.m1, m2: margin.m2, m3: margin.m3, fallback };
  const list = [embedding, classWeights];
  try {
    const unfused = tf.variableGrads(() => crossEntropy(headLogits(variables, embedding, oneHot, { head: 'margin', ...settings }), oneHot), list);
    const fused = tf.variableGrads(() => marginSoftmaxLoss(embedding, classWeights, labels, settings), list);
    const read = async (result: { value: tf.Scalar; grads: tf.NamedTensorMap }): Promise<Float32Array[]> => {
      const values = await Promise.all([result.value, result.grads[embedding.name], result.grads[classWeights.name]].map(async (tensor) => (await tensor.data()) as Float32Array));
      tf.dispose([result.value, ...Object.values(result.grads)]);
      return values;
    };
    const [lossU, dEU, dWU] = await read(unfused);
    const [lossF, dEF, dWF] = await read(fused);
    const entry = {
      name: margin.name,
      fallback,
      beyondThetaStar: batch.beyondThetaStar,
      loss: maxAbsDifference(lossF, lossU),
      dEmbedding: maxAbsDifference(dEF, dEU),
      dWeights: maxAbsDifference(dWF, dWU),
      lossValue: lossU[0],
      dEmbeddingScale: maxAbs(dEU),
      dWeightsScale: maxAbs(dWU),
    };
    const relative = (difference: number, magnitude: number): number => difference / Math.max(1, Math.abs(magnitude));
    return { ...entry, worst: Math.max(relative(entry.loss, entry.lossValue), relative(entry.dEmbedding, entry.dEmbeddingScale), relative(entry.dWeights, entry.dWeightsScale)) };
  } finally {
    tf.dispose([embedding, classWeights, classBias, labels, oneHot]);
  }
}

/** Largest absolute difference of parameters after `steps` Adam steps with the same seeded gradients. */
export async function adamParity(steps = 20, learningRate = 0.01): Promise<number> {
  const rng = createRng(deriveSeed(1, 'fused-adam-parity'));
  const shapes = [[32, 64], [64], [64, 2], [2, 8]];
  const randomTensor = (shape: number[], scale: number): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale), shape);
  const initial = shapes.map((shape) => randomTensor(shape, 0.3));
  const reference = initial.map((tensor) => tf.variable(tensor));
  const fused = initial.map((tensor) => tf.variable(tensor));
  tf.dispose(initial);
  const referenceAdam = tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
  const fusedAdam = new FusedAdam(learningRate, 0.9, 0.999, 1e-7);
  try {
    for (let step = 0; step < steps; step++) {
      // Gradients of mixed sizes, some tiny, as real ones are.
      const gradients = shapes.map((shape) => randomTensor(shape, step % 3 === 0 ? 1e-3 : 1));
      referenceAdam.applyGradients(reference.map((variable, i) => ({ name: variable.name, tensor: gradients[i] })));
      fusedAdam.applyGradients(fused, gradients);
      tf.dispose(gradients);
    }
    let worst = 0;
    for (let i = 0; i < shapes.length; i++) {
      worst = Math.max(worst, maxAbsDifference(await fused[i].data(), await reference[i].data()));
    }
    return worst;
  } finally {
    referenceAdam.dispose();
    fusedAdam.dispose();
    tf.dispose([...reference, ...fused]);
  }
}

export interface FusedParityReport {
  backend: string;
  tolerance: number;
  head: HeadParity[];
  /** Max |param difference| after 20 steps of FusedAdam and tf.train.adam (parameters are of order 0.3). */
  adam: number;
  /** The largest of the heads' `worst` and `adam`. */
  worst: number;
  /**
   * Every difference is within `tolerance` × max(1, magnitude): absolute for values up
   * to 1, relative above. The loss of this stress batch is about 100 at s = 64, where
   * one float32 step is 8e-6, so a purely absolute 1e-5 would test rounding, not the
   * kernels.
   */
  ok: boolean;
}

/**
 * Every margin preset, fallback on and off, on a fixed batch of 64 samples and 8
 * classes (s = 64), plus 20 Adam steps; on whatever backend is current. The fused
 * kernels must be registered for it (see `fusedSupported`).
 */
export async function fusedParityReport(): Promise<FusedParityReport> {
  const backend = tf.getBackend();
  if (!fusedSupported(backend)) throw new Error(`the fused kernels are not registered for the ${backend} backend`);
  const head: HeadParity[] = [];
  for (const margin of PARITY_MARGINS) {
    const batch = parityBatch(7, 64, 8, margin);
    for (const fallback of [true, false]) head.push(await headParity(batch, margin, fallback));
  }
  const adam = await adamParity();
  const worst = Math.max(adam, ...head.map((entry) => entry.worst));
  return { backend, tolerance: PARITY_TOLERANCE, head, adam, worst, ok: worst <= PARITY_TOLERANCE };
}
