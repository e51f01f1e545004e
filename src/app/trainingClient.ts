/**
 * The page's side of the worker protocol. Snapshots are drawn on the next animation
 * frame and only then is the worker told it may send another, so drawing never queues
 * up behind training and React never re-renders per frame.
 *
 * The worker trains a session of 1 to 4 runs in lockstep (one in single mode): every
 * frame holds all runs at the same step, and the page draws them in the same animation
 * frame. Commands address a run by its index.
 */
import type { Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import type { BackendInfo, BackendRequest } from '../train/backend';
import type { DebugRequest, DebugResult, FromWorker, ToWorker } from '../train/protocol';

export interface TrainingListeners {
  /** Called inside requestAnimationFrame with the newest frame: every run at one step. */
  draw(frame: SessionFrame): void;
  backend(info: BackendInfo): void;
  notice(message: string): void;
  error(message: string): void;
  /** Training stopped at a non-finite value of run `run`; the last good snapshot stays drawn. */
  diverged(step: number, lastGoodStep: number, run: number): void;
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

  constructor(private readonly listeners: TrainingListeners) {
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
      case 'notice':
        this.listeners.notice(message.message);
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
    }
  }

  /** Starts a session of 1 to 4 runs in lockstep; the shared settings come from the first. */
  init(runs: Params[], backend: BackendRequest, playing: boolean, stepsPerFrame: number, fused: boolean): void {
    this.send({ type: 'init', runs, runsVersion: this.runsVersion, backend, playing, stepsPerFrame, fused });
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
    this.worker.terminate();
  }
}
