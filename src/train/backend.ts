/**
 * Backend choice in the browser: an automatic run starts on WASM (then WebGL, CPU) and
 * may move to WebGPU later; a forced one starts where it is told. Each backend's package
 * is loaded on demand, so only the ones in use are downloaded.
 */
import { BACKEND_ORDER, type BackendName, type BackendRequest } from '../core/backends';
import { tf } from './tf';

export { BACKEND_ORDER, isBackendName, type BackendName, type BackendRequest } from '../core/backends';

/**
 * Where an automatic run starts: WASM first, as it is ready in well under a second
 * (WebGPU compiles its pipelines on the first steps, WebGL its shaders). WebGPU joins
 * later, if a warm-up finds it faster.
 */
export const START_ORDER: readonly BackendName[] = ['wasm', 'webgl', 'cpu'];

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

/** What `checkWebGpuAdapter` found: an adapter (and whether it is software) or why none. */
export interface AdapterCheck {
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

/** The browser effects `chooseBackend` needs; tests pass fakes. */
export interface BackendEffects {
  checkAdapter: () => Promise<AdapterCheck>;
  activate: (name: BackendName) => Promise<string | null>;
}

const BROWSER_EFFECTS: BackendEffects = { checkAdapter: checkWebGpuAdapter, activate: activateBackend };

/**
 * Picks the backend to start on. With `auto`: the first of WASM, WebGL, CPU that starts
 * (START_ORDER); WebGPU is not tried here, because its first steps compile pipelines
 * and on a software adapter run ~30× slower than WASM: the worker warms it up in the
 * background instead and moves the run if it wins (src/core/backendVerdict.ts). A forced
 * backend goes first, and if it fails the rest of BACKEND_ORDER after it is tried.
 */
export async function chooseBackend(requested: BackendRequest, effects: BackendEffects = BROWSER_EFFECTS): Promise<BackendInfo> {
  const reasons: string[] = [];
  const candidates: readonly BackendName[] = requested === 'auto' ? START_ORDER : [requested, ...BACKEND_ORDER.filter((name) => name !== requested)];
  for (const name of candidates) {
    const chosenFirst = candidates.indexOf(name) === 0;
    let adapter: AdapterCheck | null = null;
    if (name === 'webgpu') {
      adapter = await effects.checkAdapter();
      if (!adapter.ok) {
        reasons.push(adapter.reason ?? 'no WebGPU');
        continue;
      }
    }
    const failure = await effects.activate(name);
    if (failure) {
      reasons.push(failure);
      continue;
    }
    const described = adapter?.description ? ` (${adapter.description})` : '';
    const firstReason = requested === 'auto' ? `${name} starts fastest` : `${name} was requested${described}`;
    const info: BackendInfo = chosenFirst ? { name, requested, fellBack: false, reason: firstReason } : { name, requested, fellBack: true, reason: fellBackReason(reasons, name) };
    return adapter ? { ...info, adapter: adapter.description, softwareAdapter: adapter.software } : info;
  }
  throw new Error(`Training cannot start because no TensorFlow.js backend works in this browser (${reasons.join('; ')}); try a recent Chrome, Edge or Firefox.`);
}

function fellBackReason(reasons: string[], name: BackendName): string {
  return `${reasons.join('; ')}; training runs on ${name} instead, which is slower but gives the same pictures`;
}

/** The next backend after `name` in the fallback order, for recovering from a lost device. */
export function nextBackend(name: BackendName): BackendName | undefined {
  return BACKEND_ORDER[BACKEND_ORDER.indexOf(name) + 1];
}

/**
 * Where training goes when `failed` stops working. An automatic run falls back along
 * START_ORDER, so one that had moved to WebGPU goes back to WASM, where it came from
 * (not to WebGL, which on a machine without a GPU is 7× slower); a forced run takes the
 * next in BACKEND_ORDER.
 */
export function fallbackAfter(failed: BackendName, requested: BackendRequest): BackendName | undefined {
  if (requested !== 'auto') return nextBackend(failed);
  if (failed === 'webgpu') return START_ORDER[0];
  return START_ORDER[START_ORDER.indexOf(failed) + 1];
}
