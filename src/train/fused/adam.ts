/**
 * Adam as one kernel, `ArcfaceAdam`, that updates every variable at once: on WebGPU one
 * raw dispatch per variable, all in one compute pass, where tfjs's AdamOptimizer runs
 * about 14 kernels per variable. Its JS twin (CPU, WASM) rounds every operation to
 * float32 in tfjs's order, so on the CPU backend it matches tf.train.adam bit for bit.
 *
 * The update is functional, as tfjs's is: each dispatch reads param, m, v and the
 * gradient and writes three new tensors, which the variables are then assigned. Writing
 * in place would save nothing (it is one dispatch either way) and would break tfjs's
 * assumptions that a tensor's data never changes: values it cached on the CPU after a
 * read, and tensors that share a variable's data.
 */
import { tf } from '../tf';
import { floatOutput, readFloats } from './jsBackend';
import { allocateOutput, binding, bufferOf, rawPipeline, runRawDispatches, webGpuBackendOf, type RawDispatch } from './webgpu';

export const ADAM_KERNEL = 'ArcfaceAdam';
export const ADAM_BACKENDS = ['webgpu', 'cpu', 'wasm'] as const;
const WORKGROUP = 64;

/** Per-step constants, as tfjs's AdamOptimizer forms them (float32 scalars). */
export interface AdamStepConstants {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1^t and 1 − β2^t, with β^t accumulated in float32 as tfjs does. */
  correction1: number;
  correction2: number;
}

const ADAM_WGSL = /* wgsl */ `
struct Uniforms {
  learningRate : f32,
  beta1 : f32,
  beta2 : f32,
  oneMinusBeta1 : f32,
  oneMinusBeta2 : f32,
  correction1 : f32,
  correction2 : f32,
  epsilon : f32,
};
@group(0) @binding(0) var<uniform> uniforms : Uniforms;
@group(0) @binding(1) var<storage, read> param : array<f32>;
@group(0) @binding(2) var<storage, read> firstMoment : array<f32>;
@group(0) @binding(3) var<storage, read> secondMoment : array<f32>;
@group(0) @binding(4) var<storage, read> gradient : array<f32>;
@group(0) @binding(5) var<storage, read_write> newParam : array<f32>;
@group(0) @binding(6) var<storage, read_write> newFirstMoment : array<f32>;
@group(0) @binding(7) var<storage, read_write> newSecondMoment : array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&param)) {
    return;
  }
  let g = gradient[i];
  let m = firstMoment[i] * uniforms.beta1 + g * uniforms.oneMinusBeta1;
  let v = secondMoment[i] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;
  newFirstMoment[i] = m;
  newSecondMoment[i] = v;
  let update = (m / uniforms.correction1) / (sqrt(v / uniforms.correction2) + uniforms.epsilon);
  newParam[i] = param[i] + update * (-uniforms.learningRate);
}
`;

function constantsFrom(attrs: tf.NamedAttrMap | undefined): AdamStepConstants {
  const read = (key: keyof AdamStepConstants): number => {
    const value = attrs?.[key];
    if (typeof value !== 'number') throw new Error(`${ADAM_KERNEL}: attribute ${key} must be a number`);
    return value;
  };
  return { learningRate: read('learningRate'), beta1: read('beta1'), beta2: read('beta2'), epsilon: read('epsilon'), correction1: read('correction1'), correction2: read('correction2') };
}

interface Slot {
  param: tf.TensorInfo;
  first: tf.TensorInfo;
  second: tf.TensorInfo;
  gradient: tf.TensorInfo;
}

/** Inputs are named param0, first0, second0, gradient0, param1, …; outputs come in the same triples. */
function slotsOf(inputs: tf.NamedTensorInfoMap): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; inputs[`param${i}`]; i++) {
    const take = (role: string): tf.TensorInfo => {
      const info = inputs[`${role}${i}`];
      if (!info) throw new Error(`${ADAM_KERNEL}: missing input ${role}${i}`);
      return info;
    };
    slots.push({ param: take('param'), first: take('first'), second: take('second'), gradient: take('gradient') });
  }
  return slots;
}

const elements = (info: tf.TensorInfo): number => info.shape.reduce((size, dim) => size * dim, 1);

const adamWebGpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = webGpuBackendOf(backend);
  const k = constantsFrom(attrs);
  const uniforms = new Float32Array([k.learningRate, k.beta1, k.beta2, 1 - k.beta1, 1 - k.beta2, k.correction1, k.correction2, k.epsilon]);
  const pipeline = rawPipeline(gpu.device, ADAM_KERNEL, ADAM_WGSL);
  const outputs: tf.TensorInfo[] = [];
  const dispatches: RawDispatch[] = slotsOf(inputs).map((slot) => {
    const size = elements(slot.param);
    const results = [allocateOutput(gpu, slot.param.shape), allocateOutput(gpu, slot.param.shape), allocateOutput(gpu, slot.param.shape)];
    outputs.push(...results.map((result) => result.info));
    return {
      pipeline,
      workgroups: Math.ceil(size / WORKGROUP),
      entries: [
        binding(1, bufferOf(gpu, slot.param), size),
        binding(2, bufferOf(gpu, slot.first), size),
        binding(3, bufferOf(gpu, slot.second), size),
        binding(4, bufferOf(gpu, slot.gradient), size),
        ...results.map((result, index) => binding(5 + index, result.buffer, size)),
      ],
    };
  });
  runRawDispatches(gpu, uniforms.buffer, dispatches);
  return outputs;
};

/** One variable's update with every operation rounded to float32, in tfjs's order. */
export function adamUpdate(
  param: Float32Array,
  first: Float32Array,
  second: Float32Array,
  gradient: Float32Array,
  k: AdamStepConstants,
): { param: Float32Array; first: Float32Array; second: Float32Array } {
  const f = Math.fround;
  const beta1 = f(k.beta1);
  const beta2 = f(k.beta2);
  const oneMinusBeta1 = f(1 - k.beta1);
  const oneMinusBeta2 = f(1 - k.beta2);
  const correction1 = f(k.correction1);
  const correction2 = f(k.correction2);
  const epsilon = f(k.epsilon);
  const negativeRate = f(-k.learningRate);
  const next = { param: new Float32Array(param.length), first: new Float32Array(param.length), second: new Float32Array(param.length) };
  for (let i = 0; i < param.length; i++) {
    const g = gradient[i];
    const m = f(f(first[i] * beta1) + f(g * oneMinusBeta1));
    const v = f(f(second[i] * beta2) + f(f(g * g) * oneMinusBeta2));
    const step = f(f(m / correction1) / f(f(Math.sqrt(f(v / correction2))) + epsilon));
    next.first[i] = m;
    next.second[i] = v;
    next.param[i] = f(f(step * negativeRate) + param[i]);
  }
  return next;
}

const adamJs: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const k = constantsFrom(attrs);
  return slotsOf(inputs).flatMap((slot) => {
    const next = adamUpdate(readFloats(backend, slot.param), readFloats(backend, slot.first), readFloats(backend, slot.second), readFloats(backend, slot.gradient), k);
    return [floatOutput(backend, slot.param.shape, next.param), floatOutput(backend, slot.param.shape, next.first), floatOutput(backend, slot.param.shape, next.second)];
  });
};

export function registerAdamKernels(): void {
  for (const backendName of ADAM_BACKENDS) {
    if (!tf.getKernel(ADAM_KERNEL, backendName)) tf.registerKernel({ kernelName: ADAM_KERNEL, backendName, kernelFunc: backendName === 'webgpu' ? adamWebGpu : adamJs });
  }
}

/**
 * Adam with tfjs's defaults and arithmetic (m and v start at zero, bias corrections
 * from β^t accumulated in float32), whose learning rate can change mid-run without
 * losing its moments.
 */
export class FusedAdam {
  private readonly moments: { first: tf.Variable; second: tf.Variable }[] = [];
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    private learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** One step for `variables` (always the same list, in the same order) with their gradients. */
  applyGradients(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    if (gradients.length !== variables.length) throw new Error('FusedAdam: one gradient per variable');
    tf.tidy(() => {
      const inputs: tf.NamedTensorMap = {};
      variables.forEach((variable, i) => {
        this.moments[i] ??= { first: tf.variable(tf.zerosLike(variable), false), second: tf.variable(tf.zerosLike(variable), false) };
        inputs[`param${i}`] = variable;
        inputs[`first${i}`] = this.moments[i].first;
        inputs[`second${i}`] = this.moments[i].second;
        inputs[`gradient${i}`] = gradients[i];
      });
      const attrs: tf.NamedAttrMap = {
        learningRate: this.learningRate,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        correction1: Math.fround(1 - this.accBeta1),
        correction2: Math.fround(1 - this.accBeta2),
      };
      const outputs = tf.engine().runKernel(ADAM_KERNEL, inputs, attrs) as tf.Tensor[];
      variables.forEach((variable, i) => {
        variable.assign(outputs[3 * i]);
        this.moments[i].first.assign(outputs[3 * i + 1]);
        this.moments[i].second.assign(outputs[3 * i + 2]);
      });
    });
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
  }

  dispose(): void {
    for (const { first, second } of this.moments) {
      first.dispose();
      second.dispose();
    }
    this.moments.length = 0;
  }
}
