/**
 * The toy network: a small MLP backbone to a 2-D embedding, then either the
 * combined-margin head (normalised features and class weights) or plain softmax.
 */
import { createRng, deriveSeed, type Rng } from '../core/rng';
import { thetaStar } from '../core/margin';
import { COS_CLAMP, EMBEDDING_DIM, HIDDEN_UNITS, NORM_EPSILON } from '../core/model';
import { tf } from './tf';

// Defined in core so that the plain-array twin (fused/marginMath.ts) needs no tf; re-exported for the model's callers.
export { COS_CLAMP, EMBEDDING_DIM, HIDDEN_UNITS, NORM_EPSILON };

export interface ModelVariables {
  /** Backbone layers, [kernel, bias] pairs in order. */
  layers: { kernel: tf.Variable; bias: tf.Variable }[];
  /** Class weights, EMBEDDING_DIM × classes (one column per identity). */
  classWeights: tf.Variable;
  /** Only used by the plain-softmax head. */
  classBias: tf.Variable;
}

/** Glorot-uniform, from our seeded stream so that a seed fixes the initial weights. */
function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
}

/**
 * Class weights start evenly spread round the circle (at a seeded rotation). Random W
 * can start two identities almost on top of each other, and with a margin that is
 * where ArcFace collapses; an even start removes that failure.
 */
export function evenlySpreadWeights(classes: number, rotation: number): Float32Array {
  const weights = new Float32Array(EMBEDDING_DIM * classes);
  for (let c = 0; c < classes; c++) {
    const angle = rotation + (2 * Math.PI * c) / classes;
    weights[c] = Math.cos(angle);
    weights[classes + c] = Math.sin(angle);
  }
  return weights;
}

/** A variable from plain values; the initial tensor is freed (the variable keeps its data). */
function variableFrom(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

export function createVariables(seed: number, inputDim: number, classes: number, hidden: readonly number[] = HIDDEN_UNITS): ModelVariables {
  const rng = createRng(deriveSeed(seed, 'weights'));
  const widths = [inputDim, ...hidden, EMBEDDING_DIM];
  const layers = widths.slice(1).map((fanOut, index) => {
    const fanIn = widths[index];
    return {
      kernel: variableFrom(glorot(rng, fanIn, fanOut), [fanIn, fanOut]),
      bias: variableFrom(new Float32Array(fanOut), [fanOut]),
    };
  });
  const classWeights = variableFrom(evenlySpreadWeights(classes, rng.next() * 2 * Math.PI), [EMBEDDING_DIM, classes]);
  const classBias = variableFrom(new Float32Array(classes), [classes]);
  return { layers, classWeights, classBias };
}

export function trainableList(variables: ModelVariables, head: 'margin' | 'softmax'): tf.Variable[] {
  const backbone = variables.layers.flatMap((layer) => [layer.kernel, layer.bias]);
  return head === 'softmax' ? [...backbone, variables.classWeights, variables.classBias] : [...backbone, variables.classWeights];
}

export function disposeVariables(variables: ModelVariables): void {
  for (const layer of variables.layers) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
  variables.classWeights.dispose();
  variables.classBias.dispose();
}

/** Backbone: ReLU hidden layers, linear 2-D embedding. */
export function embed(variables: ModelVariables, inputs: tf.Tensor2D): tf.Tensor2D {
  let activation: tf.Tensor2D = inputs;
  variables.layers.forEach((layer, index) => {
    const linear = tf.add(tf.matMul(activation, layer.kernel), layer.bias) as tf.Tensor2D;
    activation = index < variables.layers.length - 1 ? tf.relu(linear) : linear;
  });
  return activation;
}

function l2Normalize(tensor: tf.Tensor2D, axis: number): tf.Tensor2D {
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(tensor), axis, true), NORM_EPSILON * NORM_EPSILON));
  return tf.div(tensor, norm);
}

export interface HeadSettings {
  head: 'margin' | 'softmax';
  m1: number;
  m2: number;
  m3: number;
  s: number;
  fallback: boolean;
}

/**
 * Logits of the chosen head for a batch. The margin head is ψ(θ_y) = cos(m1·θ_y + m2) − m3
 * on the target column and cos θ_j elsewhere, all scaled by s; see core/margin.ts for
 * the fallback past θ*. The branch mask comes from `step`, which has a (zero)
 * gradient: a comparison op on this path would fail with "gradient function not found".
 */
export function headLogits(variables: ModelVariables, embedding: tf.Tensor2D, oneHot: tf.Tensor2D, settings: HeadSettings): tf.Tensor2D {
  if (settings.head === 'softmax') {
    return tf.add(tf.matMul(embedding, variables.classWeights), variables.classBias) as tf.Tensor2D;
  }
  const features = l2Normalize(embedding, 1);
  const directions = l2Normalize(variables.classWeights as tf.Tensor2D, 0);
  const cosine = tf.clipByValue(tf.matMul(features, directions), -COS_CLAMP, COS_CLAMP) as tf.Tensor2D;
  const cosTarget = tf.sum(tf.mul(cosine, oneHot), 1);
  const thetaTarget = tf.acos(cosTarget);
  const limit = thetaStar(settings.m1, settings.m2);
  let psi = tf.sub(tf.cos(tf.add(tf.mul(thetaTarget, settings.m1), settings.m2)), settings.m3);
  if (settings.fallback && limit < Math.PI) {
    const continuation = tf.sub(cosTarget, Math.cos(limit) + 1 + settings.m3);
    const beyond = tf.step(tf.sub(thetaTarget, limit));
    psi = tf.add(psi, tf.mul(beyond, tf.sub(continuation, psi)));
  }
  const adjusted = tf.add(cosine, tf.mul(oneHot, tf.expandDims(tf.sub(psi, cosTarget), 1)));
  return tf.mul(adjusted, settings.s) as tf.Tensor2D;
}

/** Mean softmax cross-entropy. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}
