/**
 * Fused training kernels (issue 5): the margin head + softmax cross-entropy as one
 * kernel with a one-kernel gradient, and Adam as one kernel for all variables. They are
 * registered for WebGPU (WGSL) and, as JS twins, for the CPU and WASM backends. On any
 * other backend (WebGL) `fusedSupported` is false and the trainer keeps the unfused path.
 */
import { countWebGpuDispatches } from './webgpu';

export { FUSED_KERNELS, fusedSupported } from './registry';

/**
 * Mean WebGPU dispatches per `train(1)` over `steps` steps, after `warmup` steps (the
 * first step also creates Adam's moments, and the trainer may compile pipelines).
 * 0 off WebGPU. See `countWebGpuDispatches` for what counts.
 */
export async function dispatchesPerStep(trainer: { train(count: number): void; settle(): Promise<number> }, steps = 5, warmup = 2): Promise<number> {
  trainer.train(warmup);
  await trainer.settle();
  const count = await countWebGpuDispatches(() => trainer.train(steps));
  await trainer.settle();
  return count / steps;
}

export { FusedAdam, adamUpdate, ADAM_KERNEL, type AdamStepConstants } from './adam';
export { fusedEmbed, fusedMarginLoss } from './forward';
export { marginSoftmaxLoss, MARGIN_LOSS, MARGIN_LOSS_GRAD, MAX_FUSED_CLASSES } from './marginLoss';
export { marginConstants, marginLossBackward, marginLossForward, type MarginLossSettings } from './marginMath';
export { adamParity, fusedParityReport, headParity, parityBatch, PARITY_MARGINS, PARITY_TOLERANCE, type FusedParityReport, type HeadParity } from './parity';
export { countWebGpuDispatches } from './webgpu';
