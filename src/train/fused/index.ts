/**
 * Fused training kernels (issue 5): the margin head + softmax cross-entropy as one
 * kernel with a one-kernel gradient, and Adam as one kernel for all variables. They are
 * registered for WebGPU (WGSL) and, as JS twins, for the CPU and WASM backends. On any
 * other backend (WebGL) `fusedSupported` is false and the trainer keeps the unfused path.
 * The trainer and the worker import the modules themselves rather than this index, which
 * also pulls in the parity harness (./parity, loaded by the worker only on request).
 */
export { FUSED_KERNELS, fusedSupported } from './registry';

export { FusedAdam, adamUpdate, ADAM_KERNEL, type AdamStepConstants } from './adam';
export { fusedEmbed, fusedMarginLoss } from './forward';
export { marginSoftmaxLoss, MARGIN_LOSS, MARGIN_LOSS_GRAD, MAX_FUSED_CLASSES } from './marginLoss';
export { marginConstants, marginLossBackward, marginLossForward, type MarginLossSettings } from './marginMath';
export { adamParity, fusedParityReport, headParity, parityBatch, PARITY_MARGINS, PARITY_TOLERANCE, type FusedParityReport, type HeadParity } from './parity';
export { countWebGpuDispatches } from './webgpu';
