/**
 * A bus of the recording stage. It shows kept frames of one run, and its training
 * history and step-0 histogram are the page bus's as they stood when the recording
 * began, so the stage draws each step exactly as the page drew it then, and neither
 * training that resumes meanwhile nor a reset can change a recording half-way.
 */
import { type MetricsHistory, SnapshotBus } from '../../panels/snapshotBus';
import type { PanelSnapshot } from '../../panels/types';
import { historyThrough } from '../timeline/replayBus';

export class StageBus extends SnapshotBus {
  private shown: MetricsHistory;

  constructor(
    private readonly fullHistory: MetricsHistory,
    private readonly ghost: Float32Array | null,
  ) {
    super();
    this.shown = { steps: [], losses: [], accuracies: [] };
  }

  /** The page bus's history and ghost now, copied (the page keeps adding to its own). */
  static of(source: SnapshotBus): StageBus {
    const { steps, losses, accuracies } = source.history;
    return new StageBus({ steps: steps.slice(), losses: losses.slice(), accuracies: accuracies.slice() }, source.initialThetaTarget);
  }

  override get history(): MetricsHistory {
    return this.shown;
  }

  /** A recording replays kept frames only. */
  override get showingPast(): boolean {
    return true;
  }

  override get initialThetaTarget(): Float32Array | null {
    return this.ghost ?? super.initialThetaTarget;
  }

  override publish(snapshot: PanelSnapshot): void {
    this.shown = historyThrough(this.fullHistory, snapshot.step);
    super.publish(snapshot);
  }
}
