/**
 * Hands each new snapshot to the panels that paint it, outside React. The latest one is
 * kept so that a panel can repaint after its params or size change.
 */
import type { PanelSnapshot } from './types';

export type SnapshotListener = (snapshot: PanelSnapshot) => void;

export class SnapshotBus {
  private readonly listeners = new Set<SnapshotListener>();
  private current: PanelSnapshot | null = null;
  /** θ_y at step 0 of the current run, kept for the Fig. 4a ghost histogram. */
  private initialThetas: Float32Array | null = null;
  private initialGeneration: number | undefined;

  get latest(): PanelSnapshot | null {
    return this.current;
  }

  get initialThetaTarget(): Float32Array | null {
    return this.initialThetas;
  }

  publish(snapshot: PanelSnapshot): void {
    if (this.initialThetas === null || snapshot.generation !== this.initialGeneration) {
      this.initialThetas = snapshot.thetaTarget.slice();
      this.initialGeneration = snapshot.generation;
    }
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
