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

/** Measures milliseconds per training step on the current backend. */
export type StepProbe = () => Promise<number>;

/**
 * The outcome of timing WebGPU against WASM: both timings, or which side could not be
 * timed and why (its backend did not start, the probe threw, or gave no usable time).
 */
export type ProbeOutcome = { ok: true; webgpuMs: number; wasmMs: number } | { ok: false; failed: 'webgpu' | 'wasm'; reason: string };

/** A backend and why, before the adapter details are attached. */
export interface BackendDecision {
  name: BackendName;
  reason: string;
  fellBack: boolean;
}

/**
 * Only an automatic choice on a software adapter is worth a probe: a hardware GPU is
 * assumed to beat WASM, and a forced backend is the user's call.
 */
export function needsProbe(requested: BackendRequest, adapter: AdapterCheck): boolean {
  return requested === 'auto' && adapter.ok && adapter.software === true;
}

/**
 * The decision once WebGPU has started, as a pure function so it can be tested with
 * made-up adapters and timings. `probe` is null when `needsProbe` is false; a probe that
 * is needed but missing is a caller's bug, not something to paper over.
 */
export function decideWebGpu(requested: BackendRequest, adapter: AdapterCheck, probe: ProbeOutcome | null): BackendDecision {
  const described = adapter.description ? ` (${adapter.description})` : '';
  if (!needsProbe(requested, adapter)) {
    return { name: 'webgpu', fellBack: false, reason: `webgpu ${requested === 'auto' ? 'is the first choice' : 'was requested'}${described}` };
  }
  if (!probe) throw new Error('decideWebGpu: a software adapter needs the WebGPU/WASM probe before choosing');
  const software = `WebGPU runs on a software adapter (${adapter.description ?? 'unknown adapter'})`;
  if (!probe.ok) {
    return probe.failed === 'webgpu'
      ? { name: 'wasm', fellBack: true, reason: `${software} and could not be timed (${probe.reason}); training runs on WASM instead` }
      : { name: 'webgpu', fellBack: false, reason: `${software}; WASM could not be timed against it (${probe.reason}), so training stays on WebGPU` };
  }
  const timing = `webgpu ${probe.webgpuMs.toFixed(1)} ms/step vs wasm ${probe.wasmMs.toFixed(1)} ms/step`;
  return probe.wasmMs < probe.webgpuMs
    ? { name: 'wasm', fellBack: true, reason: `${software}; a probe found WASM faster: ${timing}` }
    : { name: 'webgpu', fellBack: false, reason: `${software}; a probe found it faster than WASM: ${timing}` };
}

/** A probe's time, or why it is not usable: it threw, or returned no positive finite time. */
async function timeProbe(probe: StepProbe): Promise<{ ms: number } | { failure: string }> {
  try {
    const ms = await probe();
    return Number.isFinite(ms) && ms > 0 ? { ms } : { failure: `the probe measured ${ms} ms/step` };
  } catch (error) {
    return { failure: `the probe failed: ${describeError(error)}` };
  }
}

/** The browser effects `chooseBackend` needs; tests pass fakes. */
export interface BackendEffects {
  checkAdapter: () => Promise<AdapterCheck>;
  activate: (name: BackendName) => Promise<string | null>;
}

const BROWSER_EFFECTS: BackendEffects = { checkAdapter: checkWebGpuAdapter, activate: activateBackend };

/** Times WebGPU (already active), then WASM, and leaves the winner of `decideWebGpu` active. */
async function probeWebGpuAgainstWasm(probe: StepProbe, effects: BackendEffects): Promise<ProbeOutcome> {
  const webgpu = await timeProbe(probe);
  if ('failure' in webgpu) return { ok: false, failed: 'webgpu', reason: webgpu.failure };
  const wasmFailure = await effects.activate('wasm');
  if (wasmFailure) return { ok: false, failed: 'wasm', reason: wasmFailure };
  const wasm = await timeProbe(probe);
  if ('failure' in wasm) return { ok: false, failed: 'wasm', reason: wasm.failure };
  return { ok: true, webgpuMs: webgpu.ms, wasmMs: wasm.ms };
}

/**
 * Picks the backend. With `auto`: the first of WebGPU, WebGL, WASM, CPU that starts; on
 * a software WebGPU adapter, WebGPU is timed against WASM by `probe` and the faster one
 * wins (`decideWebGpu`). A forced backend that fails falls through the same order after it.
 */
export async function chooseBackend(requested: BackendRequest, probe: StepProbe, effects: BackendEffects = BROWSER_EFFECTS): Promise<BackendInfo> {
  const reasons: string[] = [];
  // A forced backend goes first; the rest of the order is the fallback.
  const candidates: BackendName[] = requested === 'auto' ? [...BACKEND_ORDER] : [requested, ...BACKEND_ORDER.filter((name) => name !== requested)];
  for (const name of candidates) {
    const chosenFirst = candidates.indexOf(name) === 0;
    if (name === 'webgpu') {
      const adapter = await effects.checkAdapter();
      if (!adapter.ok) {
        reasons.push(adapter.reason ?? 'no WebGPU');
        continue;
      }
      const failure = await effects.activate('webgpu');
      if (failure) {
        reasons.push(failure);
        continue;
      }
      const probed = needsProbe(requested, adapter) ? await probeWebGpuAgainstWasm(probe, effects) : null;
      const decision = decideWebGpu(requested, adapter, probed);
      // The probe leaves whichever backend it timed last current (or one that failed).
      if (probed) {
        const switchFailure = await effects.activate(decision.name);
        if (switchFailure) {
          reasons.push(switchFailure);
          continue;
        }
      }
      if (decision.name === 'wasm' || chosenFirst) {
        return { ...decision, requested, adapter: adapter.description, softwareAdapter: adapter.software };
      }
      return { name, requested, fellBack: true, reason: fellBackReason(reasons, name), adapter: adapter.description, softwareAdapter: adapter.software };
    }
    const failure = await effects.activate(name);
    if (failure) {
      reasons.push(failure);
      continue;
    }
    return chosenFirst
      ? { name, requested, fellBack: false, reason: requested === 'auto' ? `${name} is the first choice` : `${name} was requested` }
      : { name, requested, fellBack: true, reason: fellBackReason(reasons, name) };
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
