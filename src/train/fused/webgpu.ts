/**
 * The little of the tfjs WebGPU backend the fused kernels reach into, and the counting
 * of dispatches.
 *
 * Two kinds of dispatch exist here. A "program" goes through the backend's own
 * `runWebGPUProgram`: one output tensor, tfjs's shader header, recorded on tfjs's
 * command encoder. A "raw" dispatch uses our own pipeline and bind group, which is the
 * only way to write several outputs from one dispatch (the margin head's gradient writes
 * dE and dW; Adam writes param, m and v). Raw passes are ordered after tfjs's work by
 * flushing tfjs's encoder (`submitQueue`) and submitting our own command buffer at once;
 * the queue runs submissions in order, and every later tfjs upload or buffer reuse is
 * queued after ours.
 *
 * Only public members of WebGPUBackend are used; the type is imported, never the package,
 * so that Node (tests, CLI) does not load the WebGPU backend.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';

export type WebGpuProgram = Parameters<WebGPUBackend['runWebGPUProgram']>[0];
export type ProgramUniforms = NonNullable<Parameters<WebGPUBackend['runWebGPUProgram']>[3]>;

/** Kernel functions get the backend as `{}`; this tells the WebGPU one apart by its members. */
export function isWebGpuBackend(backend: object): backend is WebGPUBackend {
  const candidate = backend as Partial<Record<'device' | 'tensorMap' | 'bufferManager' | 'runWebGPUProgram' | 'submitQueue', unknown>>;
  return (
    typeof candidate.runWebGPUProgram === 'function'
    && typeof candidate.submitQueue === 'function'
    && typeof candidate.device === 'object'
    && candidate.device !== null
    && typeof candidate.tensorMap === 'object'
    && candidate.tensorMap !== null
    && typeof candidate.bufferManager === 'object'
    && candidate.bufferManager !== null
  );
}

export function webGpuBackendOf(backend: object): WebGPUBackend {
  if (!isWebGpuBackend(backend)) throw new Error('a fused WebGPU kernel ran on a backend that is not WebGPU');
  return backend;
}

/** The GPU buffer behind a tensor, uploading it first if its values are still on the CPU. */
export function bufferOf(backend: WebGPUBackend, info: tf.TensorInfo): GPUBuffer {
  backend.uploadToGPU(info.dataId);
  const resource = backend.tensorMap.get(info.dataId).resource;
  if (!(resource instanceof GPUBuffer)) throw new Error('fused kernels read tensors from GPU buffers only (this one is a texture)');
  return resource;
}

/** A new float32 tensor with its GPU buffer allocated (from tfjs's pool), for a raw pass to write. */
export function allocateOutput(backend: WebGPUBackend, shape: number[]): { info: tf.TensorInfo; buffer: GPUBuffer } {
  const info = backend.makeTensorInfo(shape, 'float32');
  return { info, buffer: bufferOf(backend, info) };
}

/** Binds exactly the tensor's bytes, so `arrayLength` in WGSL is the element count. */
export function binding(index: number, buffer: GPUBuffer, elements: number): GPUBindGroupEntry {
  return { binding: index, resource: { buffer, offset: 0, size: Math.max(4, elements * 4) } };
}

const pipelineCache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

export function rawPipeline(device: GPUDevice, key: string, code: string): GPUComputePipeline {
  let cache = pipelineCache.get(device);
  if (!cache) {
    cache = new Map();
    pipelineCache.set(device, cache);
  }
  let pipeline = cache.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ code, label: key });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    cache.set(key, pipeline);
  }
  return pipeline;
}

export interface RawDispatch {
  pipeline: GPUComputePipeline;
  /** Binding 0 is the uniform buffer; these are bindings 1 and up. */
  entries: GPUBindGroupEntry[];
  workgroups: number;
}

let rawListener: ((count: number) => void) | null = null;

/**
 * Records `dispatches` in one compute pass after everything tfjs has queued so far, with
 * one uniform buffer (binding 0) shared by all of them, and submits.
 */
export function runRawDispatches(backend: WebGPUBackend, uniforms: ArrayBuffer, dispatches: RawDispatch[]): void {
  const { device, queue, bufferManager } = backend;
  const uniformBuffer = bufferManager.acquireBuffer(uniforms.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  queue.writeBuffer(uniformBuffer, 0, uniforms);
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (const dispatch of dispatches) {
    pass.setPipeline(dispatch.pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: dispatch.pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: uniformBuffer } }, ...dispatch.entries],
      }),
    );
    pass.dispatchWorkgroups(dispatch.workgroups);
  }
  pass.end();
  queue.submit([encoder.finish()]);
  // Safe to pool again at once: a later writeBuffer to it is queued after this submission.
  bufferManager.releaseBuffer(uniformBuffer);
  rawListener?.(dispatches.length);
}

/**
 * Runs `run` and counts the compute dispatches it records on the current WebGPU backend:
 * each tfjs program (a call of `runWebGPUProgram` with a non-empty output) and each raw
 * dispatch of the fused kernels. Uploads, buffer copies and readbacks are not dispatches,
 * nor are the no-op kernels (reshape) or the small ones tfjs runs on the CPU. Off
 * WebGPU the count is 0. Work that other code queues while `run` awaits is counted too.
 */
export async function countWebGpuDispatches(run: () => void | Promise<void>): Promise<number> {
  const backend = tf.backend();
  if (!isWebGpuBackend(backend)) {
    await run();
    return 0;
  }
  let count = 0;
  const original = backend.runWebGPUProgram;
  // Nested counts wrap the outer wrapper, which is an own property to put back.
  const hadOwn = Object.hasOwn(backend, 'runWebGPUProgram');
  const counting: WebGPUBackend['runWebGPUProgram'] = (program, inputs, outputDtype, uniforms, output) => {
    if ((output?.shape ?? program.outputShape).reduce((size, dim) => size * dim, 1) > 0) count++;
    return original.call(backend, program, inputs, outputDtype, uniforms, output);
  };
  const previousListener = rawListener;
  backend.runWebGPUProgram = counting;
  rawListener = (dispatches) => {
    count += dispatches;
    previousListener?.(dispatches);
  };
  try {
    await run();
  } finally {
    if (hadOwn) backend.runWebGPUProgram = original;
    else Reflect.deleteProperty(backend, 'runWebGPUProgram');
    rawListener = previousListener;
  }
  return count;
}
