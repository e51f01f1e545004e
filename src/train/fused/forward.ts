/**
 * The fused forward pass: the same network as model.ts `embed` + the margin head, in
 * fewer kernels. Each layer is one tfjs `_FusedMatMul` kernel (matMul + bias + ReLU);
 * the head and its loss are one `marginSoftmaxLoss`.
 */
import type { ModelVariables } from '../model';
import { tf } from '../tf';
import { marginSoftmaxLoss } from './marginLoss';
import type { MarginLossSettings } from './marginMath';
// The loss kernel must be registered before this module's functions run.
import './registry';

/**
 * One dense layer, activation(input · kernel + bias), with its own gradient. tfjs's
 * `tf.fused.matMul` will not fuse an activation while gradients are recorded (it falls
 * back to matMul, add and relu), and its gradient computes d/d input even for the first
 * layer, whose input is data, and sums the bias gradient with a transpose and a
 * reduction. Here the forward pass is one kernel in training too; the bias gradient is
 * one matMul by a row of ones; `propagate: false` skips d/d input.
 */
function dense(input: tf.Tensor2D, kernel: tf.Variable, bias: tf.Variable, relu: boolean, propagate: boolean): tf.Tensor2D {
  const [rows, inner] = input.shape;
  const outer = kernel.shape[1] ?? 0;
  const forward = (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D => {
    const a3 = tf.reshape(x, [1, rows, inner]);
    const b3 = tf.reshape(w, [1, inner, outer]);
    const attrs: tf.NamedAttrMap = { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear', leakyreluAlpha: 0 };
    const result = tf.engine().runKernel(tf._FusedMatMul, { a: a3, b: b3, bias: b }, attrs) as tf.Tensor;
    return tf.reshape(result, [rows, outer]);
  };
  const backward = (dy: tf.Tensor2D, output: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor): tf.Tensor[] => {
    const dLinear: tf.Tensor2D = relu ? tf.mul(dy, tf.step(output)) : dy;
    const dKernel = tf.matMul(x, dLinear, true, false);
    const dBias = tf.reshape(tf.matMul(tf.ones([1, rows]), dLinear), [outer]);
    return propagate ? [tf.matMul(dLinear, w as tf.Tensor2D, false, true), dKernel, dBias] : [dKernel, dBias];
  };
  // Without `propagate` the input is closed over, not an argument, so autodiff never asks for its gradient.
  const layer = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1];
    const tensors = args.slice(0, -1).filter((arg): arg is tf.Tensor => arg instanceof tf.Tensor);
    if (typeof save !== 'function' || tensors.length !== (propagate ? 3 : 2)) throw new Error('dense: unexpected customGrad arguments');
    const [x, w, b] = propagate ? [tensors[0] as tf.Tensor2D, tensors[1], tensors[2]] : [input, tensors[0], tensors[1]];
    const output = forward(x, w, b);
    save([x, w, output]);
    return { value: output, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as tf.Tensor2D, saved[2] as tf.Tensor2D, saved[0] as tf.Tensor2D, saved[1]) };
  });
  return (propagate ? layer(input, kernel, bias) : layer(kernel, bias)) as tf.Tensor2D;
}

/**
 * The backbone. In training the first layer's input is data and gets no gradient;
 * outside training no gradient is recorded and `tf.fused.matMul` fuses the ReLU itself.
 */
export function fusedEmbed(variables: ModelVariables, inputs: tf.Tensor2D, training: boolean): tf.Tensor2D {
  let activation: tf.Tensor2D = inputs;
  const last = variables.layers.length - 1;
  variables.layers.forEach((layer, index) => {
    const relu = index < last;
    activation = training
      ? dense(activation, layer.kernel, layer.bias, relu, index > 0)
      : (tf.fused.matMul({ a: activation, b: layer.kernel, bias: layer.bias, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D);
  });
  return activation;
}

/** Mean loss of the margin head on a batch: the fused `crossEntropy(headLogits(embed(…)))`. */
export function fusedMarginLoss(variables: ModelVariables, inputs: tf.Tensor2D, labels: tf.Tensor1D, settings: MarginLossSettings): tf.Scalar {
  return marginSoftmaxLoss(fusedEmbed(variables, inputs, true), variables.classWeights as tf.Tensor2D, labels, settings);
}
