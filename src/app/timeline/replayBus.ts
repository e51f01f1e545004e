/**
 * A run's snapshot bus that can show a past frame. The panels read `latest` and
 * `history` as from any bus; while a past frame is shown, `history` ends at its step, so
 * the training curves are drawn as they were then. Live frames that arrive meanwhile (one
 * already on its way when training paused) are held and published, in order, on the
 * way back to live, so the loss history misses no drawn step.
 */
import { type MetricsHistory, SnapshotBus } from '../../panels/snapshotBus';
import type { PanelSnapshot } from '../../panels/types';

/** Live frames held while a past frame is shown; beyond this the oldest go (training is paused while replaying, so only a few ever arrive). */
const HELD_LIMIT = 1000;

/** The history as it stood when `step` was drawn: every entry up to and including it. */
export function historyThrough(history: MetricsHistory, step: number): MetricsHistory {
  let end = history.steps.length;
  while (end > 0 && history.steps[end - 1] > step) end--;
  return { steps: history.steps.slice(0, end), losses: history.losses.slice(0, end), accuracies: history.accuracies.slice(0, end) };
}

export class ReplayBus extends SnapshotBus {
  private past: MetricsHistory | null = null;
  private held: PanelSnapshot[] = [];

  override get showingPast(): boolean {
    return this.past !== null;
  }

  override get history(): MetricsHistory {
    return this.past ?? super.history;
  }

  override publish(snapshot: PanelSnapshot): void {
    if (this.past === null) {
      super.publish(snapshot);
      return;
    }
    this.held.push(snapshot);
    if (this.held.length > HELD_LIMIT) this.held.shift();
  }

  /** Shows a frame drawn earlier in this run; the live history is kept, not changed. */
  showPast(snapshot: PanelSnapshot): void {
    this.past = historyThrough(super.history, snapshot.step);
    super.publish(snapshot);
  }

  /** Back to live: the held live frames, then `latest` (the newest live frame) if none was held. */
  showLive(latest: PanelSnapshot | null): void {
    if (this.past === null) return;
    this.past = null;
    const held = this.held;
    this.held = [];
    for (const snapshot of held) super.publish(snapshot);
    if (held.length === 0 && latest) super.publish(latest);
  }
}

/** Puts a run's snapshot on its bus: as a past frame, or as the way back to live. A plain bus (a test's) just publishes. */
export function showOnBus(bus: SnapshotBus, snapshot: PanelSnapshot, past: boolean): void {
  if (!(bus instanceof ReplayBus)) bus.publish(snapshot);
  else if (past) bus.showPast(snapshot);
  else bus.showLive(snapshot);
}
