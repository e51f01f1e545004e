/**
 * The one typed message union between the page and the training worker. Tensors never
 * cross it: snapshots are plain typed arrays, transferred rather than copied.
 */
import type { Params } from '../core/schema';
import type { BackendInfo, BackendRequest } from './backend';
import type { TrainerSnapshot } from './trainer';
import type { FusedParityReport } from './fused';

export type ToWorker =
  | { type: 'init'; params: Params; backend: BackendRequest; playing: boolean; stepsPerFrame: number; fused: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  | { type: 'setParams'; params: Params }
  | { type: 'setSpeed'; stepsPerFrame: number }
  | { type: 'reset' }
  /** The page drew the last snapshot and can take another: at most one in flight. */
  | { type: 'frameReady' }
  /** Keep training while the page is hidden (an embed told to autoplay): no frames will come. */
  | { type: 'background'; on: boolean }
  /** Test and benchmark hooks, only sent when the page runs with ?debug=1. */
  | { type: 'debug'; id: number; request: DebugRequest };

export type DebugRequest =
  | { kind: 'measure'; steps: number }
  | { kind: 'loseDevice' }
  /** Writes a NaN into the class weights, to test the divergence watchdog. */
  | { kind: 'poison' }
  | { kind: 'memory' }
  /** Compares the fused kernels with the unfused path on the current backend. */
  | { kind: 'parity' };

export interface DebugMeasurement {
  backend: string;
  /** tfjs kernels run per training step (includes no-op reshapes). */
  kernelsPerStep: number;
  /** GPU compute dispatches per step on WebGPU; null on other backends. */
  dispatchesPerStep: number | null;
  /** Device-to-host reads per published frame since the run started. */
  readbacksPerFrame: number;
  /** Whether the run uses the fused kernels. */
  fused: boolean;
}

export interface DebugMemory {
  numTensors: number;
  numBytes: number;
  step: number;
}

export type DebugResult = DebugMeasurement | DebugMemory | FusedParityReport | { done: true };

export interface WorkerSnapshot extends TrainerSnapshot {
  /** Bumped on every reset; a snapshot from an older generation is stale. */
  generation: number;
  backend: string;
  stepsPerSecond: number;
  playing: boolean;
}

export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'snapshot'; snapshot: WorkerSnapshot }
  | { type: 'notice'; message: string }
  /** The loss or the weights went non-finite; training paused at `step`, the last good picture stays. */
  | { type: 'diverged'; step: number; lastGoodStep: number }
  | { type: 'debugResult'; id: number; result: DebugResult | { error: string } }
  | { type: 'error'; message: string };

/** The buffers of a snapshot, to pass as postMessage's transfer list. */
export function snapshotTransfers(snapshot: TrainerSnapshot): ArrayBuffer[] {
  const arrays = [snapshot.embeddings, snapshot.unitEmbeddings, snapshot.labels, snapshot.weights, snapshot.bias, snapshot.thetaTarget, snapshot.heldoutEmbeddings, snapshot.heldoutLabels];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
