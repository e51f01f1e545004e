/**
 * Hands each new snapshot to the panels that paint it, outside React. The latest one is
 * kept so that a panel can repaint after its params or size change.
 */
import type { PanelSnapshot } from './types';

export type SnapshotListener = (snapshot: PanelSnapshot) => void;

/** Loss and accuracy over the current run, one entry per published snapshot. */
export interface MetricsHistory {
  steps: number[];
  losses: number[];
  accuracies: number[];
}

export class SnapshotBus {
  private readonly listeners = new Set<SnapshotListener>();
  private current: PanelSnapshot | null = null;
  /** θ_y at step 0 of the current run, kept for the Fig. 4a ghost histogram. */
  private initialThetas: Float32Array | null = null;
  private initialGeneration: number | undefined;
  private metrics: MetricsHistory = { steps: [], losses: [], accuracies: [] };

  get latest(): PanelSnapshot | null {
    return this.current;
  }

  /**
   * Whether the bus shows a kept frame (the timeline scrubbed back, or a recording) rather
   * than the live run: panels then draw the margins that frame was trained with.
   */
  get showingPast(): boolean {
    return false;
  }

  get initialThetaTarget(): Float32Array | null {
    return this.initialThetas;
  }

  get history(): MetricsHistory {
    return this.metrics;
  }

  publish(snapshot: PanelSnapshot): void {
    if (this.initialThetas === null || snapshot.generation !== this.initialGeneration) {
      this.initialThetas = snapshot.thetaTarget.slice();
      this.initialGeneration = snapshot.generation;
      this.metrics = { steps: [], losses: [], accuracies: [] };
    }
    const { steps } = this.metrics;
    // A repeated step (a redraw while paused) adds nothing; a smaller one means a new run.
    if (steps.length === 0 || snapshot.step > steps[steps.length - 1]) {
      this.metrics.steps.push(snapshot.step);
      this.metrics.losses.push(snapshot.loss);
      this.metrics.accuracies.push(snapshot.trainAccuracy);
    }
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
