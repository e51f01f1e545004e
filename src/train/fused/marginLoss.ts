/**
 * The margin head and softmax cross-entropy as two kernels: `ArcfaceMarginLoss` (mean
 * loss, one dispatch) and its gradient `ArcfaceMarginLossGrad` (dE and dW, one dispatch),
 * registered for WebGPU with JS twins for the CPU and WASM backends. The unfused path
 * (model.ts `headLogits` + `crossEntropy` and autodiff) takes dozens of kernels.
 *
 * Both WGSL kernels run in a single workgroup of 256 invocations that loop over the
 * batch: batches are at most 4,096 samples and 128 classes, and one workgroup needs no
 * second pass to reduce. Scalars travel as uniforms, so a changed margin re-uses the
 * compiled pipeline.
 */
import { tf } from '../tf';
import { marginConstants, marginLossBackward, marginLossForward, type MarginConstants, type MarginLossSettings } from './marginMath';
import { floatOutput, readFloats, readInts } from './jsBackend';
import { allocateOutput, binding, bufferOf, rawPipeline, runRawDispatches, webGpuBackendOf, type ProgramUniforms, type WebGpuProgram } from './webgpu';

export const MARGIN_LOSS = 'ArcfaceMarginLoss';
export const MARGIN_LOSS_GRAD = 'ArcfaceMarginLossGrad';
/** The WGSL keeps one unit direction per class in workgroup memory. */
export const MAX_FUSED_CLASSES = 128;
const WORKGROUP = 256;

/**
 * Shared by both kernels. It expects `E` (N × 2), `W` (2 × C), `labels` (N, i32) and a
 * `uniforms` struct with the fields of UNIFORM_FIELDS; the forward kernel gets those
 * from tfjs's shader header, the gradient kernel declares them itself. It mirrors
 * marginMath.ts.
 */
const UNIFORM_FIELDS = 'batch : i32, classes : i32, s : f32, m1 : f32, m2 : f32, m3 : f32, limit : f32, fallbackOn : i32, fallbackShift : f32, clampCos : f32, epsilonSquared : f32,';

const SHARED_WGSL = /* wgsl */ `
var<workgroup> directions : array<vec2<f32>, ${MAX_FUSED_CLASSES}>;

fn loadDirections(thread : u32) {
  let classes = u32(uniforms.classes);
  for (var c = thread; c < classes; c = c + ${WORKGROUP}u) {
    let w = vec2<f32>(W[c], W[classes + c]);
    directions[c] = w / sqrt(w.x * w.x + w.y * w.y + uniforms.epsilonSquared);
  }
}

fn rawCos(feature : vec2<f32>, c : u32) -> f32 {
  return feature.x * directions[c].x + feature.y * directions[c].y;
}

fn clampedCos(feature : vec2<f32>, c : u32) -> f32 {
  return clamp(rawCos(feature, c), -uniforms.clampCos, uniforms.clampCos);
}

// x: psi, y: d psi / d cos. Strictly past theta*, as tf.step is 0 at 0.
fn marginLogit(cosine : f32) -> vec2<f32> {
  let theta = acos(cosine);
  if (uniforms.fallbackOn != 0 && theta > uniforms.limit) {
    return vec2<f32>(cosine - uniforms.fallbackShift, 1.0);
  }
  let angle = uniforms.m1 * theta + uniforms.m2;
  return vec2<f32>(cos(angle) - uniforms.m3, uniforms.m1 * sin(angle) / sqrt(1.0 - cosine * cosine));
}

struct SampleTerms {
  feature : vec2<f32>,
  norm : f32,
  label : u32,
  ownLogit : f32,
  slope : f32,
  logSumExp : f32,
};

fn analyseSample(i : u32) -> SampleTerms {
  let classes = u32(uniforms.classes);
  let e = vec2<f32>(E[2u * i], E[2u * i + 1u]);
  let norm = sqrt(e.x * e.x + e.y * e.y + uniforms.epsilonSquared);
  let feature = e / norm;
  let label = u32(labels[i]);
  let ownTerm = marginLogit(clampedCos(feature, label));
  let ownLogit = uniforms.s * ownTerm.x;
  var peak = ownLogit;
  for (var c = 0u; c < classes; c = c + 1u) {
    if (c != label) {
      peak = max(peak, uniforms.s * clampedCos(feature, c));
    }
  }
  var total = 0.0;
  for (var c = 0u; c < classes; c = c + 1u) {
    var logit = ownLogit;
    if (c != label) {
      logit = uniforms.s * clampedCos(feature, c);
    }
    total = total + exp(logit - peak);
  }
  return SampleTerms(feature, norm, label, ownLogit, ownTerm.y, peak + log(total));
}
`;

/** User code for tfjs's program header: `result` is the scalar loss. */
const FORWARD_WGSL = /* wgsl */ `
${SHARED_WGSL}
var<workgroup> partialLoss : array<f32, ${WORKGROUP}>;

fn main(index : i32) {
  let thread = localIndex;
  loadDirections(thread);
  workgroupBarrier();
  let batch = u32(uniforms.batch);
  var sum = 0.0;
  for (var i = thread; i < batch; i = i + ${WORKGROUP}u) {
    let terms = analyseSample(i);
    sum = sum + (terms.logSumExp - terms.ownLogit);
  }
  partialLoss[thread] = sum;
  workgroupBarrier();
  for (var stride = ${WORKGROUP / 2}u; stride > 0u; stride = stride / 2u) {
    if (thread < stride) {
      partialLoss[thread] = partialLoss[thread] + partialLoss[thread + stride];
    }
    workgroupBarrier();
  }
  if (thread == 0u) {
    result[0] = partialLoss[0] / f32(batch);
  }
}
`;

/**
 * A complete shader: dE per sample in a first loop, then dW as a reduction over the
 * batch. The first loop leaves each sample's unit feature, log-sum-exp and
 * own-class dL/dcos in `perSample`, so the second need not redo the softmax.
 */
const GRAD_WGSL = /* wgsl */ `
struct Uniforms { ${UNIFORM_FIELDS} pad : f32, };
@group(0) @binding(0) var<uniform> uniforms : Uniforms;
@group(0) @binding(1) var<storage, read> E : array<f32>;
@group(0) @binding(2) var<storage, read> W : array<f32>;
@group(0) @binding(3) var<storage, read> labels : array<i32>;
@group(0) @binding(4) var<storage, read> dy : array<f32>;
@group(0) @binding(5) var<storage, read_write> dE : array<f32>;
@group(0) @binding(6) var<storage, read_write> dW : array<f32>;
@group(0) @binding(7) var<storage, read_write> perSample : array<vec4<f32>>;
${SHARED_WGSL}
var<workgroup> partialGrad : array<vec2<f32>, ${WORKGROUP}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(local_invocation_index) thread : u32) {
  loadDirections(thread);
  workgroupBarrier();
  let batch = u32(uniforms.batch);
  let classes = u32(uniforms.classes);
  let scale = uniforms.s * dy[0] / f32(batch);
  for (var i = thread; i < batch; i = i + ${WORKGROUP}u) {
    let terms = analyseSample(i);
    let ownGrad = scale * (exp(terms.ownLogit - terms.logSumExp) - 1.0) * terms.slope;
    var dFeature = vec2<f32>(0.0, 0.0);
    for (var c = 0u; c < classes; c = c + 1u) {
      let raw = rawCos(terms.feature, c);
      if (abs(raw) <= uniforms.clampCos) {
        var dCos = ownGrad;
        if (c != terms.label) {
          dCos = scale * exp(uniforms.s * raw - terms.logSumExp);
        }
        dFeature = dFeature + dCos * directions[c];
      }
    }
    let e = vec2<f32>(E[2u * i], E[2u * i + 1u]);
    let radial = (e.x * dFeature.x + e.y * dFeature.y) / (terms.norm * terms.norm * terms.norm);
    dE[2u * i] = dFeature.x / terms.norm - e.x * radial;
    dE[2u * i + 1u] = dFeature.y / terms.norm - e.y * radial;
    perSample[i] = vec4<f32>(terms.feature, terms.logSumExp, ownGrad);
  }
  storageBarrier();
  workgroupBarrier();
  // Thread t sums class t % C over every (256 / C)-th sample; C <= 128 leaves >= 2 chunks.
  let chunks = ${WORKGROUP}u / classes;
  let c = thread % classes;
  let chunk = thread / classes;
  var dDirection = vec2<f32>(0.0, 0.0);
  if (chunk < chunks) {
    for (var i = chunk; i < batch; i = i + chunks) {
      let terms = perSample[i];
      let raw = rawCos(terms.xy, c);
      if (abs(raw) <= uniforms.clampCos) {
        var dCos = terms.w;
        if (i32(c) != labels[i]) {
          dCos = scale * exp(uniforms.s * raw - terms.z);
        }
        dDirection = dDirection + dCos * terms.xy;
      }
    }
  }
  partialGrad[thread] = dDirection;
  workgroupBarrier();
  if (thread < classes) {
    var total = vec2<f32>(0.0, 0.0);
    for (var k = 0u; k < chunks; k = k + 1u) {
      total = total + partialGrad[thread + k * classes];
    }
    let w = vec2<f32>(W[thread], W[classes + thread]);
    let norm = sqrt(w.x * w.x + w.y * w.y + uniforms.epsilonSquared);
    let radial = (w.x * total.x + w.y * total.y) / (norm * norm * norm);
    dW[thread] = total.x / norm - w.x * radial;
    dW[classes + thread] = total.y / norm - w.y * radial;
  }
}
`;

function numberAttr(attrs: tf.NamedAttrMap | undefined, key: string): number {
  const value = attrs?.[key];
  if (typeof value !== 'number') throw new Error(`${MARGIN_LOSS}: attribute ${key} must be a number`);
  return value;
}

function settingsFrom(attrs: tf.NamedAttrMap | undefined): MarginLossSettings {
  const fallback = attrs?.fallback;
  if (typeof fallback !== 'boolean') throw new Error(`${MARGIN_LOSS}: attribute fallback must be a boolean`);
  return { s: numberAttr(attrs, 's'), m1: numberAttr(attrs, 'm1'), m2: numberAttr(attrs, 'm2'), m3: numberAttr(attrs, 'm3'), fallback };
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const info = inputs[name];
  if (!info) throw new Error(`${MARGIN_LOSS}: missing input ${name}`);
  return info;
}

interface HeadInputs {
  embedding: tf.TensorInfo;
  classWeights: tf.TensorInfo;
  labels: tf.TensorInfo;
  batch: number;
  classes: number;
}

function headInputs(inputs: tf.NamedTensorInfoMap): HeadInputs {
  const embedding = input(inputs, 'embedding');
  const classWeights = input(inputs, 'classWeights');
  const labels = input(inputs, 'labels');
  return { embedding, classWeights, labels, batch: embedding.shape[0], classes: classWeights.shape[1] };
}

/** The uniform fields in order, for tfjs's program header (forward). */
function programUniforms(k: MarginConstants, batch: number, classes: number): ProgramUniforms {
  const int = (value: number): { type: string; data: number[] } => ({ type: 'int32', data: [value] });
  const float = (value: number): { type: string; data: number[] } => ({ type: 'float32', data: [value] });
  return [int(batch), int(classes), float(k.s), float(k.m1), float(k.m2), float(k.m3), float(k.limit), int(k.fallbackOn ? 1 : 0), float(k.fallbackShift), float(k.clampCos), float(k.epsilonSquared)];
}

/** The same fields packed as the gradient shader's Uniforms struct (12 words). */
function rawUniforms(k: MarginConstants, batch: number, classes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(48);
  const ints = new Int32Array(buffer);
  const floats = new Float32Array(buffer);
  ints[0] = batch;
  ints[1] = classes;
  floats.set([k.s, k.m1, k.m2, k.m3, k.limit], 2);
  ints[7] = k.fallbackOn ? 1 : 0;
  floats.set([k.fallbackShift, k.clampCos, k.epsilonSquared], 8);
  return buffer;
}

const forwardWebGpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = webGpuBackendOf(backend);
  const { embedding, classWeights, labels, batch, classes } = headInputs(inputs);
  const program: WebGpuProgram = {
    variableNames: ['E', 'W', 'labels'],
    outputShape: [1],
    shaderKey: 'arcfaceMarginLoss',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: UNIFORM_FIELDS,
    getUserCode: () => FORWARD_WGSL,
  };
  const output = gpu.runWebGPUProgram(program, [embedding, classWeights, labels], 'float32', programUniforms(marginConstants(settingsFrom(attrs)), batch, classes));
  // A scalar view of the one-element buffer, as tfjs's own reshape kernel makes.
  return { dataId: output.dataId, shape: [], dtype: 'float32' };
};

const backwardWebGpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = webGpuBackendOf(backend);
  const { embedding, classWeights, labels, batch, classes } = headInputs(inputs);
  const dy = input(inputs, 'dy');
  const entries = [binding(1, bufferOf(gpu, embedding), 2 * batch), binding(2, bufferOf(gpu, classWeights), 2 * classes), binding(3, bufferOf(gpu, labels), batch), binding(4, bufferOf(gpu, dy), 1)];
  const dEmbedding = allocateOutput(gpu, [batch, 2]);
  const dWeights = allocateOutput(gpu, [2, classes]);
  const perSample = allocateOutput(gpu, [batch, 4]);
  entries.push(binding(5, dEmbedding.buffer, 2 * batch), binding(6, dWeights.buffer, 2 * classes), binding(7, perSample.buffer, 4 * batch));
  runRawDispatches(gpu, rawUniforms(marginConstants(settingsFrom(attrs)), batch, classes), [{ pipeline: rawPipeline(gpu.device, MARGIN_LOSS_GRAD, GRAD_WGSL), entries, workgroups: 1 }]);
  gpu.disposeData(perSample.info.dataId);
  return [dEmbedding.info, dWeights.info];
};

const forwardJs: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { embedding, classWeights, labels, classes } = headInputs(inputs);
  const loss = marginLossForward(readFloats(backend, embedding), readFloats(backend, classWeights), readInts(backend, labels), classes, marginConstants(settingsFrom(attrs)));
  return floatOutput(backend, [], Float32Array.of(loss));
};

const backwardJs: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { embedding, classWeights, labels, batch, classes } = headInputs(inputs);
  const dy = readFloats(backend, input(inputs, 'dy'))[0];
  const { dEmbedding, dWeights } = marginLossBackward(readFloats(backend, embedding), readFloats(backend, classWeights), readInts(backend, labels), classes, marginConstants(settingsFrom(attrs)), dy);
  return [floatOutput(backend, [batch, 2], dEmbedding), floatOutput(backend, [2, classes], dWeights)];
};

export const MARGIN_LOSS_BACKENDS = ['webgpu', 'cpu', 'wasm'] as const;

export function registerMarginLossKernels(): void {
  for (const backendName of MARGIN_LOSS_BACKENDS) {
    const onGpu = backendName === 'webgpu';
    if (!tf.getKernel(MARGIN_LOSS, backendName)) tf.registerKernel({ kernelName: MARGIN_LOSS, backendName, kernelFunc: onGpu ? forwardWebGpu : forwardJs });
    if (!tf.getKernel(MARGIN_LOSS_GRAD, backendName)) tf.registerKernel({ kernelName: MARGIN_LOSS_GRAD, backendName, kernelFunc: onGpu ? backwardWebGpu : backwardJs });
  }
  if (!tf.getGradient(MARGIN_LOSS)) {
    tf.registerGradient({
      kernelName: MARGIN_LOSS,
      inputsToSave: ['embedding', 'classWeights', 'labels'],
      gradFunc: (dy, saved, attrs) => {
        const [embedding, classWeights, labels] = saved;
        const upstream = Array.isArray(dy) ? dy[0] : dy;
        // One kernel gives both gradients; the closures only hand them out.
        const [dEmbedding, dWeights] = tf.engine().runKernel(MARGIN_LOSS_GRAD, { embedding, classWeights, labels, dy: upstream }, attrs) as tf.Tensor[];
        return { embedding: () => dEmbedding, classWeights: () => dWeights, labels: () => tf.zerosLike(labels) };
      },
    });
  }
}

/**
 * Mean softmax cross-entropy of the margin head, the fused equivalent of
 * `crossEntropy(headLogits(...), oneHot)` for the margin head, with a gradient for the
 * embedding (N × 2) and the class weights (2 × C). Labels are int32 class indices.
 */
export function marginSoftmaxLoss(embedding: tf.Tensor2D, classWeights: tf.Tensor2D, labels: tf.Tensor1D, settings: MarginLossSettings): tf.Scalar {
  const [batch, dim] = embedding.shape;
  const [rows, classes] = classWeights.shape;
  if (dim !== 2 || rows !== 2) throw new Error(`marginSoftmaxLoss: needs 2-D embeddings and 2 × C weights, got ${embedding.shape} and ${classWeights.shape}`);
  if (batch < 1 || labels.shape[0] !== batch) throw new Error(`marginSoftmaxLoss: ${labels.shape[0]} labels for ${batch} embeddings`);
  if (classes < 1 || classes > MAX_FUSED_CLASSES) throw new Error(`marginSoftmaxLoss: ${classes} classes; the fused kernel takes 1 to ${MAX_FUSED_CLASSES}`);
  if (labels.dtype !== 'int32' || embedding.dtype !== 'float32' || classWeights.dtype !== 'float32') throw new Error('marginSoftmaxLoss: float32 embedding and weights, int32 labels');
  const attrs: tf.NamedAttrMap = { s: settings.s, m1: settings.m1, m2: settings.m2, m3: settings.m3, fallback: settings.fallback };
  return tf.engine().runKernel(MARGIN_LOSS, { embedding, classWeights, labels }, attrs) as tf.Scalar;
}
