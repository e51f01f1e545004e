/**
 * The worker's ?debug=1 hooks, for the end-to-end tests and the benchmark. Readbacks are
 * counted by wrapping the tensor read methods, so "readbacks per frame" is measured
 * rather than bookkept by hand: a stray `data()` anywhere in the worker shows up.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { DebugRequest, DebugResult } from './protocol';
import type { TrainingSession } from './session';
import { tf } from './tf';

/** Every Tensor method that copies values to the host; `buffer` only where it exists. */
export const READ_METHODS = ['data', 'dataSync', 'array', 'arraySync', 'bytes', 'buffer', 'bufferSync'] as const;

export interface ReadCounter {
  /** Reads since the counter was installed. */
  readonly reads: number;
  /** Puts the original methods back. */
  uninstall(): void;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

let installed: ReadCounter | null = null;

/**
 * Wraps the read methods of `prototype` (tf.Tensor's by default). A read that calls
 * another (array() calls data(), arraySync() calls dataSync()) counts once: the nested
 * call happens synchronously inside the outer one, before its first await.
 */
export function installReadCounter(prototype: object = tf.Tensor.prototype): ReadCounter {
  if (installed) return installed;
  const target = prototype as Record<string, unknown>;
  const originals = new Map<string, Method>();
  let reads = 0;
  let depth = 0;
  for (const name of READ_METHODS) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    const method = original as Method;
    originals.set(name, method);
    target[name] = function countedRead(this: unknown, ...args: unknown[]): unknown {
      if (depth === 0) reads++;
      depth++;
      try {
        return method.apply(this, args);
      } finally {
        depth--;
      }
    };
  }
  const counter: ReadCounter = {
    get reads() {
      return reads;
    },
    uninstall() {
      for (const [name, method] of originals) target[name] = method;
      if (installed === counter) installed = null;
    },
  };
  installed = counter;
  return counter;
}

/** Reads per published frame since the last `rebase`. */
export class ReadbackMeter {
  private base = { reads: 0, frames: 0 };

  constructor(
    private readonly counter: ReadCounter,
    private readonly frames: () => number,
  ) {
    this.rebase();
  }

  /** Count from now on (a session started, or a measurement's own reads are over). */
  rebase(): void {
    this.base = { reads: this.counter.reads, frames: this.frames() };
  }

  perFrame(): number {
    const frames = this.frames() - this.base.frames;
    return frames === 0 ? 0 : (this.counter.reads - this.base.reads) / frames;
  }
}

/** Answers the page's debug requests about the worker's current session. */
export class DebugTools {
  private meter: ReadbackMeter | null = null;

  constructor(private readonly session: () => TrainingSession | null) {}

  /** The backend probe before a session starts reads too; those reads are not training's. */
  sessionStarted(): void {
    this.meter?.rebase();
  }

  async answer(request: DebugRequest): Promise<DebugResult> {
    if (request.kind === 'countReadbacks') {
      this.meter ??= new ReadbackMeter(installReadCounter(), () => this.session()?.framesPublished ?? 0);
      return { done: true };
    }
    const session = this.session();
    if (!session?.isStarted) throw new Error('no training run yet');
    switch (request.kind) {
      case 'measure': {
        const readbacksPerFrame = this.meter?.perFrame() ?? 0;
        const figures = await session.measure(request.steps);
        // The measurement's own reads are not frames' reads.
        this.meter?.rebase();
        return { backend: tf.getBackend(), readbacksPerFrame, ...figures };
      }
      case 'loseDevice':
        if (tf.getBackend() !== 'webgpu') throw new Error('the current backend is not WebGPU');
        (tf.backend() as WebGPUBackend).device.destroy();
        return { done: true };
      case 'parity':
        // Loaded on request: the harness stays out of the worker's start bundle.
        return session.whilePaused(async () => (await import('./fused/parity')).fusedParityReport());
      case 'poison':
        await session.poison(0);
        return { done: true };
      case 'memory': {
        const { numTensors, numBytes } = tf.memory();
        return { numTensors, numBytes, step: session.step };
      }
    }
  }
}
