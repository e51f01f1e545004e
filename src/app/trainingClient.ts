/**
 * The page's side of the worker protocol. Snapshots are drawn on the next animation
 * frame and only then is the worker told it may send another, so drawing never queues
 * up behind training and React never re-renders per frame.
 *
 * The worker trains a session of 1 to 4 runs in lockstep (one in single mode): every
 * frame holds all runs at the same step, and the page draws them in the same animation
 * frame. Commands address a run by its index.
 *
 * An automatic run may ask for a WebGPU warm-up (`warmupWanted`): the client runs it in
 * a second instance of the worker once the first trained step is drawn, judges the outcome
 * (src/core/backendVerdict.ts), stores the verdict for the next visit, and sends it to
 * the training worker, which stays or moves the run.
 */
import { judgeWarmup, verdictRecord, type WarmupOutcome } from '../core/backendVerdict';
import type { Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import type { BackendInfo, BackendRequest } from '../train/backend';
import type { DatasetStatus, DebugRequest, DebugResult, FromWorker, ToWorker, WarmupRequest } from '../train/protocol';
import { APP_VERSION, verdictMemory, type VerdictMemory } from './backendMemory';

/**
 * A paused page (autoplay=0) draws no trained step; its warm-up starts this long after
 * the first drawn frame instead. Otherwise the warm-up waits for the first trained step,
 * so it never competes with loading, the step-0 picture or the first step.
 */
export const WARMUP_DELAY_MS = 2000;
/** A warm-up that has not answered by then (SwiftShader takes about 5 s here) counts as failed. */
export const WARMUP_LIMIT_MS = 90_000;

export interface TrainingListeners {
  /** Called inside requestAnimationFrame with the newest frame: every run at one step. */
  draw(frame: SessionFrame): void;
  backend(info: BackendInfo): void;
  notice(message: string): void;
  error(message: string): void;
  /** Training stopped at a non-finite value of run `run`; the last good snapshot stays drawn. */
  diverged(step: number, lastGoodStep: number, run: number): void;
  /** The digits asset's progress, arrival or failure (data=digits); optional: pages without digits need not listen. */
  dataset?(status: DatasetStatus): void;
}

/** True when `frame` was trained from the run list the page sent last (not one it replaced since). */
export function isCurrentFrame(frame: Pick<SessionFrame, 'runsVersion'>, runsVersion: number): boolean {
  return frame.runsVersion === runsVersion;
}

export class TrainingClient {
  private readonly worker: Worker;
  private pending: SessionFrame | null = null;
  private frameRequested = false;
  private nextDebugId = 1;
  /** Bumped by every setRuns; the worker echoes it in each frame (SessionFrame.runsVersion). */
  private runsVersion = 0;
  private readonly debugReplies = new Map<number, { resolve: (result: DebugResult) => void; reject: (error: Error) => void }>();
  /** A warm-up asked for and not started yet, and what has been drawn so far (it waits for the first trained step). */
  private pendingWarmup: WarmupRequest | null = null;
  private warmupTimer: ReturnType<typeof setTimeout> | null = null;
  private warmupWorker: Worker | null = null;
  private drawn: 'nothing' | 'step 0' | 'a trained step' = 'nothing';

  constructor(
    private readonly listeners: TrainingListeners,
    private readonly memory: VerdictMemory = verdictMemory(),
  ) {
    this.worker = new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => listeners.error(`The training worker failed: ${event.message || 'unknown error'}. Reload the page.`);
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'snapshot':
        this.pending = message.frame;
        if (!this.frameRequested) {
          this.frameRequested = true;
          requestAnimationFrame(() => this.drawFrame());
        }
        break;
      case 'backend':
        this.listeners.backend(message.info);
        break;
      case 'warmupWanted':
        this.requestWarmup(message.request);
        break;
      case 'notice':
        this.listeners.notice(message.message);
        break;
      case 'dataset':
        this.listeners.dataset?.(message.status);
        break;
      case 'diverged':
        this.listeners.diverged(message.step, message.lastGoodStep, message.run);
        break;
      case 'debugResult': {
        const reply = this.debugReplies.get(message.id);
        this.debugReplies.delete(message.id);
        if (!reply) break;
        if ('error' in message.result) reply.reject(new Error(message.result.error));
        else reply.resolve(message.result);
        break;
      }
      case 'error':
        this.listeners.error(message.message);
        break;
    }
  }

  private drawFrame(): void {
    this.frameRequested = false;
    const frame = this.pending;
    this.pending = null;
    if (!frame) return;
    try {
      // A frame of a run list the page has replaced since: the worker still gets its credit.
      if (isCurrentFrame(frame, this.runsVersion)) this.listeners.draw(frame);
    } finally {
      this.send({ type: 'frameReady' });
      this.noteDrawn(frame.step);
    }
  }

  private noteDrawn(step: number): void {
    if (this.drawn === 'a trained step') return;
    if (step > 0) {
      this.drawn = 'a trained step';
      if (this.pendingWarmup) this.scheduleWarmup(0);
    } else if (this.drawn === 'nothing') {
      this.drawn = 'step 0';
      if (this.pendingWarmup) this.scheduleWarmup(WARMUP_DELAY_MS);
    }
  }

  private requestWarmup(request: WarmupRequest): void {
    if (this.pendingWarmup || this.warmupWorker) return;
    this.pendingWarmup = request;
    if (this.drawn === 'a trained step') this.scheduleWarmup(0);
    else if (this.drawn === 'step 0') this.scheduleWarmup(WARMUP_DELAY_MS);
  }

  /** Starts the warm-up after `delayMs`, or sooner if it is already due sooner; 0 still lets the frame being drawn finish first. */
  private scheduleWarmup(delayMs: number): void {
    if (this.warmupTimer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.warmupTimer);
    }
    this.warmupTimer = setTimeout(() => this.startWarmup(), delayMs);
  }

  private startWarmup(): void {
    const request = this.pendingWarmup;
    this.pendingWarmup = null;
    if (this.warmupTimer !== null) clearTimeout(this.warmupTimer);
    this.warmupTimer = null;
    if (!request || this.warmupWorker) return;
    // The training worker's own script, so the browser reuses its modules rather than fetching a second bundle.
    const worker = new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module', name: 'webgpu-warmup' });
    this.warmupWorker = worker;
    const baseline = request.baseline;
    const finish = (outcome: WarmupOutcome): void => {
      if (this.warmupWorker !== worker) return;
      clearTimeout(limit);
      worker.terminate();
      this.warmupWorker = null;
      const verdict = judgeWarmup(outcome, request.adapter);
      const record = verdictRecord(outcome, verdict, request.adapter, APP_VERSION, Date.now());
      if (record) this.memory.write(record);
      this.send({ type: 'verdict', verdict });
    };
    const limit = setTimeout(() => finish({ ok: false, baseline, failed: 'webgpu', reason: `it did not finish within ${WARMUP_LIMIT_MS / 1000} s` }), WARMUP_LIMIT_MS);
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (event.data?.type === 'warmupOutcome') finish(event.data.outcome);
    };
    worker.onerror = (event) => finish({ ok: false, baseline, failed: 'webgpu', reason: `the warm-up worker failed: ${event.message || 'unknown error'}` });
    const message: ToWorker = { type: 'warmup', params: request.params, fused: request.fused, baseline };
    worker.postMessage(message);
  }

  /** Starts a session of 1 to 4 runs in lockstep; the shared settings come from the first. */
  init(runs: Params[], backend: BackendRequest, playing: boolean, stepsPerFrame: number, fused: boolean): void {
    // A forced backend skips the verdict altogether, so it needs no memory of one.
    const remembered = backend === 'auto' ? this.memory.read() : null;
    this.send({ type: 'init', runs, runsVersion: this.runsVersion, backend, playing, stepsPerFrame, fused, appVersion: APP_VERSION, remembered });
  }

  /** Test and benchmark hooks (?debug=1). */
  debug(request: DebugRequest): Promise<DebugResult> {
    const id = this.nextDebugId++;
    return new Promise((resolve, reject) => {
      this.debugReplies.set(id, { resolve, reject });
      this.send({ type: 'debug', id, request });
    });
  }

  setBackground(on: boolean): void {
    this.send({ type: 'background', on });
  }

  play(): void {
    this.send({ type: 'play' });
  }
  pause(): void {
    this.send({ type: 'pause' });
  }
  step(count: number): void {
    this.send({ type: 'step', count });
  }
  reset(): void {
    this.send({ type: 'reset' });
  }
  /** Run `run`'s loss settings, and every run's shared settings; a change that needs a reset resets all runs. */
  setRunParams(run: number, params: Params): void {
    this.send({ type: 'setParams', run, params });
  }
  /** Replaces the runs (1 to 4); all start again from step 0. */
  /** Replaces the runs; frames of the old list still on their way are dropped on arrival. */
  setRuns(runs: Params[]): void {
    this.runsVersion++;
    this.send({ type: 'setRuns', runs, version: this.runsVersion });
  }
  setSpeed(stepsPerFrame: number): void {
    this.send({ type: 'setSpeed', stepsPerFrame });
  }

  dispose(): void {
    if (this.warmupTimer !== null) clearTimeout(this.warmupTimer);
    this.warmupTimer = null;
    this.pendingWarmup = null;
    this.warmupWorker?.terminate();
    this.warmupWorker = null;
    this.worker.terminate();
  }
}
