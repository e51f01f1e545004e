/**
 * Whether training should move to WebGPU, decided from a background warm-up's timings,
 * and the remembered verdict of an earlier visit. Pure: the worker and the page call
 * these, the tests feed them made-up timings and stored records.
 *
 * Training starts on the backend that starts fastest (WASM, see src/train/backend.ts).
 * A separate worker warms WebGPU up and times it against that backend under the same
 * load; only then does the run move, so a slow WebGPU never holds up the first step.
 */
import { isBackendName, type BackendName } from './backends';

/**
 * WebGPU must be at least this much faster than the backend training is on before the
 * run moves. A move costs a readback of every weight, a fresh trainer and a new set of
 * pipelines, and two timings of 8 steps on a shared machine differ by ~10 % by chance;
 * a 1.2× margin keeps a near-tie from moving the run (and flipping on the next visit).
 */
export const MOVE_SPEEDUP = 1.2;

/**
 * A remembered verdict older than this is timed again: browsers update their WebGPU
 * implementation (and drivers) every few weeks, and a verdict may not survive that.
 */
export const VERDICT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** A backend's name as a sentence writes it. */
export function backendLabel(name: BackendName): string {
  return LABELS[name];
}

/** The WebGPU adapter the warm-up ran on. */
export interface AdapterFacts {
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe), not a GPU. */
  software: boolean;
}

/**
 * What the warm-up measured: ms per training step on WebGPU (after its pipelines were
 * compiled) and on `baseline`, the backend training runs on, in the same worker; or
 * which side could not be timed and why.
 */
export type WarmupOutcome = { ok: true; baseline: BackendName; webgpuMs: number; baselineMs: number } | { ok: false; baseline: BackendName; failed: 'webgpu' | 'baseline'; reason: string };

/** Where training should run, and what to tell the person watching. */
export interface BackendVerdict {
  backend: BackendName;
  /** The status line's reason for `backend`. */
  reason: string;
  /** A one-sentence notice when the run moves; null when it stays (the reason says why). */
  notice: string | null;
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0);
}

function formatSpeedup(factor: number): string {
  return factor < 10 ? factor.toFixed(1) : factor.toFixed(0);
}

function describeAdapter(adapter: AdapterFacts): string {
  return adapter.software ? `WebGPU on a software adapter (${adapter.description})` : `WebGPU (${adapter.description})`;
}

const usable = (ms: number): boolean => Number.isFinite(ms) && ms > 0;

/**
 * The verdict of a warm-up: move to WebGPU when it was at least MOVE_SPEEDUP times as
 * fast as `outcome.baseline`; otherwise stay, saying why with both timings. A failed or
 * unusable warm-up stays and says which side failed.
 */
export function judgeWarmup(outcome: WarmupOutcome, adapter: AdapterFacts): BackendVerdict {
  const baseline = outcome.baseline;
  const stay = (why: string): BackendVerdict => ({ backend: baseline, reason: `stays on ${backendLabel(baseline)}: ${why}`, notice: null });
  if (!outcome.ok) {
    return outcome.failed === 'webgpu' ? stay(`the WebGPU warm-up failed (${outcome.reason})`) : stay(`${backendLabel(baseline)} could not be timed against WebGPU in the warm-up (${outcome.reason})`);
  }
  const { webgpuMs, baselineMs } = outcome;
  if (!usable(webgpuMs) || !usable(baselineMs)) return stay(`the warm-up measured no usable time (WebGPU ${webgpuMs} ms/step, ${backendLabel(baseline)} ${baselineMs} ms/step)`);
  const timings = `${formatMs(webgpuMs)} ms/step against ${backendLabel(baseline)}'s ${formatMs(baselineMs)} ms/step`;
  const speedup = baselineMs / webgpuMs;
  if (speedup >= MOVE_SPEEDUP) {
    const faster = `moved to WebGPU, ${formatSpeedup(speedup)}× faster`;
    return { backend: 'webgpu', reason: `${faster}: ${describeAdapter(adapter)} took ${timings}`, notice: `Training ${faster} (${timings}).` };
  }
  const margin = speedup > 1 ? `, under the ${MOVE_SPEEDUP}× speed-up a move needs` : '';
  return stay(`${describeAdapter(adapter)} took ${timings}${margin}`);
}

/** A verdict as the page stores it, per browser: which adapter and app version it holds for. */
export interface VerdictRecord {
  appVersion: string;
  /** The WebGPU adapter's description (`checkWebGpuAdapter`). */
  adapter: string;
  software: boolean;
  /** The backend the verdict chose. */
  backend: BackendName;
  /** The warm-up's timings, to say why again on the next visit. */
  timings: { baseline: BackendName; webgpuMs: number; baselineMs: number };
  /** When it was measured, ms since 1970. */
  when: number;
}

/** The record to store for a warm-up, or null when it failed (a failure is retried next visit, not remembered). */
export function verdictRecord(outcome: WarmupOutcome, verdict: BackendVerdict, adapter: AdapterFacts, appVersion: string, when: number): VerdictRecord | null {
  if (!outcome.ok || !usable(outcome.webgpuMs) || !usable(outcome.baselineMs)) return null;
  return {
    appVersion,
    adapter: adapter.description,
    software: adapter.software,
    backend: verdict.backend,
    timings: { baseline: outcome.baseline, webgpuMs: outcome.webgpuMs, baselineMs: outcome.baselineMs },
    when,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const isTiming = (value: unknown): value is number => typeof value === 'number' && usable(value);

/** A stored value (already JSON-parsed) as a record, or null for anything malformed. */
export function parseVerdictRecord(value: unknown): VerdictRecord | null {
  if (!isRecord(value) || !isRecord(value.timings)) return null;
  const { appVersion, adapter, software, backend, timings, when } = value;
  if (!isText(appVersion, 64) || !isText(adapter, 512) || typeof software !== 'boolean') return null;
  if (typeof backend !== 'string' || !isBackendName(backend)) return null;
  if (typeof timings.baseline !== 'string' || !isBackendName(timings.baseline) || !isTiming(timings.webgpuMs) || !isTiming(timings.baselineMs)) return null;
  // A record can only choose between the two backends it timed.
  if (backend !== 'webgpu' && backend !== timings.baseline) return null;
  if (typeof when !== 'number' || !Number.isFinite(when)) return null;
  return { appVersion, adapter, software, backend, timings: { baseline: timings.baseline, webgpuMs: timings.webgpuMs, baselineMs: timings.baselineMs }, when };
}

/** What a remembered verdict must match to be used. */
export interface RecallContext {
  appVersion: string;
  adapter: string;
  /** The backend training started on. */
  current: BackendName;
  now: number;
}

/**
 * The stored record if it holds for this visit: the same app version and adapter, not
 * older than VERDICT_MAX_AGE_MS (nor from the future), and timed against the backend
 * training started on (a verdict against WASM says nothing when WASM did not start).
 */
export function recallVerdict(record: VerdictRecord | null, context: RecallContext): VerdictRecord | null {
  if (!record) return null;
  if (record.appVersion !== context.appVersion || record.adapter !== context.adapter) return null;
  const age = context.now - record.when;
  if (age < 0 || age > VERDICT_MAX_AGE_MS) return null;
  return record.timings.baseline === context.current ? record : null;
}

/**
 * A remembered record as a verdict, its reason saying where it came from. The stored
 * timings are judged again, so the reason and the choice always agree with each other.
 */
export function rememberedVerdict(record: VerdictRecord): BackendVerdict {
  const judged = judgeWarmup({ ok: true, ...record.timings }, { description: record.adapter, software: record.software });
  const day = new Date(record.when).toISOString().slice(0, 10);
  return { backend: judged.backend, reason: `remembered from an earlier visit (${day}): ${judged.reason}`, notice: null };
}
