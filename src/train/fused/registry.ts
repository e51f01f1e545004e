/**
 * Registers the fused kernels (on import) and says where they exist. Everything that
 * runs them imports this module first, so that no caller depends on import order.
 */
import { tf } from '../tf';
import { ADAM_KERNEL, registerAdamKernels } from './adam';
import { MARGIN_LOSS, MARGIN_LOSS_GRAD, registerMarginLossKernels } from './marginLoss';

registerMarginLossKernels();
registerAdamKernels();

export const FUSED_KERNELS = [MARGIN_LOSS, MARGIN_LOSS_GRAD, ADAM_KERNEL] as const;

/** Whether every fused kernel is registered for `backendName` ('webgpu', 'cpu', 'wasm': yes; 'webgl': no). */
export function fusedSupported(backendName: string): boolean {
  return FUSED_KERNELS.every((kernelName) => tf.getKernel(kernelName, backendName) !== undefined);
}
