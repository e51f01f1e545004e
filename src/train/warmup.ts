/**
 * The WebGPU warm-up. It runs in a second instance of the training worker's script
 * (the page starts one beside the training worker and sends it only `warmup`), so the
 * running session never waits for it and the browser reuses the modules it has already
 * loaded instead of a separate bundle with its own copy of TensorFlow.js. It activates
 * WebGPU, compiles its pipelines by training a probe trainer, times a few steps, then
 * times the backend training runs on in the same way in the same worker, so both timings
 * are taken under the same load.
 */
import type { WarmupOutcome } from '../core/backendVerdict';
import type { BackendName } from './backend';
import type { ToWorker } from './protocol';

export type WarmupMessage = Extract<ToWorker, { type: 'warmup' }>;

/** What the warm-up needs from the browser; tests pass fakes. */
export interface WarmupEffects {
  activate(name: BackendName): Promise<string | null>;
  /** ms per training step on the current backend (session.ts `timeTrainingStep`). */
  timeStep(): Promise<number>;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * ms per step once the backend is warm: `timeTrainingStep` trains 2 untimed steps first,
 * which compile WebGPU's pipelines (every kernel of a step runs in the first one), then
 * times 8. One timing each keeps the warm-up short: on SwiftShader a step takes ~100 ms.
 */
async function warmTiming(effects: WarmupEffects): Promise<{ ms: number } | { failure: string }> {
  try {
    const ms = await effects.timeStep();
    return Number.isFinite(ms) && ms > 0 ? { ms } : { failure: `it measured ${ms} ms/step` };
  } catch (error) {
    return { failure: describe(error) };
  }
}

/** Times WebGPU, then `baseline`; never throws, a failure is part of the outcome. */
export async function warmUp(baseline: BackendName, effects: WarmupEffects): Promise<WarmupOutcome> {
  try {
    const webgpuFailure = await effects.activate('webgpu');
    if (webgpuFailure) return { ok: false, baseline, failed: 'webgpu', reason: webgpuFailure };
    const webgpu = await warmTiming(effects);
    if ('failure' in webgpu) return { ok: false, baseline, failed: 'webgpu', reason: webgpu.failure };
    const baselineFailure = await effects.activate(baseline);
    if (baselineFailure) return { ok: false, baseline, failed: 'baseline', reason: baselineFailure };
    const timed = await warmTiming(effects);
    if ('failure' in timed) return { ok: false, baseline, failed: 'baseline', reason: timed.failure };
    return { ok: true, baseline, webgpuMs: webgpu.ms, baselineMs: timed.ms };
  } catch (error) {
    return { ok: false, baseline, failed: 'webgpu', reason: describe(error) };
  }
}
