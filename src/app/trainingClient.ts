/**
 * The page's side of the worker protocol. Snapshots are drawn on the next animation
 * frame and only then is the worker told it may send another, so drawing never queues
 * up behind training and React never re-renders per frame.
 */
import type { Params } from '../core/schema';
import type { BackendInfo, BackendRequest } from '../train/backend';
import type { DebugRequest, DebugResult, FromWorker, ToWorker, WorkerSnapshot } from '../train/protocol';

export interface TrainingListeners {
  /** Called inside requestAnimationFrame with the newest snapshot. */
  draw(snapshot: WorkerSnapshot): void;
  backend(info: BackendInfo): void;
  notice(message: string): void;
  error(message: string): void;
  /** Training stopped at a non-finite value; the last good snapshot stays drawn. */
  diverged(step: number, lastGoodStep: number): void;
}

export class TrainingClient {
  private readonly worker: Worker;
  private pending: WorkerSnapshot | null = null;
  private frameRequested = false;
  private latest: WorkerSnapshot | null = null;
  private nextDebugId = 1;
  private readonly debugReplies = new Map<number, { resolve: (result: DebugResult) => void; reject: (error: Error) => void }>();

  constructor(private readonly listeners: TrainingListeners) {
    this.worker = new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => listeners.error(`The training worker failed: ${event.message || 'unknown error'}. Reload the page.`);
  }

  get snapshot(): WorkerSnapshot | null {
    return this.latest;
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'snapshot':
        this.pending = message.snapshot;
        if (!this.frameRequested) {
          this.frameRequested = true;
          requestAnimationFrame(() => this.drawFrame());
        }
        break;
      case 'backend': this.listeners.backend(message.info); break;
      case 'notice': this.listeners.notice(message.message); break;
      case 'diverged': this.listeners.diverged(message.step, message.lastGoodStep); break;
      case 'debugResult': {
        const reply = this.debugReplies.get(message.id);
        this.debugReplies.delete(message.id);
        if (!reply) break;
        if ('error' in message.result) reply.reject(new Error(message.result.error));
        else reply.resolve(message.result);
        break;
      }
      case 'error': this.listeners.error(message.message); break;
    }
  }

  private drawFrame(): void {
    this.frameRequested = false;
    const snapshot = this.pending;
    this.pending = null;
    if (!snapshot) return;
    this.latest = snapshot;
    try {
      this.listeners.draw(snapshot);
    } finally {
      this.send({ type: 'frameReady' });
    }
  }

  /** Redraw the latest snapshot (after a resize or a theme change) without asking the worker. */
  redraw(): void {
    if (this.latest) this.listeners.draw(this.latest);
  }

  init(params: Params, backend: BackendRequest, playing: boolean, stepsPerFrame: number, fused: boolean): void {
    this.send({ type: 'init', params, backend, playing, stepsPerFrame, fused });
  }

  /** Test and benchmark hooks (?debug=1). */
  debug(request: DebugRequest): Promise<DebugResult> {
    const id = this.nextDebugId++;
    return new Promise((resolve, reject) => {
      this.debugReplies.set(id, { resolve, reject });
      this.send({ type: 'debug', id, request });
    });
  }

  setBackground(on: boolean): void { this.send({ type: 'background', on }); }

  play(): void { this.send({ type: 'play' }); }
  pause(): void { this.send({ type: 'pause' }); }
  step(count: number): void { this.send({ type: 'step', count }); }
  reset(): void { this.send({ type: 'reset' }); }
  setParams(params: Params): void { this.send({ type: 'setParams', params }); }
  setSpeed(stepsPerFrame: number): void { this.send({ type: 'setSpeed', stepsPerFrame }); }

  dispose(): void {
    this.worker.terminate();
  }
}
