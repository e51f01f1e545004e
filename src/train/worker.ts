/// <reference lib="webworker" />
/**
 * The training worker. It owns the backend, the model and every tensor; the page only
 * ever sees snapshots. Training is paced by the page: a snapshot is sent only when the
 * page says it drew the last one (`frameReady`), so there is at most one in flight and
 * at most one per animation frame, and a hidden tab (no frames) stops training.
 */
import { needsReset, type Params } from '../core/schema';
import { activateBackend, chooseBackend, nextBackend, type BackendInfo, type BackendName } from './backend';
import { snapshotTransfers, type DebugRequest, type DebugResult, type FromWorker, type ToWorker } from './protocol';
import { tf } from './tf';
import { Trainer } from './trainer';
import { countWebGpuDispatches, fusedParityReport } from './fused';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** Steps run between yields while working through an explicit `step n` request. */
const STEP_CHUNK = 25;
/** How often the weights are copied out, so a lost device costs at most this much training. */
const CHECKPOINT_MS = 2000;

let params: Params | null = null;
let trainer: Trainer | null = null;
let backend: BackendInfo | null = null;
let playing = false;
let stepsPerFrame = 1;
let pendingSteps = 0;
let frameCredit = true;
let dirty = true;
/** Steps trained since the last snapshot went out: training runs ahead while the page draws. */
let stepsSincePublish = 0;
let generation = 0;
let wakeLoop: (() => void) | null = null;
let checkpoint: { step: number; weights: Float32Array[]; at: number } | null = null;
let rate = { steps: 0, since: 0, value: 0 };
let recovering = false;
/** Keep training without frames (a hidden embed told to autoplay). */
let background = false;
/** Device-to-host reads and published frames since start: the benchmark's readbacks per frame. */
const readCounter = { readbacks: 0, frames: 0 };
let lastGoodStep = 0;
/** Set by the watchdog; only a fresh trainer (reset, new seed) clears it. */
let halted = false;
/** The page's wishes that shape each new trainer. */
const trainerWishes = { fused: true };

function wake(): void {
  wakeLoop?.();
  wakeLoop = null;
}

function freshTrainer(): void {
  if (!params) return;
  trainer?.dispose();
  trainer = new Trainer(params, { fused: trainerWishes.fused });
  generation++;
  checkpoint = null;
  dirty = true;
  halted = false;
  stepsSincePublish = 0;
  rate = { steps: 0, since: performance.now(), value: 0 };
}

async function probeStepMs(): Promise<number> {
  if (!params) return Infinity;
  const probe = new Trainer(params, { fused: trainerWishes.fused });
  try {
    probe.train(2);
    await probe.settle();
    const started = performance.now();
    probe.train(8);
    await probe.settle();
    return (performance.now() - started) / 8;
  } finally {
    probe.dispose();
  }
}

function watchDevice(info: BackendInfo): void {
  if (info.name !== 'webgpu') return;
  const device = (tf.backend() as WebGPUBackend).device;
  void device.lost.then((lost) => {
    if (backend?.name === 'webgpu') void recover(new Error(`the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''})`));
  });
}

async function start(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  params = message.params;
  trainerWishes.fused = message.fused;
  playing = message.playing;
  stepsPerFrame = message.stepsPerFrame;
  backend = await chooseBackend(message.backend, probeStepMs);
  post({ type: 'backend', info: backend });
  watchDevice(backend);
  freshTrainer();
  wake();
}

/** Moves training to the next backend from the last checkpoint, after a device loss or a backend error. */
async function recover(error: unknown): Promise<void> {
  if (recovering || !backend || !params) return;
  recovering = true;
  const reason = error instanceof Error ? error.message : String(error);
  try {
    let next: BackendName | undefined = nextBackend(backend.name);
    while (next) {
      const failure = await activateBackend(next);
      if (!failure) break;
      next = nextBackend(next);
    }
    if (!next) {
      post({ type: 'error', message: `Training stopped: ${reason}, and no other backend could start. Reload the page to try again.` });
      playing = false;
      return;
    }
    const from = backend.name;
    backend = { name: next, requested: backend.requested, fellBack: true, reason: `${from} failed (${reason}); moved to ${next}` };
    post({ type: 'backend', info: backend });
    const saved = checkpoint;
    trainer = null; // its tensors belonged to the failed backend
    freshTrainer();
    if (saved && trainer) (trainer as Trainer).resumeFrom(saved.step, saved.weights);
    post({ type: 'notice', message: `${from} stopped working (${reason}). Training goes on on ${next}${saved ? ` from step ${saved.step}` : ' from the start'}.` });
  } finally {
    recovering = false;
    wake();
  }
}

/** True when every number a panel would draw is finite. */
function snapshotIsFinite(snapshot: { loss: number; embeddings: Float32Array; weights: Float32Array; step: number }): boolean {
  if (snapshot.step > 0 && !Number.isFinite(snapshot.loss)) return false;
  for (const array of [snapshot.embeddings, snapshot.weights]) {
    for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) return false;
  }
  return true;
}

async function publish(current: Trainer): Promise<void> {
  const startedGeneration = generation;
  readCounter.readbacks++;
  const checkpointDue = !checkpoint || performance.now() - checkpoint.at > CHECKPOINT_MS;
  const { snapshot, weights } = await current.readSnapshotWithWeights(checkpointDue);
  if (startedGeneration !== generation) return;
  if (!snapshotIsFinite(snapshot)) {
    // The watchdog: stop at the first non-finite value and keep the last good picture.
    playing = false;
    pendingSteps = 0;
    dirty = false;
    halted = true;
    post({ type: 'diverged', step: snapshot.step, lastGoodStep });
    return;
  }
  lastGoodStep = snapshot.step;
  readCounter.frames++;
  const now = performance.now();
  const elapsed = now - rate.since;
  if (elapsed > 500) {
    rate = { steps: 0, since: now, value: (rate.steps * 1000) / elapsed };
  }
  frameCredit = false;
  dirty = false;
  stepsSincePublish = 0;
  post({
    type: 'snapshot',
    snapshot: { ...snapshot, generation, backend: backend?.name ?? 'unknown', stepsPerSecond: rate.value, playing },
  }, snapshotTransfers(snapshot));
  if (weights) checkpoint = { step: snapshot.step, weights, at: now };
}

function runSteps(current: Trainer, count: number): void {
  current.train(count);
  rate.steps += count;
  stepsSincePublish += count;
  dirty = true;
}

async function loop(): Promise<void> {
  for (;;) {
    const current = trainer;
    if (!current || recovering || halted) {
      await new Promise<void>((resolve) => { wakeLoop = resolve; });
      continue;
    }
    try {
      if (frameCredit && dirty && current.step === 0) {
        // Step 0 first: the logit panel keeps its θ_y histogram as the ghost of the start.
        await publish(current);
      } else if (playing && stepsSincePublish < stepsPerFrame) {
        // The next frame's steps run while the page is still drawing the last one.
        runSteps(current, stepsPerFrame - stepsSincePublish);
      } else if (playing && frameCredit) {
        await publish(current);
      } else if (pendingSteps > 0) {
        const count = Math.min(pendingSteps, STEP_CHUNK);
        pendingSteps -= count;
        runSteps(current, count);
        if (frameCredit) await publish(current);
      } else if (frameCredit && dirty) {
        await publish(current);
      } else if (playing && background) {
        // No frames come while hidden: train on, and wait for the device now and then so
        // queued work cannot pile up without bound.
        runSteps(current, stepsPerFrame);
        if (stepsSincePublish >= stepsPerFrame * 8) { readCounter.readbacks++; await current.settle(); stepsSincePublish = stepsPerFrame; }
      } else {
        await new Promise<void>((resolve) => { wakeLoop = resolve; });
        continue;
      }
    } catch (error) {
      await recover(error);
    }
    // Let queued messages (pause, a slider) in between chunks.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

async function debug(request: DebugRequest): Promise<DebugResult> {
  const current = trainer;
  if (!current) throw new Error('no training run yet');
  switch (request.kind) {
    case 'measure': {
      const steps = Math.max(1, Math.min(200, Math.floor(request.steps)));
      const wasPlaying = playing;
      playing = false;
      current.train(1); // a warm step so one-off uploads are not counted
      await current.settle();
      const profile = await tf.profile(() => { current.train(steps); });
      const kernels = profile.kernels.length;
      const counted = tf.getBackend() === 'webgpu' ? await countWebGpuDispatches(() => current.train(steps)) : null;
      await current.settle();
      playing = wasPlaying;
      dirty = true;
      return {
        backend: tf.getBackend(),
        kernelsPerStep: kernels / steps,
        dispatchesPerStep: counted === null ? null : counted / steps,
        readbacksPerFrame: readCounter.frames === 0 ? 0 : readCounter.readbacks / readCounter.frames,
        fused: current.fused,
      };
    }
    case 'loseDevice': {
      if (tf.getBackend() !== 'webgpu') throw new Error('the current backend is not WebGPU');
      (tf.backend() as WebGPUBackend).device.destroy();
      return { done: true };
    }
    case 'parity': {
      const wasPlaying = playing;
      playing = false;
      try {
        return await fusedParityReport();
      } finally {
        playing = wasPlaying;
      }
    }
    case 'poison': {
      const weights = await current.exportWeights();
      // The class weights W: a NaN there reaches the loss on every path (a NaN in a hidden
      // layer can vanish behind a ReLU whose max() drops NaN).
      weights[weights.length - 2][0] = Number.NaN;
      current.importWeights(weights);
      dirty = true;
      return { done: true };
    }
    case 'memory': {
      const memory = tf.memory();
      return { numTensors: memory.numTensors, numBytes: memory.numBytes, step: current.step };
    }
  }
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'init':
      start(message).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
      break;
    case 'play': playing = true; break;
    case 'pause': playing = false; dirty = true; break;
    case 'step': pendingSteps += Math.max(0, Math.floor(message.count)); break;
    case 'setSpeed': stepsPerFrame = Math.max(1, Math.floor(message.stepsPerFrame)); break;
    case 'frameReady': frameCredit = true; break;
    case 'background': background = message.on; break;
    case 'debug':
      debug(message.request)
        .then((result) => post({ type: 'debugResult', id: message.id, result }))
        .catch((error: unknown) => post({ type: 'debugResult', id: message.id, result: { error: error instanceof Error ? error.message : String(error) } }));
      break;
    case 'reset': pendingSteps = 0; stepsSincePublish = 0; freshTrainer(); break;
    case 'setParams': {
      const before = params;
      params = message.params;
      if (!trainer || !before) break;
      if (needsReset(before, params) || !trainer.setParams(params)) freshTrainer();
      dirty = true;
      break;
    }
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data);
  wake();
};

void loop();
