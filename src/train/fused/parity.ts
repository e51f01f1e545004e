/**
 * Fused against unfused on the current backend, and both against a float64 reference.
 * The unit tests run it on the CPU and WASM; on WebGPU (e2e/fused.spec.ts, through the
 * worker's debug hook) it is the only check that the WGSL computes what the JS twin does.
 *
 * What is compared:
 * - the margin head: loss, dE and dW, fused vs unfused vs `referenceHead` (float64, in
 *   angles), on batches whose target angles are spread out, near 0° and near 180°;
 * - the fused dense layers' backward: every backbone gradient of `fusedEmbed` against
 *   autodiff of model.ts `embed`, for a random upstream gradient;
 * - the whole step in lock step: from the same weights, the fused and the unfused step's
 *   loss, the gradient of every variable and every variable after the Adam update, at
 *   the initial weights and after training, where the samples sit within a few degrees
 *   of their W (and some within a hundredth of a degree);
 * - FusedAdam against tf.train.adam on the same gradients.
 *
 * Tolerances. Each element passes when |a − b| ≤ relative·|b| + absolute·scale + bound:
 * - relative: rounding of the element itself;
 * - absolute·scale, with scale the tensor's largest |b|: a gradient element is a sum of
 *   terms about as large as the tensor's largest, so one that cancels to near zero still
 *   carries their rounding; an absolute tolerance without the scale would not survive a
 *   change of units;
 * - bound: the float32 conditioning near 0° and 180° (`conditioningBounds` in
 *   ./parityReference). Near 0°, dψ/dcos has 1/sin θ in it, and a path that rounds cos θ
 *   to float32 and takes acos of it is off by about 2⁻²¹/sin²θ relative in the
 *   own-class gradient: 0.4% at 2°, 13% at 0.35°. That is the "1% gap" seen between the
 *   fused (float64 twin) and unfused (float32) gradients of trained samples: the float64
 *   reference, which works in angles and never takes acos, agrees with the twin to
 *   1e-7 there, and the unfused path's gap to it stays within this bound. It is float32
 *   rounding of the unfused path, not a bug in either. (A second such spot: p_y − 1 of
 *   a well-classified sample, which float32 rounds to a multiple of 2⁻²⁴.) The WGSL
 *   kernel computes in float32 the same way, so on WebGPU the fused side gets the same
 *   bound, and the reference is not a judge there (see FLOAT64_TWIN_BACKENDS).
 */
import { thetaStar } from '../../core/margin';
import { createRng, deriveSeed, type Rng } from '../../core/rng';
import { INPUT_DIM, makeDataset } from '../data';
import { createVariables, crossEntropy, disposeVariables, embed, headLogits, trainableList, type ModelVariables } from '../model';
import { tf } from '../tf';
import { FusedAdam } from './adam';
import { fusedEmbed, fusedMarginLoss } from './forward';
import { marginSoftmaxLoss } from './marginLoss';
import { conditioningBounds, referenceHead, type Float32Errors, type HeadReference } from './parityReference';
import { fusedSupported } from './registry';

/** Two float32 computations of the same value in a different order: see `F32_TOLERANCE`. */
export const PARITY_TOLERANCE = 1e-5;

export interface Tolerance {
  relative: number;
  absolute: number;
}

/**
 * Float32 against float32 (or float64 rounded to float32), summing up to a few hundred
 * terms in different orders: each sum is off by about √n·2⁻²⁴ ≈ 1e-6 of its terms, at
 * worst n·2⁻²⁴ ≈ 1.5e-5 for n = 256; 1e-5 of the scale is the budget.
 */
export const F32_TOLERANCE: Tolerance = { relative: PARITY_TOLERANCE, absolute: PARITY_TOLERANCE };

/**
 * The float64 twin against the float64 reference: the twin rounds only its outputs to
 * float32 (2⁻²⁴ ≈ 6e-8 relative), so 1e-6 leaves a factor of 16 and still sees a 1e-5
 * error anywhere, at any angle.
 */
export const TWIN_TOLERANCE: Tolerance = { relative: 1e-6, absolute: 1e-6 };

/**
 * Float32 rounding at the head's ill-conditioned spots (see `conditioningBounds`) on the
 * CPU and WASM: a cosine of two normalised float32 vectors is off by up to about 8
 * roundings of numbers ≤ 1; a softmax probability near 1, rounded to a multiple of 2⁻²⁴
 * after an exp and a subtraction, by up to 4; sin and cos are correctly rounded.
 */
export const F32_ERRORS: Float32Errors = { cosine: 2 ** -21, probability: 2 ** -22, sine: 2 ** -24 };

/**
 * The same on WebGPU at scale s. WGSL lets sin and cos be off by 2⁻¹¹ (absolute, on
 * [−π, π]) and log by 2⁻²¹ on [0.5, 2]. And the WGSL kernel forms p_y as
 * exp(z_y − (peak + log Σ)): for a well-classified sample log Σ ≈ 1 − p_y is added to a
 * peak as large as s, whose float32 spacing s·2⁻²⁴ swallows it, so p_y − 1 is off by up
 * to s·2⁻²⁴ (measured on SwiftShader: a trained sample's own-class gradient lost whole).
 * Computing p_y − 1 as −Σ_{c≠y} e^{z_c − peak} / Σ would avoid that (marginLoss.ts).
 */
export function wgslErrors(s: number): Float32Errors {
  return { cosine: F32_ERRORS.cosine, probability: s * 2 ** -24 + 2 ** -21, sine: 2 ** -11 };
}

/**
 * Weights after an Adam step, as a fraction of the variable's largest move in that step,
 * beyond what the gradients' own allowance explains (see `compareSteps`). Adam moves a
 * weight by lr·m̂/(√v̂ + ε), which is invariant to the gradient's scale, so gradients
 * within their allowance give steps far closer than 1e-3 of lr; a wrong moment, bias
 * correction or ε moves whole steps by a good fraction of lr.
 */
export const STEP_TOLERANCE = 1e-3;

/** Adam's ε in this project (trainer.ts, FusedAdam). */
const ADAM_EPSILON = 1e-7;

/**
 * Backends where the float64 reference is a fair judge: their fused kernels are the
 * float64 JS twins of marginMath.ts, and tfjs's float32 kernels round correctly computed
 * sin, cos, exp and log. On WebGPU neither holds: the WGSL kernel and tfjs's own shaders
 * use the device's sin, cos, acos and exp, which WGSL lets be off by 2⁻¹¹ (measured on
 * SwiftShader: 4e-4 of a gradient's scale, on both paths alike). There the reference
 * comparisons are reported but not judged, and the WGSL is judged against the unfused
 * path, which runs on the same device functions.
 */
const FLOAT64_TWIN_BACKENDS: readonly string[] = ['cpu', 'wasm'];

function errorsOf(backend: string, s: number): Float32Errors {
  return backend === 'webgpu' ? wgslErrors(s) : F32_ERRORS;
}

export interface Comparison {
  /** Largest |actual − expected|. */
  difference: number;
  /** Largest |expected|. */
  scale: number;
  /** Largest difference over its allowance; 1 or less passes (Infinity on NaN or a shape mismatch). */
  ratio: number;
}

export interface CompareOptions {
  /** Overrides the tensor's largest |expected| as the scale of the absolute tolerance. */
  scale?: number;
  /** Per element, a further allowance (the conditioning bound). */
  bound?: ArrayLike<number>;
  /** Multiplies `bound`: 2 when both sides are float32 paths, each off by up to the bound. */
  boundFactor?: number;
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Per element, the difference from `expected` that `tolerance` and `options` allow. */
export function allowances(expected: ArrayLike<number>, tolerance: Tolerance, options: CompareOptions = {}): Float64Array {
  const scale = options.scale ?? maxAbs(expected);
  return Float64Array.from(
    { length: expected.length },
    (_, i) => tolerance.relative * Math.abs(expected[i]) + tolerance.absolute * scale + (options.bound ? options.bound[i] * (options.boundFactor ?? 1) : 0),
  );
}

/** How `actual` measures up to `expected` under `tolerance` (see the file comment). */
export function compareValues(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, options: CompareOptions = {}): Comparison {
  const scale = options.scale ?? maxAbs(expected);
  if (actual.length !== expected.length) return { difference: Infinity, scale, ratio: Infinity };
  const allowedDifferences = allowances(expected, tolerance, { ...options, scale });
  let difference = 0;
  let ratio = 0;
  for (let i = 0; i < actual.length; i++) {
    const gap = Math.abs(actual[i] - expected[i]);
    if (Number.isNaN(gap)) return { difference: Infinity, scale, ratio: Infinity };
    const allowed = allowedDifferences[i];
    difference = Math.max(difference, gap);
    ratio = Math.max(ratio, gap === 0 ? 0 : allowed > 0 ? gap / allowed : Infinity);
  }
  return { difference, scale, ratio };
}

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

/**
 * Where the batch puts its target angles θ_y:
 * - spread: 8° to 172°, a quarter of them just past θ* (where the fallback takes over);
 * - near0: 0.15° to 3°, as trained samples are, and every 8th at 0.01°–0.05°, inside the
 *   cosine clamp (θ < 0.081°), where both paths give the own class no gradient;
 * - near180: 177° to 179.85°, samples on the far side of the circle from their W.
 */
export type AngleRange = 'spread' | 'near0' | 'near180';
export const ANGLE_RANGES: readonly AngleRange[] = ['spread', 'near0', 'near180'];

export interface ParityBatch {
  embedding: Float32Array;
  weights: Float32Array;
  labels: Int32Array;
  classes: number;
  /** 'model': a network's own embeddings (see `lockStepParity`). */
  range: AngleRange | 'model';
  /** Samples whose target angle is past θ* (where the fallback, when on, takes over). */
  beyondThetaStar: number;
  /** The smallest and largest target angle, degrees. */
  minTargetDegrees: number;
  maxTargetDegrees: number;
}

const DEGREE = Math.PI / 180;

function targetAngle(rng: Rng, range: AngleRange, index: number, limit: number): number {
  if (range === 'near0') return (index % 8 === 7 ? 0.01 + 0.04 * rng.next() : 0.15 + 2.85 * rng.next()) * DEGREE;
  if (range === 'near180') return (177 + 2.85 * rng.next()) * DEGREE;
  // Past θ* the fallback's slope is 1 and the slope without it is small, so these need not avoid the ends.
  const pastLimit = index % 4 === 3 && limit + 4 * DEGREE <= 179 * DEGREE;
  return pastLimit ? limit + (0.5 + 3.5 * rng.next()) * DEGREE : (8 + 164 * rng.next()) * DEGREE;
}

/** A seeded batch: W spread round the circle with uneven norms; each sample at an angle from its own W_y set by `range`. */
export function parityBatch(seed: number, count: number, classes: number, margin: MarginCase, range: AngleRange = 'spread'): ParityBatch {
  const rng: Rng = createRng(deriveSeed(seed, `fused-parity-${range}`));
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
  let minTarget = Infinity;
  let maxTarget = 0;
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    const theta = targetAngle(rng, range, i, limit);
    if (theta > limit) beyondThetaStar++;
    minTarget = Math.min(minTarget, theta);
    maxTarget = Math.max(maxTarget, theta);
    const side = rng.next() < 0.5 ? -1 : 1;
    const norm = 0.5 + 2 * rng.next();
    embedding[2 * i] = norm * Math.cos(directions[label] + side * theta);
    embedding[2 * i + 1] = norm * Math.sin(directions[label] + side * theta);
  }
  return { embedding, weights, labels, classes, range, beyondThetaStar, minTargetDegrees: minTarget / DEGREE, maxTargetDegrees: maxTarget / DEGREE };
}

export interface HeadComparison {
  loss: Comparison;
  dEmbedding: Comparison;
  dWeights: Comparison;
  /** The largest of the three ratios. */
  ratio: number;
}

export interface HeadParity {
  name: string;
  range: AngleRange | 'model';
  fallback: boolean;
  s: number;
  beyondThetaStar: number;
  minTargetDegrees: number;
  maxTargetDegrees: number;
  fusedVsUnfused: HeadComparison;
  fusedVsReference: HeadComparison;
  /** Not a check of this project's code but of the explanation: the unfused path is off by no more than the float32 bound. */
  unfusedVsReference: HeadComparison;
  /** Whether the reference comparisons count (CPU and WASM; see FLOAT64_TWIN_BACKENDS). */
  referenceJudged: boolean;
  /** The largest ratio of the comparisons that count. */
  worst: number;
}

interface HeadValues {
  loss: number;
  dEmbedding: ArrayLike<number>;
  dWeights: ArrayLike<number>;
}

type HeadBounds = ReturnType<typeof conditioningBounds>;

/** One side of a head comparison: its values, and its float32 conditioning bound (null for float64). */
interface HeadSide {
  values: HeadValues;
  bounds: HeadBounds | null;
}

function addArrays(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] + b[i]);
}

/** Each side may be off by its own bound, so a comparison allows the sum. */
function sumBounds(a: HeadBounds | null, b: HeadBounds | null): HeadBounds | null {
  if (!a || !b) return a ?? b;
  return { loss: a.loss + b.loss, dEmbedding: addArrays(a.dEmbedding, b.dEmbedding), dWeights: addArrays(a.dWeights, b.dWeights) };
}

function compareHeads(actual: HeadSide, expected: HeadSide, s: number): HeadComparison {
  const bounds = sumBounds(actual.bounds, expected.bounds);
  const tolerance = bounds ? F32_TOLERANCE : TWIN_TOLERANCE;
  // A float32 loss is a difference of logits as large as s: its rounding is relative to s, not to the loss.
  const lossScale = bounds ? Math.max(Math.abs(expected.values.loss), s) : Math.abs(expected.values.loss);
  const loss = compareValues([actual.values.loss], [expected.values.loss], tolerance, { scale: lossScale, bound: bounds ? [bounds.loss] : undefined });
  const dEmbedding = compareValues(actual.values.dEmbedding, expected.values.dEmbedding, tolerance, { bound: bounds?.dEmbedding });
  const dWeights = compareValues(actual.values.dWeights, expected.values.dWeights, tolerance, { bound: bounds?.dWeights });
  return { loss, dEmbedding, dWeights, ratio: Math.max(loss.ratio, dEmbedding.ratio, dWeights.ratio) };
}

/** Loss, dE and dW of the margin head, fused and unfused, on the current backend. */
async function headValues(batch: ParityBatch, settings: { s: number; m1: number; m2: number; m3: number; fallback: boolean }): Promise<{ fused: HeadValues; unfused: HeadValues }> {
  const count = batch.labels.length;
  // tidy frees the initial tensors; each variable keeps its own reference to the data.
  const embedding = tf.tidy(() => tf.variable(tf.tensor2d(batch.embedding, [count, 2])));
  const classWeights = tf.tidy(() => tf.variable(tf.tensor2d(batch.weights, [2, batch.classes])));
  const classBias = tf.tidy(() => tf.variable(tf.zeros([batch.classes])));
  const labels = tf.tensor1d(batch.labels, 'int32');
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, batch.classes), 'float32') as tf.Tensor2D);
  const variables: ModelVariables = { layers: [], classWeights, classBias };
  const list = [embedding, classWeights];
  const read = async (result: { value: tf.Scalar; grads: tf.NamedTensorMap }): Promise<HeadValues> => {
    try {
      const [loss, dEmbedding, dWeights] = await Promise.all(
        [result.value, result.grads[embedding.name], result.grads[classWeights.name]].map(async (tensor) => (await tensor.data()) as Float32Array),
      );
      return { loss: loss[0], dEmbedding, dWeights };
    } finally {
      tf.dispose([result.value, ...Object.values(result.grads)]);
    }
  };
  try {
    const unfused = await read(tf.variableGrads(() => crossEntropy(headLogits(variables, embedding, oneHot, { head: 'margin', ...settings }), oneHot), list));
    const fused = await read(tf.variableGrads(() => marginSoftmaxLoss(embedding, classWeights, labels, settings), list));
    return { fused, unfused };
  } finally {
    tf.dispose([embedding, classWeights, classBias, labels, oneHot]);
  }
}

function referenceValues(reference: HeadReference): HeadValues {
  return { loss: reference.loss, dEmbedding: reference.dEmbedding, dWeights: reference.dWeights };
}

/** The head's three comparisons on one batch, on the current backend. */
export async function headParity(batch: ParityBatch, margin: MarginCase, fallback: boolean, s = 64): Promise<HeadParity> {
  const settings = { s, m1: margin.m1, m2: margin.m2, m3: margin.m3, fallback };
  const { fused, unfused } = await headValues(batch, settings);
  const reference = referenceHead(batch.embedding, batch.weights, batch.labels, batch.classes, settings);
  const backend = tf.getBackend();
  const referenceJudged = FLOAT64_TWIN_BACKENDS.includes(backend);
  const float32Bounds = conditioningBounds(reference, batch.embedding, batch.weights, batch.labels, batch.classes, errorsOf(backend, s));
  const fusedSide: HeadSide = { values: fused, bounds: referenceJudged ? null : float32Bounds };
  const unfusedSide: HeadSide = { values: unfused, bounds: float32Bounds };
  const referenceSide: HeadSide = { values: referenceValues(reference), bounds: null };
  const fusedVsUnfused = compareHeads(fusedSide, unfusedSide, s);
  const fusedVsReference = compareHeads(fusedSide, referenceSide, s);
  const unfusedVsReference = compareHeads(unfusedSide, referenceSide, s);
  return {
    name: margin.name,
    range: batch.range,
    fallback,
    s,
    beyondThetaStar: batch.beyondThetaStar,
    minTargetDegrees: batch.minTargetDegrees,
    maxTargetDegrees: batch.maxTargetDegrees,
    fusedVsUnfused,
    fusedVsReference,
    unfusedVsReference,
    referenceJudged,
    worst: referenceJudged ? Math.max(fusedVsUnfused.ratio, fusedVsReference.ratio, unfusedVsReference.ratio) : fusedVsUnfused.ratio,
  };
}

export interface VariableComparison {
  /** 'layer 1 kernel', …, 'W'. */
  variable: string;
  comparison: Comparison;
}

function variableNames(layers: number, withW: boolean): string[] {
  const names = Array.from({ length: layers }, (_, index) => [`layer ${index + 1} kernel`, `layer ${index + 1} bias`]).flat();
  return withW ? [...names, 'W'] : names;
}

async function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(async (tensor) => (await tensor.data()) as Float32Array));
}

function seededTensor(rng: Rng, shape: [number, number], scale: number): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * scale),
    shape,
  );
}

/**
 * The fused dense layers' backward (forward.ts `dense`: one fused matMul forward, its own
 * gradient) against autodiff of model.ts `embed`: the gradient of Σ dy ⊙ embed(x) for a
 * seeded upstream dy, for every backbone kernel and bias. Same weights, same inputs.
 */
export async function denseParity(seed = 1, samples = 128): Promise<VariableComparison[]> {
  const rng = createRng(deriveSeed(seed, 'fused-dense-parity'));
  const unfused = createVariables(seed, INPUT_DIM, 8);
  const fused = createVariables(seed, INPUT_DIM, 8);
  const inputs = seededTensor(rng, [samples, INPUT_DIM], 1);
  const upstream = seededTensor(rng, [samples, 2], 1);
  const backboneOf = (variables: ModelVariables): tf.Variable[] => trainableList(variables, 'margin').slice(0, -1);
  try {
    const expected = tf.variableGrads(() => tf.sum(tf.mul(embed(unfused, inputs), upstream)) as tf.Scalar, backboneOf(unfused));
    const actual = tf.variableGrads(() => tf.sum(tf.mul(fusedEmbed(fused, inputs, true), upstream)) as tf.Scalar, backboneOf(fused));
    const expectedValues = await readAll(backboneOf(unfused).map((variable) => expected.grads[variable.name]));
    const actualValues = await readAll(backboneOf(fused).map((variable) => actual.grads[variable.name]));
    tf.dispose([expected.value, actual.value, ...Object.values(expected.grads), ...Object.values(actual.grads)]);
    return variableNames(unfused.layers.length, false).map((variable, index) => ({ variable, comparison: compareValues(actualValues[index], expectedValues[index], F32_TOLERANCE) }));
  } finally {
    disposeVariables(unfused);
    disposeVariables(fused);
    tf.dispose([inputs, upstream]);
  }
}

/**
 * An upper bound on how far each backbone gradient may move when the embedding's
 * gradient moves by at most `bound` (N × 2, elementwise): the backward pass with |W|
 * and absolute activations, in float64. It carries the head's conditioning bound into
 * the weights of every layer.
 */
function backboneBounds(layers: { kernel: Float32Array; bias: Float32Array; inputs: number; outputs: number }[], inputs: Float32Array, samples: number, bound: ArrayLike<number>): Float64Array[] {
  // Forward, keeping every layer's input (absolute) and pre-activation sign.
  const activations: Float64Array[] = [Float64Array.from(inputs)];
  const active: Uint8Array[] = [];
  layers.forEach((layer, index) => {
    const input = activations[index];
    const output = new Float64Array(samples * layer.outputs);
    const on = new Uint8Array(samples * layer.outputs);
    for (let i = 0; i < samples; i++) {
      for (let j = 0; j < layer.outputs; j++) {
        let sum = layer.bias[j];
        for (let k = 0; k < layer.inputs; k++) sum += input[i * layer.inputs + k] * layer.kernel[k * layer.outputs + j];
        const relu = index < layers.length - 1;
        on[i * layer.outputs + j] = !relu || sum > 0 ? 1 : 0;
        output[i * layer.outputs + j] = relu ? Math.max(0, sum) : sum;
      }
    }
    activations.push(output);
    active.push(on);
  });
  const result: Float64Array[] = [];
  let upstream = Float64Array.from(bound);
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index];
    const input = activations[index];
    const dKernel = new Float64Array(layer.inputs * layer.outputs);
    const dBias = new Float64Array(layer.outputs);
    const downstream = new Float64Array(samples * layer.inputs);
    for (let i = 0; i < samples; i++) {
      for (let j = 0; j < layer.outputs; j++) {
        const g = upstream[i * layer.outputs + j] * active[index][i * layer.outputs + j];
        if (g === 0) continue;
        dBias[j] += g;
        for (let k = 0; k < layer.inputs; k++) {
          dKernel[k * layer.outputs + j] += Math.abs(input[i * layer.inputs + k]) * g;
          downstream[i * layer.inputs + k] += Math.abs(layer.kernel[k * layer.outputs + j]) * g;
        }
      }
    }
    result.unshift(dKernel, dBias);
    upstream = downstream;
  }
  return result;
}

export interface LockStepParity {
  name: string;
  /** Steps trained (fused, Adam) before the lock steps; 0 is the initial weights. */
  pretrainSteps: number;
  steps: number;
  /** Target angles of the training samples before the first lock step, degrees. */
  minTargetDegrees: number;
  medianTargetDegrees: number;
  /** Per step, worst over the steps. */
  loss: Comparison;
  gradients: VariableComparison[];
  weightsAfter: VariableComparison[];
  /** The head at the lock step's starting embeddings, against the reference. */
  head: HeadParity;
  ratio: number;
}

export interface LockStepOptions {
  margin: MarginCase;
  fallback: boolean;
  s: number;
  learningRate: number;
  pretrainSteps: number;
  /** A larger rate gets the samples near their W in fewer steps (each costs ~100 ms on SwiftShader). */
  pretrainLearningRate: number;
  steps: number;
  seed: number;
}

function worstOf(a: Comparison | undefined, b: Comparison): Comparison {
  if (!a) return b;
  return { difference: Math.max(a.difference, b.difference), scale: Math.max(a.scale, b.scale), ratio: Math.max(a.ratio, b.ratio) };
}

/** Target angles (degrees) of samples `embedding` (N × 2) to their W columns (W is 2 × C). */
function targetDegrees(embedding: Float32Array, weights: Float32Array, labels: Int32Array, classes: number): number[] {
  return Array.from(labels, (label, i) => {
    const angle = Math.atan2(embedding[2 * i + 1], embedding[2 * i]) - Math.atan2(weights[classes + label], weights[label]);
    return Math.abs(Math.atan2(Math.sin(angle), Math.cos(angle))) / DEGREE;
  }).sort((a, b) => a - b);
}

/**
 * The whole training step, fused against unfused, from the same weights every step (so
 * that rounding cannot compound): the unfused variables are copied into the fused ones,
 * each path computes its loss and the gradient of every variable and takes an Adam
 * step with its own optimiser (tf.train.adam and FusedAdam). Gradients are allowed the
 * head's float32 conditioning bound carried through the backbone (`backboneBounds`).
 */
export async function lockStepParity(options: LockStepOptions): Promise<LockStepParity> {
  const { margin, fallback, s, learningRate, seed } = options;
  const settings = { s, m1: margin.m1, m2: margin.m2, m3: margin.m3, fallback };
  const dataset = makeDataset({ seed, identities: 8, samplesPerIdentity: 16, heldoutIdentities: 1, heldoutSamplesPerIdentity: 1 });
  const { train } = dataset;
  const inputs = tf.tensor2d(train.inputs, [train.count, dataset.inputDim]);
  const labels = tf.tensor1d(train.labels, 'int32');
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, train.classes), 'float32') as tf.Tensor2D);
  const unfused = createVariables(seed, dataset.inputDim, train.classes);
  const fused = createVariables(seed, dataset.inputDim, train.classes);
  const unfusedList = trainableList(unfused, 'margin');
  const fusedList = trainableList(fused, 'margin');
  const names = variableNames(unfused.layers.length, true);
  // Both optimisers start fresh at the lock steps' starting weights.
  const unfusedAdam = tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
  const fusedAdam = new FusedAdam(learningRate, 0.9, 0.999, 1e-7);
  const backend = tf.getBackend();
  // Both paths may be off by the float32 bound, or only the unfused one where the fused kernels are float64 twins.
  const boundFactor = FLOAT64_TWIN_BACKENDS.includes(backend) ? 1 : 2;
  const unfusedLoss = (): tf.Scalar => crossEntropy(headLogits(unfused, embed(unfused, inputs), oneHot, { head: 'margin', ...settings }), oneHot);
  const fusedLoss = (): tf.Scalar => fusedMarginLoss(fused, inputs, labels, settings);
  const copyUnfusedIntoFused = (): void =>
    tf.tidy(() => {
      for (const [index, variable] of unfusedList.entries()) fusedList[index].assign(variable);
    });
  try {
    if (options.pretrainSteps > 0) {
      // Pretraining runs the fused step (fewest kernels on every backend), then hands its weights to the unfused variables.
      const pretrainAdam = new FusedAdam(options.pretrainLearningRate, 0.9, 0.999, 1e-7);
      for (let step = 0; step < options.pretrainSteps; step++) {
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(fusedLoss, fusedList);
          pretrainAdam.applyGradients(
            fusedList,
            fusedList.map((variable) => grads[variable.name]),
          );
          tf.dispose([value, ...Object.values(grads)]);
        });
      }
      pretrainAdam.dispose();
      tf.tidy(() => {
        for (const [index, variable] of fusedList.entries()) unfusedList[index].assign(variable);
      });
    }
    let loss: Comparison | undefined;
    const gradients: (Comparison | undefined)[] = names.map(() => undefined);
    const gradientLeeway: (Float64Array | undefined)[] = names.map(() => undefined);
    const weightsAfter: (Comparison | undefined)[] = names.map(() => undefined);
    let head: HeadParity | undefined;
    let angles: number[] = [];
    for (let step = 0; step < options.steps; step++) {
      copyUnfusedIntoFused();
      const embedding = tf.tidy(() => embed(unfused, inputs));
      const [embeddingValues, ...before] = await readAll([embedding, ...unfusedList]);
      embedding.dispose();
      const weightValues = before[before.length - 1];
      if (step === 0) {
        angles = targetDegrees(embeddingValues, weightValues, train.labels, train.classes);
        const batch: ParityBatch = {
          embedding: embeddingValues,
          weights: weightValues,
          labels: train.labels,
          classes: train.classes,
          range: 'model',
          beyondThetaStar: angles.filter((degrees) => degrees * DEGREE > thetaStar(margin.m1, margin.m2)).length,
          minTargetDegrees: angles[0],
          maxTargetDegrees: angles[angles.length - 1],
        };
        head = await headParity(batch, margin, fallback, s);
      }
      // What the head's float32 conditioning allows each gradient, carried through the backbone.
      const reference = referenceHead(embeddingValues, weightValues, train.labels, train.classes, settings);
      const headBounds = conditioningBounds(reference, embeddingValues, weightValues, train.labels, train.classes, errorsOf(backend, s));
      const layers = unfused.layers.map((layer, index) => ({ kernel: before[2 * index], bias: before[2 * index + 1], inputs: layer.kernel.shape[0], outputs: layer.kernel.shape[1] ?? 0 }));
      const bounds = [...backboneBounds(layers, train.inputs, train.count, headBounds.dEmbedding), headBounds.dWeights];

      const expected = tf.variableGrads(unfusedLoss, unfusedList);
      const actual = tf.variableGrads(fusedLoss, fusedList);
      const [expectedLoss, ...expectedGradients] = await readAll([expected.value, ...unfusedList.map((variable) => expected.grads[variable.name])]);
      const [actualLoss, ...actualGradients] = await readAll([actual.value, ...fusedList.map((variable) => actual.grads[variable.name])]);
      loss = worstOf(loss, compareValues(actualLoss, expectedLoss, F32_TOLERANCE, { scale: Math.max(Math.abs(expectedLoss[0]), s), bound: [headBounds.loss], boundFactor }));
      names.forEach((_, index) => {
        const options = { bound: bounds[index], boundFactor };
        gradients[index] = worstOf(gradients[index], compareValues(actualGradients[index], expectedGradients[index], F32_TOLERANCE, options));
        // How far each gradient element may be off, relative to Adam's normaliser |g| + ε, kept over the steps (the moments remember).
        const allowed = allowances(expectedGradients[index], F32_TOLERANCE, options);
        gradientLeeway[index] ??= new Float64Array(allowed.length);
        const relative = gradientLeeway[index];
        allowed.forEach((value, i) => {
          relative[i] = Math.max(relative[i], Math.min(1, value / (Math.abs(expectedGradients[index][i]) + ADAM_EPSILON)));
        });
      });
      unfusedAdam.applyGradients(unfusedList.map((variable) => ({ name: variable.name, tensor: expected.grads[variable.name] })));
      fusedAdam.applyGradients(
        fusedList,
        fusedList.map((variable) => actual.grads[variable.name]),
      );
      tf.dispose([expected.value, actual.value, ...Object.values(expected.grads), ...Object.values(actual.grads)]);
      const expectedAfter = await readAll(unfusedList);
      const actualAfter = await readAll(fusedList);
      names.forEach((_, index) => {
        weightsAfter[index] = worstOf(weightsAfter[index], compareSteps(actualAfter[index], expectedAfter[index], before[index], learningRate, gradientLeeway[index]));
      });
    }
    if (!loss || !head) throw new Error('lockStepParity needs at least one step');
    const gradientComparisons = names.map((variable, index) => ({ variable, comparison: gradients[index] ?? { difference: 0, scale: 0, ratio: 0 } }));
    const weightComparisons = names.map((variable, index) => ({ variable, comparison: weightsAfter[index] ?? { difference: 0, scale: 0, ratio: 0 } }));
    return {
      name: `${margin.name}${fallback ? '' : ', no fallback'}, ${options.pretrainSteps ? `after ${options.pretrainSteps} steps` : 'initial weights'}`,
      pretrainSteps: options.pretrainSteps,
      steps: options.steps,
      minTargetDegrees: angles[0],
      medianTargetDegrees: angles[angles.length >> 1],
      loss,
      gradients: gradientComparisons,
      weightsAfter: weightComparisons,
      head,
      ratio: Math.max(loss.ratio, head.worst, ...gradientComparisons.map((entry) => entry.comparison.ratio), ...weightComparisons.map((entry) => entry.comparison.ratio)),
    };
  } finally {
    unfusedAdam.dispose();
    fusedAdam.dispose();
    disposeVariables(unfused);
    disposeVariables(fused);
    tf.dispose([inputs, labels, oneHot]);
  }
}

/**
 * Weights after an Adam step from the same `before`: within STEP_TOLERANCE of the
 * variable's largest move, plus the rounding of w + Δ to float32 on each path (2⁻²⁴|w|
 * each), plus what the gradients' allowance explains: Adam's step depends on a gradient
 * element only through g/(|g| + ε), so an element allowed to be off by a fraction r of
 * |g| + ε (`gradientLeeway`, r ≤ 1) may move its step by up to 2·lr·r, a whole flipped
 * step when r reaches 1. That happens near 0°, where float32 gradients of trained
 * samples are mostly rounding.
 */
export function compareSteps(actualAfter: ArrayLike<number>, expectedAfter: ArrayLike<number>, before: ArrayLike<number>, learningRate: number, gradientLeeway?: ArrayLike<number>): Comparison {
  const moves = Float64Array.from(expectedAfter, (value, i) => value - before[i]);
  const bound = Float64Array.from(expectedAfter, (value, i) => 2 * 2 ** -24 * Math.abs(value) + 2 * learningRate * (gradientLeeway?.[i] ?? 0));
  return compareValues(actualAfter, expectedAfter, { relative: 0, absolute: STEP_TOLERANCE }, { scale: maxAbs(moves), bound });
}

/** Largest absolute difference of parameters after `steps` Adam steps with the same seeded gradients. */
export async function adamParity(steps = 20, learningRate = 0.01): Promise<number> {
  const rng = createRng(deriveSeed(1, 'fused-adam-parity'));
  const shapes = [[32, 64], [64], [64, 2], [2, 8]];
  const randomTensor = (shape: number[], scale: number): tf.Tensor =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale),
      shape,
    );
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
      worst = Math.max(worst, compareValues(await fused[i].data(), await reference[i].data(), { relative: 0, absolute: 0 }).difference);
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
  /** PARITY_TOLERANCE, the float32 budget (see F32_TOLERANCE). */
  tolerance: number;
  /** Every margin, fallback on and off, every angle range. */
  head: HeadParity[];
  dense: VariableComparison[];
  lockStep: LockStepParity[];
  /** Max |param difference| after 20 steps of FusedAdam and tf.train.adam on the same gradients (parameters are of order 0.3). */
  adam: number;
  /** The largest ratio of difference to allowance over everything above (adam: over PARITY_TOLERANCE). */
  worst: number;
  /** Every comparison within its allowance: worst ≤ 1. */
  ok: boolean;
}

/**
 * Lock steps of the report: ArcFace from the initial weights and after 50 steps at
 * lr 0.02 (median θ_y about 4°, the nearest sample within 0.01° of its W), 3 steps each.
 */
export const REPORT_LOCK_STEPS: readonly Omit<LockStepOptions, 'margin'>[] = [
  { fallback: true, s: 64, learningRate: 0.01, pretrainSteps: 0, pretrainLearningRate: 0.02, steps: 3, seed: 1 },
  { fallback: true, s: 64, learningRate: 0.01, pretrainSteps: 50, pretrainLearningRate: 0.02, steps: 3, seed: 1 },
];

/**
 * Everything above on whatever backend is current: the head for every margin preset,
 * fallback on and off, on batches of 64 samples and 8 classes at s = 64 in each angle
 * range; the dense layers; ArcFace in lock step from the initial and from trained
 * weights; 20 Adam steps. About 2 s on the CPU; on SwiftShader's WebGPU, about a minute. The fused kernels must be registered (see `fusedSupported`).
 */
export async function fusedParityReport(): Promise<FusedParityReport> {
  const backend = tf.getBackend();
  if (!fusedSupported(backend)) throw new Error(`the fused kernels are not registered for the ${backend} backend`);
  const head: HeadParity[] = [];
  for (const margin of PARITY_MARGINS) {
    for (const range of ANGLE_RANGES) {
      const batch = parityBatch(7, 64, 8, margin, range);
      // No sample of the near-0° batch is past θ* (≥ 61° for every preset), so the fallback changes nothing there.
      for (const fallback of range === 'near0' ? [true] : [true, false]) head.push(await headParity(batch, margin, fallback));
    }
  }
  const dense = await denseParity();
  const lockStep: LockStepParity[] = [];
  for (const options of REPORT_LOCK_STEPS) lockStep.push(await lockStepParity({ ...options, margin: PARITY_MARGINS[0] }));
  const adam = await adamParity();
  const worst = Math.max(adam / PARITY_TOLERANCE, ...head.map((entry) => entry.worst), ...dense.map((entry) => entry.comparison.ratio), ...lockStep.map((entry) => entry.ratio));
  return { backend, tolerance: PARITY_TOLERANCE, head, dense, lockStep, adam, worst, ok: worst <= 1 };
}
