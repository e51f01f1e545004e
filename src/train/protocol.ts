/**
 * The one typed message union between the page and the training worker. Tensors never
 * cross it: snapshots are plain typed arrays, transferred rather than copied.
 */
import type { Params } from '../core/schema';
import type { BackendInfo, BackendRequest } from './backend';
import type { TrainerSnapshot } from './trainer';

export type ToWorker =
  | { type: 'init'; params: Params; backend: BackendRequest; playing: boolean; stepsPerFrame: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  | { type: 'setParams'; params: Params }
  | { type: 'setSpeed'; stepsPerFrame: number }
  | { type: 'reset' }
  /** The page drew the last snapshot and can take another: at most one in flight. */
  | { type: 'frameReady' };

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
  | { type: 'error'; message: string };

/** The buffers of a snapshot, to pass as postMessage's transfer list. */
export function snapshotTransfers(snapshot: TrainerSnapshot): ArrayBuffer[] {
  const arrays = [snapshot.embeddings, snapshot.unitEmbeddings, snapshot.labels, snapshot.weights, snapshot.bias, snapshot.thetaTarget, snapshot.heldoutEmbeddings, snapshot.heldoutLabels];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
