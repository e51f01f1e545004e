/// <reference lib="webworker" />
/**
 * The training worker: message wiring around a TrainingSession (./session), which owns
 * the runs, the pacing and the watchdog. The worker picks the backend, forwards the
 * page's messages, and runs the loop that asks the session what to do next.
 *
 * An automatic run starts on WASM at once and looks for a WebGPU adapter meanwhile. A
 * verdict remembered for that adapter is carried out; otherwise the page is asked to warm
 * WebGPU up in a second instance of this script (`warmup`, ./warmup), and its verdict
 * (src/core/backendVerdict.ts) comes back as a message: stay, or move the session at
 * the next frame boundary.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { backendLabel, recallVerdict, rememberedVerdict, type BackendVerdict } from '../core/backendVerdict';
import { activateBackend, checkWebGpuAdapter, chooseBackend, fallbackAfter, type AdapterCheck, type BackendInfo } from './backend';
import { DebugTools } from './debugTools';
import { fetchDigits } from './digitsLoader';
import type { Params } from '../core/schema';
import type { FromWorker, ToWorker } from './protocol';
import { TrainingSession, timeTrainingStep } from './session';
import { tf } from './tf';
import { warmUp } from './warmup';

type InitMessage = Extract<ToWorker, { type: 'init' }>;

/** The digits asset's file name (digits-<content hash>.bin), set by vite.config.ts. */
declare const __DIGITS_ASSET__: string;
/**
 * The asset sits at the site's root, beside index.html; the built worker is one folder down
 * (assets/). The dev server serves the asset at any path that ends in its name.
 */
const digitsUrl = (): string => new URL(`../${__DIGITS_ASSET__}`, self.location.href).href;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const now = (): number => performance.now();
let session: TrainingSession | null = null;
let backend: BackendInfo | null = null;
/** A verdict to move the session by, carried out by the loop between two actions (a frame boundary). */
let pendingMove: BackendVerdict | null = null;
/** Devices whose loss already leads to `recover`: one handler per device, however the run got there. */
const watchedDevices = new WeakSet<GPUDevice>();
const debugTools = new DebugTools(() => session);
let wakeLoop: (() => void) | null = null;
const wake = (): void => {
  wakeLoop?.();
  wakeLoop = null;
};

function announce(info: BackendInfo): void {
  backend = info;
  post({ type: 'backend', info });
}

/** On WebGPU, a lost device moves training on from the last checkpoint; called whenever a run arrives there (start, remembered verdict or move). */
function watchDeviceLoss(): void {
  if (backend?.name !== 'webgpu') return;
  const device = (tf.backend() as WebGPUBackend).device;
  if (watchedDevices.has(device)) return;
  watchedDevices.add(device);
  void device.lost.then((lost) => {
    if (backend?.name === 'webgpu') void recover(new Error(`the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''})`));
  });
}

function begin(current: TrainingSession): void {
  current.start();
  debugTools.sessionStarted();
  wake();
}

async function start(message: InitMessage): Promise<void> {
  const current = new TrainingSession({
    runs: message.runs,
    runsVersion: message.runsVersion,
    playing: message.playing,
    stepsPerFrame: message.stepsPerFrame,
    fused: message.fused,
    post,
    now,
    // Fetched only when a run asks for the digits, never for the default synthetic data.
    loadDigits: () => fetchDigits(digitsUrl(), (loaded, total) => post({ type: 'dataset', status: { state: 'loading', loaded, total } })),
    wake,
  });
  session = current;
  if (message.backend !== 'auto') {
    announce(await chooseBackend(message.backend));
    watchDeviceLoss();
    begin(current);
    return;
  }
  // The adapter check runs while WASM loads, not after it, so the first step never waits
  // for it. When it answers first, a remembered verdict is carried out before the first
  // step; otherwise just after.
  const adapter: { check: AdapterCheck | null } = { check: null };
  const checked = checkWebGpuAdapter()
    .catch((error: unknown): AdapterCheck => ({ ok: false, reason: `WebGPU adapter check failed: ${describe(error)}` }))
    .then((check) => {
      adapter.check = check;
      return check;
    });
  backend = await chooseBackend('auto');
  if (adapter.check) await settleAdapter(adapter.check, message, false);
  else announce(backend);
  begin(current);
  if (!adapter.check) void checked.then((check) => settleAdapter(check, message, true));
}

/** What the adapter check means for an automatic run: nothing to move to, a remembered verdict, or a warm-up to ask for. */
async function settleAdapter(check: AdapterCheck, message: InitMessage, started: boolean): Promise<void> {
  const current = backend;
  if (!current || !session) return;
  if (!check.ok || !check.description) {
    announce({ ...current, reason: `${current.reason}; there is no WebGPU to move to: ${check.reason ?? 'no adapter'}` });
    return;
  }
  const adapter = { description: check.description, software: check.software === true };
  const withAdapter: BackendInfo = { ...current, adapter: adapter.description, softwareAdapter: adapter.software };
  const recalled = recallVerdict(message.remembered, { appVersion: message.appVersion, adapter: adapter.description, current: current.name, now: Date.now() });
  backend = withAdapter;
  if (recalled) {
    await carryOut(rememberedVerdict(recalled), started);
    return;
  }
  const kind = adapter.software ? 'on a software adapter ' : '';
  announce({ ...withAdapter, reason: `${current.reason}; WebGPU ${kind}(${adapter.description}) is warming up in the background, to see whether it trains faster` });
  post({ type: 'warmupWanted', request: { params: session.paramsOf(0), fused: message.fused, baseline: current.name, adapter } });
}

/** A verdict: say why the run stays, or move it (before the first step: start there instead). */
async function carryOut(verdict: BackendVerdict, started: boolean): Promise<void> {
  const current = backend;
  if (!current) return;
  if (verdict.backend === current.name) {
    announce({ ...current, reason: verdict.reason });
    if (verdict.notice) post({ type: 'notice', message: verdict.notice });
    return;
  }
  // Timed against a backend the run has left since (a recovery): it no longer applies.
  if (verdict.backend !== 'webgpu') return;
  if (started) {
    pendingMove = verdict;
    wake();
    return;
  }
  const failure = await activateBackend(verdict.backend);
  if (failure) {
    await activateBackend(current.name);
    announce({ ...current, reason: `stays on ${backendLabel(current.name)}: WebGPU was remembered as faster, but ${failure}` });
    return;
  }
  announce({ ...current, name: verdict.backend, fellBack: false, reason: verdict.reason });
  watchDeviceLoss();
}

/** Moves the session to the verdict's backend; called by the loop, so between two actions. */
async function move(current: TrainingSession, verdict: BackendVerdict): Promise<void> {
  const from = backend;
  if (!from || from.name === verdict.backend) return;
  const attempt: { failure: string | null } = { failure: null };
  const result = await current.moveTo(async () => {
    attempt.failure = await activateBackend(verdict.backend);
    if (!attempt.failure) return true;
    await activateBackend(from.name);
    return false;
  });
  if (result.kind === 'moved') {
    announce({ ...from, name: verdict.backend, fellBack: false, reason: verdict.reason });
    watchDeviceLoss();
    if (verdict.notice) post({ type: 'notice', message: verdict.notice });
    return;
  }
  const why = attempt.failure ?? (result.kind === 'busy' ? 'a recovery was under way' : 'training had stopped');
  announce({ ...from, reason: `stays on ${backendLabel(from.name)}: WebGPU was faster in the warm-up, but the move failed (${why})` });
}

/** Moves training to the next backend that starts, from the last checkpoint. */
async function recover(error: unknown): Promise<void> {
  const failed = backend;
  if (!session || !failed) return;
  const reason = describe(error);
  let next = fallbackAfter(failed.name, failed.requested);
  let result: Awaited<ReturnType<TrainingSession['recover']>>;
  try {
    result = await session.recover(async () => {
      while (next && (await activateBackend(next))) next = fallbackAfter(next, failed.requested);
      if (!next) return false;
      announce({ name: next, requested: failed.requested, fellBack: true, reason: `${failed.name} failed (${reason}); moved to ${next}` });
      return true;
    });
  } catch (failure) {
    // The fallback backend failed too while rebuilding the runs: say so rather than let the loop end unseen.
    post({ type: 'error', message: `Training stopped: ${reason}, and moving to ${next ?? 'another backend'} failed (${describe(failure)}). Reload the page to try again.` });
    return;
  }
  if (result.kind === 'stopped') post({ type: 'error', message: `Training stopped: ${reason}, and no other backend could start. Reload the page to try again.` });
  if (result.kind === 'resumed')
    post({ type: 'notice', message: `${failed.name} stopped working (${reason}). Training goes on on ${next}${result.step === null ? ' from the start' : ` from step ${result.step}`}.` });
  wake();
}

/**
 * The warm-up times the run's own data: a digits step (784 inputs) weighs differently on
 * each backend than a synthetic one. The asset is in the browser's cache by then; if it
 * cannot be read, the synthetic data are timed instead, as the run will have fallen back to them.
 */
async function timeWarmupStep(params: Params, fused: boolean): Promise<number> {
  const digits = params.data === 'digits' ? await fetchDigits(digitsUrl(), () => undefined).catch(() => null) : null;
  return timeTrainingStep(digits ? params : { ...params, data: 'synthetic' }, fused, now, digits);
}

function handle(message: ToWorker): void {
  if (message.type === 'init') {
    start(message).catch((error: unknown) => post({ type: 'error', message: describe(error) }));
  } else if (message.type === 'warmup') {
    const { params, fused, baseline } = message;
    void warmUp(baseline, { activate: activateBackend, timeStep: () => timeWarmupStep(params, fused) }).then((outcome) => post({ type: 'warmupOutcome', outcome }));
  } else if (message.type === 'verdict') {
    void carryOut(message.verdict, session?.isStarted ?? false);
  } else if (message.type === 'debug') {
    debugTools.answer(message.request).then(
      (result) => post({ type: 'debugResult', id: message.id, result }),
      (error: unknown) => post({ type: 'debugResult', id: message.id, result: { error: describe(error) } }),
    );
  } else {
    session?.receive(message);
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  try {
    handle(event.data);
  } catch (error) {
    post({ type: 'error', message: describe(error) });
  }
  wake();
};

async function loop(): Promise<void> {
  for (;;) {
    const current = session;
    const verdict = pendingMove;
    if (current && verdict) {
      pendingMove = null;
      try {
        await move(current, verdict);
      } catch (error) {
        // Reading the weights off the old backend failed: that backend is the one in trouble.
        await recover(error);
      }
      continue;
    }
    const action = current?.nextAction() ?? { kind: 'wait' };
    if (!current || action.kind === 'wait') {
      await new Promise<void>((resolve) => {
        wakeLoop = resolve;
      });
      continue;
    }
    try {
      await current.perform(action);
    } catch (error) {
      await recover(error);
    }
    // Let queued messages (pause, a slider) in between chunks.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

void loop();
