/// <reference lib="webworker" />
/**
 * The training worker: message wiring around a TrainingSession (./session), which owns
 * the runs, the pacing and the watchdog. The worker picks the backend, forwards the
 * page's messages, and runs the loop that asks the session what to do next.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { activateBackend, chooseBackend, nextBackend, type BackendInfo } from './backend';
import { DebugTools } from './debugTools';
import type { FromWorker, ToWorker } from './protocol';
import { TrainingSession, timeTrainingStep } from './session';
import { tf } from './tf';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const now = (): number => performance.now();
let session: TrainingSession | null = null;
let backend: BackendInfo | null = null;
const debugTools = new DebugTools(() => session);
let wakeLoop: (() => void) | null = null;
const wake = (): void => {
  wakeLoop?.();
  wakeLoop = null;
};

async function start(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  const current = new TrainingSession({ runs: message.runs, runsVersion: message.runsVersion, playing: message.playing, stepsPerFrame: message.stepsPerFrame, fused: message.fused, post, now });
  session = current;
  backend = await chooseBackend(message.backend, () => timeTrainingStep(current.paramsOf(0), message.fused, now));
  post({ type: 'backend', info: backend });
  if (backend.name === 'webgpu') {
    void (tf.backend() as WebGPUBackend).device.lost.then((lost) => {
      if (backend?.name === 'webgpu') void recover(new Error(`the WebGPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ''})`));
    });
  }
  current.start();
  debugTools.sessionStarted();
  wake();
}

/** Moves training to the next backend that starts, from the last checkpoint. */
async function recover(error: unknown): Promise<void> {
  const failed = backend;
  if (!session || !failed) return;
  const reason = describe(error);
  let next = nextBackend(failed.name);
  let result: Awaited<ReturnType<TrainingSession['recover']>>;
  try {
    result = await session.recover(async () => {
      while (next && (await activateBackend(next))) next = nextBackend(next);
      if (!next) return false;
      backend = { name: next, requested: failed.requested, fellBack: true, reason: `${failed.name} failed (${reason}); moved to ${next}` };
      post({ type: 'backend', info: backend });
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

function handle(message: ToWorker): void {
  if (message.type === 'init') {
    start(message).catch((error: unknown) => post({ type: 'error', message: describe(error) }));
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
