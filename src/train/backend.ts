/**
 * Backend choice in the browser: WebGPU first, then WebGL, WASM, CPU. Each backend's
 * package is loaded on demand, so only the one in use is downloaded.
 */
import { BACKEND_ORDER, type BackendName, type BackendRequest } from '../core/backends';
import { tf } from './tf';

export { BACKEND_ORDER, isBackendName, type BackendName, type BackendRequest } from '../core/backends';

export interface BackendInfo {
  name: BackendName;
  requested: BackendRequest;
  /** Human-readable: why this backend, and why not the ones before it. */
  reason: string;
  /** True when a backend earlier in the order (or the requested one) could not be used. */
  fellBack: boolean;
  /** WebGPU adapter description, when there is one. */
  adapter?: string;
  /** The WebGPU adapter is a software rasteriser (e.g. SwiftShader), not a GPU. */
  softwareAdapter?: boolean;
}

async function loadBackendPackage(name: BackendName): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'wasm': {
      const [wasm, plain, simd, threaded] = await Promise.all([
        import('@tensorflow/tfjs-backend-wasm'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
      ]);
      // Vite fingerprints the .wasm files, so name each one instead of a folder.
      wasm.setWasmPaths({
        'tfjs-backend-wasm.wasm': plain.default,
        'tfjs-backend-wasm-simd.wasm': simd.default,
        'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
      });
      return;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface AdapterCheck {
  ok: boolean;
  reason?: string;
  description?: string;
  software?: boolean;
}

/** Looks for a WebGPU adapter before tfjs does, so we can say why it is missing. */
export async function checkWebGpuAdapter(): Promise<AdapterCheck> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'this browser has no WebGPU (a recent Chrome or Edge has it)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { ok: false, reason: `WebGPU adapter request failed: ${describeError(error)}` };
  }
  if (!adapter) return { ok: false, reason: 'WebGPU found no usable GPU (it may be switched off or the GPU blocklisted)' };
  const info = adapter.info;
  const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const software = info.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(description);
  return { ok: true, description, software };
}

/** Load a backend's package and make it current. Returns null or why it failed. */
export async function activateBackend(name: BackendName): Promise<string | null> {
  try {
    await loadBackendPackage(name);
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} failed to initialise`;
    await tf.ready();
    return null;
  } catch (error) {
    return `${name} failed: ${describeError(error)}`;
  }
}

/** Measures milliseconds per training step on the current backend. */
export type StepProbe = () => Promise<number>;

/**
 * Picks the backend. With `auto`: the first of WebGPU, WebGL, WASM, CPU that starts; on
 * a software WebGPU adapter, WebGPU is timed against WASM by `probe` and the faster one
 * wins. A forced backend that fails falls through the same order after it.
 */
export async function chooseBackend(requested: BackendRequest, probe: StepProbe): Promise<BackendInfo> {
  const reasons: string[] = [];
  const start = requested === 'auto' ? 0 : BACKEND_ORDER.indexOf(requested);
  // A forced backend goes first; the rest of the order is the fallback.
  const candidates: BackendName[] = requested === 'auto' ? [...BACKEND_ORDER] : [requested, ...BACKEND_ORDER.filter((name) => name !== requested)];
  for (const name of candidates) {
    let adapter: AdapterCheck | undefined;
    if (name === 'webgpu') {
      adapter = await checkWebGpuAdapter();
      if (!adapter.ok) { reasons.push(adapter.reason ?? 'no WebGPU'); continue; }
    }
    const failure = await activateBackend(name);
    if (failure) { reasons.push(failure); continue; }
    if (name === 'webgpu' && adapter?.software && requested === 'auto') {
      const webgpuMs = await probe();
      const wasmFailure = await activateBackend('wasm');
      if (!wasmFailure) {
        const wasmMs = await probe();
        const timing = `webgpu ${webgpuMs.toFixed(1)} ms/step vs wasm ${wasmMs.toFixed(1)} ms/step`;
        if (wasmMs < webgpuMs) {
          return {
            name: 'wasm', requested, fellBack: true, adapter: adapter.description, softwareAdapter: true,
            reason: `WebGPU runs on a software adapter (${adapter.description}); a probe found WASM faster: ${timing}`,
          };
        }
        await activateBackend('webgpu');
        return {
          name: 'webgpu', requested, fellBack: false, adapter: adapter.description, softwareAdapter: true,
          reason: `WebGPU runs on a software adapter (${adapter.description}); a probe found it faster than WASM: ${timing}`,
        };
      }
      await activateBackend('webgpu');
    }
    const chosenFirst = candidates.indexOf(name) === 0;
    const reason = chosenFirst
      ? (requested === 'auto' ? `${name} is the first choice` : `${name} was requested`) + (adapter?.description ? ` (${adapter.description})` : '')
      : `${reasons.join('; ')}; training runs on ${name} instead, which is slower but gives the same pictures`;
    return { name, requested, fellBack: !chosenFirst || start < 0, reason, adapter: adapter?.description, softwareAdapter: adapter?.software };
  }
  throw new Error(`Training cannot start because no TensorFlow.js backend works in this browser (${reasons.join('; ')}); try a recent Chrome, Edge or Firefox.`);
}

/** The next backend after `name` in the fallback order, for recovering from a lost device. */
export function nextBackend(name: BackendName): BackendName | undefined {
  return BACKEND_ORDER[BACKEND_ORDER.indexOf(name) + 1];
}
